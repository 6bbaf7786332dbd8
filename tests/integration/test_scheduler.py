"""APScheduler in-process on a fast schedule, against a real database."""

from __future__ import annotations

import pickle
import threading
import time
from pathlib import Path

from sqlalchemy import Engine, select

from beatclassifier.settings import Settings
from db.models import JobRun
from jobs.ingest.synthetic import write_synthetic_catalog
from jobs.registry import JOBS
from jobs.scheduler import build_scheduler, parse_schedule
from tests.pipeline_support import PIPELINE_CATALOG, QUICK_TRAINING

SMALL = PIPELINE_CATALOG


def _wait_for(predicate, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_scheduler_runs_the_pipeline_and_fills_the_ledger(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    catalog = write_synthetic_catalog(tmp_path / "catalog", SMALL)
    settings = Settings(DATABASE_URL=db_url, ingest_csv_dir=catalog, **QUICK_TRAINING)
    entries = parse_schedule("pipeline=interval:1", JOBS)
    scheduler = build_scheduler(engine, settings, entries)
    thread = threading.Thread(target=scheduler.start, daemon=True)
    thread.start()

    def done_pipelines() -> list:
        with engine.connect() as conn:
            rows = conn.execute(select(JobRun).where(JobRun.job == "pipeline")).all()
        return [r for r in rows if r.status == "done"]

    try:
        assert _wait_for(lambda: len(done_pipelines()) >= 2), "no two pipeline runs in 30 s"
    finally:
        scheduler.shutdown(wait=True)
        thread.join(timeout=10)
    assert not thread.is_alive()
    with engine.connect() as conn:
        rows = conn.execute(select(JobRun).order_by(JobRun.id)).all()
    pipelines = [r for r in rows if r.job == "pipeline"]
    ingests = [r for r in rows if r.job == "ingest"]
    assert {r.trigger for r in pipelines} == {"scheduler"}
    assert {r.status for r in rows} == {"done"}  # shutdown waited for the run in progress
    # Every pipeline run ran its ingest step as a child run; the catalog landed once.
    assert {r.trigger for r in ingests} == {f"pipeline#{p.id}" for p in pipelines}
    assert pipelines[0].counts["ingest"]["tracks"] == SMALL.tracks
    assert all(p.counts["ingest"]["rows_written"] == 0 for p in pipelines[1:])
    # Training ran once; later runs found the data unchanged since the active model.
    assert pipelines[0].counts["train"]["status"] == "done"
    assert pipelines[0].counts["predict"]["rows_written"] == SMALL.beats * SMALL.artists
    assert all(p.counts["train"]["status"] == "skipped" for p in pipelines[1:])


def _stored(engine: Engine) -> dict[str, dict]:
    with engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT id, job_state FROM apscheduler_jobs").all()
    return {row.id: pickle.loads(row.job_state) for row in rows}


def test_the_job_store_follows_the_schedule_and_keeps_unchanged_jobs(
    engine: Engine, db_url: str
) -> None:
    settings = Settings(DATABASE_URL=db_url)
    both = parse_schedule("pipeline=cron:0 3 * * *;ingest=interval:3600", JOBS)
    first = build_scheduler(engine, settings, both)
    thread = threading.Thread(target=first.start, daemon=True)
    thread.start()
    # The store is written before start() flags the scheduler running: wait for both.
    assert _wait_for(lambda: first.running and len(_stored(engine)) == 2)
    first.shutdown()
    thread.join(timeout=10)
    stored = _stored(engine)
    job = stored["beatclassifier:pipeline"]
    assert (job["misfire_grace_time"], job["coalesce"], job["max_instances"]) == (3600, True, 1)
    assert job["func"] == "jobs.scheduler:run_scheduled" and job["args"] == ("pipeline",)
    pipeline_next = job["next_run_time"]

    # Restart with ingest removed: it leaves the store; pipeline keeps its next run time.
    build_scheduler(engine, settings, parse_schedule("pipeline=cron:0 3 * * *", JOBS))
    stored = _stored(engine)
    assert set(stored) == {"beatclassifier:pipeline"}
    assert stored["beatclassifier:pipeline"]["next_run_time"] == pipeline_next
