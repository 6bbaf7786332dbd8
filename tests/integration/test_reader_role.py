"""`db grant-reader`: the role reads schema reporting, and nothing else, and writes nothing."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, make_url, text
from sqlalchemy.exc import DBAPIError

from beatclassifier.cli import main
from jobs.ingest.csv_import import import_directory
from jobs.ingest.synthetic import SyntheticSpec, write_synthetic_catalog
from reports.exports import export_all
from reports.refresh import refresh_views


@pytest.fixture
def role(engine: Engine) -> Iterator[str]:
    """A random role name; the role is dropped after the test (roles are cluster-wide)."""
    name = f"bc_reader_{secrets.token_hex(4)}"
    yield name
    with engine.begin() as conn:
        exists = conn.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": name})
        if exists:
            conn.execute(text(f'REASSIGN OWNED BY "{name}" TO CURRENT_USER'))
            conn.execute(text(f'DROP OWNED BY "{name}"'))
            conn.execute(text(f'DROP ROLE "{name}"'))


@pytest.fixture
def reader(db_url: str, role: str) -> Iterator[Engine]:
    url = make_url(db_url).set(username=role, password=None)
    engine = create_engine(url)
    yield engine
    engine.dispose()


def _denied(engine: Engine, sql: str) -> str:
    with pytest.raises(DBAPIError) as info, engine.begin() as conn:
        conn.execute(text(sql))
    return str(info.value.orig)


def test_reader_role_reads_reporting_only(
    engine: Engine,
    reader: Engine,
    role: str,
    cli_env: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    spec = SyntheticSpec(artists=3, tracks=60, beats=3, tracks_per_album=6)
    import_directory(engine, write_synthetic_catalog(tmp_path / "catalog", spec))
    refresh_views(engine)
    monkeypatch.setenv("READER_PASSWORD", "s3cret-Pa55")
    assert main(["db", "grant-reader", role, "--password-env", "READER_PASSWORD"]) == 0
    out = capsys.readouterr().out
    assert f"created role {role}" in out and "s3cret" not in out
    assert main(["db", "grant-reader", role]) == 0  # idempotent: updates
    assert f"updated role {role}" in capsys.readouterr().out

    with reader.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM reporting.tracks")) > 0
        assert conn.scalar(text("SELECT count(*) FROM reporting.model_leaderboard")) == 0

    for sql in (
        "SELECT * FROM tracks",
        "SELECT * FROM audio_features",
        "SELECT artifact FROM models",
        "SELECT * FROM alembic_version",
    ):
        assert "permission denied" in _denied(reader, sql)
    for sql in (
        "INSERT INTO artists (spotify_id, name, rank) VALUES ('0123456789abcdefghijAB', 'x', 1)",
        "DELETE FROM beats",
        "CREATE TABLE reporting.mine (x int)",
        "CREATE TABLE public.mine (x int)",
        "REFRESH MATERIALIZED VIEW reporting.tracks",
        "DROP VIEW reporting.beat_predictions",
    ):
        message = _denied(reader, sql)
        assert "permission denied" in message or "read-only" in message or "owner" in message

    # views created later (a future migration) are readable without a new grant
    with engine.begin() as conn:
        conn.execute(text("CREATE VIEW reporting.later AS SELECT 42 AS answer"))
    with reader.connect() as conn:
        assert conn.scalar(text("SELECT answer FROM reporting.later")) == 42

    # exports need nothing more than this role
    paths = export_all(reader, tmp_path / "out")
    assert all(path.stat().st_size > 0 for path in paths)


def test_grant_reader_password_env_must_be_set(
    cli_env: str, role: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "grant-reader", role, "--password-env", "BC_NO_SUCH_VARIABLE"]) == 2
    assert "BC_NO_SUCH_VARIABLE is not set" in capsys.readouterr().err
