"""Every kind of bad seed input gets an error naming the file, line and column."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from beatclassifier.errors import InputError
from jobs.ingest.seed_csv import read_beats, read_seed_directory
from jobs.ingest.synthetic import SyntheticSpec, write_synthetic_catalog


@pytest.fixture
def catalog_dir(tmp_path: Path) -> Path:
    return write_synthetic_catalog(tmp_path / "cat", SyntheticSpec(artists=3, tracks=40, seed=5))


def _edit_cell(path: Path, line: int, column: str, value: str) -> None:
    """Set ``column`` on 1-based ``line`` (1 = header) of a simple CSV file."""
    rows = path.read_text().splitlines()
    header = rows[0].split(",")
    cells = rows[line - 1].split(",")
    cells[header.index(column)] = value
    rows[line - 1] = ",".join(cells)
    path.write_text("\n".join(rows) + "\n")


def _expect(directory: Path, file: str, line: int | None, column: str | None, text: str) -> None:
    with pytest.raises(InputError) as err:
        read_seed_directory(directory)
    assert err.value.file is not None and err.value.file.endswith(file)
    assert err.value.line == line
    assert err.value.column == column
    assert text in str(err.value)
    assert file in str(err.value)


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("danceability", "1.7", "out of range [0, 1]"),
        ("key", "14", "out of range [-1, 11]"),
        ("duration_ms", "-5", "out of range (0, inf)"),
        ("tempo", "fast", "is not a number"),
        ("loudness", "", "is not a number"),
        ("key", "3.5", "whole number"),
    ],
)
def test_bad_feature_value(catalog_dir: Path, column: str, value: str, message: str) -> None:
    _edit_cell(catalog_dir / "songfeatures.csv", 7, column, value)
    _expect(catalog_dir, "songfeatures.csv", 7, column, message)


def test_major_and_minor_both_set(catalog_dir: Path) -> None:
    _edit_cell(catalog_dir / "songfeatures.csv", 7, "major", "1")
    _edit_cell(catalog_dir / "songfeatures.csv", 7, "minor", "1")
    _expect(catalog_dir, "songfeatures.csv", 7, "major", "exactly one of them must be 1")


def test_missing_file(catalog_dir: Path) -> None:
    (catalog_dir / "songfeatures.csv").unlink()
    _expect(catalog_dir, "songfeatures.csv", None, None, "file not found")


def test_missing_column(catalog_dir: Path) -> None:
    path = catalog_dir / "artistsongs.csv"
    path.write_text(path.read_text().replace(",Album ID,", ",AlbumID,", 1))
    _expect(catalog_dir, "artistsongs.csv", 1, None, "missing column(s) 'Album ID'")


def test_empty_file(catalog_dir: Path) -> None:
    (catalog_dir / "artistsid.csv").write_text("")
    _expect(catalog_dir, "artistsid.csv", None, None, "file is empty")


def test_header_without_rows(catalog_dir: Path) -> None:
    (catalog_dir / "artistsid.csv").write_text("Artist,Artist ID\n")
    _expect(catalog_dir, "artistsid.csv", None, None, "no rows")


def test_wrong_encoding(catalog_dir: Path) -> None:
    path = catalog_dir / "artistsongs.csv"
    rows = path.read_text().splitlines()
    rows[4] = rows[4].replace("Synthetic Album", "Synthétic Album")
    path.write_bytes(("\n".join(rows) + "\n").encode("latin-1"))
    _expect(catalog_dir, "artistsongs.csv", 5, None, "not valid UTF-8")


def test_rows_not_aligned_by_count(catalog_dir: Path) -> None:
    path = catalog_dir / "songfeatures.csv"
    rows = path.read_text().splitlines()
    path.write_text("\n".join(rows[:-1]) + "\n")
    _expect(catalog_dir, "songfeatures.csv", None, None, "row-aligned")


def test_rows_not_aligned_by_index(catalog_dir: Path) -> None:
    path = catalog_dir / "songfeatures.csv"
    rows = path.read_text().splitlines()
    rows[5], rows[6] = rows[6], rows[5]
    path.write_text("\n".join(rows) + "\n")
    _expect(catalog_dir, "songfeatures.csv", 6, "(index)", "not aligned")


def test_rows_not_aligned_by_artist(catalog_dir: Path) -> None:
    _edit_cell(catalog_dir / "songfeatures.csv", 3, "artist", "Somebody Else")
    _expect(catalog_dir, "songfeatures.csv", 3, "artist", "not aligned")


def test_malformed_spotify_id(catalog_dir: Path) -> None:
    _edit_cell(catalog_dir / "artistsongs.csv", 9, "Song ID", "spotify:track:short")
    _expect(catalog_dir, "artistsongs.csv", 9, "Song ID", "is not a Spotify id")


def test_song_of_an_artist_not_in_the_artist_list(catalog_dir: Path) -> None:
    _edit_cell(catalog_dir / "artistsongs.csv", 4, "Artist ID", "0" * 22)
    _expect(catalog_dir, "artistsongs.csv", 4, "Artist ID", "is not in artistsid.csv")


def test_duplicate_artist_row(catalog_dir: Path) -> None:
    path = catalog_dir / "artistsid.csv"
    rows = path.read_text().splitlines()
    path.write_text("\n".join([*rows, rows[1]]) + "\n")
    _expect(catalog_dir, "artistsid.csv", len(rows) + 1, "Artist ID", "listed twice")


def test_too_many_fields_in_a_row(catalog_dir: Path) -> None:
    path = catalog_dir / "artistsid.csv"
    rows = path.read_text().splitlines()
    rows[2] += ",extra,cells"
    path.write_text("\n".join(rows) + "\n")
    _expect(catalog_dir, "artistsid.csv", 3, None, "malformed CSV row")


def test_beats_file_is_validated_too(catalog_dir: Path) -> None:
    _edit_cell(catalog_dir / "mybeatfeatures.csv", 2, "valence", "2")
    with pytest.raises(InputError, match=r"mybeatfeatures.csv, line 2, column 'valence'"):
        read_beats(catalog_dir / "mybeatfeatures.csv")


def test_seed_sample_reads_cleanly(seed_dir: Path, tmp_path: Path) -> None:
    shutil.copytree(seed_dir, tmp_path / "seed")
    seed = read_seed_directory(tmp_path / "seed")
    assert len(seed.songs) == 3488 and len(seed.artists) == 24 and len(seed.beats) == 10
