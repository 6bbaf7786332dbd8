"""Import 1,000,000 synthetic tracks in the seed CSV format into a fresh database.

    python -m benchmarks.import_csv [--tracks N]   (from the repository root)

Prints the time to generate, validate and import, and rows per second. Target
(issue 3): the whole import under 60 s on a 2-core machine.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from benchmarks.fresh_db import fresh_database
from jobs.ingest.csv_import import import_directory
from jobs.ingest.synthetic import SyntheticSpec, write_synthetic_catalog


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tracks", type=int, default=1_000_000)
    parser.add_argument("--artists", type=int, default=500)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bc-bench-csv-") as tmp:
        started = time.perf_counter()
        directory = write_synthetic_catalog(
            Path(tmp), SyntheticSpec(artists=args.artists, tracks=args.tracks, beats=100)
        )
        generated = time.perf_counter() - started
        with fresh_database() as engine:
            started = time.perf_counter()
            result = import_directory(engine, directory)
            imported = time.perf_counter() - started
            started = time.perf_counter()
            again = import_directory(engine, directory)
            reimported = time.perf_counter() - started

    print(f"generated {args.tracks:,} synthetic tracks in {generated:.1f} s (not timed below)")
    print(result.summary())
    print(
        f"import: {imported:.1f} s for {result.rows_read:,} rows = "
        f"{result.rows_read / imported:,.0f} rows/s (target: under 60 s)"
    )
    print(
        f"re-import of the same directory (no changes): {reimported:.1f} s, changed={again.changed}"
    )


if __name__ == "__main__":
    main()
