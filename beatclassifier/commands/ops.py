"""``run``, ``scheduler`` and ``jobs``: run batch jobs unattended, and see how they went."""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import logging
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from beatclassifier.app import App
from beatclassifier.errors import EXIT_FAILURE, JobFailed, UserError
from db import ledger
from db.locks import held_locks
from jobs.registry import JOBS, get_job
from jobs.runner import error_summary, run_job, stop_on_signals
from jobs.scheduler import (
    ScheduleEntry,
    configured_schedule,
    load_schedule_file,
    parse_schedule,
    serve,
)

log = logging.getLogger(__name__)

Handler = Callable[[argparse.Namespace, App], int]


EXIT_CODES = """\
exit codes: 0 done; 75 already running (another run holds the job's lock: nothing was
done, try later); 143 stopped by SIGTERM between pipeline steps (the next run resumes);
2 bad input or configuration; 1 any other failure. Failures print one line (-v for
the traceback) and are recorded in the job_runs ledger (`beatclassifier jobs status`)."""

SCHEDULE_HELP = """\
The schedule comes from --schedule-file / BEATCLASSIFIER_SCHEDULE_FILE (TOML):

  [jobs.pipeline]
  cron = "0 3 * * *"          # MIN HOUR DOM MON DOW, UTC
  [jobs.ingest]
  interval_seconds = 21600

or else from --schedule / BEATCLASSIFIER_SCHEDULE (default "pipeline=cron:0 3 * * *"):

  BEATCLASSIFIER_SCHEDULE="pipeline=cron:0 3 * * *;ingest=interval:21600"

Runs are batch-friendly: a run missed by less than BEATCLASSIFIER_MISFIRE_GRACE_S
(default 3600 s) still starts, missed runs coalesce into one, and a job never runs
twice at once (max_instances=1, plus the job's database lock shared with cron runs).
The job store is the table apscheduler_jobs in the same database; only one scheduler
may use it. SIGTERM (docker stop) stops it cleanly after the current step."""


def register(commands: argparse._SubParsersAction) -> None:
    jobs_list = "\n".join(f"  {name:<16}{job.description}" for name, job in sorted(JOBS.items()))
    run = commands.add_parser(
        "run",
        help="run one job once (for cron), under its lock and recorded in the ledger",
        description=f"Run JOB once.\n\njobs:\n{jobs_list}\n\n{EXIT_CODES}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    run.add_argument("job", choices=sorted(JOBS), metavar="JOB", help="the job to run")
    run.add_argument(
        "--trigger",
        default="cli",
        help="what started this run, as recorded in the ledger (crontab lines pass 'cron')",
    )
    run.set_defaults(handler=_run)

    scheduler = commands.add_parser(
        "scheduler",
        help="run jobs on a schedule until stopped (APScheduler)",
        description=f"Run the configured schedule until SIGTERM.\n\n{SCHEDULE_HELP}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    scheduler.add_argument("--schedule", metavar="SPEC", help="overrides BEATCLASSIFIER_SCHEDULE")
    scheduler.add_argument(
        "--schedule-file", metavar="FILE", help="a TOML schedule (overrides the environment)"
    )
    scheduler.add_argument(
        "--check", action="store_true", help="print the parsed schedule and exit"
    )
    scheduler.set_defaults(handler=_scheduler)

    jobs = commands.add_parser(
        "jobs",
        help="the job ledger: recent runs, failures, known jobs",
        description="Inspect the job_runs ledger that every run writes to.",
    )
    sub = jobs.add_subparsers(dest="jobs_command", metavar="ACTION", required=True)
    status = sub.add_parser(
        "status",
        help="the last runs and each job's latest outcome",
        description="Print the newest runs (job, trigger, status, start, duration, counts, "
        "error) and each job's latest run. Exits 1 when some job's latest run failed, so a "
        "monitor can alert on it; 0 otherwise.",
    )
    status.add_argument("-n", "--limit", type=int, default=20, help="how many runs (default 20)")
    status.add_argument("--job", help="only this job's runs")
    status.set_defaults(handler=_status)
    listing = sub.add_parser("list", help="the jobs `run` and the scheduler know")
    listing.set_defaults(handler=_list)


def one_line_failures(handler: Handler) -> Handler:
    """Cron reads one line: an outage (database unreachable...) becomes ``JobFailed``."""

    @functools.wraps(handler)
    def wrapped(args: argparse.Namespace, app: App) -> int:
        try:
            return handler(args, app)
        except UserError:
            raise
        except Exception as exc:
            log.debug("%s failed", args.command, exc_info=True)
            raise JobFailed(error_summary(exc, app.settings)) from exc

    return wrapped


@one_line_failures
def _run(args: argparse.Namespace, app: App) -> int:
    job = get_job(args.job)
    engine = app.engine()
    with stop_on_signals():
        outcome = run_job(engine, app.settings, job, trigger=args.trigger)
    if outcome.abandoned:
        print(f"marked abandoned: runs {', '.join(f'#{i}' for i in outcome.abandoned)}")
    print(f"{job.name} done in {outcome.seconds:.1f}s (run #{outcome.run_id})")
    if outcome.counts:
        print(format_counts(outcome.counts))
    return 0


@one_line_failures
def _scheduler(args: argparse.Namespace, app: App) -> int:
    if args.schedule_file:
        entries = load_schedule_file(Path(args.schedule_file), JOBS)
    elif args.schedule:
        entries = parse_schedule(args.schedule, JOBS)
    else:
        entries = configured_schedule(app.settings, JOBS)
    if args.check:
        for entry in entries:
            print(f"{entry.job}: {entry.kind} {entry.spec}  (next: {_next_fire(entry)})")
        return 0
    serve(app.engine(), app.settings, entries)
    return 0


def _next_fire(entry: ScheduleEntry) -> str:
    now = dt.datetime.now(dt.UTC)
    when = entry.trigger().get_next_fire_time(None, now)
    return when.strftime("%Y-%m-%d %H:%M:%S %Z") if when else "never"


@one_line_failures
def _status(args: argparse.Namespace, app: App) -> int:
    with app.engine().connect() as conn:
        runs = ledger.recent_runs(conn, args.limit, args.job)
        latest = ledger.latest_per_job(conn)
        alive = held_locks(conn, {row.job for row in (*runs, *latest)})
    if not runs:
        print("no runs recorded yet")
        return 0
    print(f"last {len(runs)} runs, newest first (times UTC):")
    print(_line("run", "job", "trigger", "status", "started", "took", "details"))
    for row in runs:
        print(_run_line(row, alive))
    print("\nlatest run of each job:")
    failed = []
    for row in latest:
        print(_run_line(row, alive))
        if row.status == "failed":
            failed.append(row)
    for row in failed:
        print(f"failed: {row.job} (run #{row.id}): {row.error}", file=sys.stderr)
    return EXIT_FAILURE if failed else 0


def _run_line(row: Any, alive: set[str]) -> str:
    status = row.status
    if status == "running" and row.job not in alive:
        status = "dead?"  # running, but nobody holds the lock: the next run marks it abandoned
    started = row.started_at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
    took = f"{(row.finished_at - row.started_at).total_seconds():.1f}s" if row.finished_at else "-"
    details = row.error if row.error else format_counts(row.counts)
    return _line(str(row.id), row.job, row.trigger, status, started, took, details)


def _line(*cells: str) -> str:
    run, job, trigger, status, started, took, details = cells
    return f"{run:>6}  {job:<16}{trigger:<14}{status:<11}{started:<21}{took:>8}  {details}"


def format_counts(counts: Mapping[str, Any], prefix: str = "") -> str:
    """``a=1 b.c=2``: nested counts (a pipeline's steps) flattened to dotted keys."""
    parts = []
    for key, value in counts.items():
        if isinstance(value, Mapping):
            parts.append(format_counts(value, f"{prefix}{key}."))
        else:
            parts.append(f"{prefix}{key}={value}")
    return " ".join(part for part in parts if part)


def _list(args: argparse.Namespace, app: App) -> int:
    for name, job in sorted(JOBS.items()):
        print(f"{name:<16}{job.description}")
    return 0
