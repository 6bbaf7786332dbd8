"""The ``beatclassifier`` command: one entry point, a subcommand per job.

Each command group lives in ``beatclassifier.commands.<group>`` and registers its
own subparsers; a handler receives the parsed args and an ``App`` and returns an
exit code (see ``beatclassifier.errors``).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from pydantic import ValidationError

from beatclassifier import __version__
from beatclassifier.app import App
from beatclassifier.commands import COMMAND_MODULES
from beatclassifier.console import setup_logging
from beatclassifier.errors import EXIT_BAD_INPUT, EXIT_FAILURE, UserError
from beatclassifier.settings import Settings

log = logging.getLogger("beatclassifier")

DESCRIPTION = """\
Which artists' sound does my beat fit? beatclassifier ingests artists' catalogs and
audio features into PostgreSQL, trains honest Keras classifiers over artist groups,
and writes each beat's ranked "X Type Beat" predictions back to the database.

Configuration comes from the environment: DATABASE_URL (unset: an embedded
PostgreSQL in BEATCLASSIFIER_DATA_DIR), BEATCLASSIFIER_LOG_LEVEL, SPOTIPY_CLIENT_ID
and SPOTIPY_CLIENT_SECRET. Exit codes: 0 done, 1 failed, 2 bad input or options
(nothing written), 75 the job is already running.
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="beatclassifier",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log at DEBUG level")
    commands = parser.add_subparsers(title="commands", dest="command", metavar="COMMAND")
    commands.required = True
    for module in COMMAND_MODULES:
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = Settings()
    except ValidationError as exc:
        print(f"error: bad configuration: {_first_error(exc)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    setup_logging("DEBUG" if args.verbose else settings.log_level)
    app = App(settings)
    try:
        return int(args.handler(args, app) or 0)
    except UserError as exc:
        print(f"error: {settings.redact(str(exc))}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted: work committed so far is kept; run again to resume", file=sys.stderr)
        return 130
    except Exception as exc:
        log.debug("unexpected failure", exc_info=True)
        print(f"error: {type(exc).__name__}: {settings.redact(str(exc))}", file=sys.stderr)
        return EXIT_FAILURE
    finally:
        app.close()


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    return f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}"
