"""The training queue: SKIP LOCKED claims, heartbeats, stale runs claimed again."""

from __future__ import annotations

from sqlalchemy import Engine, text

from db import training_queue


def test_concurrent_workers_claim_different_runs_and_stale_runs_return(engine: Engine) -> None:
    with engine.begin() as conn:
        first = training_queue.enqueue(conn, {"grid": "quick"})
        second = training_queue.enqueue(conn, {"grid": "seed"})
    with engine.connect() as a, engine.connect() as b:
        a.begin()
        b.begin()
        claim_a = training_queue.claim(a, "host-a:1", stale_seconds=60)
        claim_b = training_queue.claim(b, "host-b:1", stale_seconds=60)  # a's row is locked
        assert {claim_a.id, claim_b.id} == {first, second}
        assert claim_a.request == {"grid": "quick"}
        a.commit()
        b.commit()
    with engine.begin() as conn:
        assert training_queue.claim(conn, "host-c:1", stale_seconds=60) is None
        assert training_queue.heartbeat(conn, first, "host-a:1")
        assert not training_queue.heartbeat(conn, first, "host-b:1")  # not b's run
        conn.execute(
            text("UPDATE training_runs SET heartbeat_at = now() - interval '5 minutes' "
                 "WHERE id = :id"), {"id": first},
        )  # fmt: skip
    with engine.begin() as conn:
        again = training_queue.claim(conn, "host-c:1", stale_seconds=60)
        assert (again.id, again.attempts) == (first, 2)
        # the dead worker can no longer finish or heartbeat the run
        assert not training_queue.heartbeat(conn, first, "host-a:1")
        training_queue.finish(conn, first, "host-c:1", error="boom")
        run = training_queue.get_run(conn, first)
        assert (run["status"], run["error"], run["claimed_by"]) == ("failed", "boom", "host-c:1")
