"""A throw-away migrated database for a benchmark run.

On ``DATABASE_URL``'s server when set (a new database next to it), else on an
embedded PostgreSQL in a temporary directory; dropped afterwards either way.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, make_url, text

from beatclassifier.settings import Settings
from db import migrate
from db.connection import embedded_url


@contextmanager
def fresh_database() -> Iterator[Engine]:
    settings = Settings()
    temp_dir = None
    if settings.database_url is not None:
        server = settings.database_url.get_secret_value()
    else:
        temp_dir = Path(tempfile.mkdtemp(prefix="bc-bench-"))
        server = embedded_url(temp_dir, database="postgres")
    name = f"bc_bench_{os.getpid()}"
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
            shutil.rmtree(temp_dir, ignore_errors=True)
