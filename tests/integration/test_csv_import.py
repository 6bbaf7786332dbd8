"""The seed CSV import against a real database: counts, idempotence, dedup, atomicity."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, text

from beatclassifier.errors import InputError
from db import catalog
from jobs.ingest.csv_import import import_directory
from jobs.ingest.synthetic import SyntheticSpec, write_synthetic_catalog


def _table_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return catalog.summary(conn)


def test_seed_sample_lands_with_real_duplicate_count(engine: Engine, seed_dir: Path) -> None:
    result = import_directory(engine, seed_dir)
    assert result.rows_read == 3488
    assert result.written.artists == 24
    assert result.written.tracks == 3488
    assert result.written.features == 3488
    assert result.written.beats == 10
    # Over 10% of the sample's rows are re-releases (seed README); every one found is real:
    assert 349 <= result.duplicates < 3488 * 0.2
    with engine.connect() as conn:
        ranks = conn.execute(text("SELECT name, rank FROM artists ORDER BY rank")).all()
        minor_mode = conn.scalar(text("SELECT count(*) FROM audio_features WHERE mode = 0"))
    assert ranks[0] == ("NAV", 1) and ranks[1] == ("Drake", 2) and len(ranks) == 24
    songs = pd.read_csv(seed_dir / "songfeatures.csv")
    assert minor_mode == int(songs["minor"].sum())


def test_duplicates_point_at_a_canonical_row_of_same_artist_and_title(
    engine: Engine, seed_dir: Path
) -> None:
    import_directory(engine, seed_dir)
    with engine.connect() as conn:
        bad = conn.scalar(
            text(
                """
                SELECT count(*) FROM tracks d
                JOIN tracks c ON c.id = d.canonical_track_id
                JOIN track_artists da ON da.track_id = d.id AND da.is_primary
                JOIN track_artists ca ON ca.track_id = c.id AND ca.is_primary
                WHERE c.canonical_track_id IS NOT NULL       -- chains are not allowed
                   OR c.normalized_title <> d.normalized_title
                   OR ca.artist_id <> da.artist_id
                   OR c.id > d.id                            -- the oldest row is canonical
                """
            )
        )
    assert bad == 0


def test_reimport_changes_nothing_and_says_so(engine: Engine, seed_dir: Path) -> None:
    import_directory(engine, seed_dir)
    before = _table_counts(engine)
    again = import_directory(engine, seed_dir)
    assert not again.changed
    assert "nothing changed" in again.summary()
    assert _table_counts(engine) == before


def test_second_directory_adds_to_the_data(engine: Engine, tmp_path: Path) -> None:
    first = write_synthetic_catalog(tmp_path / "a", SyntheticSpec(artists=3, tracks=60, seed=1))
    second = write_synthetic_catalog(tmp_path / "b", SyntheticSpec(artists=2, tracks=40, seed=2))
    import_directory(engine, first)
    result = import_directory(engine, second)
    assert result.written.artists == 2 and result.written.tracks == 40
    totals = _table_counts(engine)
    assert totals["artists"] == 5 and totals["tracks"] == 100
    assert totals["beats"] == 10  # both catalogs name their beats "Synthetic Beat 1..10"
    with engine.connect() as conn:
        ranks = list(conn.execute(text("SELECT rank FROM artists ORDER BY rank")).scalars())
    assert ranks == [1, 2, 3, 4, 5]  # new artists rank after those already stored


def test_a_failure_inside_the_transaction_leaves_the_database_as_it_was(
    engine: Engine, tmp_path: Path
) -> None:
    good = write_synthetic_catalog(tmp_path / "good", SyntheticSpec(artists=2, tracks=30, seed=3))
    import_directory(engine, good)
    before = _table_counts(engine)
    bad = tmp_path / "bad"
    write_synthetic_catalog(bad, SyntheticSpec(artists=2, tracks=30, seed=4))
    # A beat whose name is only spaces passes CSV parsing but violates a CHECK in the
    # database: the import must roll back everything it staged before that point.
    beats = pd.read_csv(bad / "mybeatfeatures.csv")
    beats.loc[3, "Beat Name"] = "Ok"
    beats.to_csv(bad / "mybeatfeatures.csv", index=False)
    with engine.begin() as conn:
        conn.execute(text("ALTER TABLE beats ADD CONSTRAINT no_ok CHECK (name <> 'Ok')"))
    with pytest.raises(Exception, match="no_ok"):
        import_directory(engine, bad)
    assert _table_counts(engine) == before


def test_copy_of_seed_sample_with_a_bad_row_writes_nothing(
    engine: Engine, seed_dir: Path, tmp_path: Path
) -> None:
    directory = tmp_path / "seed"
    shutil.copytree(seed_dir, directory)
    lines = (directory / "songfeatures.csv").read_text().splitlines()
    cells = lines[3000].split(",")
    cells[2] = "1.7"  # danceability
    lines[3000] = ",".join(cells)
    (directory / "songfeatures.csv").write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError) as err:
        import_directory(engine, directory)
    assert err.value.line == 3001 and err.value.column == "danceability"
    assert _table_counts(engine)["tracks"] == 0
