"""The runner against a real database: lock, ledger rows, abandoned runs, the pipeline."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from beatclassifier.errors import EXIT_ALREADY_RUNNING, EXIT_STOPPED, AlreadyRunning, JobFailed
from beatclassifier.settings import Settings
from db import ledger
from db.locks import held_locks, job_lock
from db.models import JobRun
from jobs.ingest.synthetic import write_synthetic_catalog
from jobs.pipeline import Step, run_pipeline, unless_changed
from jobs.registry import JOBS
from jobs.runner import STOP, Job, run_job
from tests.pipeline_support import PIPELINE_CATALOG, QUICK_TRAINING

SMALL = PIPELINE_CATALOG


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    catalog = write_synthetic_catalog(tmp_path / "catalog", SMALL)
    return Settings(DATABASE_URL=db_url, ingest_csv_dir=catalog, **QUICK_TRAINING)


def runs(engine: Engine) -> list[JobRun]:
    with engine.connect() as conn:
        return list(conn.execute(select(JobRun).order_by(JobRun.id)).all())


def test_a_run_is_recorded_done_with_its_counts(engine: Engine, settings: Settings) -> None:
    outcome = run_job(engine, settings, JOBS["ingest"], trigger="cron")
    assert outcome.counts["tracks"] == SMALL.tracks
    assert outcome.counts["rows_written"] > SMALL.tracks
    [row] = runs(engine)
    assert (row.job, row.trigger, row.status) == ("ingest", "cron", "done")
    assert row.finished_at >= row.started_at
    assert row.counts == outcome.counts
    assert (row.host, row.pid) == (socket.gethostname(), os.getpid())
    again = run_job(engine, settings, JOBS["ingest"])  # idempotent: nothing new
    assert again.counts["rows_written"] == 0


def test_a_held_lock_refuses_the_run_and_writes_nothing(engine: Engine, settings: Settings):
    with job_lock(engine, "ingest") as held:
        assert held
        with engine.connect() as conn:
            assert held_locks(conn, ["ingest", "pipeline"]) == {"ingest"}
        with pytest.raises(AlreadyRunning, match="already running") as refused:
            run_job(engine, settings, JOBS["ingest"])
    assert refused.value.exit_code == EXIT_ALREADY_RUNNING
    assert runs(engine) == []
    run_job(engine, settings, JOBS["ingest"])  # released: runs now
    assert [r.status for r in runs(engine)] == ["done"]


def test_a_dead_run_is_marked_abandoned_and_the_work_resumes(
    engine: Engine, settings: Settings
) -> None:
    # What a process killed midway leaves: a 'running' row, and no lock (it died with it).
    with engine.begin() as conn:
        dead = ledger.start_run(conn, "ingest", "cron", "old-host", 4242)
    outcome = run_job(engine, settings, JOBS["ingest"])
    assert outcome.abandoned == (dead,)
    old, new = runs(engine)
    assert (old.id, old.status) == (dead, "abandoned")
    assert "ended without finishing" in old.error and old.finished_at is not None
    assert new.status == "done" and new.counts["tracks"] == SMALL.tracks


def test_failures_are_one_secret_free_line_with_the_exit_code(db_url: str, engine: Engine):
    secret_url = "postgresql+psycopg://bc:hunter2-secret@db.example:5432/bc"
    settings = Settings(DATABASE_URL=secret_url)

    def leaky(engine, settings, ctx):
        ctx.record(requests=3)
        raise RuntimeError(f"could not reach\n{secret_url}\n(timeout)")

    with pytest.raises(JobFailed) as failed:
        run_job(engine, settings, Job("leaky", leaky, "test job that fails"))
    assert failed.value.exit_code == 1
    [row] = runs(engine)
    assert row.status == "failed"
    assert row.error == (
        "RuntimeError: could not reach postgresql+psycopg://bc:***@db.example:5432/bc (timeout)"
    )
    assert "hunter2" not in str(failed.value)
    assert row.counts == {"requests": 3}  # progress recorded before the failure is kept


def test_bad_configuration_fails_with_exit_2(engine: Engine, db_url: str) -> None:
    with pytest.raises(JobFailed, match="BEATCLASSIFIER_INGEST_CSV_DIR") as failed:
        run_job(engine, Settings(DATABASE_URL=db_url), JOBS["pipeline"])
    assert failed.value.exit_code == 2
    pipeline, ingest = sorted(runs(engine), key=lambda r: r.job, reverse=True)
    assert (pipeline.job, pipeline.status) == ("pipeline", "failed")
    assert pipeline.error.startswith("step 'ingest': nothing to ingest")
    assert (ingest.status, ingest.trigger) == ("failed", f"pipeline#{pipeline.id}")


def test_pipeline_runs_each_step_as_its_own_recorded_run(engine: Engine, settings: Settings):
    outcome = run_job(engine, settings, JOBS["pipeline"], trigger="scheduler")
    assert outcome.counts["ingest"]["status"] == "done"
    assert outcome.counts["ingest"]["tracks"] == SMALL.tracks
    by_job = {r.job: r for r in runs(engine)}
    assert by_job["pipeline"].status == by_job["ingest"].status == "done"
    assert by_job["ingest"].trigger == f"pipeline#{by_job['pipeline'].id}"
    assert outcome.counts["ingest"]["run"] == by_job["ingest"].id


def _counting_job(name: str, calls: list[str], then=None) -> Job:
    def run(engine, settings, ctx):
        calls.append(name)
        if then:
            then()
        return {"rows_written": 1}

    return Job(name, run, f"test step {name}")


def test_a_stop_request_ends_the_pipeline_between_steps(engine: Engine, settings: Settings):
    calls: list[str] = []
    first = _counting_job("first", calls, then=STOP.set)  # SIGTERM arrives during step 1
    second = _counting_job("second", calls)
    steps = (Step(first), Step(second))
    pipeline = Job("test-pipeline", lambda e, s, ctx: run_pipeline(steps, e, s, ctx), "test")
    try:
        with pytest.raises(JobFailed, match="stopped on request before step 'second'") as stop:
            run_job(engine, settings, pipeline)
    finally:
        STOP.clear()
    assert stop.value.exit_code == EXIT_STOPPED
    assert calls == ["first"]
    statuses = {r.job: r.status for r in runs(engine)}
    assert statuses == {"test-pipeline": "abandoned", "first": "done"}


def test_a_step_is_skipped_unless_its_data_changed(engine: Engine, settings: Settings):
    calls: list[str] = []
    recorded = {"fingerprint": "abc123"}
    check = unless_changed(
        current=lambda e, s: "abc123",
        recorded=lambda e, s: recorded["fingerprint"],
        what="training data",
    )
    steps = (Step(_counting_job("train-ish", calls), skip_if=check),)
    pipeline = Job("test-pipeline", lambda e, s, ctx: run_pipeline(steps, e, s, ctx), "test")
    skipped = run_job(engine, settings, pipeline)
    assert calls == []
    assert skipped.counts["train-ish"] == {
        "status": "skipped",
        "reason": "training data unchanged (fingerprint abc123)",
    }
    recorded["fingerprint"] = "old999"
    ran = run_job(engine, settings, pipeline)
    assert calls == ["train-ish"] and ran.counts["train-ish"]["status"] == "done"
    recorded["fingerprint"] = None  # no active model yet: run
    run_job(engine, settings, pipeline)
    assert calls == ["train-ish", "train-ish"]
