"""Mark duplicate releases of one recording, for every ingest path.

Two tracks are releases of the same recording when they have the same primary
artist and normalized title, and either the same features or durations within
``DURATION_TOLERANCE_MS``. Within such a set the oldest row (lowest id) stays
canonical; the others point at it. Tracks are visited in id order and only ever
compared with earlier canonicals, so adding rows never changes an earlier
decision: re-running is stable.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import Connection

from db import catalog

DURATION_TOLERANCE_MS = 2_000
FEATURE_DECIMALS = 3


def assign_canonical(candidates: pd.DataFrame) -> pd.DataFrame:
    """``track_id``, ``canonical_track_id`` (NA when canonical) for candidate rows.

    ``candidates`` holds id, artist_id, normalized_title, duration_ms and the
    ``catalog.DEDUP_FEATURES`` columns (NaN where unknown).
    """
    if candidates.empty:
        return pd.DataFrame({"track_id": [], "canonical_track_id": []})
    frame = candidates.sort_values(["artist_id", "normalized_title", "id"])
    feats = frame[list(catalog.DEDUP_FEATURES)].astype("float64").round(FEATURE_DECIMALS)
    has_features = feats.notna().any(axis=1).to_numpy()
    # NaN never equals NaN; a sentinel lets "unknown" match "unknown" between rows.
    vectors = feats.fillna(-1e9).to_numpy()
    ids = frame["id"].to_numpy()
    durations = frame["duration_ms"].astype("float64").to_numpy()
    canonical = np.full(len(frame), -1, dtype=np.int64)
    keys = (frame["artist_id"].astype(str) + "\x00" + frame["normalized_title"]).to_numpy()
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    ends = np.r_[starts[1:], len(frame)]
    for start, end in zip(starts, ends, strict=True):
        heads: list[int] = []  # positions of canonical rows in this title group
        for pos in range(start, end):
            for head in heads:
                if _same_recording(pos, head, vectors, has_features, durations):
                    canonical[pos] = ids[head]
                    break
            else:
                heads.append(pos)
    result = pd.DataFrame({"track_id": ids, "canonical_track_id": canonical})
    result["canonical_track_id"] = (
        result["canonical_track_id"].where(result["canonical_track_id"] >= 0).astype("Int64")
    )
    return result


def _same_recording(
    a: int, b: int, vectors: np.ndarray, has_features: np.ndarray, durations: np.ndarray
) -> bool:
    if has_features[a] and has_features[b] and np.array_equal(vectors[a], vectors[b]):
        return True
    gap = abs(durations[a] - durations[b])
    return bool(gap <= DURATION_TOLERANCE_MS)  # NaN duration compares False


@dataclass(frozen=True)
class DedupResult:
    duplicates: int  # releases of these artists that point at a canonical recording
    changed: int  # marks this run set or moved


def mark_duplicates(conn: Connection, artist_ids: Sequence[int]) -> DedupResult:
    """Recompute duplicate marks for these primary artists and store what changed."""
    if not artist_ids:
        return DedupResult(0, 0)
    candidates = catalog.dedup_candidates(conn, artist_ids)
    assignments = assign_canonical(candidates)
    if assignments.empty:
        return DedupResult(0, 0)
    proposed = assignments.set_index("track_id")["canonical_track_id"]
    current = candidates.set_index("id")["canonical_track_id"].astype("Int64")
    # Track ids are positive, so 0 stands for "canonical" when comparing.
    differs = current.reindex(proposed.index).fillna(0) != proposed.fillna(0)
    changed = assignments[differs.to_numpy()]
    if not changed.empty:
        catalog.set_canonical(conn, changed)
    return DedupResult(duplicates=int(proposed.notna().sum()), changed=len(changed))
