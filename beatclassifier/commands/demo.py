"""``beatclassifier demo``: the whole product on the sample data, no credentials needed."""

from __future__ import annotations

import argparse

from beatclassifier.app import App
from db.connection import masked
from jobs.demo import run_demo


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "demo",
        help="run the product end to end on the sample catalog",
        description="Import the study's seed sample (../shared/data/seed-sample next to the "
        "checkout) or, where it is absent, a generated synthetic catalog, into the configured "
        "database (DATABASE_URL, else the embedded one), print a summary, then refresh the "
        "reporting views and write the Excel workbook, Tableau files and PNGs into "
        "BEATCLASSIFIER_DATA_DIR/demo-output.",
    )
    parser.set_defaults(handler=_demo)


def _demo(args: argparse.Namespace, app: App) -> int:
    print(f"== database: {masked(app.url)}")
    run_demo(app.engine(), app.settings.data_dir, app.settings)
    return 0
