"""A loopback HTTP server speaking Spotify's Web API and ReccoBeats' API over a catalog.

One server answers all three services under different path prefixes:
``/api/token`` (Spotify accounts), ``/v1/...`` (Spotify Web API) and
``/reccobeats/v1/...`` (ReccoBeats). Object shapes follow the published API
references; development mode applies the 2026 restrictions (batch lookups and
audio-features answer 403, artist albums ``limit`` above 10 answers 400, no
popularity/followers/genres/label/available_markets). Faults (429 with
Retry-After, 5xx, dropped connections) are injected at seeded rates, and every
request is counted per endpoint, so tests can assert on what a client asked.
"""

from __future__ import annotations

import base64
import json
import random
import re
import secrets
import threading
from collections import Counter
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from simulators.catalog import SimAlbum, SimCatalog, SimTrack, stable_hash

SPOTIFY_ID = re.compile(r"^[0-9A-Za-z]{22}$")
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
AUDIO_MAGIC = (b"RIFF", b"ID3", b"fLaC", b"OggS", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2")
GROUPS = ("album", "single", "compilation", "appears_on")


@dataclass(frozen=True)
class Limits:
    """Per-request maxima of one API mode."""

    artist_albums: int
    batch_albums: int  # 0: batch lookups refused (403)
    batch_artists: int
    batch_tracks: int
    audio_features: int  # 0: audio-features refused (403)


MODES = {
    "extended": Limits(artist_albums=50, batch_albums=20, batch_artists=50, batch_tracks=50,
                       audio_features=100),
    "development": Limits(artist_albums=10, batch_albums=0, batch_artists=0, batch_tracks=0,
                          audio_features=0),
}  # fmt: skip
ALBUM_TRACKS_MAX = 50
RECCOBEATS_MAX_IDS = 40


@dataclass
class Faults:
    """Injected failures: each request draws once from a seeded generator."""

    rate_429: float = 0.0
    rate_5xx: float = 0.0
    rate_drop: float = 0.0
    retry_after: int = 1
    seed: int = 0
    quota_after: int | None = None  # after this many API requests: 429 QUOTA_EXCEEDED
    quota_retry_after: int = 86_400


@dataclass
class SimulatorState:
    catalog: SimCatalog
    mode: str = "extended"
    faults: Faults = field(default_factory=Faults)
    credentials: tuple[str, str] | None = None  # None: any non-empty id and secret
    counts: Counter = field(default_factory=Counter)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    tokens: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)
    base_url: str = ""

    def __post_init__(self) -> None:
        self.rng = random.Random(self.faults.seed)
        self.api_requests = 0

    @property
    def limits(self) -> Limits:
        return MODES[self.mode]


class ApiError(Exception):
    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


class SimulatorServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, state: SimulatorState, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__((host, port), Handler)
        self.state = state
        state.base_url = f"http://{host}:{self.server_address[1]}"
        self._thread: threading.Thread | None = None

    @property
    def urls(self) -> dict[str, str]:
        """The settings that point a client at this server."""
        base = self.state.base_url
        return {
            "spotify_api_url": f"{base}/v1/",
            "spotify_token_url": f"{base}/api/token",
            "reccobeats_url": f"{base}/reccobeats/v1",
        }

    def start(self) -> SimulatorServer:
        self._thread = threading.Thread(target=self.serve_forever, name="simulator", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
        if self._thread is not None:
            self._thread.join()

    def __enter__(self) -> SimulatorServer:
        return self if self._thread is not None else self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class Handler(BaseHTTPRequestHandler):
    server: SimulatorServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # quiet: counted instead
        pass

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    # -- dispatch -----------------------------------------------------------------------

    def _serve(self, method: str) -> None:
        state = self.server.state
        parts = urlsplit(self.path)
        path = parts.path.rstrip("/")
        params = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        body = self._body()
        endpoint, route = _route(method, path)
        with state.lock:
            state.counts[endpoint] += 1
            state.requests.append((endpoint, params))
            fault = self._draw_fault(state, endpoint)
        if fault == "drop":
            self.close_connection = True
            return
        reccobeats = endpoint.startswith("reccobeats")
        try:
            if fault is not None:
                raise fault
            if route is None:
                raise ApiError(404, "Service not found")
            if endpoint != "token" and not reccobeats:
                self._authorize(state)
            status, payload = route(self, state, params, body)
        except ApiError as err:
            self._send_error(err, endpoint)
            return
        self._send(status, payload)

    def _draw_fault(self, state: SimulatorState, endpoint: str) -> ApiError | str | None:
        if endpoint == "token":
            return None
        faults = state.faults
        state.api_requests += 1
        if faults.quota_after is not None and state.api_requests > faults.quota_after:
            return _rate_limited(faults.quota_retry_after, "QUOTA_EXCEEDED")
        draw = state.rng.random()
        if draw < faults.rate_429:
            return _rate_limited(faults.retry_after, None)
        draw -= faults.rate_429
        if draw < faults.rate_5xx:
            return ApiError(503, "Service unavailable")
        draw -= faults.rate_5xx
        if draw < faults.rate_drop:
            return "drop"
        return None

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _authorize(self, state: SimulatorState) -> None:
        header = self.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            raise ApiError(401, "No token provided")
        if header.removeprefix("Bearer ") not in state.tokens:
            raise ApiError(401, "Invalid access token")

    def _send(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _send_error(self, err: ApiError, endpoint: str) -> None:
        if endpoint == "token":  # the accounts service answers in OAuth 2 form
            payload: dict[str, Any] = {"error": err.message, "error_description": err.message}
        elif endpoint.startswith("reccobeats"):
            payload = {"status": err.status, "error": err.message}
        else:
            payload = {"error": {"status": err.status, "message": err.message}}
            if "reason" in err.headers:
                payload["error"]["reason"] = err.headers.pop("reason")
        self._send(err.status, payload, err.headers)

    # -- Spotify accounts -------------------------------------------------------------

    def token(self, state: SimulatorState, params: dict, body: bytes) -> tuple[int, Any]:
        form = {k: v[-1] for k, v in parse_qs(body.decode()).items()}
        if form.get("grant_type") != "client_credentials":
            raise ApiError(400, "unsupported_grant_type")
        try:
            scheme, encoded = self.headers.get("Authorization", "").split(" ", 1)
            client_id, secret = base64.b64decode(encoded).decode().split(":", 1)
        except ValueError:
            raise ApiError(400, "invalid_client") from None
        valid = (client_id, secret) == state.credentials if state.credentials else secret
        if scheme != "Basic" or not client_id or not valid:
            raise ApiError(400, "invalid_client")
        token = secrets.token_urlsafe(24)
        with state.lock:
            state.tokens.add(token)
        return 200, {"access_token": token, "token_type": "Bearer", "expires_in": 3600}

    # -- Spotify Web API ----------------------------------------------------------------

    def artist(self, state, params, body, artist_id: str):
        return 200, self._artist(state, _known(state.catalog.artists, artist_id))

    def artists(self, state, params, body):
        limit = state.limits.batch_artists
        return self._batch(params, "artists", limit, state.catalog.artists, self._artist)

    def artist_albums(self, state, params, body, artist_id: str):
        _known(state.catalog.artists, artist_id)
        limit, offset = _paging(params, state.limits.artist_albums, default=20)
        groups = [g for g in params.get("include_groups", ",".join(GROUPS)).split(",") if g]
        if any(g not in GROUPS for g in groups):
            raise ApiError(400, "Invalid include_groups value")
        listing = [
            (album_id, group)
            for album_id, group in state.catalog.artist_albums.get(artist_id, [])
            if group in groups
        ]
        items = [
            {**self._album_simple(state, state.catalog.albums[a]), "album_group": g}
            for a, g in listing[offset : offset + limit]
        ]
        href = f"{state.base_url}/v1/artists/{artist_id}/albums"
        extra = {"include_groups": ",".join(groups)}
        return 200, _page(href, items, len(listing), limit, offset, extra)

    def album(self, state, params, body, album_id: str):
        return 200, self._album_full(state, _known(state.catalog.albums, album_id))

    def albums(self, state, params, body):
        limit = state.limits.batch_albums
        return self._batch(params, "albums", limit, state.catalog.albums, self._album_full)

    def album_tracks(self, state, params, body, album_id: str):
        album = state.catalog.albums[_known(state.catalog.albums, album_id)]
        limit, offset = _paging(params, ALBUM_TRACKS_MAX, default=20)
        return 200, self._tracks_page(state, album, limit, offset)

    def track(self, state, params, body, track_id: str):
        return 200, self._track_full(state, _known(state.catalog.tracks, track_id))

    def tracks(self, state, params, body):
        limit = state.limits.batch_tracks
        return self._batch(params, "tracks", limit, state.catalog.tracks, self._track_full)

    def audio_features(self, state, params, body):
        limit, tracks = state.limits.audio_features, state.catalog.tracks
        return self._batch(params, "audio_features", limit, tracks, self._spotify_features)

    def _batch(self, params, key: str, maximum: int, table: dict, build) -> tuple[int, Any]:
        """A batch lookup: objects in request order, null for unknown ids."""
        state = self.server.state
        ids = _batch_ids(params, maximum)
        return 200, {key: [build(state, i) if i in table else None for i in ids]}

    # -- ReccoBeats ---------------------------------------------------------------------

    def recco_features(self, state, params, body):
        tracks = self._recco_tracks(state, params)
        return 200, {"content": [_recco_features(t) for t in tracks]}

    def recco_track(self, state, params, body):
        tracks = self._recco_tracks(state, params)
        return 200, {"content": [self._recco_track(state, t) for t in tracks]}

    def recco_analysis(self, state, params, body):
        content_type = self.headers.get("Content-Type", "")
        if not content_type.startswith("multipart/form-data"):
            raise ApiError(400, "Expected multipart/form-data with field audioFile")
        message = BytesParser(policy=HTTP).parsebytes(
            f"Content-Type: {content_type}\r\n\r\n".encode() + body
        )
        upload = next(
            (
                part.get_payload(decode=True)
                for part in message.iter_parts()
                if part.get_param("name", header="content-disposition") == "audioFile"
            ),
            None,
        )
        if upload is None:
            raise ApiError(400, "Required part 'audioFile' is not present")
        if len(upload) > MAX_UPLOAD_BYTES:
            raise ApiError(413, "Maximum upload size exceeded (5 MB)")
        if not upload.startswith(AUDIO_MAGIC) and upload[4:8] != b"ftyp":
            raise ApiError(400, "Unsupported audio format")
        return 200, _analysis(upload)

    def _recco_tracks(self, state, params) -> list[SimTrack]:
        ids = [i for i in params.get("ids", "").split(",") if i]
        if not ids:
            raise ApiError(400, "ids is required")
        if len(ids) > RECCOBEATS_MAX_IDS:
            raise ApiError(400, f"At most {RECCOBEATS_MAX_IDS} ids are allowed")
        found = [
            state.catalog.tracks[i]
            for i in dict.fromkeys(ids)
            if i in state.catalog.tracks and state.catalog.tracks[i].in_reccobeats
        ]
        # ReccoBeats does not keep the request's order.
        return sorted(found, key=lambda t: t.reccobeats_id)

    # -- object builders --------------------------------------------------------------

    def _artist_simple(self, state: SimulatorState, artist_id: str) -> dict[str, Any]:
        return {
            "external_urls": {"spotify": f"https://open.spotify.com/artist/{artist_id}"},
            "href": f"{state.base_url}/v1/artists/{artist_id}",
            "id": artist_id,
            "name": state.catalog.artists.get(artist_id, f"Artist {artist_id[:6]}"),
            "type": "artist",
            "uri": f"spotify:artist:{artist_id}",
        }

    def _artist(self, state: SimulatorState, artist_id: str) -> dict[str, Any]:
        obj = {**self._artist_simple(state, artist_id), "images": []}
        if state.mode == "extended":
            obj["followers"] = {"href": None, "total": stable_hash("f", artist_id) % 10**7}
            obj["genres"] = ["hip hop"]
            obj["popularity"] = stable_hash("p", artist_id) % 101
        return obj

    def _album_simple(self, state: SimulatorState, album: SimAlbum) -> dict[str, Any]:
        obj = {
            "album_type": "album",
            "total_tracks": len(album.track_ids),
            "external_urls": {"spotify": f"https://open.spotify.com/album/{album.id}"},
            "href": f"{state.base_url}/v1/albums/{album.id}",
            "id": album.id,
            "images": [],
            "name": album.name,
            "release_date": album.release_date,
            "release_date_precision": "day",
            "type": "album",
            "uri": f"spotify:album:{album.id}",
            "artists": [self._artist_simple(state, a) for a in album.artist_ids],
        }
        if state.mode == "extended":
            obj["available_markets"] = ["US", "CA", "GB"]
        return obj

    def _album_full(self, state: SimulatorState, album_id: str | SimAlbum) -> dict[str, Any]:
        album = album_id if isinstance(album_id, SimAlbum) else state.catalog.albums[album_id]
        obj = {
            **self._album_simple(state, album),
            "tracks": self._tracks_page(state, album, ALBUM_TRACKS_MAX, 0),
            "copyrights": [{"text": f"(P) {album.release_date[:4]}", "type": "P"}],
            "external_ids": {"upc": f"{stable_hash('upc', album.id) % 10**12:012d}"},
        }
        if state.mode == "extended":
            obj.update(genres=[], label="Simulated Records", popularity=50)
        return obj

    def _tracks_page(
        self, state: SimulatorState, album: SimAlbum, limit: int, offset: int
    ) -> dict[str, Any]:
        ids = album.track_ids[offset : offset + limit]
        items = [self._track_simple(state, state.catalog.tracks[i]) for i in ids]
        href = f"{state.base_url}/v1/albums/{album.id}/tracks"
        return _page(href, items, len(album.track_ids), limit, offset, {})

    def _track_simple(self, state: SimulatorState, track: SimTrack) -> dict[str, Any]:
        obj = {
            "artists": [self._artist_simple(state, a) for a in track.artist_ids],
            "disc_number": 1,
            "duration_ms": track.duration_ms,
            "explicit": False,
            "external_urls": {"spotify": f"https://open.spotify.com/track/{track.id}"},
            "href": f"{state.base_url}/v1/tracks/{track.id}",
            "id": track.id,
            "name": track.name,
            "preview_url": None,
            "track_number": track.track_number,
            "type": "track",
            "uri": f"spotify:track:{track.id}",
            "is_local": False,
        }
        if state.mode == "extended":
            obj["available_markets"] = ["US", "CA", "GB"]
        return obj

    def _track_full(self, state: SimulatorState, track_id: str | SimTrack) -> dict[str, Any]:
        track = track_id if isinstance(track_id, SimTrack) else state.catalog.tracks[track_id]
        obj = {
            **self._track_simple(state, track),
            "album": self._album_simple(state, state.catalog.albums[track.album_id]),
            "external_ids": {"isrc": track.isrc},
        }
        if state.mode == "extended":
            obj["popularity"] = stable_hash("p", track.id) % 101
        return obj

    def _spotify_features(self, state: SimulatorState, track_id: str) -> dict[str, Any]:
        track = state.catalog.tracks[track_id]
        return {
            # The seed format lacks speechiness, instrumentalness and time_signature: null.
            "speechiness": None,
            "instrumentalness": None,
            "time_signature": None,
            **track.features,
            "duration_ms": track.duration_ms,
            "id": track.id,
            "type": "audio_features",
            "uri": f"spotify:track:{track.id}",
            "track_href": f"{state.base_url}/v1/tracks/{track.id}",
            "analysis_url": f"{state.base_url}/v1/audio-analysis/{track.id}",
        }

    def _recco_track(self, state: SimulatorState, track: SimTrack) -> dict[str, Any]:
        return {
            "id": track.reccobeats_id,
            "trackTitle": track.name,
            "artists": [
                {
                    "id": f"{stable_hash('ra', a) % 10**12:012d}",
                    "name": state.catalog.artists.get(a, ""),
                    "href": f"https://open.spotify.com/artist/{a}",
                }
                for a in track.artist_ids
            ],
            "durationMs": track.duration_ms,
            "isrc": track.isrc,
            "ean": None,
            "upc": None,
            "href": f"https://open.spotify.com/track/{track.id}",
            "availableCountries": "US,CA,GB",
            "popularity": stable_hash("p", track.id) % 101,
        }


def _recco_features(track: SimTrack) -> dict[str, Any]:
    return {
        "id": track.reccobeats_id,
        "href": f"https://open.spotify.com/track/{track.id}",
        "isrc": track.isrc,
        "speechiness": None,
        "instrumentalness": None,
        **track.features,
    }


def _analysis(upload: bytes) -> dict[str, float]:
    """Deterministic stand-in values: the simulator does not analyse audio."""
    digest = stable_hash("analysis", upload.hex())
    unit = [((digest >> (7 * i)) % 100) / 100 for i in range(7)]
    return {
        "acousticness": unit[0],
        "danceability": unit[1],
        "energy": unit[2],
        "instrumentalness": unit[3],
        "liveness": unit[4],
        "loudness": round(-20 + 15 * unit[5], 3),
        "speechiness": unit[6],
        "tempo": float(70 + digest % 100),
        "valence": round((unit[0] + unit[2]) / 2, 3),
    }


def _rate_limited(retry_after: int, reason: str | None) -> ApiError:
    headers = {"Retry-After": str(retry_after)}
    if reason:
        headers["reason"] = reason
    return ApiError(429, "API rate limit exceeded", headers)


def _known(table: dict, spotify_id: str) -> str:
    if not SPOTIFY_ID.match(spotify_id):
        raise ApiError(400, "Invalid base62 id")
    if spotify_id not in table:
        raise ApiError(404, "Resource not found")
    return spotify_id


def _batch_ids(params: dict[str, str], maximum: int) -> list[str]:
    if maximum == 0:
        raise ApiError(403, "Forbidden")
    ids = [i for i in params.get("ids", "").split(",") if i]
    if not ids:
        raise ApiError(400, "invalid request: ids is required")
    if len(ids) > maximum:
        raise ApiError(400, "Too many ids requested")
    if not all(SPOTIFY_ID.match(i) for i in ids):
        raise ApiError(400, "Invalid base62 id")
    return ids


def _paging(params: dict[str, str], maximum: int, default: int) -> tuple[int, int]:
    try:
        limit = int(params.get("limit", default))
        offset = int(params.get("offset", 0))
    except ValueError:
        raise ApiError(400, "Invalid limit") from None
    if not 0 < limit <= maximum:
        raise ApiError(400, "Invalid limit")
    if offset < 0:
        raise ApiError(400, "Invalid offset")
    return limit, offset


def _page(
    href: str, items: list, total: int, limit: int, offset: int, extra: dict[str, str]
) -> dict[str, Any]:
    def link(at: int) -> str:
        return f"{href}?{urlencode({'offset': at, 'limit': limit, **extra})}"

    return {
        "href": link(offset),
        "items": items,
        "limit": limit,
        "next": link(offset + limit) if offset + limit < total else None,
        "offset": offset,
        "previous": link(max(0, offset - limit)) if offset > 0 else None,
        "total": total,
    }


_ROUTES: list[tuple[str, re.Pattern[str], str, str]] = [
    ("POST", re.compile(r"/api/token"), "token", "token"),
    ("GET", re.compile(r"/v1/artists/([^/]+)/albums"), "artist-albums", "artist_albums"),
    ("GET", re.compile(r"/v1/artists/([^/]+)"), "artist", "artist"),
    ("GET", re.compile(r"/v1/artists"), "artists", "artists"),
    ("GET", re.compile(r"/v1/albums/([^/]+)/tracks"), "album-tracks", "album_tracks"),
    ("GET", re.compile(r"/v1/albums/([^/]+)"), "album", "album"),
    ("GET", re.compile(r"/v1/albums"), "albums", "albums"),
    ("GET", re.compile(r"/v1/tracks/([^/]+)"), "track", "track"),
    ("GET", re.compile(r"/v1/tracks"), "tracks", "tracks"),
    ("GET", re.compile(r"/v1/audio-features"), "audio-features", "audio_features"),
    ("GET", re.compile(r"/reccobeats/v1/audio-features"), "reccobeats-audio-features",
     "recco_features"),
    ("GET", re.compile(r"/reccobeats/v1/track"), "reccobeats-track", "recco_track"),
    ("POST", re.compile(r"/reccobeats/v1/analysis/audio-features"), "reccobeats-analysis",
     "recco_analysis"),
]  # fmt: skip


def _route(method: str, path: str) -> tuple[str, Any]:
    """(endpoint name, bound-later handler) for a request; handler None: not found."""
    for verb, pattern, endpoint, name in _ROUTES:
        match = pattern.fullmatch(path)
        if match and verb == method:
            return endpoint, _bound(getattr(Handler, name), match.groups())
    return "unknown", None


def _bound(func: Any, path_args: tuple[str, ...]) -> Any:
    return lambda handler, state, params, body: func(handler, state, params, body, *path_args)


def serve(
    catalog: SimCatalog,
    *,
    mode: str = "extended",
    faults: Faults | None = None,
    port: int = 0,
    credentials: tuple[str, str] | None = None,
) -> SimulatorServer:
    """A started simulator on 127.0.0.1 (``port`` 0: any free port); stop() it when done."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {sorted(MODES)}")
    state = SimulatorState(catalog, mode=mode, faults=faults or Faults(), credentials=credentials)
    return SimulatorServer(state, port=port).start()
