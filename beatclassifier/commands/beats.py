"""``beatclassifier beats``: the producer's own beats and their audio features."""

from __future__ import annotations

import argparse
from pathlib import Path

from beatclassifier.app import App
from beatclassifier.errors import UserError
from jobs.ingest.beats import add_beat_from_audio, add_beat_from_spotify, import_beats


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "beats",
        help="add your beats (features from CSV, a Spotify id, or an audio file)",
        description="Store the beats to classify. Features that a source cannot give (an "
        "audio analysis has no key or mode) are stored as unknown, never invented.",
    )
    sub = parser.add_subparsers(dest="beats_command", metavar="ACTION", required=True)
    imp = sub.add_parser(
        "import",
        help="import a mybeatfeatures.csv file",
        description="Import beats in the study's mybeatfeatures.csv format (Beat Name and the "
        "11 feature columns), validated like the CSV importer, in one transaction. Beats "
        "already stored (same name) are kept as they are.",
    )
    imp.add_argument("file", type=Path, metavar="FILE")
    imp.set_defaults(handler=_import)
    add = sub.add_parser(
        "add",
        help="add one beat by Spotify track id or audio file",
        description="--spotify-id: a released beat; features come through the provider chain "
        "(BEATCLASSIFIER_FEATURE_PROVIDERS; spotify needs extended quota and SPOTIPY_* "
        "credentials, reccobeats needs nothing). --audio: an unreleased beat; ReccoBeats "
        "analyses the first 30 s of the file (wav, mp3, flac, ogg or m4a, at most 5 MB).",
    )
    add.add_argument("name", metavar="NAME", help="the beat's name (unique)")
    source = add.add_mutually_exclusive_group(required=True)
    source.add_argument("--spotify-id", metavar="ID", help="Spotify track id or URI")
    source.add_argument("--audio", type=Path, metavar="FILE", help="audio file to analyse")
    add.set_defaults(handler=_add)


def _import(args: argparse.Namespace, app: App) -> int:
    print(import_beats(app.engine(), args.file).summary())
    return 0


def _add(args: argparse.Namespace, app: App) -> int:
    if args.audio is not None:
        result = add_beat_from_audio(app.engine(), app.settings, args.name, args.audio)
    elif args.spotify_id:
        result = add_beat_from_spotify(app.engine(), app.settings, args.name, args.spotify_id)
    else:
        raise UserError("give --spotify-id or --audio")
    print(result.summary())
    return 0
