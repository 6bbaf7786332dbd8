"""The pipeline: several jobs in order, each a full run of its own (lock and ledger row).

A step may declare when to skip itself (``skip_if``): e.g. training runs only when
the training data changed since the active model's fingerprint. Between steps the
pipeline honours a stop request (SIGTERM), so a stop never cuts a step in half.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import Engine

from beatclassifier.errors import JobStopped
from beatclassifier.settings import Settings
from jobs.runner import Counts, Job, RunContext, run_job

# A reason to skip the step now, or None to run it.
SkipCheck = Callable[[Engine, Settings], str | None]
Fingerprint = Callable[[Engine, Settings], str | None]


@dataclass(frozen=True)
class Step:
    job: Job
    skip_if: SkipCheck | None = None


def unless_changed(current: Fingerprint, recorded: Fingerprint, what: str) -> SkipCheck:
    """Skip while ``current`` equals ``recorded`` (e.g. the data's fingerprint and the one
    the active model was trained on); run when they differ or nothing is recorded yet."""

    def check(engine: Engine, settings: Settings) -> str | None:
        before = recorded(engine, settings)
        if before is not None and current(engine, settings) == before:
            return f"{what} unchanged (fingerprint {before[:12]})"
        return None

    return check


def run_pipeline(
    steps: Sequence[Step], engine: Engine, settings: Settings, ctx: RunContext
) -> Counts:
    """Run ``steps`` in order as child runs (trigger ``pipeline#<run id>``); returns,
    per step, its status and counts. The first failing step stops the pipeline."""
    for index, step in enumerate(steps):
        name = step.job.name
        if ctx.stop_requested():
            rest = ", ".join(s.job.name for s in steps[index:])
            raise JobStopped(f"stopped on request before step {name!r}; not run: {rest}")
        ctx.step = name
        reason = step.skip_if(engine, settings) if step.skip_if is not None else None
        if reason is not None:
            ctx.record(**{name: {"status": "skipped", "reason": reason}})
            continue
        outcome = run_job(engine, settings, step.job, trigger=f"pipeline#{ctx.run_id}")
        ctx.record(**{name: {**outcome.counts, "status": "done", "run": outcome.run_id}})
    ctx.step = None
    return ctx.counts
