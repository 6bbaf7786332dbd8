"""The reporting schema: refreshing its materialized views, reading views, the reader role.

Views are created by migration 0003. Four of them scan the whole catalog and are
materialized; ``MATERIALIZED_VIEWS`` lists them in dependency order (``tracks``
feeds the other three), so refreshing in that order leaves them consistent.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
from psycopg import sql
from sqlalchemy import Connection

from db.queries import query

MATERIALIZED_VIEWS = (
    "tracks",
    "minor_share_by_artist",
    "artist_feature_summary",
    "song_correlations",
)
# Every view, in the order exports present them (the study's questions first).
VIEWS = (
    "minor_share_by_artist",
    "minor_share_regression",
    "song_correlations",
    "beat_correlations",
    "correlation_comparison",
    "artist_feature_summary",
    "tracks",
    "beat_predictions",
    "model_leaderboard",
)


def refresh(conn: Connection, view: str) -> None:
    """Recompute one materialized view without blocking its readers, then ANALYZE it.

    CONCURRENTLY needs the unique index each materialized view has.
    """
    if view not in MATERIALIZED_VIEWS:
        raise ValueError(f"not a materialized reporting view: {view!r}")
    name = sql.Identifier("reporting", view)
    cursor = conn.connection.driver_connection.cursor()
    cursor.execute(sql.SQL("REFRESH MATERIALIZED VIEW CONCURRENTLY {}").format(name))
    # fresh planner statistics, or filters on the new rows get misestimated plans
    cursor.execute(sql.SQL("ANALYZE {}").format(name))


def read_view(conn: Connection, view: str) -> pd.DataFrame:
    """All rows of a reporting view, ordered for people, typed from the database.

    Column types come from the result's type oids (pyarrow dtypes), so a column
    that is all NULL (speechiness in CSV data) still reads as float, not object.
    """
    if view not in VIEWS:
        raise ValueError(f"not a reporting view: {view!r}")
    result = conn.execute(query("reporting", f"read_{view}"))
    description = result.cursor.description
    rows = result.fetchall()
    arrays = {
        col.name: pa.array([row[i] for row in rows], type=_ARROW_TYPES.get(col.type_code))
        for i, col in enumerate(description)
    }
    return pa.table(arrays).to_pandas(types_mapper=pd.ArrowDtype)


# PostgreSQL type oid -> arrow type; anything else is inferred from the values.
_ARROW_TYPES = {
    16: pa.bool_(),
    20: pa.int64(),
    21: pa.int16(),
    23: pa.int32(),
    700: pa.float64(),
    701: pa.float64(),
    25: pa.string(),
    1043: pa.string(),
    19: pa.string(),
    1082: pa.date32(),
    1184: pa.timestamp("us", tz="UTC"),
}


def list_views(conn: Connection) -> dict[str, bool]:
    """Every view in schema reporting -> whether it is materialized."""
    return {
        view: materialized for view, materialized in conn.execute(query("reporting", "list_views"))
    }


def schema_exists(conn: Connection) -> bool:
    return bool(conn.execute(query("reporting", "reporting_schema_exists")).scalar_one())


def view_definition(conn: Connection, view: str) -> str:
    """The SELECT behind a view, to time what a plain (non-materialized) view would cost."""
    return conn.execute(query("reporting", "view_definition"), {"view": view}).scalar_one()


def grant_reader(conn: Connection, role: str, password: str | None) -> bool:
    """Create or update login ``role`` that can only SELECT from schema reporting.

    Covers views created later too (default privileges of the migrating role, which
    owns the views), and makes the role's transactions read-only by default as a
    second fence. Returns True when the role was created. The password travels as a
    literal inside the statement (psycopg cannot bind in DDL) and is never logged.
    """
    created = not conn.execute(query("reporting", "role_exists"), {"role": role}).scalar_one()
    ident = sql.Identifier(role)
    login = sql.SQL("LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT")
    if password is not None:
        login = sql.SQL("{} PASSWORD {}").format(login, sql.Literal(password))
    verb = sql.SQL("CREATE ROLE" if created else "ALTER ROLE")
    database = conn.connection.driver_connection.info.dbname
    statements = [
        sql.SQL("{} {} {}").format(verb, ident, login),
        sql.SQL("ALTER ROLE {} SET default_transaction_read_only = on").format(ident),
        sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(sql.Identifier(database), ident),
        sql.SQL("GRANT USAGE ON SCHEMA reporting TO {}").format(ident),
        sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA reporting TO {}").format(ident),
        sql.SQL("ALTER DEFAULT PRIVILEGES IN SCHEMA reporting GRANT SELECT ON TABLES TO {}").format(
            ident
        ),
    ]
    cursor = conn.connection.driver_connection.cursor()
    for statement in statements:
        cursor.execute(statement)
    return created
