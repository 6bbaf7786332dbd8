"""``beatclassifier models``: the registry of trained models."""

from __future__ import annotations

import argparse
import json

from beatclassifier.app import App
from beatclassifier.errors import UserError
from db import registry


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "models",
        help="list, show and activate registered models",
        description="The model registry: every training run's model with its CV scores "
        "and baselines. One model per label set is active; predictions use it.",
    )
    sub = parser.add_subparsers(dest="models_command", metavar="ACTION", required=True)
    sub.add_parser("list", help="all models, active ones marked").set_defaults(handler=_list)
    show = sub.add_parser("show", help="a model's parameters, metrics and grid candidates")
    show.add_argument("model_id", type=int, metavar="ID")
    show.set_defaults(handler=_show)
    activate = sub.add_parser("activate", help="make a model active for its label set")
    activate.add_argument("model_id", type=int, metavar="ID")
    activate.set_defaults(handler=_activate)


def _list(args: argparse.Namespace, app: App) -> int:
    with app.engine().connect() as conn:
        rows = registry.list_models(conn)
    if not rows:
        print("no models yet: run `beatclassifier train`")
        return 0
    print(
        f"{'id':>4} {'':1} {'name':<28} {'label set':<20} {'refit metric':<18} {'score':>7}  device"
    )
    for r in rows:
        score = "" if r["score"] is None else f"{r['score']:.3f}"
        print(
            f"{r['id']:>4} {'*' if r['is_active'] else '':1} {r['name']:<28} "
            f"{r['label_set']:<20} {r['refit_metric']:<18} {score:>7}  {r['device']}"
        )
    return 0


def _get(conn, model_id: int) -> dict:
    model = registry.get_model(conn, model_id)
    if model is None:
        raise UserError(f"no model with id {model_id} (see `beatclassifier models list`)")
    return model


def _show(args: argparse.Namespace, app: App) -> int:
    with app.engine().connect() as conn:
        model = _get(conn, args.model_id)
        grid = registry.grid_results(conn, args.model_id)
    model["created_at"] = model["created_at"].isoformat()
    model["grid_results"] = grid
    print(json.dumps(model, indent=2, default=str))
    return 0


def _activate(args: argparse.Namespace, app: App) -> int:
    with app.engine().begin() as conn:
        model = _get(conn, args.model_id)
        registry.activate_model(conn, args.model_id, model["label_set_id"])
    print(f"model {args.model_id} is now active for label set {model['label_set']!r}")
    return 0
