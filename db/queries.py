"""Named SQL queries kept in ``db/sql/*.sql``.

A file holds several queries, each introduced by a ``-- name: NAME`` line, so the
SQL reads as SQL (and can be pasted into psql) rather than living in strings.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from sqlalchemy import TextClause, text

SQL_DIR = Path(__file__).parent / "sql"
_NAME = re.compile(r"^--\s*name:\s*(\w+)\s*$", re.MULTILINE)


@cache
def _load(file: str) -> dict[str, str]:
    source = (SQL_DIR / f"{file}.sql").read_text()
    parts = _NAME.split(source)
    return {name: body.strip() for name, body in zip(parts[1::2], parts[2::2], strict=True)}


def sql(file: str, name: str) -> str:
    """The raw SQL of query ``name`` in ``db/sql/<file>.sql``."""
    try:
        return _load(file)[name]
    except KeyError:
        raise KeyError(f"no query {name!r} in db/sql/{file}.sql") from None


def query(file: str, name: str) -> TextClause:
    """Query ``name`` as a SQLAlchemy text clause, ready for ``:param`` binds."""
    return text(sql(file, name))
