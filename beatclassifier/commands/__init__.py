"""Command groups of the CLI, in the order ``--help`` lists them."""

from beatclassifier.commands import db, demo, ingest

COMMAND_MODULES = (ingest, db, demo)
