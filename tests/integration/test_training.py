"""Training against a real database on a small synthetic catalog with a known signal."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import Engine, text

from beatclassifier.errors import UserError
from beatclassifier.settings import Settings
from db import registry, training_data
from jobs.ingest.csv_import import import_directory
from jobs.ingest.synthetic import SyntheticSpec, write_synthetic_catalog
from jobs.predict import predict_beats
from jobs.train.evaluation import album_folds
from jobs.train.grids import QUICK
from jobs.train.request import TrainingRequest
from jobs.train.run import evaluate, run_training
from jobs.train.targets import build_dataset

SMALL = SyntheticSpec(artists=4, tracks=480, beats=5, seed=3)
QUICK_REQUEST = TrainingRequest(grid="quick", min_songs=20)


@pytest.fixture
def catalog(engine: Engine, tmp_path: Path) -> Engine:
    import_directory(engine, write_synthetic_catalog(tmp_path / "synthetic", SMALL))
    return engine


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
            for t in ("models", "grid_results", "label_sets", "label_groups", "predictions")
        }


def test_duplicate_releases_and_albums_never_straddle_folds(catalog: Engine) -> None:
    with catalog.connect() as conn:
        tracks = training_data.training_tracks(conn)
        duplicates = conn.execute(
            text("SELECT count(*) FROM tracks WHERE canonical_track_id IS NOT NULL")
        ).scalar_one()
        recordings = conn.execute(
            text("SELECT coalesce(canonical_track_id, id) AS recording, id FROM tracks")
        ).all()
    assert duplicates > 0  # the synthetic catalog re-releases ~10% of its tracks
    recording_of = dict((track, rec) for rec, track in recordings)
    groups = {a: a for a in tracks["artist"].unique()}
    data = build_dataset(tracks, groups, features=list(QUICK_REQUEST.features),
                         min_songs=20, folds=3)  # fmt: skip
    assert len(set(recording_of[t] for t in data.track_ids)) == len(data.track_ids)
    for train, test in album_folds(data.y, data.albums, 3, seed=0):
        assert not set(data.albums[train]) & set(data.albums[test])
        train_rec = {recording_of[t] for t in data.track_ids[train]}
        assert not train_rec & {recording_of[t] for t in data.track_ids[test]}


def test_learns_a_known_signal_and_shuffled_labels_fall_to_baseline(catalog: Engine) -> None:
    result = run_training(catalog, Settings(), QUICK_REQUEST)
    net, majority = result.metrics["network"], result.metrics["majority"]
    assert net["accuracy"]["mean"] > majority["accuracy"]["mean"] + 0.3
    assert result.activated and result.label_set == "per-artist"
    assert _counts(catalog)["grid_results"] == QUICK.size

    with catalog.connect() as conn:
        tracks = training_data.training_tracks(conn)
    groups = {a: a for a in tracks["artist"].unique()}
    data = build_dataset(tracks, groups, features=list(QUICK_REQUEST.features),
                         min_songs=20, folds=3)  # fmt: skip
    shuffled = replace(data, y=np.random.default_rng(0).permutation(data.y))
    from jobs.train import network

    noise = evaluate(network, QUICK, QUICK_REQUEST, shuffled, "balanced_accuracy").metrics
    chance = 1 / len(data.classes)
    assert noise["network"]["balanced_accuracy"]["mean"] < chance + 0.12

    # the stored artifact predicts without retraining; re-running replaces rows
    first = predict_beats(catalog)
    assert first.beats_scored == SMALL.beats
    assert first.rows_written == SMALL.beats * len(data.classes)
    assert predict_beats(catalog).rows_written == 0  # nothing lacks predictions
    again = predict_beats(catalog, all_beats=True)
    assert again.rows_written == first.rows_written
    assert _counts(catalog)["predictions"] == first.rows_written

    # a worse (or equal) model does not replace the active one unless forced
    with catalog.begin() as conn:
        record = _record_like(conn, result.model_id, score=0.0)
        kept = registry.register_model(conn, record, [], force=False)
        assert not kept.activated and kept.previous_active == result.model_id
        forced = registry.register_model(conn, record, [], force=True)
        assert forced.activated
        assert registry.active_model_ids(conn) == [forced.model_id]

    # a model whose artifact does not load is a clear error, nothing written
    with catalog.begin() as conn:
        conn.execute(text("UPDATE models SET artifact = 'not a model' WHERE id = :m"),
                     {"m": forced.model_id})  # fmt: skip
    before = _counts(catalog)
    with pytest.raises(UserError, match=f"model {forced.model_id}'s artifact does not load"):
        predict_beats(catalog, all_beats=True)
    assert _counts(catalog) == before


def _record_like(conn, model_id: int, score: float) -> registry.ModelRecord:
    model = registry.get_model(conn, model_id)
    metrics = {**model["metrics"], "network": {model["refit_metric"]: {"mean": score, "std": 0}}}
    return registry.ModelRecord(
        name="worse", kind=model["kind"], label_set_id=model["label_set_id"],
        params={}, metrics=metrics, refit_metric=model["refit_metric"],
        data_fingerprint=model["data_fingerprint"], library_versions={}, device="test",
        durations={}, artifact=b"",
    )  # fmt: skip


def test_fingerprint_matches_the_trained_data(catalog: Engine, tmp_path: Path) -> None:
    with catalog.connect() as conn:
        assert training_data.current_fingerprint(conn, "study-pairs") is None  # no such set
        tracks = training_data.training_tracks(conn)
        groups = {a: a for a in tracks["artist"].unique()}
        before = training_data.current_fingerprint(conn, "per-artist")
        assert before == training_data.fingerprint(tracks, groups, QUICK_REQUEST.features)
        assert training_data.active_fingerprint(conn, "per-artist") is None
    # A newly ingested artist is part of "per-artist" at once: the data changed.
    more = SyntheticSpec(artists=1, tracks=30, beats=1, seed=11)
    import_directory(catalog, write_synthetic_catalog(tmp_path / "more", more))
    with catalog.connect() as conn:
        assert training_data.current_fingerprint(conn, "per-artist") != before


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        (replace(QUICK_REQUEST, min_songs=10_000), "no training data"),
        (replace(QUICK_REQUEST, only=["Nobody"]), "--only names group"),
        (replace(QUICK_REQUEST, extra_features=["loudness_db"]), "unknown feature"),
        (replace(QUICK_REQUEST, label_set="missing"), "no label set named 'missing'"),
        (replace(QUICK_REQUEST, grid="binary"), "exactly two groups"),
    ],
)
def test_bad_requests_fail_clearly_and_write_nothing(
    catalog: Engine, request_: TrainingRequest, message: str
) -> None:
    with pytest.raises(UserError, match=message):
        run_training(catalog, Settings(), request_)
    assert _counts(catalog) == dict.fromkeys(_counts(catalog), 0)


def test_single_class_and_empty_database(catalog: Engine, engine: Engine, tmp_path: Path) -> None:
    with catalog.connect() as conn:
        artist = training_data.training_tracks(conn)["artist"].iloc[0]
    groups = tmp_path / "one.csv"
    groups.write_text(f"artist,group\n{artist},Solo\n")
    with pytest.raises(UserError, match="only one class"):
        run_training(catalog, Settings(), replace(QUICK_REQUEST, groups_file=str(groups)))
    with catalog.begin() as conn:
        conn.execute(text("TRUNCATE tracks CASCADE"))
    with pytest.raises(UserError, match="no training data"):
        run_training(catalog, Settings(), QUICK_REQUEST)
    assert _counts(catalog) == dict.fromkeys(_counts(catalog), 0)
