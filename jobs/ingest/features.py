"""Audio-feature providers and the chain that asks them in order.

``spotify`` (extended-quota apps only, 100 ids a request), ``reccobeats`` (free, 40
ids a request, matched on ``href`` because it neither keeps order nor reports
unknown ids) and ``csv`` (a seed-format directory). A provider that answers 403
(or 401) is logged once and skipped for the rest of the run. Features a provider
does not give are stored as missing (NULL), never invented.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import pandas as pd

from beatclassifier.errors import InputError
from beatclassifier.settings import Settings
from db.features import FEATURE_NAMES, FEATURES
from jobs.ingest.seed_csv import read_seed_directory
from jobs.ingest.spotify_api import AUDIO_FEATURES_BATCH, SpotifyApi
from jobs.ingest.web import ApiError, CountingSession, Retrier

log = logging.getLogger(__name__)

Features = dict[str, Any]  # FEATURE_NAMES -> value or None
RECCOBEATS_BATCH = 40
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# Leading bytes of the formats ReccoBeats accepts (wav, mp3, flac, ogg; m4a at offset 4).
AUDIO_MAGIC = (b"RIFF", b"ID3", b"fLaC", b"OggS", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2")
TRACK_URL = "https://open.spotify.com/track/"


class Provider(Protocol):
    name: str
    batch: int

    def available(self) -> bool: ...

    def fetch(self, ids: Sequence[str]) -> dict[str, Features]: ...


def pick_features(obj: dict[str, Any]) -> Features:
    return {name: obj.get(name) for name in FEATURE_NAMES}


def features_frame(rows: dict[str, Features], durations: dict[str, int | None]) -> pd.DataFrame:
    """Stage rows (``track_spotify_id`` + features); integer features stay integers.

    A provider without durations (ReccoBeats) gets the one Spotify's track object gave.
    """
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=list(FEATURE_NAMES))
    frame.index.name = "track_spotify_id"
    frame = frame.reset_index()
    known = frame["track_spotify_id"].map(durations)
    frame["duration_ms"] = frame["duration_ms"].fillna(known)
    for feature in FEATURES:
        if feature.integer:
            frame[feature.name] = pd.to_numeric(frame[feature.name]).round().astype("Int64")
    return frame


class SpotifyFeatures:
    name, batch = "spotify", AUDIO_FEATURES_BATCH

    def __init__(self, api: SpotifyApi) -> None:
        self.api = api

    def available(self) -> bool:
        return self.api.limits.audio_features

    def fetch(self, ids: Sequence[str]) -> dict[str, Features]:
        return {obj["id"]: pick_features(obj) for obj in self.api.audio_features(ids) if obj}


class ReccoBeats:
    """ReccoBeats' API: audio features, track details, and audio-file analysis."""

    name, batch = "reccobeats", RECCOBEATS_BATCH

    def __init__(self, settings: Settings, session: CountingSession, retrier: Retrier) -> None:
        self.base = settings.reccobeats_url.rstrip("/")
        self.timeout = settings.http_timeout_s
        self.session, self.retrier = session, retrier

    def available(self) -> bool:
        return True

    def _get(self, endpoint: str, ids: Sequence[str]) -> list[dict[str, Any]]:
        def call() -> Any:
            response = self.session.get(
                f"{self.base}/{endpoint}", params={"ids": ",".join(ids)}, timeout=self.timeout
            )
            response.raise_for_status()
            return response.json()

        return self.retrier.call(f"reccobeats-{endpoint}", call)["content"]

    def fetch(self, ids: Sequence[str]) -> dict[str, Features]:
        wanted = set(ids)
        found = {}
        for obj in self._get("audio-features", ids):
            spotify_id = str(obj.get("href", "")).removeprefix(TRACK_URL)
            if spotify_id in wanted:
                found[spotify_id] = pick_features(obj)
        return found

    def durations(self, ids: Sequence[str]) -> dict[str, int]:
        found = {}
        for obj in self._get("track", ids):
            spotify_id = str(obj.get("href", "")).removeprefix(TRACK_URL)
            if obj.get("durationMs"):
                found[spotify_id] = int(obj["durationMs"])
        return found

    def analyse(self, path: Path) -> Features:
        """Features of an audio file (first 30 s; no key, mode or time signature)."""
        data = _checked_audio(path)

        def call() -> Any:
            response = self.session.post(
                f"{self.base}/analysis/audio-features",
                files={"audioFile": (path.name, data)},
                timeout=self.timeout * 3,
            )
            response.raise_for_status()
            return response.json()

        return pick_features(self.retrier.call("reccobeats-analysis", call))


def _checked_audio(path: Path) -> bytes:
    if not path.is_file():
        raise InputError("audio file not found", file=str(path))
    size = path.stat().st_size
    if size > MAX_UPLOAD_BYTES:
        raise InputError(
            f"{size / 2**20:.1f} MB is over ReccoBeats' 5 MB upload limit; upload a shorter "
            "excerpt (only the first 30 s are analysed)",
            file=str(path),
        )
    data = path.read_bytes()
    if not (data.startswith(AUDIO_MAGIC) or data[4:8] == b"ftyp"):
        raise InputError(
            "not an audio file ReccoBeats can analyse (expected wav, mp3, flac, ogg or m4a)",
            file=str(path),
        )
    return data


class CsvFeatures:
    """Features from a seed-format directory (e.g. the study's songfeatures.csv)."""

    name = "csv"

    def __init__(self, directory: Path) -> None:
        songs = read_seed_directory(directory).songs
        columns = [c for c in FEATURE_NAMES if c in songs.columns]
        table = songs.drop_duplicates("track_spotify_id").set_index("track_spotify_id")[columns]
        self.rows = {
            track_id: {name: _plain(row.get(name)) for name in FEATURE_NAMES}
            for track_id, row in table.to_dict("index").items()
        }
        self.batch = max(1, len(self.rows))

    def available(self) -> bool:
        return True

    def fetch(self, ids: Sequence[str]) -> dict[str, Features]:
        return {i: self.rows[i] for i in ids if i in self.rows}


def _plain(value: Any) -> Any:
    return None if value is None else value.item() if hasattr(value, "item") else value


@dataclass
class ChainResult:
    found: dict[str, dict[str, Features]] = field(default_factory=lambda: defaultdict(dict))
    checks: list[tuple[str, str, bool]] = field(default_factory=list)  # track, provider, found

    @property
    def missing(self) -> set[str]:
        asked = {track for track, _, _ in self.checks}
        return asked - {t for rows in self.found.values() for t in rows}


class FeatureChain:
    """Asks providers in order; each id goes to the next provider only if still missing."""

    def __init__(self, providers: Sequence[Provider]) -> None:
        self.providers = list(providers)
        self.refused: set[str] = set()

    @property
    def active(self) -> list[Provider]:
        return [p for p in self.providers if p.name not in self.refused and p.available()]

    @property
    def batch(self) -> int:
        """The first active provider's batch size: how many ids to gather before asking."""
        active = self.active
        return active[0].batch if active else 1

    def fetch(self, ids: Sequence[str]) -> ChainResult:
        result = ChainResult()
        remaining = list(dict.fromkeys(ids))
        for provider in self.active:
            for start in range(0, len(remaining), provider.batch):
                chunk = remaining[start : start + provider.batch]
                try:
                    got = provider.fetch(chunk)
                except ApiError as err:
                    if err.status not in (401, 403):
                        raise
                    log.warning(
                        "%s refused audio features (HTTP %d): using the next provider for the "
                        "rest of this run",
                        provider.name,
                        err.status,
                    )
                    self.refused.add(provider.name)
                    break
                result.found[provider.name].update(got)
                result.checks.extend((t, provider.name, t in got) for t in chunk)
            remaining = [t for t in remaining if t not in result.found[provider.name]]
            if not remaining:
                break
        return result


def build_chain(
    settings: Settings,
    api: SpotifyApi | None,
    recco: ReccoBeats,
    features_csv: Path | None,
) -> FeatureChain:
    """The configured providers, in order; Spotify is left out without a client (no
    credentials), csv without a directory."""
    providers: list[Provider] = []
    for name in settings.provider_chain:
        if name == "spotify" and api is not None:
            providers.append(SpotifyFeatures(api))
        elif name == "reccobeats":
            providers.append(recco)
        elif name == "csv" and features_csv is not None:
            providers.append(CsvFeatures(features_csv))
    return FeatureChain(providers)
