"""Every job ``beatclassifier run`` and the scheduler know, by name, and the pipeline.

A job is one entry: ``Job(name, fn, description)`` with ``fn(engine, settings, ctx)``
returning its counts (requests made, rows written, ...). To add one, write the
adapter next to the others and add the entry; to put it in the pipeline, add a
``Step`` (with ``skip_if`` when it should only run on changed data).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from sqlalchemy import Engine

from beatclassifier.errors import UserError
from beatclassifier.settings import Settings
from jobs.ingest.csv_import import import_directory
from jobs.pipeline import Step, run_pipeline
from jobs.runner import Job, RunContext
from reports.refresh import refresh_views


def ingest_csv(engine: Engine, settings: Settings, ctx: RunContext) -> dict[str, Any]:
    """Import the configured seed-format directory (idempotent: re-runs add nothing)."""
    if settings.ingest_csv_dir is None:
        raise UserError(
            "nothing to ingest: set BEATCLASSIFIER_INGEST_CSV_DIR to a seed-format directory"
        )
    result = import_directory(engine, settings.ingest_csv_dir)
    w = result.written
    written = {
        "artists": w.artists,
        "albums": w.albums,
        "tracks": w.tracks,
        "features": w.features,
        "beats": w.beats,
    }
    return {
        "rows_read": result.rows_read + result.beats_read,
        "rows_written": sum(written.values()) + w.credits,
        **written,
        "duplicates_marked": result.marks_changed,
    }


def report_refresh(engine: Engine, settings: Settings, ctx: RunContext) -> dict[str, Any]:
    """Refresh the materialized reporting views that Tableau and Excel read."""
    seconds = refresh_views(engine)
    return {"views_refreshed": len(seconds), "seconds": round(sum(seconds.values()), 3)}


JOBS: dict[str, Job] = {
    job.name: job
    for job in (
        Job("ingest", ingest_csv, "import the seed CSV directory BEATCLASSIFIER_INGEST_CSV_DIR"),
        Job("report-refresh", report_refresh, "refresh the materialized reporting views"),
    )
}

PIPELINE_STEPS: tuple[Step, ...] = (Step(JOBS["ingest"]), Step(JOBS["report-refresh"]))

JOBS["pipeline"] = Job(
    "pipeline",
    partial(run_pipeline, PIPELINE_STEPS),
    "the steps in order, each a run of its own: " + ", ".join(s.job.name for s in PIPELINE_STEPS),
)


def get_job(name: str) -> Job:
    try:
        return JOBS[name]
    except KeyError:
        raise UserError(f"unknown job {name!r}; known: {', '.join(sorted(JOBS))}") from None
