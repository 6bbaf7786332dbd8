"""Prediction write speed: rows per second for 10,000 beats x 19 groups.

Creates a scratch database on the configured server (DATABASE_URL, else the
embedded one), imports a synthetic catalog of 19 artists and 10,000 beats,
trains a throwaway model (quick grid, a few epochs: its quality is irrelevant
here), then times ``predict_beats`` over every beat, twice (first write, then a
replacing re-run). The scratch database is dropped at the end.

    python -m benchmarks.predict [--beats 10000] [--groups 19]   (from the repository root)
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--beats", type=int, default=10_000)
    parser.add_argument("--groups", type=int, default=19)
    args = parser.parse_args()

    from beatclassifier.settings import Settings
    from benchmarks.fresh_db import fresh_database
    from jobs.ingest.csv_import import import_directory
    from jobs.ingest.synthetic import SyntheticSpec, write_synthetic_catalog
    from jobs.predict import predict_beats
    from jobs.train.request import TrainingRequest
    from jobs.train.run import run_training

    settings = Settings()
    with fresh_database() as engine:
        spec = SyntheticSpec(artists=args.groups, tracks=args.groups * 60, beats=args.beats)
        with tempfile.TemporaryDirectory() as tmp:
            import_directory(engine, write_synthetic_catalog(Path(tmp) / "cat", spec))
        request = TrainingRequest(grid="quick", min_songs=1, max_epochs=3, folds=3)
        run_training(engine, settings, request)
        for label in ("first write", "replacing re-run"):
            started = time.perf_counter()
            result = predict_beats(engine, all_beats=True)
            seconds = time.perf_counter() - started
            print(f"{label}: {result.rows_written} rows ({result.beats_scored} beats x "
                  f"{result.rows_written // max(result.beats_scored, 1)} groups) in "
                  f"{seconds:.2f} s = {result.rows_written / seconds:,.0f} rows/s "
                  "(load model + read beats + predict + COPY/replace)")  # fmt: skip
            phases = ", ".join(f"{k} {v:.2f} s" for k, v in result.seconds.items())
            write = result.seconds["write"]
            print(f"  phases: {phases}; write alone {result.rows_written / write:,.0f} rows/s")


if __name__ == "__main__":
    main()
