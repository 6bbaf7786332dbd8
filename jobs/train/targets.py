"""Targets: which group each canonical track's artist belongs to, and what is dropped.

Everything here is validated before anything is written: unknown artists in a
label file, too few songs, a single class, no data.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from beatclassifier.errors import InputError, UserError


@dataclass(frozen=True)
class GroupsFile:
    groups: dict[str, str]  # artist name as stored -> group
    skipped: list[str] = field(default_factory=list)  # names not in the database


@dataclass(frozen=True)
class Dataset:
    X: pd.DataFrame
    y: np.ndarray
    albums: np.ndarray
    track_ids: np.ndarray
    classes: list[str]
    report: list[str]  # human-readable notes: what was dropped and why


def read_groups_file(path: Path, stored: dict[str, str], *, skip_unknown: bool) -> GroupsFile:
    """Read ``artist,group`` rows; ``stored`` maps lower-cased name -> stored name.

    Artists not in the database are an error listing them all, or, with
    ``skip_unknown``, dropped with a warning.
    """
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
    except OSError as exc:
        raise InputError(f"cannot read the label file: {exc.strerror}", file=str(path)) from None
    if not rows or [c.strip().lower() for c in rows[0][:2]] != ["artist", "group"]:
        raise InputError('the header must be "artist,group"', file=str(path), line=1)
    groups: dict[str, str] = {}
    unknown: list[str] = []
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < 2 or not row[0].strip() or not row[1].strip():
            raise InputError("expected an artist and a group", file=str(path), line=line)
        artist, group = row[0].strip(), row[1].strip()
        name = stored.get(artist.lower())
        if name is None:
            unknown.append(artist)
        elif groups.setdefault(name, group) != group:
            raise InputError(
                f"artist {artist!r} is in two groups ({groups[name]!r}, {group!r})",
                file=str(path),
                line=line,
            )
    if unknown and not skip_unknown:
        raise InputError(
            f"{len(unknown)} artist(s) not in the database: {', '.join(unknown)} "
            "(ingest them first, or pass --skip-unknown-artists to leave them out)",
            file=str(path),
        )
    if not groups:
        raise InputError("no artist in the label file is in the database", file=str(path))
    return GroupsFile(groups, unknown)


def build_dataset(
    tracks: pd.DataFrame,
    groups: dict[str, str],
    *,
    features: list[str],
    min_songs: int,
    folds: int,
    only: list[str] | None = None,
) -> Dataset:
    """Rows of labelled artists with enough canonical tracks, in groups the folds can hold."""
    report: list[str] = []
    if only:
        missing = sorted(set(only) - set(groups.values()))
        if missing:
            raise UserError(f"--only names group(s) not in the label set: {', '.join(missing)}")
        groups = {a: g for a, g in groups.items() if g in only}
    rows = tracks[tracks["artist"].isin(groups)]
    counts = rows.groupby("artist").size()
    for artist in sorted(groups):
        n = int(counts.get(artist, 0))
        if n < min_songs:
            report.append(
                f"dropped artist {artist}: {n} canonical tracks < --min-songs {min_songs}"
            )
    keep = counts[counts >= min_songs].index
    rows = rows[rows["artist"].isin(keep)]
    incomplete = rows[features].isna().any(axis=1)
    if incomplete.any():
        report.append(f"left out {int(incomplete.sum())} tracks with missing features")
        rows = rows[~incomplete]
    labels = rows["artist"].map(groups)
    albums_per_group = rows.groupby(labels)["album_id"].nunique()
    for group, n_albums in albums_per_group.items():
        if n_albums < folds:
            report.append(f"dropped group {group}: {n_albums} albums, fewer than {folds} folds")
    kept_groups = albums_per_group[albums_per_group >= folds].index
    rows, labels = rows[labels.isin(kept_groups)], labels[labels.isin(kept_groups)]
    if rows.empty:
        raise UserError(
            "no training data: no labelled artist has enough canonical tracks with features "
            f"(--min-songs {min_songs}, {folds} folds)" + _notes(report)
        )
    classes = sorted(labels.unique())
    if len(classes) < 2:
        raise UserError(
            f"only one class ({classes[0]}) has enough data; a classifier needs two"
            + _notes(report)
        )
    return Dataset(
        X=rows[features].astype("float32").reset_index(drop=True),
        y=labels.to_numpy(dtype=object),
        albums=rows["album_id"].to_numpy(),
        track_ids=rows["track_id"].to_numpy(),
        classes=classes,
        report=report,
    )


def _notes(report: list[str]) -> str:
    return "".join(f"\n  {line}" for line in report)
