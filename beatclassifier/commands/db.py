"""``beatclassifier db``: where the database is, and its schema."""

from __future__ import annotations

import argparse
import os

from beatclassifier.app import App
from beatclassifier.errors import UserError
from db import connection, reporting


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
    reader = sub.add_parser(
        "grant-reader",
        help="create or update a login role that can only read the reporting views",
        description="Create ROLE (or update it) so it can connect and SELECT from schema "
        "`reporting` only, including views added by later migrations: what Tableau, Excel "
        "and the export commands need, nothing more (no other schema, no writes, no model "
        "artifacts). Run it as the database owner.",
    )
    reader.add_argument("role", metavar="ROLE", help="role name, e.g. beatclassifier_reader")
    reader.add_argument(
        "--password-env",
        metavar="VAR",
        help="set the role's password from environment variable VAR (never from the command "
        "line, where other users could see it); without it an existing password is kept "
        "and a new role gets none",
    )
    reader.set_defaults(handler=_grant_reader)


def _url(args: argparse.Namespace, app: App) -> int:
    print(connection.masked(app.url))
    return 0


def _migrate(args: argparse.Namespace, app: App) -> int:
    app.engine()
    print("schema is up to date")
    return 0


def _grant_reader(args: argparse.Namespace, app: App) -> int:
    password = None
    if args.password_env is not None:
        # A variable the user names on the command line, not a setting of ours.
        password = os.environ.get(args.password_env)
        if not password:
            raise UserError(f"--password-env: environment variable {args.password_env} is not set")
    with app.engine().begin() as conn:
        created = reporting.grant_reader(conn, args.role, password)
    action = "created" if created else "updated"
    print(f"{action} role {args.role}: may connect and SELECT from schema reporting only")
    return 0
