"""The report and export commands end to end through the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from beatclassifier.cli import main
from jobs.ingest.synthetic import SyntheticSpec, write_synthetic_catalog
from tests.ingest_support import env_for, simulator, small_catalog


def test_spotify_ingest_refreshes_views_when_it_stored_data(
    cli_env: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    catalog = small_catalog(tmp_path / "catalog")
    with simulator(catalog) as server:
        for name, value in env_for(server).items():
            monkeypatch.setenv(name, value)
        artists = str(catalog / "artistsid.csv")
        assert main(["ingest", "spotify", "--artists", artists]) == 0
        assert "reporting views refreshed" in capsys.readouterr().out
        assert main(["ingest", "spotify", "--artists", artists]) == 0  # nothing new
        assert "reporting views refreshed" not in capsys.readouterr().out
    engine = create_engine(cli_env)
    with engine.connect() as conn:
        canonical = conn.scalar(
            text("SELECT count(*) FROM tracks WHERE canonical_track_id IS NULL")
        )
        assert conn.scalar(text("SELECT count(*) FROM reporting.tracks")) == canonical > 0
    engine.dispose()


def test_ingest_refreshes_views_and_exports_write_files(
    cli_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = SyntheticSpec(artists=4, tracks=120, beats=3, tracks_per_album=8)
    catalog = write_synthetic_catalog(tmp_path / "catalog", spec)
    assert main(["ingest", "csv", str(catalog)]) == 0
    assert "reporting views refreshed" in capsys.readouterr().out
    engine = create_engine(cli_env)
    with engine.connect() as conn:  # current after the ingest, without a manual refresh
        canonical = conn.scalar(
            text("SELECT count(*) FROM tracks WHERE canonical_track_id IS NULL")
        )
        assert conn.scalar(text("SELECT count(*) FROM reporting.tracks")) == canonical
    engine.dispose()
    assert main(["ingest", "csv", str(catalog)]) == 0  # nothing changed: no refresh
    assert "reporting views refreshed" not in capsys.readouterr().out

    assert main(["report", "refresh"]) == 0
    assert "refreshed reporting.song_correlations" in capsys.readouterr().out
    out = tmp_path / "out"
    assert main(["export", "excel", "--out", str(out / "r.xlsx")]) == 0
    assert main(["export", "tableau", "--out", str(out / "tableau"), "--role", "reader"]) == 0
    assert main(["export", "plots", "--out", str(out / "plots")]) == 0
    assert (out / "r.xlsx").stat().st_size > 0
    assert (out / "tableau" / "beatclassifier-reporting.hyper").stat().st_size > 0
    assert len(list((out / "tableau").glob("*.tds"))) == 9
    assert len(list((out / "plots").glob("*.png"))) == 3


def test_demo_writes_reports_and_names_the_folder(
    cli_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo"]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.startswith("== demo output")
    folder = Path(last.rsplit(": ", 1)[1])
    assert (folder / "beatclassifier-reporting.xlsx").exists()
    assert (folder / "tableau" / "beatclassifier-reporting.hyper").exists()
    assert len(list((folder / "plots").glob("*.png"))) == 3
