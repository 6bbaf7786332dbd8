"""``beatclassifier ingest``: get catalogs and features into the database."""

from __future__ import annotations

import argparse
from pathlib import Path

from beatclassifier.app import App
from beatclassifier.errors import EXIT_TRY_LATER
from jobs.ingest.csv_import import import_directory
from jobs.ingest.spotify import DEFAULT_GROUPS, run_ingest
from reports.refresh import refresh_views

SPOTIFY_HELP = """\
Fetch each listed artist's albums (all pages), every album's tracks and the tracks'
audio features, and store them; duplicate releases of one recording are marked as
the CSV importer marks them. Albums and track lists are never fetched twice, so a
re-run with nothing new costs about one request per artist; progress is committed
batch by batch, so a killed or rate-limited run resumes where it stopped.

Credentials: SPOTIPY_CLIENT_ID and SPOTIPY_CLIENT_SECRET (client-credentials flow;
the token stays in memory). Endpoints: BEATCLASSIFIER_SPOTIFY_API_URL,
BEATCLASSIFIER_SPOTIFY_TOKEN_URL, BEATCLASSIFIER_RECCOBEATS_URL (default: the real
services; point them at `beatclassifier simulate` to work offline). Audio features
come from BEATCLASSIFIER_FEATURE_PROVIDERS in order (default spotify,reccobeats,csv;
csv needs --features-csv). Exit codes: 0 done, 2 bad input, 75 stopped by a long
rate limit (run again later), 1 failed (work committed so far is kept).
"""


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "ingest",
        help="load artists, albums, tracks and audio features",
        description="Load catalogs into the database. Each source is idempotent: "
        "re-running it stores nothing twice.",
    )
    sub = parser.add_subparsers(dest="ingest_command", metavar="SOURCE", required=True)
    csv = sub.add_parser(
        "csv",
        help="import a directory in the study's seed CSV format",
        description="Import artistsid.csv, artistsongs.csv, songfeatures.csv and (optional) "
        "mybeatfeatures.csv from DIR in one transaction. Duplicate releases of one recording "
        "are marked; a bad row aborts the import with its file, line and column, and "
        "nothing is written. When the import changed data, the materialized reporting views "
        "are refreshed afterwards.",
    )
    csv.add_argument("directory", type=Path, metavar="DIR", help="the seed-format directory")
    csv.set_defaults(handler=_csv)
    spotify = sub.add_parser(
        "spotify",
        help="fetch artists' discographies and audio features from the Spotify Web API",
        description=SPOTIFY_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    spotify.add_argument(
        "--artists",
        type=Path,
        required=True,
        metavar="FILE",
        help="CSV with columns Artist, Artist ID (like artistsid.csv); file order is your rank",
    )
    spotify.add_argument(
        "--api-mode",
        choices=("extended", "development", "auto"),
        help="your Spotify app's quota mode (default: BEATCLASSIFIER_SPOTIFY_API_MODE, auto); "
        "auto starts with extended-quota batches and switches at the first refusal",
    )
    spotify.add_argument(
        "--include-compilations",
        action="store_true",
        help="also fetch the artists' compilations (default: albums and singles)",
    )
    spotify.add_argument(
        "--include-appears-on",
        action="store_true",
        help="also fetch other artists' albums the artist appears on (credited tracks only)",
    )
    spotify.add_argument(
        "--features-csv",
        type=Path,
        metavar="DIR",
        help="a seed-format directory whose songfeatures.csv serves as the 'csv' provider",
    )
    spotify.set_defaults(handler=_spotify)


def _csv(args: argparse.Namespace, app: App) -> int:
    result = import_directory(app.engine(), args.directory)
    print(result.summary())
    _refresh_if_changed(app, result.changed)
    return 0


def _spotify(args: argparse.Namespace, app: App) -> int:
    groups = list(DEFAULT_GROUPS)
    if args.include_compilations:
        groups.append("compilation")
    if args.include_appears_on:
        groups.append("appears_on")
    result = run_ingest(
        app.engine(),
        app.settings,
        args.artists,
        api_mode=args.api_mode,
        include_groups=tuple(groups),
        features_csv=args.features_csv,
    )
    print(result.summary())
    _refresh_if_changed(app, result.changed)
    return EXIT_TRY_LATER if result.stopped else 0


def _refresh_if_changed(app: App, changed: bool) -> None:
    """Keep the materialized reporting views current after an ingest that stored data."""
    if changed:
        seconds = refresh_views(app.engine())
        print(f"reporting views refreshed in {sum(seconds.values()):.2f} s")
