"""``beatclassifier predict``: rank every beat's artist groups with a registered model."""

from __future__ import annotations

import argparse
import sys

from beatclassifier.app import App


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "predict",
        help="score beats with the active model(s) and store ranked predictions",
        description="Score every beat that lacks predictions from the active model of each "
        "label set (or from --model ID), one row per beat and group with probability and "
        "rank, written in bulk. Re-running replaces a beat's rows, never duplicates them. "
        "A beat with missing features is reported and left unscored.",
    )
    parser.add_argument("--model", type=int, metavar="ID", help="use this model, active or not")
    parser.add_argument("--all", action="store_true", help="re-score beats already scored")
    parser.set_defaults(handler=_predict)


def _predict(args: argparse.Namespace, app: App) -> int:
    from jobs.predict import predict_beats

    result = predict_beats(app.engine(), args.model, all_beats=args.all)
    for message in result.skipped:
        print(f"warning: {message}", file=sys.stderr)
    models = ", ".join(str(m) for m in result.models)
    print(
        f"model(s) {models}: scored {result.beats_scored} beats, "
        f"wrote {result.rows_written} prediction rows"
    )
    return 0
