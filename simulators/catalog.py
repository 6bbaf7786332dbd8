"""The catalog a simulator serves, derived from a seed-format CSV directory.

The seed CSVs hold no album types, release dates, track numbers, ISRCs or
collaborator lists, yet the simulated APIs must answer with complete objects.
Everything missing is derived deterministically from the ids and the file order,
so two simulators over one directory answer identically.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from jobs.ingest.seed_csv import read_seed_directory

# Feature columns the seed format holds; the rest of Spotify's features are served as null.
SEED_FEATURES = (
    "danceability", "energy", "key", "loudness", "mode", "acousticness", "liveness",
    "valence", "tempo",
)  # fmt: skip
RECCOBEATS_MISSING_PERCENT = 15


def stable_hash(*parts: str) -> int:
    return int.from_bytes(hashlib.sha256("\x00".join(parts).encode()).digest()[:8], "big")


@dataclass(frozen=True)
class SimTrack:
    id: str
    name: str
    album_id: str
    artist_ids: tuple[str, ...]
    track_number: int
    duration_ms: int
    features: dict[str, float | int]

    @property
    def isrc(self) -> str:
        return f"QZSIM{stable_hash('isrc', self.id) % 10**7:07d}"

    @property
    def reccobeats_id(self) -> str:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"reccobeats:track:{self.id}"))

    @property
    def in_reccobeats(self) -> bool:
        """ReccoBeats' partial coverage: a fixed ~15% of tracks are unknown to it."""
        return stable_hash("reccobeats", self.id) % 100 >= RECCOBEATS_MISSING_PERCENT


@dataclass(frozen=True)
class SimAlbum:
    id: str
    name: str
    artist_ids: tuple[str, ...]
    track_ids: tuple[str, ...]

    @property
    def release_date(self) -> str:
        days = stable_hash("release", self.id) % (15 * 365)
        return (dt.date(2008, 1, 1) + dt.timedelta(days=days)).isoformat()


@dataclass
class SimCatalog:
    artists: dict[str, str]  # id -> name, in file order
    albums: dict[str, SimAlbum]
    tracks: dict[str, SimTrack]
    # artist id -> [(album id, album_group)], in Spotify's listing order
    artist_albums: dict[str, list[tuple[str, str]]] = field(default_factory=dict)


def load_catalog(directory: Path) -> SimCatalog:
    """Read (and validate) a seed-format directory into the objects the APIs serve."""
    seed = read_seed_directory(directory)
    songs = seed.songs
    artists = dict(zip(seed.artists["spotify_id"], seed.artists["name"], strict=True))
    track_artists = songs.groupby("track_spotify_id", sort=False)["artist_spotify_id"].agg(
        lambda s: tuple(dict.fromkeys(s))
    )
    first = songs.drop_duplicates("track_spotify_id")
    tracks: dict[str, SimTrack] = {}
    albums: dict[str, SimAlbum] = {}
    for album_id, rows in first.groupby("album_spotify_id", sort=False):
        album_artist = rows["artist_spotify_id"].iloc[0]
        ids = tuple(rows["track_spotify_id"])
        albums[album_id] = SimAlbum(album_id, rows["album_name"].iloc[0], (album_artist,), ids)
        for number, row in enumerate(rows.itertuples(index=False), start=1):
            tracks[row.track_spotify_id] = SimTrack(
                id=row.track_spotify_id,
                name=row.title,
                album_id=album_id,
                artist_ids=track_artists[row.track_spotify_id],
                track_number=number,
                duration_ms=int(row.duration_ms),
                features={name: _json_number(name, getattr(row, name)) for name in SEED_FEATURES},
            )
    catalog = SimCatalog(artists, albums, tracks)
    catalog.artist_albums = _listings(catalog)
    return catalog


def _json_number(name: str, value: object) -> float | int:
    return int(value) if name in ("key", "mode") else float(value)


def _listings(catalog: SimCatalog) -> dict[str, list[tuple[str, str]]]:
    """Each artist's albums: own albums first, then appears_on; newest first within a group."""
    groups: dict[str, dict[str, str]] = {a: {} for a in catalog.artists}
    for album in catalog.albums.values():
        for artist in album.artist_ids:
            groups.setdefault(artist, {})[album.id] = "album"
        for track_id in album.track_ids:
            for artist in catalog.tracks[track_id].artist_ids:
                groups.setdefault(artist, {}).setdefault(album.id, "appears_on")
    order = {"album": 0, "single": 1, "compilation": 2, "appears_on": 3}
    return {
        artist: sorted(
            listing.items(),
            key=lambda item: (
                order[item[1]],
                _negated(catalog.albums[item[0]].release_date),
                item[0],
            ),
        )
        for artist, listing in groups.items()
    }


def _negated(date: str) -> int:
    return -dt.date.fromisoformat(date).toordinal()


def feature_frame(catalog: SimCatalog) -> pd.DataFrame:
    """One row per track: id and the seed features (for tests and benchmarks)."""
    return pd.DataFrame([{"track_spotify_id": t.id, **t.features} for t in catalog.tracks.values()])
