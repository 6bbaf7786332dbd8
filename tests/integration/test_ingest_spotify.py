"""The Spotify ingester against the simulator on loopback, with the real spotipy client."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from beatclassifier.errors import InputError, UserError
from jobs.ingest.csv_import import import_directory
from jobs.ingest.spotify import run_features, run_ingest
from simulators.server import Faults
from tests.ingest_support import (
    CLIENT_SECRET,
    assert_same,
    settings_for,
    simulator,
    small_catalog,
    snapshot,
)


@pytest.fixture
def small(tmp_path: Path) -> Path:
    return small_catalog(tmp_path / "catalog")


def _csv_snapshot(engine: Engine, directory: Path) -> dict:
    import_directory(engine, directory)
    state = snapshot(engine)
    with engine.begin() as conn:  # back to an empty catalog for the ingest
        conn.execute(text("TRUNCATE artists, albums, tracks, beats RESTART IDENTITY CASCADE"))
    return state


def test_seed_ingest_equals_csv_import(engine: Engine, seed_dir: Path) -> None:
    """Same artists, albums, tracks, credits, feature values and duplicate sets as the CSV
    import; features come from source spotify here and csv there (values, not sources)."""
    expected = _csv_snapshot(engine, seed_dir)
    with simulator(seed_dir) as server:
        result = run_ingest(engine, settings_for(server), seed_dir / "artistsid.csv")
        counts = dict(server.state.counts)
    got = snapshot(engine)
    assert_same(expected, got, "sources")
    assert got["sources"].to_dict("records") == [{"source": "spotify", "n": 3488}]
    assert result.tracks_new == 3488 and result.features_missing == 0
    # The fewest requests extended mode allows: 1 token, 1 artists batch, one listing page
    # per artist, ceil(302 / 20) album batches, ceil(3488 / 100) audio-features batches.
    assert counts == {"token": 1, "artists": 1, "artist-albums": 24, "albums": 16,
                      "audio-features": 35}  # fmt: skip
    assert result.requests == counts


def test_rerun_with_nothing_new_costs_one_request_per_artist(engine: Engine, small: Path) -> None:
    with simulator(small, mode="development") as server:
        settings = settings_for(server)
        run_ingest(engine, settings, small / "artistsid.csv", api_mode="development")
        first = snapshot(engine)
        server.state.counts.clear()
        again = run_ingest(engine, settings, small / "artistsid.csv", api_mode="development")
    assert dict(server.state.counts) == {"token": 1, "artist-albums": 4}
    assert again.tracks_new == again.albums_new == 0
    assert_same(first, snapshot(engine))


def test_development_mode_uses_no_forbidden_endpoint_or_page_size(
    engine: Engine, small: Path
) -> None:
    with simulator(small, mode="development") as server:
        result = run_ingest(
            engine, settings_for(server), small / "artistsid.csv", api_mode="development"
        )
        requests = list(server.state.requests)
    endpoints = {endpoint for endpoint, _ in requests}
    assert endpoints <= {
        "token", "artist", "artist-albums", "album-tracks", "reccobeats-audio-features",
    }  # fmt: skip
    assert all(int(params.get("limit", 20)) <= 10 for e, params in requests if e == "artist-albums")
    assert all(
        len(params["ids"].split(",")) <= 40
        for e, params in requests
        if e == "reccobeats-audio-features"
    )
    # ReccoBeats lacks ~15% of tracks: stored as checked, not invented.
    assert result.features_total == {"reccobeats": 120 - result.features_missing}
    assert 0 < result.features_missing < 40


def test_auto_mode_switches_to_development_at_the_first_refusal(
    engine: Engine, small: Path
) -> None:
    with simulator(small, mode="development") as server:
        result = run_ingest(engine, settings_for(server), small / "artistsid.csv", api_mode="auto")
        counts = dict(server.state.counts)
    assert result.mode == "development"
    assert counts["artists"] == 1  # the one refused batch lookup
    assert "albums" not in counts and "audio-features" not in counts
    assert result.tracks_total == 120


def test_refused_provider_is_skipped_for_the_rest_of_the_run(
    engine: Engine, small: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """An extended-quota app whose audio-features answer 403 falls back to ReccoBeats."""
    with simulator(small, mode="development") as server:
        caplog.set_level(logging.WARNING)
        result = run_ingest(engine, settings_for(server), small / "artistsid.csv")
        counts = dict(server.state.counts)
    assert result.features_total.keys() == {"reccobeats"}
    assert counts.get("audio-features", 0) <= 1
    assert sum("refused audio features" in r.message for r in caplog.records) <= 1


def test_csv_provider_fills_what_reccobeats_lacks(engine: Engine, small: Path) -> None:
    with simulator(small, mode="development") as server:
        result = run_ingest(
            engine,
            settings_for(server),
            small / "artistsid.csv",
            api_mode="development",
            features_csv=small,
        )
    assert result.features_missing == 0
    assert set(result.features_total) == {"reccobeats", "csv"}


def test_uncovered_tracks_are_not_asked_again_until_the_interval(
    engine: Engine, small: Path
) -> None:
    with simulator(small, mode="development") as server:
        run_ingest(engine, settings_for(server), small / "artistsid.csv", api_mode="development")
        server.state.counts.clear()
        run_ingest(engine, settings_for(server), small / "artistsid.csv", api_mode="development")
        assert "reccobeats-audio-features" not in server.state.counts
        recheck = settings_for(server, feature_recheck_days=0)
        run_ingest(engine, recheck, small / "artistsid.csv", api_mode="development")
        assert server.state.counts["reccobeats-audio-features"] == 1


def test_features_job_asks_only_the_providers(engine: Engine, small: Path) -> None:
    """``run_features`` fills tracks lacking features without any listing request."""
    with simulator(small, mode="development") as server:
        first = run_ingest(
            engine, settings_for(server), small / "artistsid.csv", api_mode="development"
        )
        assert first.features_missing > 0  # ReccoBeats leaves ~15% out
        server.state.counts.clear()
        too_soon = run_features(engine, settings_for(server), features_csv=small)
        assert too_soon.features_missing == first.features_missing  # within the interval
        assert not server.state.counts
        due = settings_for(server, feature_recheck_days=0)
        filled = run_features(engine, due, api_mode="development", features_csv=small)
        asked = set(server.state.counts)
    assert filled.features_missing == 0
    assert filled.features_new["csv"] == first.features_missing
    assert asked <= {"token", "reccobeats-audio-features"}  # no artist, album or track lookups


def test_faults_lose_nothing_and_duplicate_nothing(engine: Engine, small: Path) -> None:
    faults = Faults(rate_429=0.1, rate_5xx=0.1, rate_drop=0.1, retry_after=0, seed=3)
    with simulator(small, faults=faults) as server:
        result = run_ingest(engine, settings_for(server), small / "artistsid.csv")
    assert result.retries > 0
    faulty = snapshot(engine)
    with engine.begin() as conn:
        conn.execute(text("TRUNCATE artists, albums, tracks RESTART IDENTITY CASCADE"))
    with simulator(small) as server:
        run_ingest(engine, settings_for(server), small / "artistsid.csv")
    assert_same(snapshot(engine), faulty)
    assert len(faulty["tracks"]) == 120 and len(faulty["features"]) == 120


def test_quota_exceeded_stops_cleanly_and_a_rerun_resumes(engine: Engine, small: Path) -> None:
    faults = Faults(quota_after=6)
    with simulator(small, faults=faults) as server:
        stopped = run_ingest(engine, settings_for(server), small / "artistsid.csv")
        assert stopped.stopped and "QUOTA_EXCEEDED" in stopped.stopped
        kept = stopped.tracks_total
        server.state.faults.quota_after = None
        server.state.counts.clear()
        done = run_ingest(engine, settings_for(server), small / "artistsid.csv")
    assert kept > 0 and done.stopped is None
    assert done.tracks_total == 120 and done.features_missing == 0
    assert server.state.counts["albums"] <= 1  # only the albums the first run had not stored


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("Artist,Artist ID\nX,not-an-id\n", "is not a Spotify id"),
        ("", "file is empty"),
        ("Artist,Artist ID\nA,{a}\nB,{a}\n", "listed twice"),
        ("Artist,Artist ID\nA,{a}\nGhost,0000000000000000000000\n", "Spotify has no artist"),
    ],
)
def test_bad_artist_file_writes_nothing(
    engine: Engine, small: Path, tmp_path: Path, content: str, message: str
) -> None:
    known = (small / "artistsid.csv").read_text().splitlines()[1].split(",")[1]
    path = tmp_path / "artists.csv"
    path.write_text(content.format(a=known))
    with simulator(small) as server, pytest.raises(InputError, match=message) as err:
        run_ingest(engine, settings_for(server), path)
    assert str(path) in str(err.value)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM artists")).scalar() == 0


def test_secret_never_logged_or_raised(
    engine: Engine, small: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    faults = Faults(rate_5xx=0.2, seed=1)
    with simulator(small, faults=faults) as server:
        run_ingest(engine, settings_for(server), small / "artistsid.csv")
        wrong = settings_for(server, spotify_client_secret="wrong-" + CLIENT_SECRET)
        with pytest.raises(UserError) as err:
            run_ingest(engine, wrong, small / "artistsid.csv")
    assert "client credentials" in str(err.value)
    assert CLIENT_SECRET not in str(err.value)
    assert CLIENT_SECRET not in caplog.text
    assert "Basic " not in caplog.text and "Bearer " not in caplog.text


def test_missing_credentials_is_a_clear_error(engine: Engine, small: Path) -> None:
    with simulator(small) as server:
        settings = settings_for(server, spotify_client_id=None)
        with pytest.raises(UserError, match="SPOTIPY_CLIENT_ID"):
            run_ingest(engine, settings, small / "artistsid.csv")


def test_run_ingest_fetches_the_artist_file_through_the_api(engine: Engine, small: Path) -> None:
    """``run ingest`` (cron, scheduler, pipeline) takes the Spotify path when a file is set."""
    from jobs.registry import JOBS
    from jobs.runner import run_job

    with simulator(small) as server:
        settings = settings_for(server, artists_file=small / "artistsid.csv")
        outcome = run_job(engine, settings, JOBS["ingest"], trigger="cron")
        again = run_job(engine, settings, JOBS["ingest"], trigger="cron")
    assert outcome.counts["tracks_new"] == 120 and outcome.counts["features_missing"] == 0
    assert outcome.counts["requests"]["artist-albums"] == 4
    assert again.counts["tracks_new"] == 0 and again.counts["requests_total"] == 5  # token + 4
