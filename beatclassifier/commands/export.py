"""``beatclassifier export``: the reporting views as Excel, Tableau files or PNGs.

Exports only SELECT from schema ``reporting``, so they run as the read-only
reporting role (``db grant-reader``) and never migrate the database.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from beatclassifier.app import App
from reports.exports import export_excel, export_plots, export_tableau


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "export",
        help="write the reporting views as an Excel workbook, Tableau files or PNGs",
        description="Read the views in schema `reporting` (as they stand: run "
        "`beatclassifier report refresh` first if the catalog changed outside the ingest "
        "commands) and write them for people. Needs only the reporting role's privileges.",
    )
    sub = parser.add_subparsers(dest="export_command", metavar="FORMAT", required=True)
    excel = sub.add_parser(
        "excel",
        help="one workbook: a table per view, a trendline chart, correlation heatmaps",
        description="Write FILE.xlsx: every reporting view as an Excel table, a scatter chart "
        "with a linear trendline for minor-key share vs rank, and the song, beat and "
        "difference correlation matrices with a colour scale.",
    )
    excel.add_argument("--out", type=Path, required=True, metavar="FILE.xlsx")
    excel.set_defaults(handler=_excel)
    tableau = sub.add_parser(
        "tableau",
        help="a Hyper extract and live-connection .tds files",
        description="Write DIR/beatclassifier-reporting.hyper (every view, schema reporting) "
        "and one .tds data source per view that connects Tableau live to the database.",
    )
    tableau.add_argument("--out", type=Path, required=True, metavar="DIR")
    tableau.add_argument(
        "--role",
        metavar="ROLE",
        help="user name the .tds files connect as (default: the DATABASE_URL user); "
        "create it with `beatclassifier db grant-reader ROLE`",
    )
    tableau.set_defaults(handler=_tableau)
    plots = sub.add_parser(
        "plots",
        help="PNG pictures of the four questions",
        description="Write PNGs into DIR: minor-key share vs rank with the regression line, "
        "song and beat correlation heatmaps on one colour scale, songs vs beats side by side.",
    )
    plots.add_argument("--out", type=Path, required=True, metavar="DIR")
    plots.set_defaults(handler=_plots)


def _excel(args: argparse.Namespace, app: App) -> int:
    print(f"wrote {export_excel(app.engine(migrated=False), args.out)}")
    return 0


def _tableau(args: argparse.Namespace, app: App) -> int:
    for path in export_tableau(app.engine(migrated=False), args.out, args.role):
        print(f"wrote {path}")
    return 0


def _plots(args: argparse.Namespace, app: App) -> int:
    for path in export_plots(app.engine(migrated=False), args.out):
        print(f"wrote {path}")
    return 0
