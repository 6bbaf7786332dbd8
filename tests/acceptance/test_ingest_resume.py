"""A real ingest process killed with SIGKILL midway resumes to the uninterrupted state."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from beatclassifier.cli import main
from simulators.server import Faults
from tests.ingest_support import assert_same, env_for, simulator, small_catalog, snapshot

ROOT = Path(__file__).resolve().parents[2]


def _ingest_process(server, db_url: str, artists: Path) -> subprocess.Popen:
    env = {**os.environ, **env_for(server), "DATABASE_URL": db_url}
    return subprocess.Popen(
        [sys.executable, "-m", "beatclassifier", "ingest", "spotify", "--artists", str(artists),
         "--api-mode", "development"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def _tracks(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM tracks")).scalar_one()


def test_sigkill_midway_then_resume_equals_uninterrupted(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    catalog = small_catalog(tmp_path / "catalog", artists=5, tracks=400)
    artists = catalog / "artistsid.csv"
    with simulator(catalog, mode="development") as server:
        proc = _ingest_process(server, db_url, artists)
        deadline = time.monotonic() + 60
        while _tracks(engine) < 100 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert proc.poll() is None, "the ingest finished before it could be killed"
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        killed_at = _tracks(engine)
        assert 0 < killed_at < 400
        resumed = _ingest_process(server, db_url, artists)
        _, err = resumed.communicate(timeout=120)
        assert resumed.returncode == 0, err
        interrupted = sum(server.state.counts.values())
        after_resume = snapshot(engine)

        with engine.begin() as conn:
            conn.execute(text("TRUNCATE artists, albums, tracks RESTART IDENTITY CASCADE"))
        server.state.counts.clear()
        whole = _ingest_process(server, db_url, artists)
        whole.communicate(timeout=120)
        uninterrupted = sum(server.state.counts.values())
    assert_same(snapshot(engine), after_resume)
    assert len(after_resume["tracks"]) == 400
    # Repeated: a token, one listing page per artist already synced, the batch in flight.
    assert interrupted - uninterrupted <= 1 + 5 + 1


def test_cli_ingest_prints_summary_and_rate_limit_exit_code(
    cli_env: str, tmp_path: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalog = small_catalog(tmp_path / "catalog", artists=3, tracks=60)
    with simulator(catalog, faults=Faults(quota_after=3)) as server:
        for name, value in env_for(server).items():
            monkeypatch.setenv(name, value)
        args = ["ingest", "spotify", "--artists", str(catalog / "artistsid.csv")]
        assert main(args) == 75
        out = capsys.readouterr().out
        assert "stopped early" in out and "QUOTA_EXCEEDED" in out
        server.state.faults.quota_after = None
        assert main(args) == 0
        out = capsys.readouterr().out
        assert re.search(r"tracks: \d+ new, 60 total", out) and "requests:" in out
