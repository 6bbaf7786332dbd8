"""The CLI as a user runs it: exit codes, messages, the embedded database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from beatclassifier.cli import main
from jobs.ingest.synthetic import SyntheticSpec, write_synthetic_catalog

REPO = Path(__file__).resolve().parents[2]


def test_help_explains_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    for command in ("ingest", "db", "demo"):
        assert command in out
    assert "Exit codes" in out


def test_db_url_masks_the_password(
    cli_env: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = cli_env.replace(
        "postgresql+psycopg://postgres@", "postgresql+psycopg://postgres:hunter2@"
    )
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["db", "url"]) == 0
    out = capsys.readouterr().out
    assert "hunter2" not in out and "***" in out


def test_ingest_csv_then_again(
    cli_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    directory = write_synthetic_catalog(tmp_path / "cat", SyntheticSpec(artists=2, tracks=30))
    assert main(["ingest", "csv", str(directory)]) == 0
    assert "30 new tracks" in capsys.readouterr().out
    assert main(["ingest", "csv", str(directory)]) == 0
    assert "nothing changed" in capsys.readouterr().out


def test_bad_input_exits_2_with_the_place_and_writes_nothing(
    cli_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    directory = write_synthetic_catalog(tmp_path / "cat", SyntheticSpec(artists=2, tracks=30))
    path = directory / "songfeatures.csv"
    path.write_text(path.read_text().replace("\n5,", "\n5x,", 1))
    assert main(["ingest", "csv", str(directory)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "songfeatures.csv, line 7" in err
    engine = create_engine(cli_env)
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM tracks")) == 0
    engine.dispose()


def test_bad_configuration_exits_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", "sqlite:///x.db")
    assert main(["db", "url"]) == 2
    assert "bad configuration" in capsys.readouterr().err


def test_embedded_database_persists_between_runs(tmp_path: Path) -> None:
    """No DATABASE_URL: each run starts the embedded server; the data survives."""
    directory = write_synthetic_catalog(tmp_path / "cat", SyntheticSpec(artists=2, tracks=20))
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TEST_DATABASE_URL")}
    env["BEATCLASSIFIER_DATA_DIR"] = str(tmp_path / "data")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "beatclassifier", *args],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    first = run("ingest", "csv", str(directory))
    assert first.returncode == 0, first.stderr
    assert "20 new tracks" in first.stdout
    second = run("ingest", "csv", str(directory))
    assert second.returncode == 0, second.stderr
    assert "nothing changed" in second.stdout
    url = run("db", "url")
    assert url.stdout.startswith("postgresql+psycopg://postgres@/beatclassifier?host=")
