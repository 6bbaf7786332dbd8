"""The producer's own beats: from the study's CSV, a Spotify id, or an audio file."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine

from beatclassifier.errors import InputError, UserError
from beatclassifier.settings import Settings
from db import catalog, ingest_state
from db.features import FEATURE_NAMES
from jobs.ingest.features import Features, ReccoBeats, build_chain, features_frame
from jobs.ingest.seed_csv import SPOTIFY_ID, read_beats
from jobs.ingest.spotify_api import SpotifyApi
from jobs.ingest.web import ApiError, CountingSession, RequestLog, Retrier

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BeatResult:
    read: int
    stored: int
    source: str
    missing: tuple[str, ...] = ()  # features the source did not give (stored as NULL)

    def summary(self) -> str:
        text = f"beats: {self.read} read, {self.stored} new (features from {self.source})"
        if self.missing:
            text += f"; missing (stored as unknown): {', '.join(self.missing)}"
        return text


def import_beats(engine: Engine, path: Path) -> BeatResult:
    """A ``mybeatfeatures.csv`` file, validated like the CSV importer, in one transaction."""
    beats = read_beats(path)
    stored = _store(engine, beats.assign(source="csv"))
    return BeatResult(read=len(beats), stored=stored, source="csv")


def add_beat_from_spotify(
    engine: Engine, settings: Settings, name: str, spotify_id: str
) -> BeatResult:
    """A released beat: features through the provider chain (csv is not asked)."""
    spotify_id = spotify_id.removeprefix("spotify:track:")
    if not pd.Series([spotify_id]).str.fullmatch(SPOTIFY_ID).all():
        raise InputError(f"{spotify_id!r} is not a Spotify track id (22 letters/digits)")
    _check_new(engine, name, spotify_id)
    request_log = RequestLog()
    recco, api = _clients(settings, request_log)
    chain = build_chain(settings, api, recco, features_csv=None)
    result = chain.fetch([spotify_id])
    for source, rows in result.found.items():
        if spotify_id in rows:
            features = dict(rows[spotify_id])
            if features.get("duration_ms") is None:
                features["duration_ms"] = recco.durations([spotify_id]).get(spotify_id)
            return _store_one(engine, name, features, source, spotify_id=spotify_id)
    asked = ", ".join(p.name for p in chain.providers) or "no provider"
    raise UserError(f"no audio features for track {spotify_id} from {asked}; nothing stored")


def add_beat_from_audio(engine: Engine, settings: Settings, name: str, audio: Path) -> BeatResult:
    """An unreleased beat: ReccoBeats analyses the file (no key, mode or time signature)."""
    _check_new(engine, name, None)
    recco, _ = _clients(settings, RequestLog(), spotify=False)
    try:
        features = recco.analyse(audio)
    except ApiError as err:
        raise UserError(f"ReccoBeats could not analyse {audio}: {err}") from None
    return _store_one(engine, name, features, "reccobeats", audio_path=str(audio))


def _clients(
    settings: Settings, request_log: RequestLog, spotify: bool = True
) -> tuple[ReccoBeats, SpotifyApi | None]:
    api = None
    if spotify and settings.spotify_client_id and settings.spotify_client_secret:
        api = SpotifyApi(settings, request_log, settings.spotify_api_mode)
        session, retrier = api.session, api.retrier
    else:
        session = CountingSession(request_log, settings.reccobeats_url)
        retrier = Retrier(settings, request_log)
    return ReccoBeats(settings, session, retrier), api


def _check_new(engine: Engine, name: str, spotify_id: str | None) -> None:
    if not name.strip():
        raise InputError("a beat needs a non-empty name")
    with engine.connect() as conn:
        clash = ingest_state.existing_beat(conn, name.strip(), spotify_id)
    if clash:
        raise UserError(f"a beat {clash!r} with this name or Spotify id is already stored")


def _store_one(engine: Engine, name: str, features: Features, source: str, **where) -> BeatResult:
    frame = features_frame({name.strip(): features}, {}).rename(
        columns={"track_spotify_id": "name"}
    )
    _store(engine, frame.assign(source=source, **where))
    missing = tuple(f for f in FEATURE_NAMES if features.get(f) is None)
    return BeatResult(read=1, stored=1, source=source, missing=missing)


def _store(engine: Engine, beats: pd.DataFrame) -> int:
    with engine.begin() as conn:
        catalog.create_stage_tables(conn)
        catalog.stage_beats(conn, beats)
        return catalog.write_staged(conn, feature_source=None).beats
