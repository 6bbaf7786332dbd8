"""Requests the Spotify ingester makes, against the fewest the API allows.

Ingests a catalog (default: the seed sample, else a synthetic one) through the
simulator in extended and development mode, each into a fresh database, then
re-runs it with nothing new. Prints requests by endpoint, the minimum possible for
that catalog and mode, the ratio (target <= 1.1), the re-run's requests, and what
the study's notebook pattern would need. Every figure is measured or counted in
this run; nothing is hard-coded.

    python -m benchmarks.ingest_requests [--catalog DIR]   (from the repository root)
"""

from __future__ import annotations

import argparse
import math
import tempfile
import time
from pathlib import Path

from beatclassifier.settings import Settings
from benchmarks.fresh_db import fresh_database
from jobs.demo import demo_catalog
from jobs.ingest.seed_csv import ARTISTS_FILE
from jobs.ingest.spotify import DEFAULT_GROUPS, run_ingest
from simulators.catalog import SimCatalog, load_catalog
from simulators.server import serve


def listings(catalog: SimCatalog) -> tuple[dict[str, list[str]], set[str]]:
    """Each listed artist's album ids (groups album, single), and all of them."""
    listed = {
        artist: [a for a, group in albums if group in DEFAULT_GROUPS]
        for artist, albums in catalog.artist_albums.items()
        if artist in catalog.artists
    }
    return listed, {a for ids in listed.values() for a in ids}


def minimum_requests(catalog: SimCatalog, mode: str) -> int:
    """The fewest requests that fetch this catalog in ``mode``."""
    listed, albums = listings(catalog)
    tracks = sum(len(catalog.albums[a].track_ids) for a in albums)
    extra_pages = sum(max(0, math.ceil(len(catalog.albums[a].track_ids) / 50) - 1) for a in albums)
    if mode == "extended":
        return (
            1  # token
            + math.ceil(len(catalog.artists) / 50)
            + sum(max(1, math.ceil(len(ids) / 50)) for ids in listed.values())
            + math.ceil(len(albums) / 20)
            + extra_pages
            + math.ceil(tracks / 100)
        )
    return (
        1
        + len(catalog.artists)
        + sum(max(1, math.ceil(len(ids) / 10)) for ids in listed.values())
        + len(albums)
        + extra_pages
        + math.ceil(tracks / 40)  # ReccoBeats; Spotify audio-features are refused
    )


def notebook_requests(catalog: SimCatalog) -> dict[str, int]:
    """The study notebook's pattern: album lists at spotipy's default 20 a page, each
    album's tracks once to list its songs, then again for every song; features are
    assumed fetched one song per request."""
    listed, albums = listings(catalog)
    songs = sum(len(catalog.albums[a].track_ids) for a in albums)
    parts = {
        "artist-albums": sum(max(1, math.ceil(len(ids) / 20)) for ids in listed.values()),
        "album-tracks (list songs)": len(albums),
        "album-tracks (again per song)": songs,
        "audio-features (per song)": songs,
    }
    parts["total"] = sum(parts.values())
    return parts


def measure(directory: Path, catalog: SimCatalog, mode: str) -> dict:
    with fresh_database() as engine:
        server = serve(catalog, mode=mode, credentials=("bench", "bench"))
        try:
            settings = Settings(
                spotify_client_id="bench", spotify_client_secret="bench", **server.urls
            )
            started = time.perf_counter()
            first = run_ingest(engine, settings, directory / ARTISTS_FILE, api_mode=mode)
            seconds = time.perf_counter() - started
            rerun = run_ingest(engine, settings, directory / ARTISTS_FILE, api_mode=mode)
        finally:
            server.stop()
    return {"first": first, "rerun": rerun, "seconds": seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalog", type=Path, help="seed-format directory (default: demo's)")
    args = parser.parse_args()
    directory = args.catalog or demo_catalog(Path(tempfile.mkdtemp())).directory
    catalog = load_catalog(directory)
    print(f"catalog: {directory}: {len(catalog.artists)} artists, {len(catalog.albums)} albums, "
          f"{len(catalog.tracks)} tracks")  # fmt: skip
    notebook = notebook_requests(catalog)
    for mode in ("extended", "development"):
        run = measure(directory, catalog, mode)
        first, rerun = run["first"], run["rerun"]
        made = sum(first.requests.values())
        least = minimum_requests(catalog, mode)
        print(f"\n== {mode} mode ({run['seconds']:.1f}s wall, noisy)")
        for endpoint, count in sorted(first.requests.items()):
            print(f"  {endpoint:28s} {count:6d}")
        print(f"  {'total':28s} {made:6d}")
        print(f"  minimum possible             {least:6d}")
        print(f"  ratio to minimum             {made / least:6.3f}  (target <= 1.1)")
        print(f"  re-run, nothing new          {sum(rerun.requests.values()):6d}  "
              f"({len(catalog.artists)} artists + token)")  # fmt: skip
        print(f"  features: {dict(first.features_total)}, missing {first.features_missing}")
    print("\n== the study notebook's pattern (either mode)")
    for part, count in notebook.items():
        print(f"  {part:28s} {count:6d}")


if __name__ == "__main__":
    main()
