"""What the runner's safety costs per run: lock + ledger rows around a job.

Runs the `ingest` job (an idempotent re-import of a small synthetic catalog) N times
directly and N times through ``run_job`` (advisory lock on its own connection, abandoned
check, ledger insert and update), interleaved, and prints the medians and their ratio.
Uses DATABASE_URL when set, else an embedded PostgreSQL in a temporary directory.

    python -m benchmarks.ops_overhead [N]   (from the repository root)
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

from beatclassifier.settings import Settings
from benchmarks.fresh_db import fresh_database
from jobs.ingest.csv_import import import_directory
from jobs.ingest.synthetic import SyntheticSpec, write_synthetic_catalog
from jobs.registry import JOBS
from jobs.runner import run_job


def main(n: int) -> None:
    with fresh_database() as engine, tempfile.TemporaryDirectory(prefix="bc-bench-") as scratch:
        url = engine.url.render_as_string(hide_password=False)
        spec = SyntheticSpec(artists=4, tracks=200)
        catalog = write_synthetic_catalog(Path(scratch) / "catalog", spec)
        settings = Settings(DATABASE_URL=url, ingest_csv_dir=catalog)
        import_directory(engine, catalog)  # first import; every timed run is a no-op re-import
        direct, wrapped = [], []
        for _ in range(n):
            started = time.perf_counter()
            import_directory(engine, catalog)
            direct.append(time.perf_counter() - started)
            started = time.perf_counter()
            run_job(engine, settings, JOBS["ingest"])
            wrapped.append(time.perf_counter() - started)
    d, w = statistics.median(direct) * 1e3, statistics.median(wrapped) * 1e3
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs; {n} runs each")
    print(f"ingest job directly:           median {d:7.1f} ms")
    print(f"through run_job (lock+ledger): median {w:7.1f} ms")
    print(f"runner overhead: {w - d:+.1f} ms per run, ratio {w / d:.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
