"""Command groups of the CLI, in the order ``--help`` lists them."""

from beatclassifier.commands import (
    beats,
    db,
    demo,
    export,
    ingest,
    models,
    ops,
    predict,
    report,
    simulate,
    train,
)

COMMAND_MODULES = (ingest, beats, simulate, train, models, predict, report, export, ops, db, demo)
