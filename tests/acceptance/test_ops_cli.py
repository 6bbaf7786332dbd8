"""The operations commands as cron and Docker run them: real processes, a real database."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from sqlalchemy import Engine, create_engine, select, text

from beatclassifier.cli import main
from beatclassifier.errors import EXIT_ALREADY_RUNNING, AlreadyRunning
from beatclassifier.settings import Settings
from db.locks import held_locks
from db.models import JobRun
from jobs.ingest.synthetic import write_synthetic_catalog
from jobs.registry import JOBS
from jobs.runner import run_job
from tests.pipeline_support import PIPELINE_CATALOG, QUICK_TRAINING, QUICK_TRAINING_ENV

ROOT = Path(__file__).resolve().parents[2]
SMALL = PIPELINE_CATALOG


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    return write_synthetic_catalog(tmp_path / "catalog", SMALL)


@pytest.fixture
def env(db_url: str, catalog: Path, tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": db_url,
        "BEATCLASSIFIER_DATA_DIR": str(tmp_path / "data"),
        "BEATCLASSIFIER_INGEST_CSV_DIR": str(catalog),
        **QUICK_TRAINING_ENV,
    }


def cli(*args: str, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "beatclassifier", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def spawn(*args: str, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "beatclassifier", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(predicate, what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def ledger(engine: Engine) -> list:
    with engine.connect() as conn:
        return conn.execute(select(JobRun).order_by(JobRun.id)).all()


def running(engine: Engine, job: str) -> bool:
    return any(r.job == job and r.status == "running" for r in ledger(engine))


class TableBlocker:
    """Holds ACCESS EXCLUSIVE on a table, so a job that writes it waits there mid-run.

    A legitimate way to make a fast job slow enough to overlap: nothing is mocked, the
    job really runs and really blocks on PostgreSQL until the lock is released.
    """

    def __init__(self, url: str, table: str) -> None:
        self.engine = create_engine(url)
        self.conn = self.engine.connect()
        self.tx = self.conn.begin()
        self.conn.execute(text(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE"))

    def release(self) -> None:
        if self.tx.is_active:
            self.tx.rollback()
            self.conn.close()
            self.engine.dispose()


def test_a_cron_run_and_a_scheduled_run_never_overlap(
    db_url: str, engine: Engine, env: dict[str, str], catalog: Path
) -> None:
    blocker = TableBlocker(db_url, "artists")
    first = spawn("run", "ingest", "--trigger", "cron", env=env)
    try:
        # The cron run holds the ingest lock and is stuck writing artists.
        wait_for(lambda: running(engine, "ingest"), "the first run to start")
        with engine.connect() as conn:
            assert held_locks(conn, ["ingest"]) == {"ingest"}

        second = cli("run", "ingest", env=env)
        assert second.returncode == EXIT_ALREADY_RUNNING, second.stderr
        assert second.stderr.startswith("error: already running: job 'ingest' is run #")
        assert f"pid {first.pid}" in second.stderr
        assert len(second.stderr.strip().splitlines()) == 1  # one line, no traceback

        # The scheduler's path goes through the same lock.
        settings = Settings(DATABASE_URL=db_url, ingest_csv_dir=catalog, **QUICK_TRAINING)
        with pytest.raises(AlreadyRunning):
            run_job(engine, settings, JOBS["ingest"], trigger="scheduler")

        # A pipeline reaching the busy step stops there with exit 75 too.
        pipeline = cli("run", "pipeline", env=env)
        assert pipeline.returncode == EXIT_ALREADY_RUNNING, pipeline.stderr
        assert "step 'ingest': already running" in pipeline.stderr
    finally:
        blocker.release()
    out, err = first.communicate(timeout=120)
    assert first.returncode == 0, err
    assert "ingest done" in out
    rows = ledger(engine)
    ingests = [r for r in rows if r.job == "ingest"]
    assert [(r.trigger, r.status) for r in ingests] == [("cron", "done")]
    [pipeline_row] = [r for r in rows if r.job == "pipeline"]
    assert pipeline_row.status == "abandoned"  # unfinished, not failed: the next run resumes


def test_run_exit_codes_and_jobs_status(
    cli_env: str, catalog: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    """In-process (``cli.main``), as the entry point runs it, to keep the suite fast."""
    monkeypatch.delenv("BEATCLASSIFIER_INGEST_CSV_DIR", raising=False)
    assert main(["run", "ingest", "--trigger", "cron"]) == 2
    assert capsys.readouterr().err.strip() == (
        "error: nothing to ingest: set BEATCLASSIFIER_ARTISTS_FILE (Spotify) or "
        "BEATCLASSIFIER_INGEST_CSV_DIR (a seed-format directory)"
    )
    assert main(["jobs", "status"]) == 1  # the latest ingest failed
    assert "failed: ingest (run #1): nothing to ingest" in capsys.readouterr().err

    monkeypatch.setenv("BEATCLASSIFIER_INGEST_CSV_DIR", str(catalog))
    for name, value in QUICK_TRAINING_ENV.items():
        monkeypatch.setenv(name, value)
    assert main(["run", "pipeline", "--trigger", "cron"]) == 0
    out = capsys.readouterr().out
    assert "pipeline done in" in out and f"ingest.tracks={SMALL.tracks}" in out

    assert main(["jobs", "status", "-n", "10"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "last 6 runs, newest first (times UTC):"
    # Newest start first: the pipeline's steps, in reverse order, after the pipeline itself.
    steps = [line.split()[1:4] for line in lines[2:6]]
    assert steps == [
        ["predict", "pipeline#2", "done"],
        ["train", "pipeline#2", "done"],
        ["report-refresh", "pipeline#2", "done"],
        ["ingest", "pipeline#2", "done"],
    ]
    assert f"tracks={SMALL.tracks}" in lines[5]
    assert "rows_written=" in lines[2] and "model_id=" in lines[3]
    assert lines[6].split()[:4] == ["2", "pipeline", "cron", "done"]
    assert lines[7].split()[:4] == ["1", "ingest", "cron", "failed"]
    assert lines[7].endswith("BEATCLASSIFIER_INGEST_CSV_DIR (a seed-format directory)")


def test_a_killed_run_is_marked_abandoned_by_the_next_run(
    db_url: str, engine: Engine, env: dict[str, str]
) -> None:
    blocker = TableBlocker(db_url, "artists")
    try:
        victim = spawn("run", "ingest", "--trigger", "cron", env=env)
        wait_for(lambda: running(engine, "ingest"), "the run to start")
        victim.kill()  # SIGKILL midway: no chance to clean up
        victim.wait(timeout=30)
    finally:
        blocker.release()
    [dead] = ledger(engine)
    assert dead.status == "running"  # what a killed process leaves behind

    def lock_released() -> bool:
        with engine.connect() as conn:
            return not held_locks(conn, ["ingest"])

    wait_for(lock_released, "PostgreSQL to drop the dead process's session and its lock")
    status = cli("jobs", "status", env=env)
    assert "dead?" in status.stdout  # running, but nobody holds its lock

    resumed = cli("run", "ingest", env=env)
    assert resumed.returncode == 0, resumed.stderr
    assert f"marked abandoned: runs #{dead.id}" in resumed.stdout
    old, new = ledger(engine)
    assert old.status == "abandoned" and "ended without finishing" in old.error
    assert new.status == "done" and new.counts["tracks"] == SMALL.tracks  # nothing was kept


def _compose_command(service: str) -> list[str]:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return compose["services"][service]["command"]


def test_the_compose_services_commands_run_against_the_local_database(
    empty_db_url: str, tmp_path: Path
) -> None:
    env = {**os.environ, "DATABASE_URL": empty_db_url, "BEATCLASSIFIER_DATA_DIR": str(tmp_path)}
    migrated = cli(*_compose_command("migrate"), env=env)
    assert migrated.returncode == 0, migrated.stderr
    assert migrated.stdout.strip() == "schema is up to date"
    for service in ("dask-scheduler", "dask-worker"):
        sub = _compose_command(service)[0]
        help_run = subprocess.run(
            [sys.executable, "-m", "dask", sub, "--help"], capture_output=True, timeout=120
        )
        assert help_run.returncode == 0, f"`dask {sub}` is not a dask command"


def test_the_scheduler_stops_cleanly_on_sigterm_after_the_current_step(
    db_url: str, engine: Engine, env: dict[str, str]
) -> None:
    env = {**env, "BEATCLASSIFIER_SCHEDULE": "pipeline=interval:1"}
    blocker = TableBlocker(db_url, "artists")
    scheduler = spawn(*_compose_command("scheduler"), env=env)
    try:
        wait_for(lambda: running(engine, "ingest"), "a scheduled pipeline to start ingesting")
        scheduler.send_signal(signal.SIGTERM)
        time.sleep(1.5)
        assert scheduler.poll() is None, "it must wait for the step in progress"
    finally:
        blocker.release()
    _, err = scheduler.communicate(timeout=120)
    assert scheduler.returncode == 0, err
    assert "SIGTERM received: stopping after the current step" in err
    assert "scheduler stopped" in err
    statuses = {(r.job, r.status) for r in ledger(engine)}
    # The ingest step in progress finished; the pipeline stopped before its next step
    # (report-refresh never started) and is recorded as abandoned, to resume next run.
    assert statuses == {("pipeline", "abandoned"), ("ingest", "done")}


def test_an_unreachable_database_is_one_secret_free_line(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": "postgresql://bc:s3cr3t-pw@127.0.0.1:1/beatclassifier",
        "BEATCLASSIFIER_DATA_DIR": str(tmp_path),
    }
    for args in (("run", "pipeline"), ("scheduler",), ("jobs", "status")):
        result = cli(*args, env=env)
        assert result.returncode == 1, result.stderr
        [line] = result.stderr.strip().splitlines()
        assert line.startswith("error: OperationalError: ") and "127.0.0.1" in line
        assert "s3cr3t-pw" not in result.stderr
