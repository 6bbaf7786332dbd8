"""Shared fixtures: a real PostgreSQL for every test, isolated per test.

The server is ``TEST_DATABASE_URL`` (or ``DATABASE_URL``) when set, else an
embedded PostgreSQL started for the session. The schema is migrated once into a
template database; each test gets a fresh copy (``CREATE DATABASE ... TEMPLATE``),
so tests never see each other's rows and can commit freely.
"""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, make_url, text

from db import migrate
from db.connection import embedded_url
from jobs.ingest.seed_csv import SEED_SAMPLE

_counter = itertools.count()


@pytest.fixture(scope="session")
def server_url() -> Iterator[str]:
    """A URL on the test server for a database we may create others from."""
    configured = os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL")
    if configured:
        yield configured.replace("postgresql://", "postgresql+psycopg://", 1)
        return
    # A short path: the server's unix socket lives in it (108-byte limit).
    data_dir = Path(tempfile.mkdtemp(prefix="bc-pg-"))
    try:
        yield embedded_url(data_dir, database="postgres")
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def _with_database(url: str, name: str) -> str:
    return make_url(url).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def admin_engine(server_url: str) -> Iterator[Engine]:
    engine = create_engine(server_url, isolation_level="AUTOCOMMIT")
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def template_db(admin_engine: Engine, server_url: str) -> Iterator[str]:
    """Name of a database holding the migrated schema and no rows."""
    name = f"bc_template_{os.getpid()}"
    with admin_engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = create_engine(_with_database(server_url, name))
    migrate.upgrade(engine)
    engine.dispose()
    yield name
    with admin_engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def create_database(admin_engine: Engine, server_url: str, template: str | None) -> str:
    """A new empty (or templated) database; returns its URL."""
    name = f"bc_test_{os.getpid()}_{next(_counter)}"
    tmpl = f' TEMPLATE "{template}"' if template else ""
    with admin_engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"{tmpl}'))
    return _with_database(server_url, name)


def drop_database(admin_engine: Engine, url: str) -> None:
    name = make_url(url).database
    with admin_engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
def db_url(admin_engine: Engine, server_url: str, template_db: str) -> Iterator[str]:
    """URL of a fresh, migrated, empty database for this test only."""
    url = create_database(admin_engine, server_url, template_db)
    yield url
    drop_database(admin_engine, url)


@pytest.fixture
def empty_db_url(admin_engine: Engine, server_url: str) -> Iterator[str]:
    """URL of a fresh database with no schema at all (for migration tests)."""
    url = create_database(admin_engine, server_url, None)
    yield url
    drop_database(admin_engine, url)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = create_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def cli_env(db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    """Point the CLI (run in-process or as a subprocess) at this test's database."""
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("BEATCLASSIFIER_DATA_DIR", str(tmp_path / "data"))
    return db_url


@pytest.fixture(scope="session")
def seed_dir() -> Path:
    if not (SEED_SAMPLE / "artistsongs.csv").exists():
        pytest.skip(f"seed sample not found at {SEED_SAMPLE} (only CI and the team have ../shared)")
    return SEED_SAMPLE
