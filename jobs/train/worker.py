"""``beatclassifier worker``: claim queued training runs and execute them.

Any number of workers on any host that reaches the database: each claims one
run at a time with FOR UPDATE SKIP LOCKED and heartbeats from a thread while it
trains; a run whose worker died (stale heartbeat) is claimed again, up to
``max_attempts``.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from dataclasses import dataclass

from sqlalchemy import Engine

from beatclassifier.errors import UserError
from beatclassifier.settings import Settings
from db import training_queue
from jobs.train.request import TrainingRequest
from jobs.train.run import run_training

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WorkerOptions:
    poll_seconds: float = 5.0
    heartbeat_seconds: float = 10.0
    stale_seconds: float = 120.0
    max_attempts: int = 3
    exit_when_empty: bool = False


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def run_worker(engine: Engine, settings: Settings, options: WorkerOptions) -> int:
    """Process runs until stopped (or until the queue is empty); returns runs processed."""
    name = worker_name()
    processed = 0
    from jobs.train.network import training_device

    device = training_device()
    log.info("worker %s trains on %s", name, device)
    if device.startswith("cpu"):
        log.warning(
            "no GPU visible to the Keras backend: training runs on the CPU (slower). In "
            "Docker, check the NVIDIA container toolkit and the trainer's device reservation."
        )
    while True:
        with engine.begin() as conn:
            run = training_queue.claim(conn, name, options.stale_seconds)
        if run is None:
            if options.exit_when_empty:
                return processed
            time.sleep(options.poll_seconds)
            continue
        processed += 1
        execute_run(engine, settings, run, name, options)


def execute_run(
    engine: Engine,
    settings: Settings,
    run: training_queue.ClaimedRun,
    worker: str,
    options: WorkerOptions,
) -> None:
    if run.attempts > options.max_attempts:
        with engine.begin() as conn:
            training_queue.finish(
                conn, run.id, worker, error=f"gave up after {options.max_attempts} attempts"
            )
        return
    log.info("worker %s runs training run %d (attempt %d)", worker, run.id, run.attempts)
    stop = threading.Event()
    beat = threading.Thread(
        target=_heartbeat, args=(engine, run.id, worker, options, stop), daemon=True
    )
    beat.start()
    try:
        result = run_training(engine, settings, TrainingRequest.from_json(run.request))
    except Exception as exc:
        stop.set()
        beat.join()
        kind = "" if isinstance(exc, UserError) else f"{type(exc).__name__}: "
        log.error("training run %d failed: %s%s", run.id, kind, exc)
        with engine.begin() as conn:
            training_queue.finish(conn, run.id, worker, error=settings.redact(f"{kind}{exc}"))
        return
    stop.set()
    beat.join()
    with engine.begin() as conn:
        training_queue.finish(conn, run.id, worker, model_id=result.model_id)
    log.info("training run %d done: model %d", run.id, result.model_id)


def _heartbeat(
    engine: Engine, run_id: int, worker: str, options: WorkerOptions, stop: threading.Event
) -> None:
    while not stop.wait(options.heartbeat_seconds):
        try:
            with engine.begin() as conn:
                training_queue.heartbeat(conn, run_id, worker)
        except Exception:  # a missed beat is retried; the run itself decides the outcome
            log.warning("heartbeat for run %d failed", run_id, exc_info=True)
