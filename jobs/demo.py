"""The end-to-end demo behind ``make demo``: real data when present, else synthetic."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from db import catalog
from jobs.ingest.csv_import import import_directory
from jobs.ingest.synthetic import write_synthetic_catalog
from reports.exports import export_all
from reports.refresh import refresh_views

SEED_SAMPLE = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "seed-sample"


@dataclass(frozen=True)
class DemoCatalog:
    directory: Path
    synthetic: bool

    @property
    def label(self) -> str:
        if self.synthetic:
            return f"SYNTHETIC catalog (generated; not real artists) in {self.directory}"
        return f"real seed sample from {self.directory}"


def demo_catalog(data_dir: Path) -> DemoCatalog:
    """The study's seed sample beside the checkout, else a generated synthetic one."""
    if (SEED_SAMPLE / "artistsongs.csv").exists():
        return DemoCatalog(SEED_SAMPLE, synthetic=False)
    return DemoCatalog(write_synthetic_catalog(data_dir / "synthetic-catalog"), synthetic=True)


def run_demo(engine: Engine, data_dir: Path) -> None:
    source = demo_catalog(data_dir)
    print(f"== catalog: {source.label}")
    result = import_directory(engine, source.directory)
    print(result.summary())
    with engine.connect() as conn:
        totals = catalog.summary(conn)
    print("== database summary")
    print(
        f"artists {totals['artists']}, albums {totals['albums']}, tracks {totals['tracks']}, "
        f"canonical tracks {totals['canonical_tracks']}, beats {totals['beats']}"
    )
    print("== reports")
    seconds = refresh_views(engine)
    print(f"reporting views refreshed in {sum(seconds.values()):.2f} s")
    out_dir = data_dir / "demo-output"
    for path in export_all(engine, out_dir):
        print(f"wrote {path}")
    print(f"== demo output (workbook, Tableau files, PNGs): {out_dir}")
