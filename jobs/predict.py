"""``beatclassifier predict``: score beats with a registered model, write ranked rows.

Probabilities for every group are computed for all beats at once and written
with COPY + one DELETE/INSERT per model, so re-running replaces, never duplicates.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from beatclassifier.errors import UserError
from db import predictions, registry
from jobs.train.artifact import loads

log = logging.getLogger(__name__)


@dataclass
class PredictResult:
    rows_written: int = 0
    beats_scored: int = 0
    skipped: list[str] = field(default_factory=list)  # "beat: missing features" messages
    models: list[int] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # per phase, for benchmarks

    def _time(self, phase: str, since: float) -> float:
        now = time.perf_counter()
        self.seconds[phase] = self.seconds.get(phase, 0.0) + now - since
        return now


def predict_beats(
    engine: Engine, model_id: int | None = None, *, all_beats: bool = False
) -> PredictResult:
    """Score beats lacking predictions (or all) with ``model_id`` or every active model."""
    with engine.connect() as conn:
        model_ids = [model_id] if model_id is not None else registry.active_model_ids(conn)
        if model_id is not None and registry.get_model(conn, model_id) is None:
            raise UserError(f"no model with id {model_id} (see `beatclassifier models list`)")
    if not model_ids:
        raise UserError("no active model: train one first (beatclassifier train)")
    result = PredictResult(models=model_ids)
    for mid in model_ids:
        _predict_with(engine, mid, all_beats, result)
    return result


def _predict_with(engine: Engine, model_id: int, all_beats: bool, result: PredictResult) -> None:
    started = time.perf_counter()
    with engine.connect() as conn:
        artifact = loads(registry.model_artifact(conn, model_id), model_id)
        started = result._time("load_model", started)
        beats = predictions.beats_to_score(conn, model_id, all_beats=all_beats)
    started = result._time("read_beats", started)
    if beats.empty:
        return
    missing = beats[artifact.features].isna()
    for name, row in zip(beats["name"], missing.to_numpy(), strict=True):
        if row.any():
            lacking = ", ".join(np.array(artifact.features)[row])
            result.skipped.append(f"beat {name!r} lacks {lacking}: not scored")
    scorable = beats[~missing.any(axis=1)]
    if scorable.empty:
        return
    rows = ranked_rows(
        scorable["id"].to_numpy(),
        artifact.pipeline.predict_proba(scorable[artifact.features].astype("float32")),
        artifact.pipeline.classes_,
    )
    started = result._time("predict", started)
    with engine.begin() as conn:
        result.rows_written += predictions.replace_predictions(conn, model_id, rows)
    result._time("write", started)
    result.beats_scored += len(scorable)


def ranked_rows(beat_ids: np.ndarray, proba: np.ndarray, classes: np.ndarray) -> pd.DataFrame:
    """One row per beat and group: probability and rank (1 = most likely), vectorised."""
    n_beats, n_groups = proba.shape
    order = np.argsort(-proba, axis=1, kind="stable")
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(1, n_groups + 1)[None, :].repeat(n_beats, 0), 1)
    return pd.DataFrame(
        {
            "beat_id": np.repeat(beat_ids, n_groups),
            "group_label": np.tile(np.asarray(classes, dtype=object), n_beats),
            "probability": np.clip(proba, 0.0, 1.0).ravel(),
            "rank": ranks.ravel(),
        }
    )
