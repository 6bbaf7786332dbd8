"""Command groups of the CLI, in the order ``--help`` lists them."""

from beatclassifier.commands import beats, db, demo, ingest, simulate

COMMAND_MODULES = (ingest, beats, simulate, db, demo)
