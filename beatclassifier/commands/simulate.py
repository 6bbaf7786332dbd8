"""``beatclassifier simulate``: offline Spotify + ReccoBeats APIs on loopback."""

from __future__ import annotations

import argparse
import sys
import threading
from pathlib import Path

from beatclassifier.app import App
from beatclassifier.errors import UserError
from jobs.ingest.synthetic import SyntheticSpec, write_synthetic_catalog
from simulators.catalog import load_catalog
from simulators.server import MODES, Faults, serve


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "simulate",
        help="serve a catalog through simulated Spotify and ReccoBeats APIs",
        description="Serve a seed-format catalog over HTTP on 127.0.0.1 in the real APIs' "
        "formats: the client-credentials token endpoint, artists, artist albums, albums, "
        "album tracks, tracks, audio-features (403 unless --mode extended) and ReccoBeats' "
        "audio-features, track and analysis endpoints (about 15%% of tracks unknown to it). "
        "Point the ingester at it with the environment variables it prints. Faults are "
        "injected at the given rates from a seeded generator; request counts per endpoint "
        "are printed on exit (Ctrl-C).",
    )
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--catalog", type=Path, metavar="DIR", help="seed-format directory")
    where.add_argument(
        "--synthetic-tracks",
        type=int,
        metavar="N",
        help="generate a synthetic catalog of N tracks (in the data directory) and serve it",
    )
    parser.add_argument("--port", type=int, default=0, help="port (default: any free one)")
    parser.add_argument("--mode", choices=sorted(MODES), default="extended")
    parser.add_argument("--rate-429", type=float, default=0.0, help="share answered 429")
    parser.add_argument("--retry-after", type=int, default=1, help="Retry-After of those 429s")
    parser.add_argument("--rate-5xx", type=float, default=0.0, help="share answered 503")
    parser.add_argument("--rate-drop", type=float, default=0.0, help="share of dropped connections")
    parser.add_argument(
        "--quota-after",
        type=int,
        metavar="N",
        help="after N API requests answer 429 QUOTA_EXCEEDED with a one-day Retry-After",
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the fault generator")
    parser.set_defaults(handler=_simulate)


def _simulate(args: argparse.Namespace, app: App) -> int:
    if sum((args.rate_429, args.rate_5xx, args.rate_drop)) > 1:
        raise UserError("fault rates must add up to at most 1")
    directory = args.catalog
    if directory is None:
        if args.synthetic_tracks < 1:
            raise UserError("--synthetic-tracks must be at least 1")
        spec = SyntheticSpec(tracks=args.synthetic_tracks)
        target = app.settings.data_dir / f"synthetic-catalog-{args.synthetic_tracks}"
        directory = write_synthetic_catalog(target, spec)
    faults = Faults(
        rate_429=args.rate_429,
        rate_5xx=args.rate_5xx,
        rate_drop=args.rate_drop,
        retry_after=args.retry_after,
        seed=args.seed,
        quota_after=args.quota_after,
    )
    server = serve(load_catalog(directory), mode=args.mode, faults=faults, port=args.port)
    urls = server.urls
    print(f"simulating Spotify ({args.mode} mode) and ReccoBeats for {directory}")
    print("point the ingester at it with (any client id and secret are accepted):")
    print(f"  export BEATCLASSIFIER_SPOTIFY_API_URL={urls['spotify_api_url']}")
    print(f"  export BEATCLASSIFIER_SPOTIFY_TOKEN_URL={urls['spotify_token_url']}")
    print(f"  export BEATCLASSIFIER_RECCOBEATS_URL={urls['reccobeats_url']}")
    print("  export SPOTIPY_CLIENT_ID=simulator SPOTIPY_CLIENT_SECRET=simulator")
    print("Ctrl-C stops it.", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        counts = ", ".join(f"{k} {v}" for k, v in sorted(server.state.counts.items()))
        print(f"requests served: {counts or 'none'}", file=sys.stderr)
    return 0
