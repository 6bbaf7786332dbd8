"""The training queue in ``training_runs``: enqueue, claim, heartbeat, finish.

Workers on any host claim with ``FOR UPDATE SKIP LOCKED``; a run whose worker
stopped heartbeating for ``stale_seconds`` is claimed again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, bindparam
from sqlalchemy.dialects.postgresql import JSONB

from db.queries import query


@dataclass(frozen=True)
class ClaimedRun:
    id: int
    request: dict[str, Any]
    attempts: int


def enqueue(conn: Connection, request: dict[str, Any]) -> int:
    statement = query("training", "enqueue_run").bindparams(bindparam("request", type_=JSONB))
    return int(conn.execute(statement, {"request": request}).scalar_one())


def claim(conn: Connection, worker: str, stale_seconds: float) -> ClaimedRun | None:
    row = conn.execute(
        query("training", "claim_run"), {"worker": worker, "stale_seconds": stale_seconds}
    ).one_or_none()
    return None if row is None else ClaimedRun(row.id, row.request, row.attempts)


def heartbeat(conn: Connection, run_id: int, worker: str) -> bool:
    """Refresh the heartbeat; False when the run is no longer this worker's."""
    result = conn.execute(query("training", "heartbeat_run"), {"run_id": run_id, "worker": worker})
    return result.rowcount == 1


def finish(
    conn: Connection,
    run_id: int,
    worker: str,
    *,
    model_id: int | None = None,
    error: str | None = None,
) -> None:
    conn.execute(
        query("training", "finish_run"),
        {
            "run_id": run_id,
            "worker": worker,
            "status": "failed" if error is not None else "done",
            "error": error,
            "model_id": model_id,
        },
    )


def get_run(conn: Connection, run_id: int) -> dict[str, Any] | None:
    row = conn.execute(query("training", "run_by_id"), {"run_id": run_id}).mappings()
    found = row.one_or_none()
    return None if found is None else dict(found)
