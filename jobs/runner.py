"""Run one job once, safely: its lock, its ledger row, its outcome, its exit code.

Every run, from the CLI, cron or the scheduler, goes through ``run_job``:

1. take the job's advisory lock (``db.locks``) on its own connection, or raise
   ``AlreadyRunning`` (exit 75) without touching anything;
2. holding it, mark any 'running' rows of the job as abandoned (their process died:
   a live one would hold the lock), then write our own 'running' row;
3. call the job; on success record 'done' with its counts, on failure 'failed' with a
   one-line, secret-free summary, re-raised as ``JobFailed`` carrying the exit code.

A job is a callable ``(engine, settings, ctx) -> counts``; long jobs may call
``ctx.record(...)`` to store progress and ``ctx.stop_requested()`` to stop early.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine

from beatclassifier.errors import (
    EXIT_FAILURE,
    AlreadyRunning,
    JobFailed,
    JobStopped,
    UserError,
)
from beatclassifier.settings import Settings
from db import ledger
from db.locks import job_lock

log = logging.getLogger(__name__)

Counts = dict[str, Any]
JobFn = Callable[[Engine, Settings, "RunContext"], Mapping[str, Any]]

MAX_ERROR_CHARS = 500

# Set by SIGTERM/SIGINT (see ``stop_on_signals``): the pipeline stops between steps.
STOP = threading.Event()


@dataclass(frozen=True)
class Job:
    name: str
    run: JobFn
    description: str


@dataclass
class RunContext:
    """What a running job knows about its run, and how it reports progress."""

    engine: Engine
    run_id: int
    job: str
    trigger: str
    counts: Counts = field(default_factory=dict)
    step: str | None = None  # the pipeline step in progress, named in error summaries

    def record(self, **counts: Any) -> None:
        """Merge ``counts`` into the run's counts and store them in the ledger now."""
        self.counts.update(counts)
        with self.engine.begin() as conn:
            ledger.record_counts(conn, self.run_id, self.counts)

    @staticmethod
    def stop_requested() -> bool:
        return STOP.is_set()


@dataclass(frozen=True)
class RunOutcome:
    run_id: int
    job: str
    counts: Counts
    seconds: float
    abandoned: tuple[int, ...]  # earlier runs this one found dead and marked abandoned


def run_job(engine: Engine, settings: Settings, job: Job, trigger: str = "cli") -> RunOutcome:
    """Run ``job`` once under its lock and record it; see the module docstring."""
    with job_lock(engine, job.name) as acquired:
        if not acquired:
            raise AlreadyRunning(_busy_message(engine, job.name))
        host, pid = socket.gethostname(), os.getpid()
        with engine.begin() as conn:
            dead = ledger.abandon_running(
                conn,
                job.name,
                f"abandoned: its process ended without finishing; found when pid {pid} on "
                f"{host} took the lock",
            )
            run_id = ledger.start_run(conn, job.name, trigger, host, pid)
        for row in dead:
            log.warning(
                "%s run #%d (pid %s on %s, started %s) had died: marked abandoned; resuming",
                job.name, row.id, row.pid, row.host, row.started_at,
            )  # fmt: skip
        ctx = RunContext(engine=engine, run_id=run_id, job=job.name, trigger=trigger)
        started = time.monotonic()
        log.debug("%s run #%d started (trigger %s)", job.name, run_id, trigger)
        try:
            counts = dict(job.run(engine, settings, ctx) or {})
        except BaseException as exc:
            _record_failure(engine, settings, ctx, exc)
            raise
        seconds = time.monotonic() - started
        with engine.begin() as conn:
            ledger.finish_run(conn, run_id, "done", counts)
        log.debug("%s run #%d done in %.1fs", job.name, run_id, seconds)
        return RunOutcome(run_id, job.name, counts, seconds, tuple(row.id for row in dead))


def _record_failure(
    engine: Engine, settings: Settings, ctx: RunContext, exc: BaseException
) -> None:
    """Write the failed (or stopped) run to the ledger, then turn ``exc`` into ``JobFailed``."""
    summary = error_summary(exc, settings)
    if ctx.step is not None and not isinstance(exc, JobStopped):
        summary = f"step {ctx.step!r}: {summary}"
    # Stopped on request, interrupted, or a step busy elsewhere: unfinished, not broken.
    unfinished = isinstance(exc, (JobStopped, AlreadyRunning)) or not isinstance(exc, Exception)
    status = "abandoned" if unfinished else "failed"
    log.debug("%s run #%d: %s", ctx.job, ctx.run_id, status, exc_info=True)
    with engine.begin() as conn:
        ledger.finish_run(conn, ctx.run_id, status, ctx.counts, summary)
    if isinstance(exc, Exception):
        raise JobFailed(summary, getattr(exc, "exit_code", EXIT_FAILURE)) from exc


def error_summary(exc: BaseException, settings: Settings) -> str:
    """One line, no secrets: what the ledger and the CLI say about a failure."""
    if isinstance(exc, UserError):
        text = str(exc)
    elif isinstance(exc, KeyboardInterrupt):
        text = "interrupted (SIGINT): work committed so far is kept"
    else:
        text = f"{type(exc).__name__}: {exc}"
    line = " ".join(settings.redact(text).split())
    if len(line) > MAX_ERROR_CHARS:
        line = line[: MAX_ERROR_CHARS - 1] + "…"
    return line


def _busy_message(engine: Engine, job: str) -> str:
    with engine.connect() as conn:
        holder = ledger.running_run(conn, job)
    if holder is None:
        return f"already running: another process holds the lock of job {job!r}; try later"
    since = holder.started_at.strftime("%Y-%m-%d %H:%M:%S %Z")
    return (
        f"already running: job {job!r} is run #{holder.id} ({holder.trigger}, pid {holder.pid} "
        f"on {holder.host}, since {since}); try later"
    )


@contextmanager
def stop_on_signals(on_stop: Callable[[], None] | None = None) -> Iterator[None]:
    """While inside, SIGTERM and SIGINT set ``STOP`` (then call ``on_stop`` once).

    The pipeline finishes the step in progress and stops before the next one. A second
    SIGINT (Ctrl-C twice) interrupts at once, rolling back the step's open transaction;
    a second SIGTERM changes nothing. Must be entered from the main thread.
    """
    STOP.clear()
    stopping = threading.Lock()

    def handle(signum: int, frame: object) -> None:
        if signum == signal.SIGINT and STOP.is_set():
            raise KeyboardInterrupt
        log.warning("%s received: stopping after the current step", signal.Signals(signum).name)
        STOP.set()
        if on_stop is not None and stopping.acquire(blocking=False):
            on_stop()

    previous = {sig: signal.signal(sig, handle) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
