"""Helpers for ingest tests: a simulator on loopback and a snapshot of the catalog tables."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, text

from beatclassifier.settings import Settings
from jobs.ingest.synthetic import SyntheticSpec, write_synthetic_catalog
from simulators.catalog import load_catalog
from simulators.server import Faults, SimulatorServer, serve

CLIENT_ID, CLIENT_SECRET = "test-client", "s3cr3t-never-logged"


@contextmanager
def simulator(
    directory: Path, mode: str = "extended", faults: Faults | None = None
) -> Iterator[SimulatorServer]:
    server = serve(
        load_catalog(directory), mode=mode, faults=faults, credentials=(CLIENT_ID, CLIENT_SECRET)
    )
    try:
        yield server
    finally:
        server.stop()


def settings_for(server: SimulatorServer, **overrides) -> Settings:
    """Settings pointing at ``server``, with short waits so fault tests stay fast."""
    values = {
        "spotify_client_id": CLIENT_ID,
        "spotify_client_secret": CLIENT_SECRET,
        "http_backoff_s": 0.005,
        "rate_limit_max_wait_s": 2,
        "http_max_retries": 8,
        **server.urls,
        **overrides,
    }
    return Settings(**values)


def env_for(server: SimulatorServer) -> dict[str, str]:
    """Environment for a subprocess ingest against ``server``."""
    return {
        "SPOTIPY_CLIENT_ID": CLIENT_ID,
        "SPOTIPY_CLIENT_SECRET": CLIENT_SECRET,
        "BEATCLASSIFIER_SPOTIFY_API_URL": server.urls["spotify_api_url"],
        "BEATCLASSIFIER_SPOTIFY_TOKEN_URL": server.urls["spotify_token_url"],
        "BEATCLASSIFIER_RECCOBEATS_URL": server.urls["reccobeats_url"],
        "BEATCLASSIFIER_HTTP_BACKOFF_S": "0.005",
        "BEATCLASSIFIER_RATE_LIMIT_MAX_WAIT_S": "2",
    }


def small_catalog(directory: Path, artists: int = 4, tracks: int = 120) -> Path:
    """A synthetic seed-format catalog small enough for sub-second ingests."""
    return write_synthetic_catalog(directory, SyntheticSpec(artists=artists, tracks=tracks))


SNAPSHOT_QUERIES = {
    "artists": "SELECT spotify_id, name, rank FROM artists ORDER BY spotify_id",
    "albums": "SELECT spotify_id FROM albums ORDER BY spotify_id",
    "tracks": """SELECT t.spotify_id, t.title, t.normalized_title, al.spotify_id AS album,
                        t.duration_ms
                 FROM tracks t JOIN albums al ON al.id = t.album_id ORDER BY t.spotify_id""",
    "credits": """SELECT t.spotify_id AS track, a.spotify_id AS artist, ta.is_primary
                  FROM track_artists ta JOIN tracks t ON t.id = ta.track_id
                  JOIN artists a ON a.id = ta.artist_id ORDER BY 1, 2""",
    "features": """SELECT t.spotify_id, f.danceability, f.energy, f.key, f.loudness, f.mode,
                          f.speechiness, f.acousticness, f.instrumentalness, f.liveness,
                          f.valence, f.tempo, f.time_signature, f.duration_ms
                   FROM audio_features f JOIN tracks t ON t.id = f.track_id
                   ORDER BY t.spotify_id""",
    "sources": "SELECT source, count(*) AS n FROM audio_features GROUP BY source ORDER BY 1",
    # Releases of one recording, as sets: which row is canonical depends on insert order.
    "duplicate_groups": """SELECT string_agg(t.spotify_id, ',' ORDER BY t.spotify_id) AS members
                           FROM tracks t LEFT JOIN tracks c ON c.id = t.canonical_track_id
                           GROUP BY coalesce(c.spotify_id, t.spotify_id)
                           HAVING count(*) > 1 ORDER BY 1""",
}


def snapshot(engine: Engine) -> dict[str, pd.DataFrame]:
    with engine.connect() as conn:
        return {
            name: pd.DataFrame(conn.execute(text(sql)).mappings().all())
            for name, sql in SNAPSHOT_QUERIES.items()
        }


def assert_same(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame], *skip: str) -> None:
    for name in SNAPSHOT_QUERIES:
        if name not in skip:
            pd.testing.assert_frame_equal(
                a[name].reset_index(drop=True), b[name].reset_index(drop=True), obj=name
            )
