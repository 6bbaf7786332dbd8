"""``beatclassifier report``: keep the reporting views current."""

from __future__ import annotations

import argparse

from beatclassifier.app import App
from reports.refresh import refresh_views


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "report",
        help="refresh the reporting views Tableau and Excel read",
        description="Manage the views in schema `reporting`.",
    )
    sub = parser.add_subparsers(dest="report_command", metavar="ACTION", required=True)
    refresh = sub.add_parser(
        "refresh",
        help="recompute the materialized reporting views",
        description="Recompute the materialized views (tracks, minor_share_by_artist, "
        "artist_feature_summary, song_correlations) from the catalog. Readers keep seeing the "
        "previous contents until each view is done (REFRESH ... CONCURRENTLY). The ingest "
        "commands do this by themselves when they change data.",
    )
    refresh.set_defaults(handler=_refresh)


def _refresh(args: argparse.Namespace, app: App) -> int:
    seconds = refresh_views(app.engine())
    for view, took in seconds.items():
        print(f"refreshed reporting.{view} in {took:.2f} s")
    return 0
