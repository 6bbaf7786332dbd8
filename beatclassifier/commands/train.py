"""``beatclassifier train`` and ``beatclassifier worker``: honest GridSearch training.

The ML code (and Keras, seconds to import) loads only inside the handlers.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from beatclassifier.app import App


def register(commands: argparse._SubParsersAction) -> None:
    train = commands.add_parser(
        "train",
        help="train and register a classifier (or queue it for a worker)",
        description="Train a Keras MLP on canonical tracks (duplicate releases excluded) "
        "with album-grouped, stratified, shuffled GridSearchCV, score majority-class, "
        "logistic-regression and gradient-boosting baselines on the same folds, and "
        "register the model. It becomes active for its label set only when it beats the "
        "active model on the refit metric (or with --force-activate). Nothing is written "
        "unless the run completes.",
    )
    labels = train.add_argument_group("targets")
    labels.add_argument(
        "--groups",
        type=Path,
        metavar="FILE",
        help="artist,group CSV; stored as a label set (default name: the "
        "file's stem). Without it: --label-set, else one class per artist",
    )
    labels.add_argument("--label-set", metavar="NAME", help="label set to store or reuse")
    labels.add_argument(
        "--skip-unknown-artists",
        action="store_true",
        help="leave out label-file artists not in the database (warns) instead of failing",
    )
    labels.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="GROUP",
        help="train on these groups only (repeat; e.g. two for --grid binary)",
    )
    labels.add_argument(
        "--min-songs",
        type=int,
        default=100,
        help="drop artists with fewer canonical tracks (default 100, as the study)",
    )
    model = train.add_argument_group("model and search")
    model.add_argument(
        "--grid",
        default="seed",
        help="preset seed|binary|quick, or a JSON grid file (default seed)",
    )
    model.add_argument(
        "--feature",
        action="append",
        default=[],
        dest="extra_features",
        metavar="NAME",
        help="add a stored feature to the study's 11 (repeat)",
    )
    model.add_argument(
        "--no-early-stopping",
        dest="early_stopping",
        action="store_false",
        help="train every fit for the full epoch budget, as the study did",
    )
    model.add_argument("--patience", type=int, help="early-stopping patience in epochs (20)")
    model.add_argument("--max-epochs", type=int, help="epoch budget (default: the grid's)")
    model.add_argument("--folds", type=int, help="number of folds (default: the grid's)")
    model.add_argument(
        "--refit-metric",
        default="auto",
        help="accuracy|balanced_accuracy|top3_accuracy|log_loss; auto = "
        "top3_accuracy above three classes, else balanced_accuracy",
    )
    model.add_argument("--seed", type=int, default=0, help="fold shuffling and weight seed")
    model.add_argument("--jobs", type=int, default=1, help="parallel fits (joblib n_jobs)")
    model.add_argument(
        "--dask",
        dest="dask_address",
        metavar="ADDRESS",
        help="run the grid on this Dask scheduler (tcp://host:8786)",
    )
    model.add_argument("--name", help="model name (default: <label set>-<grid>)")
    model.add_argument(
        "--force-activate",
        action="store_true",
        help="make the new model active even if it scores lower",
    )
    train.add_argument(
        "--enqueue",
        action="store_true",
        help="queue the run for `beatclassifier worker` instead of training here",
    )
    train.set_defaults(handler=_train)

    worker = commands.add_parser(
        "worker",
        help="claim and run queued training runs (GPU when the backend sees one)",
        description="Claim queued training runs (FOR UPDATE SKIP LOCKED; any number of "
        "workers on any host), heartbeat while training, and mark each done or failed. A "
        "run whose worker stopped heartbeating is claimed again.",
    )
    worker.add_argument("--poll", type=float, default=5.0, help="seconds between queue polls")
    worker.add_argument("--heartbeat", type=float, default=10.0, help="heartbeat interval (s)")
    worker.add_argument(
        "--stale-after",
        type=float,
        default=120.0,
        help="reclaim a running run whose heartbeat is older (s)",
    )
    worker.add_argument("--max-attempts", type=int, default=3)
    worker.add_argument(
        "--exit-when-empty",
        action="store_true",
        help="stop when the queue is empty instead of polling",
    )
    worker.set_defaults(handler=_worker)


def _request(args: argparse.Namespace):
    from jobs.train.request import TrainingRequest

    return TrainingRequest(
        groups_file=str(args.groups.resolve()) if args.groups else None,
        label_set=args.label_set,
        skip_unknown_artists=args.skip_unknown_artists,
        only=args.only,
        min_songs=args.min_songs,
        grid=args.grid if not Path(args.grid).exists() else str(Path(args.grid).resolve()),
        extra_features=args.extra_features,
        early_stopping=args.early_stopping,
        patience=args.patience,
        max_epochs=args.max_epochs,
        folds=args.folds,
        refit_metric=args.refit_metric,
        force_activate=args.force_activate,
        seed=args.seed,
        jobs=args.jobs,
        dask_address=args.dask_address,
        name=args.name,
    )


def _train(args: argparse.Namespace, app: App) -> int:
    from beatclassifier.errors import UserError
    from jobs.train.grids import load_grid

    request = _request(args)
    load_grid(request.grid)  # a bad grid fails now, not in a worker later
    if args.min_songs < 1:
        raise UserError("--min-songs must be at least 1")
    engine = app.engine()
    if args.enqueue:
        from db import training_queue

        with engine.begin() as conn:
            run_id = training_queue.enqueue(conn, request.to_json())
        print(f"queued training run {run_id}; start `beatclassifier worker` to run it")
        return 0
    from jobs.train.run import run_training

    result = run_training(engine, app.settings, request)
    print(result.summary())
    return 0


def _worker(args: argparse.Namespace, app: App) -> int:
    from jobs.train.worker import WorkerOptions, run_worker

    options = WorkerOptions(
        poll_seconds=args.poll,
        heartbeat_seconds=args.heartbeat,
        stale_seconds=args.stale_after,
        max_attempts=args.max_attempts,
        exit_when_empty=args.exit_when_empty,
    )
    processed = run_worker(app.engine(), app.settings, options)
    print(f"worker processed {processed} run(s)")
    return 0
