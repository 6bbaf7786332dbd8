"""Command groups of the CLI, in the order ``--help`` lists them."""

from beatclassifier.commands import db, demo, export, ingest, ops, report

COMMAND_MODULES = (ingest, report, export, ops, db, demo)
