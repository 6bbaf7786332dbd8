"""The end-to-end demo behind ``make demo``: real data when present, else synthetic.

The catalog reaches the database the way real data does: the Spotify ingester (the
real spotipy client) fetches it from a simulator of the Spotify and ReccoBeats APIs
serving the demo catalog on loopback, so no credentials are needed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import SecretStr
from sqlalchemy import Engine

from beatclassifier.settings import Settings, get_settings
from db import catalog
from jobs.ingest.beats import import_beats
from jobs.ingest.seed_csv import ARTISTS_FILE, BEATS_FILE
from jobs.ingest.spotify import run_ingest
from jobs.ingest.synthetic import write_synthetic_catalog
from reports.exports import export_all
from reports.refresh import refresh_views
from simulators.catalog import load_catalog
from simulators.server import SimulatorServer, serve

DEMO_CREDENTIALS = ("demo-client", "demo-secret")  # the simulator's, not a real app's

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


def simulator_settings(server: SimulatorServer, base: Settings) -> Settings:
    """``base`` pointed at the simulator, with its credentials."""
    return base.model_copy(
        update={
            **server.urls,
            "spotify_client_id": DEMO_CREDENTIALS[0],
            "spotify_client_secret": SecretStr(DEMO_CREDENTIALS[1]),
        }
    )


def run_demo(engine: Engine, data_dir: Path) -> None:
    source = demo_catalog(data_dir)
    print(f"== catalog: {source.label}")
    server = serve(load_catalog(source.directory), mode="extended", credentials=DEMO_CREDENTIALS)
    try:
        print(f"== ingest through the Spotify/ReccoBeats simulator at {server.state.base_url}")
        settings = simulator_settings(server, get_settings())
        result = run_ingest(engine, settings, source.directory / ARTISTS_FILE)
    finally:
        server.stop()
    print(result.summary())
    if (source.directory / BEATS_FILE).exists():
        print(import_beats(engine, source.directory / BEATS_FILE).summary())
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
