"""What the runner's safety costs per run: lock + ledger rows around a job.

Runs the `ingest` job (an idempotent re-import of a small synthetic catalog) N times
directly and N times through ``run_job`` (advisory lock on its own connection, abandoned
check, ledger insert and update), interleaved, and prints the medians and their ratio.
Uses DATABASE_URL when set, else an embedded PostgreSQL in a temporary directory.

    python benchmarks/ops_overhead.py [N]
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from beatclassifier.settings import Settings
from db import migrate
from db.connection import embedded_url
from jobs.ingest.csv_import import import_directory
from jobs.ingest.synthetic import SyntheticSpec, write_synthetic_catalog
from jobs.registry import JOBS
from jobs.runner import run_job


def main(n: int) -> None:
    scratch = Path(tempfile.mkdtemp(prefix="bc-bench-"))
    server = os.environ.get("DATABASE_URL") or embedded_url(scratch, database="postgres")
    server = server.replace("postgresql://", "postgresql+psycopg://", 1)
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    name = f"bc_bench_ops_{os.getpid()}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = create_engine(server).url.set(database=name).render_as_string(hide_password=False)
    engine = create_engine(url)
    try:
        migrate.upgrade(engine)
        catalog = write_synthetic_catalog(scratch / "catalog", SyntheticSpec(artists=4, tracks=200))
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
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
