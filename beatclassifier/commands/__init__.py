"""Command groups of the CLI, in the order ``--help`` lists them."""

from beatclassifier.commands import db, demo, ingest, ops

COMMAND_MODULES = (ingest, ops, db, demo)
