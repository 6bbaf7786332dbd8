"""``ingest spotify``: artists' discographies and audio features through the Web API.

The database is the work queue. For each artist (in file order) the album listing
is read (one request when nothing changed) and stored; albums whose tracks are not
stored yet are fetched in the largest batches the API mode allows, gathered across
artists, and committed batch by batch with their tracks, credits and
``tracks_fetched_at``; tracks without features go through the provider chain in the
first provider's batch size. A killed run therefore resumes where it stopped, and
albums and track lists are never fetched twice.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import pandas as pd
from sqlalchemy import Engine

from beatclassifier.console import Progress
from beatclassifier.errors import InputError
from beatclassifier.settings import Settings
from db import catalog, ingest_state
from jobs.ingest.dedup import mark_duplicates
from jobs.ingest.features import (
    ChainResult,
    FeatureChain,
    ReccoBeats,
    build_chain,
    features_frame,
)
from jobs.ingest.seed_csv import read_artists
from jobs.ingest.spotify_api import SpotifyApi
from jobs.ingest.titles import normalize_title
from jobs.ingest.web import RateLimited, RequestLog

log = logging.getLogger(__name__)

DEFAULT_GROUPS = ("album", "single")


@dataclass
class IngestResult:
    """What one run did; ``as_dict()`` is what job ledgers and schedulers store."""

    artists: int = 0
    albums_new: int = 0
    albums_total: int = 0
    tracks_new: int = 0
    tracks_total: int = 0
    features_new: Counter = field(default_factory=Counter)
    features_total: dict[str, int] = field(default_factory=dict)
    features_missing: int = 0
    requests: Counter = field(default_factory=Counter)
    retries: int = 0
    mode: str = ""
    seconds: float = 0.0
    stopped: str | None = None  # set when a long rate limit ended the run early

    def as_dict(self) -> dict[str, Any]:
        return {
            "artists": self.artists,
            "albums_new": self.albums_new,
            "albums_total": self.albums_total,
            "tracks_new": self.tracks_new,
            "tracks_total": self.tracks_total,
            "features_new": dict(self.features_new),
            "features_total": self.features_total,
            "features_missing": self.features_missing,
            "requests": dict(self.requests),
            "requests_total": sum(self.requests.values()),
            "retries": self.retries,
            "mode": self.mode,
            "seconds": round(self.seconds, 3),
            "stopped": self.stopped,
        }

    @property
    def changed(self) -> bool:
        """Whether the run stored anything (so the reporting views are stale)."""
        return bool(self.albums_new or self.tracks_new or sum(self.features_new.values()))

    def summary(self) -> str:
        by_source = ", ".join(f"{s} {n}" for s, n in sorted(self.features_total.items())) or "none"
        new_source = ", ".join(f"{s} {n}" for s, n in sorted(self.features_new.items())) or "none"
        requests = ", ".join(f"{e} {n}" for e, n in sorted(self.requests.items())) or "none"
        lines = [
            f"artists: {self.artists} ({self.mode} mode, {self.seconds:.1f}s)",
            f"albums: {self.albums_new} new, {self.albums_total} total",
            f"tracks: {self.tracks_new} new, {self.tracks_total} total",
            f"features by source: {by_source} (new this run: {new_source})",
            f"tracks missing features: {self.features_missing}",
            f"requests: {sum(self.requests.values())} ({requests}); retries: {self.retries}",
        ]
        if self.stopped:
            lines.append(f"stopped early: {self.stopped}")
        return "\n".join(lines)


@dataclass(frozen=True)
class _Artist:
    spotify_id: str
    name: str
    line: int
    db_id: int = 0


def run_ingest(
    engine: Engine,
    settings: Settings,
    artists_file: Path,
    *,
    api_mode: str | None = None,
    include_groups: tuple[str, ...] = DEFAULT_GROUPS,
    features_csv: Path | None = None,
    progress: TextIO | None = None,
) -> IngestResult:
    """Ingest the artists listed in ``artists_file`` (CSV: Artist, Artist ID; file order = rank).

    A bad or unknown artist id raises ``InputError`` before anything is written. A long
    rate limit ends the run early with ``result.stopped`` set; work committed so far stays.
    """
    artists = read_artists(artists_file)
    return _measured(
        engine,
        settings,
        lambda job: job.run(artists_file, artists, progress),
        api_mode=api_mode,
        include_groups=include_groups,
        features_csv=features_csv,
        artists=len(artists),
    )


def run_features(
    engine: Engine,
    settings: Settings,
    *,
    api_mode: str | None = None,
    features_csv: Path | None = None,
) -> IngestResult:
    """Ask the provider chain for every stored track still lacking features.

    No listing or album requests: for when a provider's coverage improves, or the
    recheck interval of tracks no provider had has passed.
    """
    return _measured(
        engine,
        settings,
        lambda job: job.run_features(),
        api_mode=api_mode,
        include_groups=DEFAULT_GROUPS,
        features_csv=features_csv,
        artists=0,
    )


def _measured(
    engine: Engine,
    settings: Settings,
    work: Callable[[_Ingest], None],
    *,
    api_mode: str | None,
    include_groups: tuple[str, ...],
    features_csv: Path | None,
    artists: int,
) -> IngestResult:
    """Run ``work`` on a fresh ingest job and count what it changed and asked for."""
    started = time.monotonic()
    request_log = RequestLog()
    api = SpotifyApi(settings, request_log, api_mode or settings.spotify_api_mode)
    recco = ReccoBeats(settings, api.session, api.retrier)
    chain = build_chain(settings, api, recco, features_csv)
    job = _Ingest(engine, settings, api, chain, include_groups)
    result = IngestResult()
    with engine.connect() as conn:
        before = ingest_state.totals(conn)
    try:
        work(job)
    except RateLimited as stop:
        log.warning("%s", stop)
        result.stopped = str(stop)
    with engine.connect() as conn:
        after = ingest_state.totals(conn)
    result.artists = artists
    result.albums_new = after["albums"] - before["albums"]
    result.albums_total = after["albums"]
    result.tracks_new = after["tracks"] - before["tracks"]
    result.tracks_total = after["tracks"]
    result.features_total = {
        k.removeprefix("features_"): v for k, v in after.items() if k.startswith("features_")
    }
    result.features_new = Counter(
        {s: n - before.get(f"features_{s}", 0) for s, n in result.features_total.items()}
    )
    result.features_missing = after["tracks_without_features"]
    result.requests = request_log.requests
    result.retries = sum(request_log.retries.values())
    result.mode = api.mode
    result.seconds = time.monotonic() - started
    return result


class _Ingest:
    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        api: SpotifyApi,
        chain: FeatureChain,
        groups: tuple[str, ...],
    ) -> None:
        self.engine, self.api, self.chain = engine, api, chain
        self.groups = groups
        self.recheck_s = settings.feature_recheck_days * 86_400
        self.album_queue: list[str] = []
        self.feature_queue: dict[str, int | None] = {}  # spotify id -> duration

    def run(self, artists_file: Path, frame: pd.DataFrame, stream: TextIO | None) -> None:
        artists = self._store_artists(artists_file, frame)
        ids = [a.db_id for a in artists]
        with self.engine.connect() as conn:  # resume what an earlier run left pending
            self.album_queue = ingest_state.pending_albums(conn, ids)
            self.feature_queue = ingest_state.tracks_needing_features(conn, ids, self.recheck_s)
        with Progress("artists", len(artists), stream) as progress:
            for artist in artists:
                new_albums = self._sync_listing(artist)
                self._flush_albums(force=False)
                self._flush_features(force=False)
                requests = self.api.session.request_log.total
                progress.advance(
                    note=f"{artist.name}: {new_albums} new albums, {requests} requests"
                )
            self._flush_albums(force=True)
            self._flush_features(force=True)

    def run_features(self) -> None:
        with self.engine.connect() as conn:
            artist_ids = ingest_state.all_artist_ids(conn)
            self.feature_queue = ingest_state.tracks_needing_features(
                conn, artist_ids, self.recheck_s
            )
        self._flush_features(force=True)

    # -- artists ------------------------------------------------------------------------

    def _store_artists(self, artists_file: Path, frame: pd.DataFrame) -> list[_Artist]:
        """Check unknown ids with Spotify, then store every artist in one transaction."""
        listed = [
            _Artist(row.spotify_id, row.name, line)
            for line, row in enumerate(frame.itertuples(index=False), start=2)
        ]
        with self.engine.connect() as conn:
            stored = ingest_state.stored_artists(conn, [a.spotify_id for a in listed])
        new = [a for a in listed if a.spotify_id not in stored]
        if new:
            found = self.api.artists([a.spotify_id for a in new])
            for artist in new:
                if found.get(artist.spotify_id) is None:
                    raise InputError(
                        f"Spotify has no artist {artist.spotify_id} ({artist.name!r}); "
                        "nothing was written",
                        file=str(artists_file),
                        line=artist.line,
                        column="Artist ID",
                    )
            with self.engine.begin() as conn:
                catalog.create_stage_tables(conn)
                catalog.stage_artists(conn, frame)
                catalog.write_staged(conn, feature_source=None)
                stored = ingest_state.stored_artists(conn, [a.spotify_id for a in listed])
        self.known_artists = set(stored)
        return [_Artist(a.spotify_id, a.name, a.line, stored[a.spotify_id]) for a in listed]

    # -- album listings -----------------------------------------------------------------

    def _sync_listing(self, artist: _Artist) -> int:
        """Read the artist's album listing; store it if it changed. Returns new albums."""
        with self.engine.connect() as conn:
            known = ingest_state.listed_album_ids(conn, artist.db_id, self.groups)
        pages = self.api.album_pages(artist.spotify_id, ",".join(self.groups))
        first = next(pages)
        if first["total"] == len(known) and all(a["id"] in known for a in first["items"]):
            return 0  # nothing new: one request
        items = list(first["items"])
        for page in pages:
            items.extend(page["items"])
        listing = _listing_frame(items)
        new = [a for a in listing["album_spotify_id"] if a not in known]
        with self.engine.begin() as conn:
            ingest_state.store_listing(conn, artist.db_id, listing)
            pending = ingest_state.pending_albums(conn, [artist.db_id])
        queued = set(self.album_queue)
        self.album_queue.extend(a for a in pending if a not in queued)
        return len(new)

    # -- album tracks -------------------------------------------------------------------

    def _flush_albums(self, force: bool) -> None:
        batch = self.api.limits.album_batch or 1
        while self.album_queue and (force or len(self.album_queue) >= batch):
            chunk = self.album_queue[:batch]
            tracks = self.api.album_tracks(chunk)
            frame = self._track_frame(tracks)
            with self.engine.begin() as conn:
                catalog.create_stage_tables(conn)
                catalog.stage_tracks(conn, frame)
                catalog.write_staged(conn, feature_source=None)
                ingest_state.mark_albums_fetched(conn, chunk)
                mark_duplicates(conn, ingest_state.artists_of_albums(conn, chunk))
            del self.album_queue[: len(chunk)]
            for track_id, duration in zip(
                frame["track_spotify_id"], frame["duration_ms"], strict=True
            ):
                self.feature_queue.setdefault(track_id, int(duration))
            batch = self.api.limits.album_batch or 1  # auto mode may have switched

    def _track_frame(self, tracks: dict[str, list[dict]]) -> pd.DataFrame:
        """Stage rows for tracks crediting a listed artist: one row per listed credit."""
        rows = []
        for album_id, items in tracks.items():
            for track in items:
                credited = [a["id"] for a in track["artists"] if a["id"] in self.known_artists]
                primary = track["artists"][0]["id"] if track["artists"] else None
                rows.extend(
                    {
                        "track_spotify_id": track["id"],
                        "title": track["name"],
                        "album_spotify_id": album_id,
                        "artist_spotify_id": artist_id,
                        "is_primary": artist_id == primary,
                        "duration_ms": track.get("duration_ms"),
                        "disc_number": track.get("disc_number"),
                        "track_number": track.get("track_number"),
                    }
                    for artist_id in credited
                )
        frame = pd.DataFrame(
            rows,
            columns=[
                "track_spotify_id", "title", "album_spotify_id", "artist_spotify_id",
                "is_primary", "duration_ms", "disc_number", "track_number",
            ],
        )  # fmt: skip
        frame["normalized_title"] = frame["title"].map(normalize_title)
        frame["album_name"] = ""  # albums are stored with the listing already
        frame["line"] = range(len(frame))
        return frame

    # -- features -----------------------------------------------------------------------

    def _flush_features(self, force: bool) -> None:
        while self.feature_queue and (force or len(self.feature_queue) >= self.chain.batch):
            ids = list(self.feature_queue)[: self.chain.batch]
            result = self.chain.fetch(ids) if self.chain.active else ChainResult()
            self._store_features(ids, result)
            for track_id in ids:
                del self.feature_queue[track_id]

    def _store_features(self, ids: list[str], result: ChainResult) -> None:
        with self.engine.begin() as conn:
            catalog.create_stage_tables(conn)
            for source, rows in result.found.items():
                if not rows:
                    continue
                ingest_state.clear_staged_features(conn)
                catalog.stage_features(conn, features_frame(rows, self.feature_queue))
                catalog.write_staged(conn, feature_source=source)
            ingest_state.record_checks(conn, result.checks)
            mark_duplicates(conn, ingest_state.artists_of_tracks(conn, ids))


def _listing_frame(items: list[dict]) -> pd.DataFrame:
    """The album listing as stage rows; release dates normalised to a full date."""
    frame = pd.DataFrame(
        {
            "album_spotify_id": [a["id"] for a in items],
            "album_group": [a.get("album_group") or a.get("album_type") for a in items],
            "name": [a["name"] for a in items],
            "album_type": [a.get("album_type") for a in items],
            "release_date": [_full_date(a.get("release_date")) for a in items],
            "release_date_precision": [a.get("release_date_precision") for a in items],
            "total_tracks": [a.get("total_tracks") for a in items],
            "position": range(len(items)),
        }
    )
    return frame.drop_duplicates("album_spotify_id")


def _full_date(value: str | None) -> str | None:
    """Spotify gives ``2019``, ``2019-03`` or ``2019-03-22``; store the first day."""
    if not value:
        return None
    parts = [*value.split("-"), "01", "01"]
    return "-".join(parts[:3])
