"""``beatclassifier ingest``: get catalogs and features into the database."""

from __future__ import annotations

import argparse
from pathlib import Path

from beatclassifier.app import App
from jobs.ingest.csv_import import import_directory
from reports.refresh import refresh_views


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "ingest",
        help="load artists, albums, tracks and audio features",
        description="Load catalogs into the database. Each source is idempotent: "
        "re-running it stores nothing twice.",
    )
    sub = parser.add_subparsers(dest="ingest_command", metavar="SOURCE", required=True)
    csv = sub.add_parser(
        "csv",
        help="import a directory in the study's seed CSV format",
        description="Import artistsid.csv, artistsongs.csv, songfeatures.csv and (optional) "
        "mybeatfeatures.csv from DIR in one transaction. Duplicate releases of one recording "
        "are marked; a bad row aborts the import with its file, line and column, and "
        "nothing is written. When the import changed data, the materialized reporting views "
        "are refreshed afterwards.",
    )
    csv.add_argument("directory", type=Path, metavar="DIR", help="the seed-format directory")
    csv.set_defaults(handler=_csv)


def _csv(args: argparse.Namespace, app: App) -> int:
    engine = app.engine()
    result = import_directory(engine, args.directory)
    print(result.summary())
    if result.changed:
        seconds = refresh_views(engine)
        print(f"reporting views refreshed in {sum(seconds.values()):.2f} s")
    return 0
