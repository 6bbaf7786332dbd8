"""Beats from the study's CSV, from a Spotify id through the provider chain, from audio."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from beatclassifier.cli import main
from beatclassifier.errors import InputError, UserError
from jobs.ingest.beats import add_beat_from_audio, add_beat_from_spotify, import_beats
from simulators.catalog import load_catalog
from tests.ingest_support import settings_for, simulator, small_catalog


@pytest.fixture
def small(tmp_path: Path) -> Path:
    return small_catalog(tmp_path / "catalog", artists=2, tracks=40)


def _beat(engine: Engine, name: str) -> dict:
    with engine.connect() as conn:
        row = conn.execute(text("SELECT * FROM beats WHERE name = :n"), {"n": name})
        return dict(row.mappings().one())


def test_import_validates_like_the_csv_importer_and_is_idempotent(
    engine: Engine, small: Path, tmp_path: Path
) -> None:
    first = import_beats(engine, small / "mybeatfeatures.csv")
    again = import_beats(engine, small / "mybeatfeatures.csv")
    assert (first.read, first.stored, again.stored) == (10, 10, 0)
    bad = tmp_path / "beats.csv"
    lines = (small / "mybeatfeatures.csv").read_text().splitlines()
    bad.write_text("\n".join([lines[0], lines[1].replace(",", ",2.5,", 1).rsplit(",", 1)[0]]))
    with pytest.raises(InputError, match=r"line 2, column 'danceability'.*out of range"):
        import_beats(engine, bad)


def test_add_by_spotify_id_uses_the_chain_and_spotify_durations(
    engine: Engine, small: Path
) -> None:
    tracks = load_catalog(small).tracks.values()
    covered = next(t for t in tracks if t.in_reccobeats)
    uncovered = next(t for t in tracks if not t.in_reccobeats)
    with simulator(small, mode="development") as server:
        settings = settings_for(server, spotify_api_mode="development")
        result = add_beat_from_spotify(engine, settings, "Released", covered.id)
        with pytest.raises(UserError, match="no audio features"):
            add_beat_from_spotify(engine, settings, "Unknown", uncovered.id)
        with pytest.raises(UserError, match="already stored"):
            add_beat_from_spotify(engine, settings, "Released", covered.id)
    beat = _beat(engine, "Released")
    assert result.source == "reccobeats" == beat["source"]
    assert beat["duration_ms"] == covered.duration_ms  # from ReccoBeats' /track
    assert beat["tempo"] == pytest.approx(covered.features["tempo"])
    assert beat["speechiness"] is None  # the catalog does not know it: stored as missing


def test_add_from_audio_stores_missing_features_as_missing(
    engine: Engine, small: Path, tmp_path: Path
) -> None:
    audio = tmp_path / "beat.wav"
    audio.write_bytes(b"RIFF" + b"\x00" * 4 + b"WAVEfmt " + bytes(range(256)) * 8)
    with simulator(small) as server:
        result = add_beat_from_audio(engine, settings_for(server), "Demo Beat", audio)
        counts = dict(server.state.counts)
    beat = _beat(engine, "Demo Beat")
    assert beat["key"] is None and beat["mode"] is None and beat["tempo"] is not None
    assert {"key", "mode", "time_signature"} <= set(result.missing)
    assert beat["audio_path"] == str(audio)
    assert counts == {"reccobeats-analysis": 1}


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"plain text, not audio", "not an audio file"), (b"RIFF" + b"\x00" * (5 * 2**20), "5 MB")],
)
def test_add_from_audio_rejects_before_uploading(
    cli_env: str, tmp_path: Path, content: bytes, message: str, capsys: pytest.CaptureFixture
) -> None:
    audio = tmp_path / "beat.bin"
    audio.write_bytes(content)
    assert main(["beats", "add", "X", "--audio", str(audio)]) == 2
    assert message in capsys.readouterr().err
