"""The end-to-end demo behind ``make demo``: real data when present, else synthetic."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine

from beatclassifier.settings import Settings
from db import catalog, predictions
from jobs.ingest.csv_import import import_directory
from jobs.ingest.synthetic import write_synthetic_catalog
from jobs.predict import predict_beats
from jobs.train.request import TrainingRequest
from jobs.train.run import run_training

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


def run_demo(engine: Engine, data_dir: Path, settings: Settings | None = None) -> None:
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
    print("== training (quick grid, album-grouped CV, baselines on the same folds)")
    result = run_training(engine, settings or Settings(), demo_training_request(source))
    print(result.summary())
    print("== predictions for the beats")
    predicted = predict_beats(engine, result.model_id, all_beats=True)
    for message in predicted.skipped:
        print(f"warning: {message}")
    with engine.connect() as conn:
        top = predictions.top_predictions(conn, result.model_id, k=3)
    print(prediction_table(top))


def demo_training_request(source: DemoCatalog) -> TrainingRequest:
    """The seed sample trains on the study's label groups; the synthetic one per artist."""
    if source.synthetic:
        return TrainingRequest(grid="quick", min_songs=100, name="demo-quick")
    return TrainingRequest(
        grid="quick",
        groups_file=str(source.directory / "label-groups.csv"),
        skip_unknown_artists=True,
        min_songs=100,
        name="demo-quick",
    )


def prediction_table(top: pd.DataFrame) -> str:
    """beat | top 3 groups with probabilities | "X Type Beat" title."""
    lines = [f"{'beat':<24} {'top 3 groups (probability)':<78} title"]
    for beat, rows in top.groupby("beat", sort=False):
        ranked = rows.sort_values("rank")
        groups = ", ".join(
            f"{g} ({p:.0%})"
            for g, p in zip(ranked["group_label"], ranked["probability"], strict=True)
        )
        title = f"{ranked['group_label'].iloc[0]} Type Beat"
        lines.append(f"{beat:<24} {groups:<78} {title}")
    return "\n".join(lines)
