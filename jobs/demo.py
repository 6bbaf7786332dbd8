"""The end-to-end demo behind ``make demo``: real data when present, else synthetic.

The catalog reaches the database the way real data does: the Spotify ingester (the
real spotipy client) fetches it from a simulator of the Spotify and ReccoBeats APIs
serving the demo catalog on loopback, so no credentials are needed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from pydantic import SecretStr
from sqlalchemy import Engine

from beatclassifier.settings import Settings, get_settings
from db import catalog, predictions
from jobs.ingest.beats import import_beats
from jobs.ingest.seed_csv import ARTISTS_FILE, BEATS_FILE, SEED_SAMPLE
from jobs.ingest.spotify import run_ingest
from jobs.ingest.synthetic import write_synthetic_catalog
from jobs.predict import predict_beats
from jobs.train.request import TrainingRequest
from jobs.train.run import run_training
from reports.exports import export_all
from reports.refresh import refresh_views
from simulators.catalog import load_catalog
from simulators.server import SimulatorServer, serve

DEMO_CREDENTIALS = ("demo-client", "demo-secret")  # the simulator's, not a real app's


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


def simulator_settings(server: SimulatorServer, base: Settings) -> Settings:
    """``base`` pointed at the simulator, with its credentials."""
    return base.model_copy(
        update={
            **server.urls,
            "spotify_client_id": DEMO_CREDENTIALS[0],
            "spotify_client_secret": SecretStr(DEMO_CREDENTIALS[1]),
        }
    )


def run_demo(engine: Engine, data_dir: Path, settings: Settings | None = None) -> None:
    settings = settings or get_settings()
    source = demo_catalog(data_dir)
    print(f"== catalog: {source.label}")
    server = serve(load_catalog(source.directory), mode="extended", credentials=DEMO_CREDENTIALS)
    try:
        print(f"== ingest through the Spotify/ReccoBeats simulator at {server.state.base_url}")
        ingested = run_ingest(
            engine, simulator_settings(server, settings), source.directory / ARTISTS_FILE
        )
    finally:
        server.stop()
    print(ingested.summary())
    if (source.directory / BEATS_FILE).exists():
        print(import_beats(engine, source.directory / BEATS_FILE).summary())
    with engine.connect() as conn:
        totals = catalog.summary(conn)
    print("== database summary")
    print(
        f"artists {totals['artists']}, albums {totals['albums']}, tracks {totals['tracks']}, "
        f"canonical tracks {totals['canonical_tracks']}, beats {totals['beats']}"
    )
    print("== training (quick grid, album-grouped CV, baselines on the same folds)")
    trained = run_training(engine, settings, demo_training_request(source))
    print(trained.summary())
    print("== predictions for the beats")
    predicted = predict_beats(engine, trained.model_id, all_beats=True)
    for message in predicted.skipped:
        print(f"warning: {message}")
    with engine.connect() as conn:
        top = predictions.top_predictions(conn, trained.model_id, k=3)
    print(prediction_table(top))
    print("== reports")
    seconds = refresh_views(engine)
    print(f"reporting views refreshed in {sum(seconds.values()):.2f} s")
    out_dir = data_dir / "demo-output"
    for path in export_all(engine, out_dir):
        print(f"wrote {path}")
    print(f"== demo output (workbook, Tableau files, PNGs): {out_dir}")


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
