"""Grid-search speed: the study's plain scikeras + TensorFlow path vs this project's default.

Both run on the same canonical tracks (duplicate releases excluded), the same
label groups and the same album-grouped folds, over a subset of the seed grid.

- plain: scikeras' KerasClassifier, TensorFlow backend, a fixed epoch budget,
  every fit to the end (the study ran 6000 epochs; measuring that takes hours,
  so it runs ``--plain-epochs`` and projects linearly: an epoch's cost is
  constant with a fixed budget);
- default: ``jobs.train`` (BeatKerasClassifier, KERAS_BACKEND=auto -> jax when
  installed, early stopping on a shuffled 10% of each training fold).

Prints both top-3 accuracies, measured seconds, the speed ratio and the
projected time of the full 35-candidate x 5-fold seed grid. The data is the demo
catalog (the seed sample with its label groups when present, else the synthetic
one), imported into a throw-away database (``benchmarks.fresh_db``).

    python -m benchmarks.grid [--candidates 4] [--plain-epochs 200]   (from the repository root)
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.fresh_db import fresh_database
from jobs.demo import demo_catalog
from jobs.ingest.csv_import import import_directory

ROOT = Path(__file__).resolve().parents[1]

SUBSET = [  # spans the seed grid's network sizes and batch sizes
    ((64, 32, 16), 256),
    ((4096,), 1024),
    ((128, 64, 32, 16, 8), 512),
    ((1024, 512), 4096),
    ((16, 16, 16, 16, 16), 2048),
    ((128, 64, 32, 16), 256),
]


def _dataset(folds: int):
    """The benchmark's data, read from the database the parent filled (DATABASE_URL)."""
    from beatclassifier.app import App
    from beatclassifier.settings import Settings
    from db import training_data
    from jobs.ingest.seed_csv import SEED_SAMPLE
    from jobs.train.request import TrainingRequest
    from jobs.train.run import _resolve_labels
    from jobs.train.targets import build_dataset

    app = App(Settings())
    engine = app.engine()
    label_groups = SEED_SAMPLE / "label-groups.csv"
    groups = str(label_groups) if label_groups.exists() else None
    request = TrainingRequest(groups_file=groups, skip_unknown_artists=True)
    with engine.connect() as conn:
        tracks = training_data.training_tracks(conn)
        labels = _resolve_labels(conn, request)
    data = build_dataset(
        tracks, labels.groups, features=request.features, min_songs=100, folds=folds
    )
    app.close()
    return data


def child(mode: str, candidates: int, plain_epochs: int, folds: int) -> dict:
    from sklearn.model_selection import GridSearchCV

    import jobs.train.network as network
    from jobs.train.evaluation import album_folds, network_pipeline, scorers
    from jobs.train.grids import Grid
    from jobs.train.request import TrainingRequest
    from jobs.train.run import evaluate

    data = _dataset(folds)
    subset = SUBSET[:candidates]
    grid_points = [
        {"net__hidden_layers": [layers], "net__batch_size": [batch]} for layers, batch in subset
    ]
    started = time.perf_counter()
    if mode == "plain":
        from scikeras.wrappers import KerasClassifier

        net = KerasClassifier(model=network.build_network, epochs=plain_epochs, verbose=0,
                              random_state=0, model__hidden_layers=(64, 32, 16))  # fmt: skip
        points = [
            {"net__model__hidden_layers": p["net__hidden_layers"], "net__batch_size":
             p["net__batch_size"]} for p in grid_points
        ]  # fmt: skip
        search = GridSearchCV(
            network_pipeline(net), points, scoring=scorers(data.classes),
            refit=False, cv=album_folds(data.y, data.albums, folds, 0), error_score="raise",
        )  # fmt: skip
        search.fit(data.X, data.y)
        top3 = float(max(search.cv_results_["mean_test_top3_accuracy"]))
    else:
        subset_grid = [{"hidden_layers": [layers], "batch_size": [batch]}
                       for layers, batch in subset]  # fmt: skip
        grid = Grid("subset", subset_grid, folds=folds)
        request = TrainingRequest(refit_metric="top3_accuracy")
        evaluation = evaluate(network, grid, request, data, "top3_accuracy")
        top3 = evaluation.metrics["network"]["top3_accuracy"]["mean"]
        search = evaluation.search
    seconds = time.perf_counter() - started
    import keras

    return {
        "mode": mode,
        "backend": keras.backend.backend(),
        "seconds": seconds,
        "candidates": len(subset),
        "folds": folds,
        "rows": len(data.y),
        "classes": len(data.classes),
        "top3": top3,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--candidates", type=int, default=4, help=f"1..{len(SUBSET)}")
    parser.add_argument("--plain-epochs", type=int, default=200)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--child", choices=("plain", "default"))
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.candidates, args.plain_epochs, args.folds)))
        return
    results = {}
    with tempfile.TemporaryDirectory() as tmp, fresh_database() as engine:
        import_directory(engine, demo_catalog(Path(tmp)).directory)
        url = engine.url.render_as_string(hide_password=False)
        for mode in ("plain", "default"):
            env = {**os.environ, "DATABASE_URL": url}
            if mode == "plain":
                env["KERAS_BACKEND"] = "tensorflow"
            out = subprocess.run(
                [sys.executable, "-m", __spec__.name, "--child", mode,
                 "--candidates", str(args.candidates), "--plain-epochs", str(args.plain_epochs),
                 "--folds", str(args.folds)],
                env=env, cwd=ROOT, check=True, capture_output=True, text=True,
            ).stdout  # fmt: skip
            results[mode] = json.loads(out.strip().splitlines()[-1])
            print(json.dumps(results[mode]))
    plain, ours = results["plain"], results["default"]
    full = 35 / plain["candidates"]
    plain_6000 = plain["seconds"] * 6000 / args.plain_epochs
    print(
        f"data: {ours['rows']} canonical tracks, {ours['classes']} classes, "
        f"{ours['folds']} album-grouped folds, {ours['candidates']} seed-grid candidates"
    )
    print(
        f"plain scikeras+{plain['backend']}, {args.plain_epochs} fixed epochs: "
        f"{plain['seconds']:.1f} s, top-3 {plain['top3']:.3f}"
    )
    print(
        f"default path ({ours['backend']}, early stopping): {ours['seconds']:.1f} s, "
        f"top-3 {ours['top3']:.3f}"
    )
    print(
        f"speed ratio at {args.plain_epochs} plain epochs: "
        f"{plain['seconds'] / ours['seconds']:.1f}x"
    )
    print(
        f"speed ratio vs the study's 6000 epochs (plain projected linearly): "
        f"{plain_6000 / ours['seconds']:.1f}x"
    )
    print(f"projected full seed grid (35 candidates x {ours['folds']} folds): default "
          f"{ours['seconds'] * full / 60:.1f} min; plain at 6000 epochs "
          f"{plain_6000 * full / 3600:.1f} h")  # fmt: skip


if __name__ == "__main__":
    main()
