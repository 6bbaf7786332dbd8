"""The reporting views agree with the same computation done in pandas on the raw tables."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine, text

from db import reporting
from jobs.ingest.csv_import import import_directory
from jobs.ingest.synthetic import SyntheticSpec, write_synthetic_catalog
from reports.refresh import refresh_views

FEATURES = (
    "danceability", "energy", "key", "loudness", "mode", "speechiness", "acousticness",
    "instrumentalness", "liveness", "valence", "tempo", "duration_ms",
)  # fmt: skip
PREFERENCE = {"spotify": 0, "csv": 1, "reccobeats": 2}


def _frame(engine: Engine, sql: str) -> pd.DataFrame:
    with engine.connect() as conn:
        result = conn.execute(text(sql))
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def _view(engine: Engine, name: str) -> pd.DataFrame:
    with engine.connect() as conn:
        return reporting.read_view(conn, name)


def _reference_tracks(engine: Engine) -> pd.DataFrame:
    """Canonical tracks with their primary artist and one feature row, built in pandas."""
    tracks = _frame(engine, "SELECT id AS track_id, canonical_track_id, duration_ms FROM tracks")
    credits = _frame(engine, "SELECT track_id, artist_id FROM track_artists WHERE is_primary")
    features = _frame(engine, "SELECT * FROM audio_features")
    features["preference"] = features["source"].map(PREFERENCE)
    chosen = features.sort_values(["track_id", "preference"]).drop_duplicates("track_id")
    chosen = chosen.drop(columns=["id", "fetched_at", "preference"]).rename(
        columns={"duration_ms": "feature_duration_ms"}
    )
    canonical = tracks[tracks["canonical_track_id"].isna()]
    out = canonical.merge(credits, on="track_id", how="left").merge(
        chosen, on="track_id", how="left"
    )
    out["duration_ms"] = out["feature_duration_ms"].fillna(out["duration_ms"])
    return out.astype({f: "float64" for f in FEATURES})


def _long_correlations(frame: pd.DataFrame) -> pd.DataFrame:
    values = frame[list(FEATURES)].astype("float64")
    r = values.corr().stack().rename("r")
    present = values.notna().astype(int)
    n = (present.T @ present).stack().rename("n")
    out = pd.concat([r, n], axis=1)
    out.index.names = ["feature_y", "feature_x"]
    return out.reset_index()


def _assert_correlations_equal(view: pd.DataFrame, reference: pd.DataFrame) -> None:
    merged = view.astype({"r": "float64", "n": "int64"}).merge(
        reference, on=["feature_x", "feature_y"], suffixes=("_sql", "_pandas")
    )
    assert len(merged) == len(FEATURES) ** 2
    assert (merged["n_sql"] == merged["n_pandas"]).all()
    np.testing.assert_allclose(merged["r_sql"], merged["r_pandas"], rtol=1e-9, atol=1e-12)
    # NULL in SQL exactly where pandas has NaN (constant or absent feature)
    assert (merged["r_sql"].isna() == merged["r_pandas"].isna()).all()


@pytest.fixture
def seeded(engine: Engine, seed_dir: Path) -> Engine:
    import_directory(engine, seed_dir)
    refresh_views(engine)
    return engine


def test_minor_share_and_regression_match_pandas(seeded: Engine) -> None:
    tracks = _reference_tracks(seeded)
    artists = _frame(seeded, "SELECT id AS artist_id, name, rank FROM artists")
    grouped = tracks.groupby("artist_id").agg(
        canonical_tracks=("track_id", "count"),
        tracks_with_mode=("mode", "count"),
        minor_tracks=("mode", lambda m: int((m == 0).sum())),
    )
    expected = artists.merge(grouped, on="artist_id", how="left").fillna(0)
    expected["minor_share"] = expected["minor_tracks"] / expected["tracks_with_mode"]

    view = _view(seeded, "minor_share_by_artist").astype({"minor_share": "float64"})
    merged = view.merge(expected, on="artist_id", suffixes=("", "_pandas"))
    assert len(merged) == len(artists) == 24
    for column in ("canonical_tracks", "tracks_with_mode", "minor_tracks"):
        assert (merged[column].astype(int) == merged[f"{column}_pandas"].astype(int)).all()
    np.testing.assert_allclose(merged["minor_share"], merged["minor_share_pandas"], rtol=1e-12)

    slope, intercept = np.polyfit(expected["rank"], expected["minor_share"], 1)
    r = np.corrcoef(expected["rank"], expected["minor_share"])[0, 1]
    regression = _view(seeded, "minor_share_regression").iloc[0]
    assert regression["n"] == 24
    np.testing.assert_allclose(
        [regression["slope"], regression["intercept"], regression["r_squared"]],
        [slope, intercept, r**2],
        rtol=1e-9,
    )


def test_song_and_beat_correlations_and_comparison_match_pandas(seeded: Engine) -> None:
    songs = _long_correlations(_reference_tracks(seeded))
    beats = _long_correlations(_frame(seeded, "SELECT * FROM beats"))
    _assert_correlations_equal(_view(seeded, "song_correlations"), songs)
    _assert_correlations_equal(_view(seeded, "beat_correlations"), beats)

    comparison = _view(seeded, "correlation_comparison")
    expected = songs.merge(beats, on=["feature_x", "feature_y"], suffixes=("_songs", "_beats"))
    merged = comparison.merge(expected, on=["feature_x", "feature_y"])
    difference = merged["r_songs_y"] - merged["r_beats_y"]
    np.testing.assert_allclose(merged["difference"].astype("float64"), difference, atol=1e-12)
    defined = difference.notna()
    same = np.sign(merged["r_songs_y"]) == np.sign(merged["r_beats_y"])
    assert (merged.loc[defined, "same_sign"].astype(bool) == same[defined]).all()
    assert merged.loc[~defined, "same_sign"].isna().all()
    # the seed CSV has no speechiness: its correlations are NULL, not an error
    speech = comparison[comparison["feature_x"] == "speechiness"]
    assert speech["r_songs"].isna().all() and (speech["n_songs"] == 0).all()


def test_artist_feature_summary_matches_pandas(seeded: Engine) -> None:
    tracks = _reference_tracks(seeded)
    view = _view(seeded, "artist_feature_summary")
    for feature in ("energy", "tempo", "duration_ms"):
        values = tracks.groupby("artist_id")[feature]
        expected = pd.DataFrame(
            {
                "mean": values.mean(),
                "std": values.std(),
                "q1": values.quantile(0.25),
                "median": values.median(),
                "q3": values.quantile(0.75),
                "max": values.max(),
            }
        )
        got = view[view["feature"] == feature].set_index("artist_id")[list(expected.columns)]
        got = got.astype("float64").sort_index()
        np.testing.assert_allclose(got.to_numpy(), expected.sort_index().to_numpy(), rtol=1e-9)


def _small_catalog(engine: Engine, tmp_path: Path) -> None:
    spec = SyntheticSpec(artists=3, tracks=60, beats=4, tracks_per_album=6)
    import_directory(engine, write_synthetic_catalog(tmp_path / "catalog", spec))


def test_one_feature_provider_per_track_spotify_first(engine: Engine, tmp_path: Path) -> None:
    _small_catalog(engine, tmp_path)
    with engine.begin() as conn:
        # a spotify row (preferred) and a reccobeats row (never preferred over csv)
        conn.execute(
            text(
                "INSERT INTO audio_features (track_id, source, mode, tempo) "
                "SELECT track_id, s.source, 1 - mode, 299 FROM audio_features af "
                "CROSS JOIN (VALUES ('spotify'), ('reccobeats')) s(source) "
                "WHERE af.source = 'csv' AND track_id % 2 = 0"
            )
        )
    refresh_views(engine)
    view = _view(engine, "tracks")
    canonical = _frame(engine, "SELECT id FROM tracks WHERE canonical_track_id IS NULL")
    assert sorted(view["track_id"]) == sorted(canonical["id"])  # nobody counted twice
    even = view["track_id"].astype("int64") % 2 == 0
    assert (view.loc[even, "feature_source"] == "spotify").all()
    assert (view.loc[even, "tempo"] == 299).all()
    assert (view.loc[~even, "feature_source"] == "csv").all()
    shares = _view(engine, "minor_share_by_artist")
    assert shares["canonical_tracks"].sum() == len(canonical)


def test_too_few_rows_or_constant_feature_give_null(engine: Engine) -> None:
    def beat_r() -> pd.DataFrame:
        return _view(engine, "beat_correlations").set_index(["feature_x", "feature_y"])

    assert beat_r()["r"].isna().all()  # no beats at all
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO beats (name, source, energy, tempo, valence) VALUES "
                "('one', 'csv', 0.5, 120, 0.1)"
            )
        )
    assert beat_r()["r"].isna().all()  # one beat: no correlation
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO beats (name, source, energy, tempo, valence) VALUES "
                "('two', 'csv', 0.7, 120, 0.4), ('three', 'csv', 0.9, 120, 0.2)"
            )
        )
    r = beat_r()["r"]
    assert pd.isna(r[("energy", "tempo")])  # tempo is constant
    assert r[("energy", "energy")] == pytest.approx(1.0)
    assert r[("energy", "valence")] == pytest.approx(
        np.corrcoef([0.5, 0.7, 0.9], [0.1, 0.4, 0.2])[0, 1]
    )


METRICS = {
    "network": {
        "accuracy": {"mean": 0.61, "std": 0.05},
        "balanced_accuracy": {"mean": 0.55, "std": 0.04},
        "top3_accuracy": {"mean": 0.9, "std": 0.02},
        "log_loss": {"mean": 1.1, "std": 0.1},
    },
    "majority": {"accuracy": {"mean": 0.4, "std": 0.0}, "log_loss": {"mean": 2.0, "std": 0.0}},
    "logistic_regression": {"accuracy": {"mean": 0.5, "std": 0.03}},
    "gradient_boosting": {"accuracy": {"mean": 0.58, "std": 0.06}},
    "folds": 5,
}


def _insert_model(conn, label_set_id: int, name: str, active: bool) -> int:
    return conn.execute(
        text(
            "INSERT INTO models (name, kind, label_set_id, params, metrics, refit_metric, "
            "data_fingerprint, library_versions, device, durations, artifact, is_active) "
            "VALUES (:name, 'keras_mlp', :ls, '{}', :metrics, 'balanced_accuracy', 'fp', '{}', "
            "'cpu', '{}', '\\x00', :active) RETURNING id"
        ),
        {"name": name, "ls": label_set_id, "metrics": json.dumps(METRICS), "active": active},
    ).scalar_one()


def test_leaderboard_and_beat_predictions(engine: Engine) -> None:
    with engine.begin() as conn:
        ls = conn.execute(
            text("INSERT INTO label_sets (name) VALUES ('study-pairs') RETURNING id")
        ).scalar_one()
        old = _insert_model(conn, ls, "old", active=False)
        new = _insert_model(conn, ls, "new", active=True)
        beat = conn.execute(
            text("INSERT INTO beats (name, source) VALUES ('Night Drive', 'csv') RETURNING id")
        ).scalar_one()
        groups = ["NAV x Lil Uzi Vert", "Drake", "Future", "Tyga"]
        for model, order in ((new, groups), (old, list(reversed(groups)))):
            for rank, group in enumerate(order, start=1):
                conn.execute(
                    text(
                        "INSERT INTO predictions (beat_id, model_id, group_label, probability, "
                        "rank) VALUES (:b, :m, :g, :p, :r)"
                    ),
                    {"b": beat, "m": model, "g": group, "p": 0.5 / rank, "r": rank},
                )

    predictions = _view(engine, "beat_predictions")
    assert list(predictions["model_id"].unique()) == [new]  # only the active model
    assert list(predictions["rank"]) == [1, 2, 3]  # top 3
    assert list(predictions["group_label"]) == groups[:3]
    assert set(predictions["title"]) == {"NAV x Lil Uzi Vert Type Beat"}
    assert set(predictions["label_set"]) == {"study-pairs"}

    board = _view(engine, "model_leaderboard")
    assert set(board["model_id"]) == {old, new}
    assert set(board["metric"]) == set(METRICS["network"])
    row = board[(board["model_id"] == new) & (board["metric"] == "accuracy")].iloc[0]
    assert (row["network_mean"], row["network_std"]) == (0.61, 0.05)
    assert (row["majority_mean"], row["logistic_regression_mean"]) == (0.4, 0.5)
    assert (row["gradient_boosting_mean"], row["gradient_boosting_std"]) == (0.58, 0.06)
    assert row["folds"] == 5 and row["is_active"] and not row["is_refit_metric"]
    top3 = board[(board["model_id"] == new) & (board["metric"] == "top3_accuracy")].iloc[0]
    assert pd.isna(top3["majority_mean"])  # absent in the JSON: NULL, not an error
    refit = board[(board["model_id"] == new) & board["is_refit_metric"]]
    assert list(refit["metric"]) == ["balanced_accuracy"]
    assert "artifact" not in board.columns


def test_every_view_is_listed_and_materialized_ones_refresh(engine: Engine) -> None:
    with engine.connect() as conn:
        views = reporting.list_views(conn)
    assert set(views) == set(reporting.VIEWS)
    assert {v for v, materialized in views.items() if materialized} == set(
        reporting.MATERIALIZED_VIEWS
    )
    assert set(refresh_views(engine)) == set(reporting.MATERIALIZED_VIEWS)
