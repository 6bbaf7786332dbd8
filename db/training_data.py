"""What training reads: canonical tracks with features, and label sets of artists.

Duplicate releases are excluded here (``canonical_track_id IS NULL``), so one
recording is one row and cross-validation cannot see it on both sides of a split.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Connection

from db.features import STUDY_FEATURES
from db.queries import query

PER_ARTIST = "per-artist"  # the label set with one class per artist


@dataclass(frozen=True)
class LabelSet:
    id: int
    name: str
    min_songs: int
    groups: dict[str, str]  # artist name -> group label


def training_tracks(conn: Connection) -> pd.DataFrame:
    """Canonical tracks with their primary artist, album and preferred feature row.

    ``major``/``minor`` are the study's one-hot encoding of ``mode``.
    """
    result = conn.execute(query("training", "training_tracks"))
    frame = pd.DataFrame(result.fetchall(), columns=list(result.keys()))
    return add_mode_columns(frame)


def add_mode_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """``major``/``minor`` from ``mode`` (NULL mode stays NULL in both)."""
    mode = pd.to_numeric(frame["mode"], errors="coerce") if len(frame) else frame["mode"]
    return frame.assign(major=mode.eq(1).astype(float).where(mode.notna()),
                        minor=mode.eq(0).astype(float).where(mode.notna()))  # fmt: skip


def artist_ids_by_name(conn: Connection, names: Sequence[str]) -> dict[str, int]:
    """Stored artists among ``names`` (case-insensitive), keyed by lower-cased name."""
    rows = conn.execute(
        query("training", "artists_by_name"), {"names": [n.lower() for n in names]}
    ).all()
    return {name.lower(): artist_id for artist_id, name in rows}


def all_artists(conn: Connection) -> list[tuple[int, str]]:
    return [tuple(row) for row in conn.execute(query("training", "all_artists")).all()]


def save_label_set(conn: Connection, name: str, min_songs: int, groups: Mapping[int, str]) -> int:
    """Create or replace label set ``name`` with ``artist_id -> group`` rows; returns its id."""
    label_set_id = conn.execute(
        query("training", "upsert_label_set"), {"name": name, "min_songs": min_songs}
    ).scalar_one()
    conn.execute(query("training", "clear_label_groups"), {"label_set_id": label_set_id})
    if groups:
        conn.execute(
            query("training", "insert_label_group"),
            [
                {"label_set_id": label_set_id, "artist_id": a, "group_label": g}
                for a, g in groups.items()
            ],
        )
    return int(label_set_id)


def load_label_set(conn: Connection, name: str) -> LabelSet | None:
    row = conn.execute(query("training", "label_set_by_name"), {"name": name}).one_or_none()
    if row is None:
        return None
    groups = conn.execute(query("training", "label_groups"), {"label_set_id": row.id}).all()
    return LabelSet(row.id, row.name, row.min_songs, {g.artist: g.group_label for g in groups})


def fingerprint(tracks: pd.DataFrame, groups: Mapping[str, str], features: Sequence[str]) -> str:
    """A hash of what a model learns from: track ids, feature sources, labels, inputs."""
    digest = hashlib.sha256()
    digest.update(",".join(features).encode())
    for artist, group in sorted(groups.items()):
        digest.update(f"\n{artist}\t{group}".encode())
    ordered = tracks.sort_values("track_id")
    for track_id, source in zip(ordered["track_id"], ordered["feature_source"], strict=True):
        digest.update(f"\n{track_id}:{source}".encode())
    return digest.hexdigest()


def current_fingerprint(
    conn: Connection, label_set: str, features: Sequence[str] = STUDY_FEATURES
) -> str | None:
    """The fingerprint a training run on ``label_set`` would store now (None: no such set).

    ``per-artist`` always means every artist stored now, as a training run reads it, so
    a newly ingested artist changes it. Compare with ``active_fingerprint`` to train
    only when the data changed.
    """
    if label_set == PER_ARTIST:
        groups = {name: name for _, name in all_artists(conn)}
    else:
        stored = load_label_set(conn, label_set)
        if stored is None:
            return None
        groups = stored.groups
    tracks = training_tracks(conn)
    return fingerprint(tracks[tracks["artist"].isin(groups)], groups, features)


def active_fingerprint(conn: Connection, label_set: str) -> str | None:
    """The data fingerprint of the label set's active model, if any."""
    return conn.execute(
        query("training", "active_fingerprint"), {"label_set": label_set}
    ).scalar_one_or_none()
