"""HTTP plumbing shared by the Spotify and ReccoBeats clients: counting and retrying.

Every request goes through one ``requests.Session`` that counts it per endpoint, and
every call goes through ``Retrier.call``: 429 waits ``Retry-After`` (bounded; a
longer wait or a ``QUOTA_EXCEEDED`` reason stops the run cleanly), 5xx and dropped
connections retry with exponential backoff and jitter, other errors surface at once
as ``ApiError`` with their HTTP status.
"""

from __future__ import annotations

import logging
import random
import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar
from urllib.parse import urlsplit

import requests
from spotipy.exceptions import SpotifyException, SpotifyOauthError

from beatclassifier.errors import EXIT_FAILURE, EXIT_TRY_LATER, UserError
from beatclassifier.settings import Settings

log = logging.getLogger(__name__)
T = TypeVar("T")

# OAuth error codes (RFC 6749 5.2) that mean the credentials, not the service, are wrong.
CREDENTIAL_ERRORS = {"invalid_client", "unauthorized_client", "invalid_grant", "invalid_request"}

_ENDPOINTS = (
    (re.compile(r"/api/token$"), "token"),
    (re.compile(r"/artists/[^/]+/albums$"), "artist-albums"),
    (re.compile(r"/artists/[^/]+$"), "artist"),
    (re.compile(r"/artists$"), "artists"),
    (re.compile(r"/albums/[^/]+/tracks$"), "album-tracks"),
    (re.compile(r"/albums/[^/]+$"), "album"),
    (re.compile(r"/albums$"), "albums"),
    (re.compile(r"/tracks/[^/]+$"), "track"),
    (re.compile(r"/tracks$"), "tracks"),
    (re.compile(r"/audio-features(/[^/]+)?$"), "audio-features"),
)


class ApiError(Exception):
    """A request the service answered with an error we do not retry (4xx but 429)."""

    def __init__(self, status: int, what: str, message: str, reason: str | None = None) -> None:
        super().__init__(f"{what}: HTTP {status} {message}".strip())
        self.status, self.what, self.message, self.reason = status, what, message, reason


class RateLimited(UserError):
    """The service asked us to wait longer than we may: stop now, resume later."""

    exit_code = EXIT_TRY_LATER


class ServiceUnavailable(UserError):
    """Retries ran out on 5xx answers or dropped connections."""

    exit_code = EXIT_FAILURE


@dataclass
class RequestLog:
    """Requests made per endpoint, and retries, for the summary and the benchmark."""

    requests: Counter = field(default_factory=Counter)
    retries: Counter = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.requests.values())


class CountingSession(requests.Session):
    """A plain session (no urllib3 retries: ``Retrier`` owns that) that counts requests."""

    def __init__(self, request_log: RequestLog, reccobeats_url: str) -> None:
        super().__init__()
        self.request_log = request_log
        self.reccobeats_path = urlsplit(reccobeats_url).path.rstrip("/")

    def request(self, method, url, *args, **kwargs):  # type: ignore[override]
        self.request_log.requests[self.endpoint(str(url))] += 1
        return super().request(method, url, *args, **kwargs)

    def endpoint(self, url: str) -> str:
        path = urlsplit(url).path.rstrip("/")
        if self.reccobeats_path and path.startswith(self.reccobeats_path + "/"):
            return "reccobeats-" + path.removeprefix(self.reccobeats_path + "/").replace("/", "-")
        for pattern, name in _ENDPOINTS:
            if pattern.search(path):
                return name
        return "other"


class Retrier:
    """Runs one API call with the fault policy; ``sleep`` is injectable for clarity only."""

    def __init__(
        self,
        settings: Settings,
        request_log: RequestLog,
        sleep: Callable[[float], None] = time.sleep,
        seed: int | None = None,
    ) -> None:
        self.max_retries = settings.http_max_retries
        self.backoff = settings.http_backoff_s
        self.max_wait = settings.rate_limit_max_wait_s
        self.request_log = request_log
        self.sleep = sleep
        self.random = random.Random(seed)

    def call(self, what: str, fn: Callable[[], T]) -> T:
        attempt = 0
        while True:
            try:
                return fn()
            except SpotifyException as exc:
                status, headers, reason, message = (
                    exc.http_status,
                    exc.headers or {},
                    exc.reason,
                    _spotify_message(exc),
                )
            except requests.HTTPError as exc:
                response = exc.response
                status, headers, reason = response.status_code, response.headers, None
                message = response.text[:200]
            except SpotifyOauthError as exc:
                if exc.error not in CREDENTIAL_ERRORS:  # the token endpoint itself failed
                    status, headers, reason, message = 500, {}, None, "token endpoint failed"
                else:
                    raise UserError(
                        "Spotify refused the client credentials (SPOTIPY_CLIENT_ID / "
                        f"SPOTIPY_CLIENT_SECRET): {exc.error}"
                    ) from None
            except (requests.ConnectionError, requests.Timeout) as exc:
                status, headers, reason, message = 0, {}, None, type(exc).__name__
            if status not in (0, 429) and status < 500:
                raise ApiError(status, what, message, reason)
            if attempt >= self.max_retries:
                self._give_up(what, status, headers, reason, message)
            attempt += 1
            self.request_log.retries[what] += 1
            self.sleep(self._delay(what, attempt, status, headers, reason))

    def _delay(self, what: str, attempt: int, status: int, headers, reason: str | None) -> float:
        if status == 429:
            wait = _retry_after(headers)
            if reason == "QUOTA_EXCEEDED" or wait > self.max_wait:
                raise RateLimited(
                    f"{what}: HTTP 429 rate limit{f' ({reason})' if reason else ''} with "
                    f"Retry-After {wait:g}s (more than the {self.max_wait:g}s this run may "
                    "wait). Everything fetched so far is stored; run again later to resume."
                )
            log.info("%s: HTTP 429, waiting %gs (Retry-After)", what, wait)
            return wait
        delay = self.backoff * 2 ** (attempt - 1) * self.random.uniform(0.5, 1.0)
        log.info("%s: %s, retry %d in %.2fs", what, status or "connection dropped", attempt, delay)
        return delay

    def _give_up(self, what, status, headers, reason, message) -> None:
        if status == 429:
            raise RateLimited(
                f"{what}: still HTTP 429 after {self.max_retries} retries. Everything fetched "
                "so far is stored; run again later to resume."
            )
        shown = f"HTTP {status}" if status else f"connection failed ({message})"
        raise ServiceUnavailable(
            f"{what}: {shown} after {self.max_retries} retries. Everything fetched so far is "
            "stored; run again to resume."
        )


def _retry_after(headers) -> float:
    try:
        return max(0.0, float(headers.get("Retry-After", 1)))
    except (TypeError, ValueError):
        return 1.0


def _spotify_message(exc: SpotifyException) -> str:
    """spotipy prefixes messages with the URL; keep the service's own words."""
    return str(exc.msg).rsplit("\n", 1)[-1].strip()
