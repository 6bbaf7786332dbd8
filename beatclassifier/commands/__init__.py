"""Command groups of the CLI, in the order ``--help`` lists them."""

from beatclassifier.commands import beats, db, demo, export, ingest, ops, report, simulate

COMMAND_MODULES = (ingest, beats, simulate, report, export, ops, db, demo)
