"""Command groups of the CLI, in the order ``--help`` lists them."""

from beatclassifier.commands import db, demo, ingest, models, predict, train

COMMAND_MODULES = (ingest, train, models, predict, db, demo)
