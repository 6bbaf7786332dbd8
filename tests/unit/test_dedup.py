"""Duplicate-release detection on hand-made candidates (no database)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from db.catalog import DEDUP_FEATURES
from jobs.ingest.dedup import assign_canonical


def _candidates(rows: list[dict]) -> pd.DataFrame:
    base = {name: np.nan for name in DEDUP_FEATURES}
    return pd.DataFrame([{**base, "artist_id": 1, "normalized_title": "song", **r} for r in rows])


def _marks(rows: list[dict]) -> dict[int, int | None]:
    result = assign_canonical(_candidates(rows))
    return {
        int(t): (None if pd.isna(c) else int(c))
        for t, c in zip(result["track_id"], result["canonical_track_id"], strict=True)
    }


FEATS = {"danceability": 0.5, "energy": 0.7, "key": 5, "tempo": 120.0}


def test_identical_features_are_one_recording_even_with_other_durations() -> None:
    marks = _marks(
        [
            {"id": 10, "duration_ms": 200_000, **FEATS},
            {"id": 11, "duration_ms": 230_000, **FEATS},
        ]
    )
    assert marks == {10: None, 11: 10}


def test_close_durations_are_one_recording() -> None:
    marks = _marks(
        [
            {"id": 1, "duration_ms": 200_000, **FEATS},
            {"id": 2, "duration_ms": 201_500, **FEATS, "energy": 0.71},
        ]
    )
    assert marks == {1: None, 2: 1}


def test_same_title_with_different_sound_and_length_stays_distinct() -> None:
    marks = _marks(
        [
            {"id": 1, "duration_ms": 60_000, **FEATS},
            {"id": 2, "duration_ms": 180_000, **FEATS, "energy": 0.2},
        ]
    )
    assert marks == {1: None, 2: None}


def test_other_artist_or_title_never_matches() -> None:
    rows = [
        {"id": 1, "duration_ms": 200_000, **FEATS},
        {"id": 2, "duration_ms": 200_000, **FEATS, "artist_id": 2},
        {"id": 3, "duration_ms": 200_000, **FEATS, "normalized_title": "other"},
    ]
    assert _marks(rows) == {1: None, 2: None, 3: None}


def test_duplicates_point_at_the_oldest_row_without_chains() -> None:
    rows = [
        {"id": 7, "duration_ms": 200_000, **FEATS},
        {"id": 3, "duration_ms": 201_500, **FEATS, "energy": 0.1},
        {"id": 9, "duration_ms": 198_500, **FEATS, "energy": 0.9},
    ]
    # 3 is oldest; 7 is 1.5 s from it; 9 is 1.5 s from 7 but 3 s from 3: it is
    # compared with canonical rows only, so it starts a recording of its own.
    assert _marks(rows) == {3: None, 7: 3, 9: None}


def test_adding_rows_never_changes_earlier_decisions() -> None:
    rows = [
        {"id": 1, "duration_ms": 200_000, **FEATS},
        {"id": 2, "duration_ms": 260_000, **FEATS, "energy": 0.1},
        {"id": 3, "duration_ms": 200_500, **FEATS, "energy": 0.3},
    ]
    before = _marks(rows[:2])
    after = _marks(rows)
    assert {k: after[k] for k in before} == before
    assert after[3] == 1


def test_unknown_features_only_match_on_duration() -> None:
    marks = _marks([{"id": 1, "duration_ms": 100_000}, {"id": 2, "duration_ms": 150_000}])
    assert marks == {1: None, 2: None}
