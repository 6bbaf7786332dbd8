"""The job ledger (``job_runs``): who ran what, when, with which outcome and counts.

Each function takes a ``Connection``; callers commit. The runner writes through
short autocommit transactions so the ledger survives a job's own rollback.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Row

from db.queries import query

STATUSES = ("running", "done", "failed", "abandoned")


def start_run(conn: Connection, job: str, trigger: str, host: str, pid: int) -> int:
    """A new 'running' row; returns its id."""
    return int(
        conn.scalar(
            query("ledger", "start_run"), {"job": job, "trigger": trigger, "host": host, "pid": pid}
        )
    )


def record_counts(conn: Connection, run_id: int, counts: Mapping[str, Any]) -> None:
    """Counts so far, so a run killed midway still shows how far it got."""
    conn.execute(query("ledger", "record_counts"), {"id": run_id, "counts": json.dumps(counts)})


def finish_run(
    conn: Connection,
    run_id: int,
    status: str,
    counts: Mapping[str, Any],
    error: str | None = None,
) -> None:
    if status not in STATUSES[1:]:
        raise ValueError(f"a finished run's status is one of {STATUSES[1:]}, not {status!r}")
    conn.execute(
        query("ledger", "finish_run"),
        {"id": run_id, "status": status, "counts": json.dumps(counts), "error": error},
    )


def abandon_running(conn: Connection, job: str, note: str) -> Sequence[Row]:
    """Mark ``job``'s 'running' rows abandoned; only call it while holding the job's lock."""
    return conn.execute(query("ledger", "abandon_running"), {"job": job, "note": note}).all()


def running_run(conn: Connection, job: str) -> Row | None:
    """The newest 'running' row of ``job`` (who holds it, for the "already running" message)."""
    return conn.execute(query("ledger", "running_run"), {"job": job}).first()


def recent_runs(conn: Connection, limit: int, job: str | None = None) -> Sequence[Row]:
    """The newest ``limit`` runs, newest first, of ``job`` or of every job."""
    return conn.execute(query("ledger", "recent_runs"), {"job": job, "limit": limit}).all()


def latest_per_job(conn: Connection) -> Sequence[Row]:
    """Each job's newest run, by job name."""
    return conn.execute(query("ledger", "latest_per_job")).all()
