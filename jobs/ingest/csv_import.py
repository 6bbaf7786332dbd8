"""``ingest csv``: load a seed-format directory in one transaction."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine

from db import catalog
from jobs.ingest.dedup import mark_duplicates
from jobs.ingest.seed_csv import SeedCatalog, read_seed_directory
from jobs.ingest.titles import normalize_title

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CsvImportResult:
    directory: Path
    rows_read: int
    beats_read: int
    written: catalog.Written
    duplicates: int  # releases marked duplicate among the imported artists' tracks
    marks_changed: int

    @property
    def changed(self) -> bool:
        w = self.written
        counts = (w.artists, w.albums, w.tracks, w.credits, w.features, w.beats)
        return any(counts) or self.marks_changed > 0

    def summary(self) -> str:
        w = self.written
        lines = [
            f"read {self.rows_read} song rows and {self.beats_read} beats from {self.directory}",
            f"stored: {w.artists} new artists, {w.albums} new albums, {w.tracks} new tracks, "
            f"{w.features} new feature rows, {w.beats} new beats",
            f"duplicate releases collapsed: {self.duplicates} "
            f"({self.marks_changed} marked by this run)",
        ]
        if not self.changed:
            lines.append("nothing changed: everything in this directory was already stored")
        return "\n".join(lines)


def import_directory(engine: Engine, directory: Path) -> CsvImportResult:
    """Validate everything first, then write it all in one transaction."""
    seed = read_seed_directory(directory)
    tracks, features = _catalog_frames(seed)
    with engine.begin() as conn:
        catalog.create_stage_tables(conn)
        catalog.stage_artists(conn, seed.artists)
        catalog.stage_tracks(conn, tracks)
        catalog.stage_features(conn, features)
        if seed.beats is not None:
            catalog.stage_beats(conn, seed.beats.assign(source="csv"))
        written = catalog.write_staged(conn, feature_source="csv")
        dedup = mark_duplicates(conn, catalog.staged_artist_ids(conn))
    result = CsvImportResult(
        directory=directory,
        rows_read=len(seed.songs),
        beats_read=0 if seed.beats is None else len(seed.beats),
        written=written,
        duplicates=dedup.duplicates,
        marks_changed=dedup.changed,
    )
    log.debug("csv import of %s: %s", directory, written)
    return result


def _catalog_frames(seed: SeedCatalog) -> tuple[pd.DataFrame, pd.DataFrame]:
    songs = seed.songs
    titles = songs["title"]
    unique = titles.drop_duplicates()
    normalized = titles.map(dict(zip(unique, unique.map(normalize_title), strict=True)))
    tracks = songs[
        ["track_spotify_id", "title", "album_spotify_id", "album_name", "artist_spotify_id"]
    ].assign(
        normalized_title=normalized,
        # The seed lists each artist's discography: that artist is the primary credit,
        # unless the same track was already listed (a collaboration) under another.
        is_primary=~songs["track_spotify_id"].duplicated(),
        duration_ms=songs["duration_ms"],
        line=songs.index + 2,
    )
    features = songs.drop(columns=["artist_spotify_id", "album_spotify_id", "album_name", "title"])
    return tracks, features
