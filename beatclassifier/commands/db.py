"""``beatclassifier db``: where the database is, and its schema."""

from __future__ import annotations

import argparse

from beatclassifier.app import App
from db import connection


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "db",
        help="database location and schema",
        description="Inspect and migrate the database (DATABASE_URL, or the embedded one).",
    )
    sub = parser.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    url = sub.add_parser(
        "url",
        help="print the database URL in use (password masked)",
        description="Print the URL in use; with no DATABASE_URL this starts the embedded server.",
    )
    url.set_defaults(handler=_url)
    mig = sub.add_parser(
        "migrate",
        help="apply pending migrations",
        description="Bring the schema to the newest migration (other commands do this too).",
    )
    mig.set_defaults(handler=_migrate)


def _url(args: argparse.Namespace, app: App) -> int:
    print(connection.masked(app.url))
    return 0


def _migrate(args: argparse.Namespace, app: App) -> int:
    app.engine()
    print("schema is up to date")
    return 0
