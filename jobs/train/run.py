"""``beatclassifier train``: grouped GridSearch over the network, baselines, registry.

Reads everything, validates it, trains, and only then writes the label set, the
model, its candidates and the activation decision in one transaction.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import sklearn
from sqlalchemy import Engine

from beatclassifier.errors import UserError
from beatclassifier.settings import Settings
from db import registry, training_data
from db.features import FEATURE_NAMES, STUDY_FEATURES
from jobs.train.evaluation import (
    METRICS,
    album_folds,
    distinct_partitions,
    network_pipeline,
    score_baselines,
    scorers,
    summarize,
)
from jobs.train.grids import Grid, load_grid
from jobs.train.request import TrainingRequest
from jobs.train.targets import Dataset, build_dataset, read_groups_file

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TrainingResult:
    model_id: int
    activated: bool
    reason: str
    label_set: str
    metrics: dict[str, Any]
    refit_metric: str
    device: str
    report: list[str]

    def summary(self) -> str:
        lines = [f"model {self.model_id} on label set {self.label_set!r} ({self.device})"]
        lines += [f"  note: {line}" for line in self.report]
        lines.append(f"  {'estimator':<20} " + " ".join(f"{m:>18}" for m in METRICS))
        for name in ("network", "majority", "logistic_regression", "gradient_boosting"):
            cells = " ".join(
                f"{self.metrics[name][m]['mean']:>9.3f} ±{self.metrics[name][m]['std']:.3f}"
                for m in METRICS
            )
            lines.append(f"  {name:<20} {cells}")
        m = self.metrics
        lines.append(
            f"  {m['n_tracks']} tracks, {m['n_albums']} albums, {len(m['classes'])} classes, "
            f"{m['folds']} album-grouped folds ({m['distinct_partitions']} distinct partitions "
            "over 20 seeds)"
        )
        state = "active" if self.activated else "not activated"
        lines.append(f"  {state}: {self.reason}")
        return "\n".join(lines)


@dataclass(frozen=True)
class _Labels:
    name: str
    groups: dict[str, str]
    skipped: list[str]


def run_training(engine: Engine, settings: Settings, request: TrainingRequest) -> TrainingResult:
    """Train, evaluate and register one model; returns the registered model's id and scores."""
    started = time.perf_counter()
    grid = load_grid(request.grid)
    folds_n = request.folds or grid.folds
    _check_features(request.extra_features)
    with engine.connect() as conn:
        tracks = training_data.training_tracks(conn)
        labels = _resolve_labels(conn, request)
    if tracks.empty:
        raise UserError("no training data: the database holds no canonical tracks with features")
    features = request.features
    labelled = tracks[tracks["artist"].isin(labels.groups)]
    fingerprint = training_data.fingerprint(labelled, labels.groups, features)
    data = build_dataset(
        tracks,
        labels.groups,
        features=features,
        min_songs=request.min_songs,
        folds=folds_n,
        only=request.only or None,
    )
    if grid.binary and len(data.classes) != 2:
        raise UserError(
            f"the binary grid needs exactly two groups, found {len(data.classes)} "
            f"({', '.join(data.classes)}); pick two with --only"
        )
    skipped = [f"skipped {len(labels.skipped)} artist(s) not in the database: "
               f"{', '.join(labels.skipped)}"] if labels.skipped else []  # fmt: skip
    report = [*skipped, *data.report]
    for line in report:
        log.warning(line)
    refit_metric = _refit_metric(request.refit_metric, len(data.classes))
    from jobs.train import network  # Keras import: seconds, so only here

    device = network.training_device()
    log.info(
        "training on %s: %d tracks, %d albums, %d classes, grid %s (%d candidates x %d folds)",
        device,
        len(data.y),
        len(set(data.albums)),
        len(data.classes),
        grid.name,
        grid.size,
        folds_n,
    )
    prepared = time.perf_counter()
    evaluation = evaluate(network, grid, request, data, refit_metric)
    search, metrics = evaluation.search, evaluation.metrics
    net = search.best_estimator_.named_steps["net"]
    params = {
        "grid": grid.name,
        "best": _jsonable(search.best_params_),
        "features": features,
        "min_songs": request.min_songs,
        "early_stopping": request.early_stopping,
        "refit_epochs": getattr(net, "epochs_run_", None),
        "seed": request.seed,
        "only": request.only,
        "report": report,
    }
    artifact = network.Artifact(
        search.best_estimator_, data.classes, features, network.backend_name()
    )
    record = registry.ModelRecord(
        name=request.name or f"{labels.name}-{grid.name}",
        kind="keras_mlp_binary" if len(data.classes) == 2 else "keras_mlp",
        label_set_id=0,
        params=params,
        metrics=metrics,
        refit_metric=refit_metric,
        data_fingerprint=fingerprint,
        library_versions=network.library_versions(),
        device=device,
        durations={
            "prepare_seconds": round(prepared - started, 3),
            "grid_seconds": evaluation.grid_seconds,
            "baselines_seconds": evaluation.baselines_seconds,
            "total_seconds": round(time.perf_counter() - started, 3),
        },
        artifact=artifact.dumps(),
    )
    candidates = _candidates(search.cv_results_, folds_n)
    with engine.begin() as conn:
        ids = training_data.artist_ids_by_name(conn, list(labels.groups))
        label_set_id = training_data.save_label_set(
            conn,
            labels.name,
            request.min_songs,
            {ids[a.lower()]: g for a, g in labels.groups.items()},
        )
        record = _with_label_set(record, label_set_id)
        registered = registry.register_model(conn, record, candidates, force=request.force_activate)
    return TrainingResult(
        registered.model_id,
        registered.activated,
        registered.reason,
        labels.name,
        metrics,
        refit_metric,
        device,
        report,
    )


@dataclass(frozen=True)
class Evaluation:
    search: Any  # the fitted GridSearchCV; best_estimator_ is the refit pipeline
    metrics: dict[str, Any]  # the models.metrics JSON (docs/training.md)
    grid_seconds: float
    baselines_seconds: float


def evaluate(
    network: Any, grid: Grid, request: TrainingRequest, data: Dataset, refit_metric: str
) -> Evaluation:
    """GridSearch the network and score the baselines on the same album-grouped folds."""
    folds_n = request.folds or grid.folds
    started = time.perf_counter()
    folds = album_folds(data.y, data.albums, folds_n, request.seed)
    # Metadata routing hands each fit its training fold's albums (grouped early stopping).
    with sklearn.config_context(enable_metadata_routing=True):
        search = _grid_search(network, grid, request, data, folds, refit_metric)
        with _joblib_backend(request.dask_address):
            search.fit(data.X, data.y, groups=data.albums)
    searched = time.perf_counter()
    baseline_scores = score_baselines(data.X, data.y, folds, data.classes, request.seed)
    finished = time.perf_counter()
    best = search.best_index_
    metrics = {
        "network": summarize(
            {m: _fold_scores(search.cv_results_, m, best, folds_n) for m in METRICS}
        ),
        **baseline_scores,
        "folds": folds_n,
        "distinct_partitions": distinct_partitions(data.y, data.albums, folds_n),
        "n_tracks": len(data.y),
        "n_albums": len(set(data.albums.tolist())),
        "classes": data.classes,
    }
    return Evaluation(search, metrics, round(searched - started, 3), round(finished - searched, 3))


def _with_label_set(record: registry.ModelRecord, label_set_id: int) -> registry.ModelRecord:
    return replace(record, label_set_id=label_set_id)


def _check_features(extra: list[str]) -> None:
    allowed = set(FEATURE_NAMES) - {"mode"}
    unknown = [f for f in extra if f not in allowed and f not in STUDY_FEATURES]
    if unknown:
        raise UserError(
            f"unknown feature(s) {', '.join(unknown)}; "
            f"stored features: {', '.join(sorted(allowed))}"
        )


def _resolve_labels(conn: Any, request: TrainingRequest) -> _Labels:
    stored = {name.lower(): name for _, name in training_data.all_artists(conn)}
    if request.groups_file:
        path = Path(request.groups_file)
        parsed = read_groups_file(path, stored, skip_unknown=request.skip_unknown_artists)
        return _Labels(request.label_set or path.stem, parsed.groups, parsed.skipped)
    name = request.label_set or training_data.PER_ARTIST
    if name == training_data.PER_ARTIST:
        return _Labels(name, {n: n for n in stored.values()}, [])
    existing = training_data.load_label_set(conn, name)
    if existing is None:
        raise UserError(f"no label set named {name!r}: pass --groups FILE to create it")
    return _Labels(name, existing.groups, [])


def _refit_metric(requested: str, n_classes: int) -> str:
    """``auto``: top-3 accuracy with more than three classes (top-3 is trivial below)."""
    if requested == "auto":
        return "top3_accuracy" if n_classes > 3 else "balanced_accuracy"
    if requested not in METRICS:
        raise UserError(f"unknown refit metric {requested!r}; choose from {', '.join(METRICS)}")
    return requested


def _grid_search(
    network: Any, grid: Grid, request: TrainingRequest, data: Dataset, folds: Any, refit: str
) -> Any:
    from sklearn.model_selection import GridSearchCV

    fixed = {
        "epochs": request.max_epochs or grid.epochs,
        "early_stopping": request.early_stopping,
        "patience": request.patience or grid.fixed.get("patience", 20),
        "random_state": request.seed,
    }
    estimator = network.BeatKerasClassifier(**fixed).set_fit_request(groups=True)
    param_grid = [{f"net__{k}": v for k, v in points.items()} for points in grid.points]
    return GridSearchCV(
        network_pipeline(estimator),
        param_grid,
        scoring=scorers(data.classes),
        refit=refit,
        cv=folds,
        n_jobs=-1 if request.dask_address else request.jobs,
        error_score="raise",
    )


@contextlib.contextmanager
def _joblib_backend(address: str | None) -> Iterator[None]:
    """Run the grid's fits on an existing Dask cluster (refit runs locally)."""
    if address is None:
        yield
        return
    import joblib
    from distributed import Client

    with Client(address) as client, joblib.parallel_backend("dask"):
        log.info("grid search on Dask cluster %s", client.scheduler.address)
        yield


def _fold_scores(results: dict[str, Any], metric: str, index: int, folds: int) -> np.ndarray:
    return np.array([results[f"split{i}_test_{metric}"][index] for i in range(folds)])


def _candidates(results: dict[str, Any], folds: int) -> list[registry.Candidate]:
    out = []
    for i, params in enumerate(results["params"]):
        scores = {}
        for metric in METRICS:
            sign = -1.0 if metric == "log_loss" else 1.0
            scores[metric] = {
                "mean": sign * float(results[f"mean_test_{metric}"][i]),
                "std": float(results[f"std_test_{metric}"][i]),
                "rank": int(results[f"rank_test_{metric}"][i]),
            }
        fit_seconds = float(results["mean_fit_time"][i]) * folds
        out.append(registry.Candidate(_jsonable(params), scores, fit_seconds))
    return out


def _jsonable(params: dict[str, Any]) -> dict[str, Any]:
    """Grid parameters without the pipeline prefix, tuples as lists."""
    clean = {}
    for key, value in params.items():
        name = key.removeprefix("net__")
        clean[name] = list(value) if isinstance(value, tuple) else value
    return clean
