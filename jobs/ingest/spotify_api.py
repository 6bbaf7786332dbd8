"""The Spotify Web API as the ingester uses it: spotipy, in the largest batches a mode allows.

Development-mode apps (2026) may not use batch ``/albums``, ``/artists``, ``/tracks``
lookups or audio-features, and get at most 10 albums per artist-albums page. In
``auto`` mode the client starts with extended-quota batches and switches to
development mode at the first refusal (403 on a batch lookup, 400 "Invalid limit").
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import spotipy
from spotipy.cache_handler import MemoryCacheHandler
from spotipy.oauth2 import SpotifyClientCredentials

from beatclassifier.errors import UserError
from beatclassifier.settings import Settings
from jobs.ingest.web import ApiError, CountingSession, RequestLog, Retrier

log = logging.getLogger(__name__)
# spotipy logs request headers (the bearer token, the base64 client secret) at DEBUG and
# every HTTP error at ERROR; this module logs what matters itself, so spotipy stays silent
# whoever configures logging (CLI, scheduler, tests).
logging.getLogger("spotipy").setLevel(logging.CRITICAL)

MODES = ("extended", "development", "auto")


@dataclass(frozen=True)
class ModeLimits:
    album_page: int  # artist-albums page size
    album_batch: int  # ids per GET /albums (0: one album's tracks per request)
    artist_batch: int  # ids per GET /artists (0: GET /artists/{id} each)
    audio_features: bool


LIMITS = {
    "extended": ModeLimits(album_page=50, album_batch=20, artist_batch=50, audio_features=True),
    "development": ModeLimits(album_page=10, album_batch=0, artist_batch=0, audio_features=False),
}
ALBUM_TRACKS_PAGE = 50
AUDIO_FEATURES_BATCH = 100


class SpotifyApi:
    def __init__(self, settings: Settings, request_log: RequestLog, mode: str) -> None:
        if mode not in MODES:
            raise UserError(f"unknown API mode {mode!r}; use one of {', '.join(MODES)}")
        if not settings.spotify_client_id or settings.spotify_client_secret is None:
            raise UserError(
                "Spotify credentials missing: set SPOTIPY_CLIENT_ID and SPOTIPY_CLIENT_SECRET "
                "(a Spotify app's client credentials; see docs/ingest.md)"
            )
        self.session = CountingSession(request_log, settings.reccobeats_url)
        auth = SpotifyClientCredentials(
            client_id=settings.spotify_client_id,
            client_secret=settings.spotify_client_secret.get_secret_value(),
            cache_handler=MemoryCacheHandler(),  # the token lives in memory only
            requests_session=self.session,
            requests_timeout=settings.http_timeout_s,
        )
        auth.OAUTH_TOKEN_URL = settings.spotify_token_url
        self.sp = spotipy.Spotify(
            auth_manager=auth,
            requests_session=self.session,
            requests_timeout=settings.http_timeout_s,
        )
        self.sp.prefix = settings.spotify_api_url.rstrip("/") + "/"
        self.retrier = Retrier(settings, request_log)
        self.auto = mode == "auto"
        self.mode = "extended" if self.auto else mode

    @property
    def limits(self) -> ModeLimits:
        return LIMITS[self.mode]

    def _call(self, what: str, fn, *args: Any, **kwargs: Any) -> Any:
        return self.retrier.call(what, lambda: fn(*args, **kwargs))

    def _downgrade(self, err: ApiError) -> bool:
        """In auto mode, a refusal of an extended-only request means development mode."""
        refused = err.status == 403 or (err.status == 400 and "limit" in err.message.lower())
        if self.auto and self.mode == "extended" and refused:
            log.warning(
                "%s refused (HTTP %d): switching to development-mode limits", err.what, err.status
            )
            self.mode = "development"
            return True
        return False

    def _batched(
        self, what: str, fn, ids: Sequence[str], size_of, key: str
    ) -> tuple[dict[str, Any], list[str]]:
        """Batch lookups while the mode allows them: (objects by id, ids left over).

        Ids are left over when the mode has no batches, or when auto mode learns at the
        first refusal that it has none; the caller fetches those one by one.
        """
        found: dict[str, Any] = {}
        pending = list(ids)
        while pending and size_of():
            chunk = pending[: size_of()]
            try:
                answer = self._call(what, fn, chunk)
            except ApiError as err:
                if self._downgrade(err):
                    break
                raise
            found.update(zip(chunk, answer[key], strict=True))
            pending = pending[len(chunk) :]
        return found, pending

    def artists(self, ids: Sequence[str]) -> dict[str, dict | None]:
        """Artist objects by id; None for ids Spotify does not know."""
        found, pending = self._batched(
            "artists", self.sp.artists, ids, lambda: self.limits.artist_batch, "artists"
        )
        for artist_id in pending:
            try:
                found[artist_id] = self._call("artist", self.sp.artist, artist_id)
            except ApiError as err:
                if err.status not in (400, 404):
                    raise
                found[artist_id] = None
        return found

    def album_pages(self, artist_id: str, groups: str) -> Iterator[dict]:
        """The artist-albums listing, page by page (the caller may stop after the first)."""
        while True:
            try:
                page = self._call(
                    "artist-albums",
                    self.sp.artist_albums,
                    artist_id,
                    include_groups=groups,
                    limit=self.limits.album_page,
                )
                break
            except ApiError as err:
                if self._downgrade(err):
                    continue
                if err.status in (403, 404):
                    raise UserError(
                        f"Spotify refused the album list of artist {artist_id} (HTTP "
                        f"{err.status}, {self.mode} mode): {err.message}. If your app is in "
                        "development mode and Spotify removed this endpoint for it, "
                        "request extended quota."
                    ) from None
                raise
        yield page
        while page.get("next"):
            page = self._call("artist-albums", self.sp.next, page)
            yield page

    def album_tracks(self, album_ids: Sequence[str]) -> dict[str, list[dict]]:
        """Every track (simplified objects) of each album, in the fewest requests."""
        albums, pending = self._batched(
            "albums", self.sp.albums, album_ids, lambda: self.limits.album_batch, "albums"
        )
        tracks = {
            album_id: [] if album is None else self._rest(album["tracks"])
            for album_id, album in albums.items()
        }
        for album_id in pending:
            first = self._call(
                "album-tracks", self.sp.album_tracks, album_id, limit=ALBUM_TRACKS_PAGE
            )
            tracks[album_id] = self._rest(first)
        return tracks

    def _rest(self, page: dict) -> list[dict]:
        items = list(page["items"])
        while page.get("next"):
            page = self._call("album-tracks", self.sp.next, page)
            items.extend(page["items"])
        return items

    def audio_features(self, ids: Sequence[str]) -> list[dict | None]:
        with warnings.catch_warnings():  # spotipy marks the endpoint deprecated
            warnings.simplefilter("ignore", DeprecationWarning)
            return self._call("audio-features", self.sp.audio_features, list(ids))

    def track(self, track_id: str) -> dict:
        return self._call("track", self.sp.track, track_id)
