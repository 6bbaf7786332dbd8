"""One-at-a-time jobs: a PostgreSQL advisory lock per job name.

The lock is session-level and lives on its own connection, held for the whole run,
so it does not depend on the job's transactions; if the process dies, PostgreSQL
drops the connection and the lock with it. Keys are stable across processes and
PostgreSQL versions (crc32 of the name, not ``hashtext``).
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine

from db.queries import query

log = logging.getLogger(__name__)

NAMESPACE = 0x62634A42  # "bcJB": keeps our keys apart from other users of advisory locks


def lock_key(name: str) -> int:
    """The lock key of job ``name``: non-negative, so it reads back unchanged from pg_locks."""
    return zlib.crc32(name.encode()) & 0x7FFFFFFF


@contextmanager
def job_lock(engine: Engine, name: str) -> Iterator[bool]:
    """Try to take ``name``'s lock without waiting; yield whether we hold it.

    The lock is released when the block ends, whatever happens inside it.
    """
    params = {"namespace": NAMESPACE, "key": lock_key(name)}
    conn = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
    acquired = False
    try:
        acquired = bool(conn.scalar(query("locks", "try_lock"), params))
        yield acquired
    finally:
        if acquired:
            _unlock(conn, name, params)
        conn.close()


def _unlock(conn: Connection, name: str, params: dict[str, int]) -> None:
    try:
        conn.scalar(query("locks", "unlock"), params)
    except Exception:
        # The connection broke (server restart): the lock died with it. Never hand a
        # connection that might still hold it back to the pool.
        log.warning("could not release the lock of %s; discarding its connection", name)
        conn.invalidate()


def held_locks(conn: Connection, names: Iterable[str]) -> set[str]:
    """Which of ``names`` some session holds the lock of right now (read-only check)."""
    rows = conn.execute(query("locks", "held_keys"), {"namespace": NAMESPACE})
    keys = {int(row.key) for row in rows}
    return {name for name in names if lock_key(name) in keys}
