"""The long-running scheduler: APScheduler 3.11, its job store in our own database.

Schedules come from ``BEATCLASSIFIER_SCHEDULE`` (``JOB=cron:0 3 * * *;JOB=interval:3600``)
or a TOML file (``[jobs.JOB]`` tables with ``cron = "..."`` or ``interval_seconds = N``).
Each entry becomes one persistent APScheduler job calling ``run_scheduled(JOB)``,
which goes through the same runner (lock + ledger) as cron runs, so the two never
overlap. Batch defaults: ``coalesce`` (missed runs collapse into one),
``max_instances=1`` and a generous ``misfire_grace_time``. Unchanged entries keep
their stored next run time across restarts, so a run missed while the scheduler
was down still happens (within the grace time) when it comes back.
"""

from __future__ import annotations

import logging
import pickle
import tomllib
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import Engine, select

from beatclassifier.errors import AlreadyRunning, InputError, UserError
from beatclassifier.settings import Settings
from db.locks import job_lock
from jobs.registry import get_job
from jobs.runner import run_job, stop_on_signals

log = logging.getLogger(__name__)

JOBSTORE_TABLE = "apscheduler_jobs"
SCHEDULER_LOCK = "scheduler"  # one scheduler per job store (APScheduler requires it)
JOB_ID_PREFIX = "beatclassifier:"
RUN_SCHEDULED = "jobs.scheduler:run_scheduled"

_context: tuple[Engine, Settings] | None = None


@dataclass(frozen=True)
class ScheduleEntry:
    job: str
    kind: Literal["cron", "interval"]
    spec: str  # crontab fields, or whole seconds

    @property
    def job_id(self) -> str:
        return JOB_ID_PREFIX + self.job

    def trigger(self) -> BaseTrigger:
        if self.kind == "cron":
            return CronTrigger.from_crontab(self.spec, timezone="UTC")
        return IntervalTrigger(seconds=int(self.spec))

    def __str__(self) -> str:
        return f"{self.job}={self.kind}:{self.spec}"


def _entry(job: str, kind: str, spec: str, known: Collection[str]) -> ScheduleEntry:
    """One validated entry; ``ValueError`` says what is wrong with it."""
    if job not in known:
        raise ValueError(f"unknown job {job!r}; known: {', '.join(sorted(known))}")
    spec = spec.strip()
    if kind == "cron":
        try:
            CronTrigger.from_crontab(spec)
        except ValueError as exc:
            raise ValueError(f"bad crontab {spec!r} (want 'MIN HOUR DOM MON DOW'): {exc}") from None
    elif kind == "interval":
        if not spec.isdigit() or int(spec) < 1:
            raise ValueError(f"interval must be a whole number of seconds >= 1, not {spec!r}")
    else:
        raise ValueError(f"unknown schedule kind {kind!r}; use cron or interval")
    return ScheduleEntry(job, kind, spec)  # type: ignore[arg-type]


def _no_duplicates(entries: Sequence[ScheduleEntry], where: str) -> list[ScheduleEntry]:
    seen: set[str] = set()
    for entry in entries:
        if entry.job in seen:
            raise InputError(f"job {entry.job!r} is scheduled twice; one entry per job", file=where)
        seen.add(entry.job)
    return list(entries)


def parse_schedule(text: str, known: Collection[str]) -> list[ScheduleEntry]:
    """``JOB=cron:MIN HOUR DOM MON DOW`` / ``JOB=interval:SECONDS`` entries, ';'-separated."""
    entries = []
    for number, raw in enumerate((part.strip() for part in text.split(";")), start=1):
        if not raw:
            continue
        job, eq, rest = raw.partition("=")
        kind, colon, spec = rest.partition(":")
        try:
            if not (eq and colon):
                raise ValueError("want JOB=cron:MIN HOUR DOM MON DOW or JOB=interval:SECONDS")
            entries.append(_entry(job.strip(), kind.strip(), spec, known))
        except ValueError as exc:
            raise InputError(
                f"entry {number} {raw!r}: {exc}", file="BEATCLASSIFIER_SCHEDULE"
            ) from None
    return _no_duplicates(entries, "BEATCLASSIFIER_SCHEDULE")


def load_schedule_file(path: Path, known: Collection[str]) -> list[ScheduleEntry]:
    """A TOML schedule: ``[jobs.pipeline]`` ``cron = "0 3 * * *"`` (or ``interval_seconds``)."""
    try:
        document = tomllib.loads(path.read_text())
    except OSError as exc:
        raise InputError(f"cannot read the schedule: {exc.strerror}", file=str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"not valid TOML: {exc}", file=str(path)) from None
    jobs = document.get("jobs")
    if not isinstance(jobs, dict) or not jobs:
        raise InputError("no [jobs.NAME] tables: nothing to schedule", file=str(path))
    entries = []
    for job, table in jobs.items():
        try:
            kinds = {"cron", "interval_seconds"} & set(table)
            if len(kinds) != 1 or set(table) - kinds:
                raise ValueError('give exactly one of cron = "..." or interval_seconds = N')
            key = kinds.pop()
            kind = "cron" if key == "cron" else "interval"
            entries.append(_entry(job, kind, str(table[key]), known))
        except (ValueError, TypeError) as exc:
            raise InputError(f"[jobs.{job}]: {exc}", file=str(path)) from None
    return entries


def configured_schedule(settings: Settings, known: Collection[str]) -> list[ScheduleEntry]:
    """The schedule file when one is set, else ``BEATCLASSIFIER_SCHEDULE``."""
    if settings.schedule_file is not None:
        return load_schedule_file(settings.schedule_file, known)
    entries = parse_schedule(settings.schedule, known)
    if not entries:
        raise UserError("the schedule is empty: set BEATCLASSIFIER_SCHEDULE or a schedule file")
    return entries


def build_scheduler(
    engine: Engine, settings: Settings, entries: Sequence[ScheduleEntry]
) -> BlockingScheduler:
    """A scheduler whose persistent job store holds exactly ``entries`` (nothing else)."""
    global _context
    _context = (engine, settings)
    store = SQLAlchemyJobStore(engine=engine, tablename=JOBSTORE_TABLE)
    defaults = {
        "misfire_grace_time": settings.misfire_grace_s,
        "coalesce": True,
        "max_instances": 1,
    }
    scheduler = BlockingScheduler(
        jobstores={"default": store},
        executors={"default": ThreadPoolExecutor(max_workers=max(1, len(entries)))},
        job_defaults=defaults,
        timezone="UTC",
    )
    stored = _stored_jobs(store)
    for job_id in stored.keys() - {e.job_id for e in entries}:
        log.info("removing %s from the job store: no longer scheduled", job_id)
        store.remove_job(job_id)
    for entry in entries:
        if _signature(stored.get(entry.job_id)) == _signature(_state(entry, defaults)):
            continue  # unchanged: keep its stored next run time (a missed run still fires)
        scheduler.add_job(
            RUN_SCHEDULED,
            trigger=entry.trigger(),
            args=[entry.job],
            id=entry.job_id,
            name=str(entry),
            replace_existing=True,
        )
    return scheduler


def _stored_jobs(store: SQLAlchemyJobStore) -> dict[str, dict[str, Any]]:
    """The job states in the store's table (created here if new), by id."""
    store.jobs_t.create(store.engine, checkfirst=True)
    table = store.jobs_t
    with store.engine.connect() as conn:
        rows = conn.execute(select(table.c.id, table.c.job_state)).all()
    return {row.id: pickle.loads(row.job_state) for row in rows}


def _state(entry: ScheduleEntry, defaults: dict[str, Any]) -> dict[str, Any]:
    return {"func": RUN_SCHEDULED, "args": (entry.job,), "trigger": entry.trigger(), **defaults}


def _signature(state: dict[str, Any] | None) -> tuple | None:
    """What makes two stored jobs the same schedule (not their next run time)."""
    if state is None:
        return None
    trigger = state["trigger"]
    return (
        state["func"],
        tuple(state["args"]),
        type(trigger).__name__,
        str(trigger),
        state["misfire_grace_time"],
        state["coalesce"],
        state["max_instances"],
    )


def run_scheduled(job_name: str) -> None:
    """What APScheduler calls (by the textual reference ``RUN_SCHEDULED``)."""
    if _context is None:
        raise RuntimeError("run_scheduled runs only inside a scheduler built by build_scheduler")
    engine, settings = _context
    try:
        outcome = run_job(engine, settings, get_job(job_name), trigger="scheduler")
    except AlreadyRunning as exc:
        log.warning("scheduled %s skipped: %s", job_name, exc)
    except UserError as exc:  # already in the ledger as failed
        log.error("scheduled %s failed: %s", job_name, exc)
    except Exception as exc:  # before the ledger row existed (e.g. the database is down)
        log.error("scheduled %s could not start: %s", job_name, settings.redact(str(exc)))
    else:
        log.info("scheduled %s done (run #%d)", job_name, outcome.run_id)


def serve(engine: Engine, settings: Settings, entries: Sequence[ScheduleEntry]) -> None:
    """Run the scheduler until SIGTERM/SIGINT; a run in progress finishes its step first."""
    with job_lock(engine, SCHEDULER_LOCK) as acquired:
        if not acquired:
            raise AlreadyRunning(
                "already running: another scheduler uses this database's job store"
            )
        scheduler = build_scheduler(engine, settings, entries)
        for entry in entries:
            log.info("scheduled: %s", entry)
        with stop_on_signals(lambda: scheduler.shutdown(wait=True)):
            scheduler.start()
        log.info("scheduler stopped")
