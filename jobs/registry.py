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
from db import training_data
from jobs.ingest.csv_import import import_directory
from jobs.ingest.spotify import IngestResult, run_features, run_ingest
from jobs.ingest.web import RateLimited
from jobs.pipeline import Step, run_pipeline, unless_changed
from jobs.predict import predict_beats
from jobs.runner import Job, RunContext
from jobs.train.request import TrainingRequest
from jobs.train.run import run_training
from reports.refresh import refresh_views


def ingest(engine: Engine, settings: Settings, ctx: RunContext) -> dict[str, Any]:
    """Fetch BEATCLASSIFIER_ARTISTS_FILE's artists through the Spotify API when it is set,
    else import the seed-format directory BEATCLASSIFIER_INGEST_CSV_DIR."""
    if settings.artists_file is not None:
        return _api_counts(run_ingest(engine, settings, settings.artists_file), ctx)
    return ingest_csv(engine, settings, ctx)


def features(engine: Engine, settings: Settings, ctx: RunContext) -> dict[str, Any]:
    """Ask the provider chain for every stored track still lacking features."""
    return _api_counts(run_features(engine, settings), ctx)


def _api_counts(result: IngestResult, ctx: RunContext) -> dict[str, Any]:
    """The run's counts; a run a long rate limit stopped keeps its work and exits 75."""
    counts = result.as_dict()
    if result.stopped:
        ctx.record(**counts)
        raise RateLimited(result.stopped)
    return counts


def ingest_csv(engine: Engine, settings: Settings, ctx: RunContext) -> dict[str, Any]:
    """Import the configured seed-format directory (idempotent: re-runs add nothing)."""
    if settings.ingest_csv_dir is None:
        raise UserError(
            "nothing to ingest: set BEATCLASSIFIER_ARTISTS_FILE (Spotify) or "
            "BEATCLASSIFIER_INGEST_CSV_DIR (a seed-format directory)"
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


def scheduled_training_request(settings: Settings) -> TrainingRequest:
    """What scheduled and pipeline training runs: the BEATCLASSIFIER_TRAIN_* settings."""
    groups = settings.train_groups_file
    return TrainingRequest(
        groups_file=str(groups) if groups else None,
        grid=settings.train_grid,
        min_songs=settings.train_min_songs,
        name=f"scheduled-{settings.train_grid}",
    )


def _scheduled_label_set(settings: Settings) -> str:
    groups = settings.train_groups_file
    return groups.stem if groups else training_data.PER_ARTIST


def current_fingerprint(engine: Engine, settings: Settings) -> str | None:
    """Fingerprint of the data scheduled training would read now."""
    with engine.connect() as conn:
        return training_data.current_fingerprint(conn, _scheduled_label_set(settings))


def active_model_fingerprint(engine: Engine, settings: Settings) -> str | None:
    """Fingerprint of the data the label set's active model was trained on."""
    with engine.connect() as conn:
        return training_data.active_fingerprint(conn, _scheduled_label_set(settings))


def train(engine: Engine, settings: Settings, ctx: RunContext) -> dict[str, Any]:
    """Grid-search, evaluate and register a model; it becomes active only if it is better."""
    result = run_training(engine, settings, scheduled_training_request(settings))
    network = result.metrics["network"][result.refit_metric]
    return {
        "model_id": result.model_id,
        "activated": result.activated,
        "label_set": result.label_set,
        result.refit_metric: round(network["mean"], 4),
    }


def predict(engine: Engine, settings: Settings, ctx: RunContext) -> dict[str, Any]:
    """Score every beat that lacks predictions from an active model."""
    result = predict_beats(engine)
    return {
        "rows_written": result.rows_written,
        "beats_scored": result.beats_scored,
        "beats_skipped": len(result.skipped),
    }


JOBS: dict[str, Job] = {
    job.name: job
    for job in (
        Job(
            "ingest",
            ingest,
            "fetch BEATCLASSIFIER_ARTISTS_FILE through Spotify, else import "
            "BEATCLASSIFIER_INGEST_CSV_DIR",
        ),
        Job("features", features, "ask the feature providers for tracks still lacking features"),
        Job("report-refresh", report_refresh, "refresh the materialized reporting views"),
        Job("train", train, "train on the BEATCLASSIFIER_TRAIN_* settings; activate if better"),
        Job("predict", predict, "write predictions for beats that lack them"),
    )
}

PIPELINE_STEPS: tuple[Step, ...] = (
    Step(JOBS["ingest"]),
    Step(JOBS["report-refresh"]),
    Step(
        JOBS["train"],
        skip_if=unless_changed(current_fingerprint, active_model_fingerprint, "training data"),
    ),
    Step(JOBS["predict"]),
)

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
