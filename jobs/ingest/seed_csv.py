"""Read and validate a directory in the study's seed CSV format.

Validation is vectorised (pandas) so a million rows check in seconds, but every
error still names the file, the line (1 = header) and the column. Nothing here
touches the database: a directory that fails validation writes nothing.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from beatclassifier.errors import InputError
from db.features import FEATURES_BY_NAME, STUDY_FEATURES

ARTISTS_FILE = "artistsid.csv"
SONGS_FILE = "artistsongs.csv"
FEATURES_FILE = "songfeatures.csv"
BEATS_FILE = "mybeatfeatures.csv"

# The study's 11 feature columns, in file order; major/minor one-hot encode mode.
MODE_COLUMNS = ("major", "minor")
CSV_FEATURES = tuple(f for f in STUDY_FEATURES if f not in MODE_COLUMNS)
SPOTIFY_ID = r"[0-9A-Za-z]{22}"
# The study's real sample, beside a team checkout (a user's own clone has none).
SEED_SAMPLE = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "seed-sample"


@dataclass(frozen=True)
class SeedCatalog:
    """A validated seed directory.

    ``artists``: spotify_id, name, position (1-based file order).
    ``songs``: one row per input line: track/album/artist ids, titles and the features
    (mode derived from major/minor). ``beats``: name and features, or None.
    """

    artists: pd.DataFrame
    songs: pd.DataFrame
    beats: pd.DataFrame | None


def read_seed_directory(directory: Path) -> SeedCatalog:
    if not directory.is_dir():
        raise InputError(f"{directory} is not a directory")
    artists = read_artists(directory / ARTISTS_FILE)
    songs = _read_songs(directory / SONGS_FILE, directory / FEATURES_FILE, artists)
    beats_path = directory / BEATS_FILE
    beats = read_beats(beats_path) if beats_path.exists() else None
    return SeedCatalog(artists=artists, songs=songs, beats=beats)


def read_artists(path: Path) -> pd.DataFrame:
    """An artist list: ``Artist``, ``Artist ID``; file order is the user's ranking."""
    raw = _read_table(path, required=("Artist", "Artist ID"), text=("Artist", "Artist ID"))
    _require_text(raw, path, "Artist")
    ids = _spotify_ids(raw, path, "Artist ID", prefix="spotify:artist:")
    _reject(
        ids.duplicated(), path, "Artist ID", lambda r: f"artist id {ids.iloc[r]} is listed twice"
    )
    return pd.DataFrame(
        {
            "spotify_id": ids,
            "name": raw["Artist"].str.strip(),
            "position": np.arange(1, len(raw) + 1),
        }
    )


def read_beats(path: Path) -> pd.DataFrame:
    """The producer's beats: ``Beat Name`` and the study's 11 feature columns."""
    raw = _read_table(
        path, required=("Beat Name", *CSV_FEATURES, *MODE_COLUMNS), text=("Beat Name",)
    )
    _require_text(raw, path, "Beat Name")
    names = raw["Beat Name"].str.strip()
    _reject(
        names.duplicated(), path, "Beat Name", lambda r: f"beat {names.iloc[r]!r} is listed twice"
    )
    features = _features(raw, path)
    features.insert(0, "name", names)
    return features


def _read_songs(songs_path: Path, features_path: Path, artists: pd.DataFrame) -> pd.DataFrame:
    song_columns = ("Artist", "Artist ID", "Album", "Album ID", "Song", "Song ID")
    songs = _read_table(songs_path, required=song_columns, text=song_columns)
    feats = _read_table(
        features_path, required=("artist", *CSV_FEATURES, *MODE_COLUMNS), text=("artist",)
    )
    _check_aligned(songs, feats, songs_path, features_path)
    for column in ("Artist", "Album", "Song"):
        _require_text(songs, songs_path, column)
    artist_ids = _spotify_ids(songs, songs_path, "Artist ID", prefix="spotify:artist:")
    _reject(
        ~artist_ids.isin(artists["spotify_id"]),
        songs_path,
        "Artist ID",
        lambda r: f"artist id {artist_ids.iloc[r]} is not in {ARTISTS_FILE}",
    )
    out = pd.DataFrame(
        {
            "artist_spotify_id": artist_ids,
            "album_spotify_id": _spotify_ids(songs, songs_path, "Album ID", "spotify:album:"),
            "album_name": songs["Album"].str.strip(),
            "track_spotify_id": _spotify_ids(songs, songs_path, "Song ID", "spotify:track:"),
            "title": songs["Song"].str.strip(),
        }
    )
    return pd.concat([out, _features(feats, features_path)], axis=1)


def _read_table(path: Path, required: tuple[str, ...], text: tuple[str, ...]) -> pd.DataFrame:
    """The table with header and encoding checked; ``text`` columns are read as strings.

    Other columns are parsed by pandas' C parser (5x faster than strings); a column
    holding anything that is not a number stays strings, and ``_number`` finds the
    offending cell.
    """
    if not path.exists():
        raise InputError("file not found", file=str(path))
    data = path.read_bytes()
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8",
            file=str(path),
            line=line,
        ) from None
    if not content.strip():
        raise InputError("file is empty", file=str(path))
    try:
        frame = pd.read_csv(
            io.StringIO(content),
            dtype=dict.fromkeys(text, str),
            keep_default_na=False,
            skip_blank_lines=True,
        )
    except pd.errors.ParserError as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise InputError(
            f"malformed CSV row: {exc}",
            file=str(path),
            line=int(match.group(1)) if match else None,
        ) from None
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise InputError(
            f"missing column(s) {', '.join(map(repr, missing))}; found {list(frame.columns)}",
            file=str(path),
            line=1,
        )
    if frame.empty:
        raise InputError("file has a header but no rows", file=str(path))
    return frame


def _reject(
    bad: pd.Series | np.ndarray, path: Path, column: str, message: Callable[[int], str]
) -> None:
    """Raise for the first row flagged in ``bad`` (0-based data row -> file line + 2)."""
    flagged = np.flatnonzero(np.asarray(bad))
    if len(flagged):
        row = int(flagged[0])
        raise InputError(message(row), file=str(path), line=row + 2, column=column)


def _require_text(frame: pd.DataFrame, path: Path, column: str) -> None:
    _reject(frame[column].str.strip() == "", path, column, lambda r: "value is empty")


def _spotify_ids(frame: pd.DataFrame, path: Path, column: str, prefix: str) -> pd.Series:
    """Bare 22-character ids from a column holding ids or ``spotify:kind:`` URIs."""
    values = frame[column].str.strip().str.removeprefix(prefix)
    _reject(
        ~values.str.fullmatch(SPOTIFY_ID),
        path,
        column,
        lambda r: (
            f"{frame[column].iloc[r]!r} is not a Spotify id (22 letters/digits, "
            f"optionally prefixed {prefix!r})"
        ),
    )
    return values


def _check_aligned(
    songs: pd.DataFrame, feats: pd.DataFrame, songs_path: Path, features_path: Path
) -> None:
    """Row i of the features file must describe row i of the songs file."""
    if len(songs) != len(feats):
        raise InputError(
            f"{len(feats)} rows, but {songs_path.name} has {len(songs)}: the files must be "
            "row-aligned",
            file=str(features_path),
        )
    index_s, index_f = songs.columns[0], feats.columns[0]
    if index_s.startswith("Unnamed") and index_f.startswith("Unnamed"):
        _reject(
            songs[index_s].astype(str) != feats[index_f].astype(str),
            features_path,
            "(index)",
            lambda r: (
                f"row index {feats[index_f].iloc[r]!r} does not match "
                f"{songs_path.name}'s {songs[index_s].iloc[r]!r}: the files are not aligned"
            ),
        )
    _reject(
        songs["Artist"].str.strip() != feats["artist"].str.strip(),
        features_path,
        "artist",
        lambda r: (
            f"artist {feats['artist'].iloc[r]!r} does not match {songs_path.name}'s "
            f"{songs['Artist'].iloc[r]!r} on the same row: the files are not aligned"
        ),
    )


def _features(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Parsed, range-checked features; mode from the major/minor one-hot columns."""
    out = pd.DataFrame(index=frame.index)
    for column in CSV_FEATURES:
        out[column] = _number(frame, path, column, FEATURES_BY_NAME[column])
    major = _number(frame, path, "major", FEATURES_BY_NAME["mode"])
    minor = _number(frame, path, "minor", FEATURES_BY_NAME["mode"])
    _reject(
        (major + minor) != 1,
        path,
        "major",
        lambda r: (
            f"major={frame['major'].iloc[r]} and minor={frame['minor'].iloc[r]}: "
            "exactly one of them must be 1"
        ),
    )
    out["mode"] = major.astype("int16")
    for column in ("key", "duration_ms"):
        out[column] = out[column].astype("int64")
    return out


def _number(frame: pd.DataFrame, path: Path, column: str, feature) -> pd.Series:
    raw = frame[column]
    if pd.api.types.is_numeric_dtype(raw):
        values = raw
    else:
        raw = raw.astype(str).str.strip()
        values = pd.to_numeric(raw, errors="coerce")
    problems = (
        ("is not a number", values.isna().to_numpy()),
        (
            f"is out of range {feature.describe_range()} for {feature.name}",
            _out_of_range(values, feature),
        ),
        (
            "must be a whole number",
            (values.notna() & (values != values.round())).to_numpy() if feature.integer else None,
        ),
    )
    for message, bad in problems:
        if bad is not None:
            _reject(bad, path, column, lambda r, m=message: f"{raw.iloc[r]!r} {m}")
    return values.astype("float64")


def _out_of_range(values: pd.Series, feature) -> np.ndarray:
    low_ok = values >= feature.low if feature.low_inclusive else values > feature.low
    ok = low_ok if feature.high is None else low_ok & (values <= feature.high)
    return (values.notna() & ~ok).to_numpy()
