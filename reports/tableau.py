"""The reporting views for Tableau: a Hyper extract and live-connection .tds files.

The extract (pantab, which bundles Tableau's Hyper engine) is a snapshot for
people without database access. The .tds files point Tableau at the live views
through the read-only reporting role, one data source per view, so every ingest
shows up on the next refresh. No password is ever written: Tableau asks for it.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import quoteattr

import pandas as pd
import pantab
import pyarrow as pa
from sqlalchemy import make_url

EXTRACT_NAME = "beatclassifier-reporting.hyper"


def write_extract(views: dict[str, pd.DataFrame], out_dir: Path) -> Path:
    """One .hyper file with a table per view, in schema ``reporting``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / EXTRACT_NAME
    tables = {("reporting", name): _hyper_ready(frame) for name, frame in views.items()}
    pantab.frames_to_hyper(tables, path, atomic=True)  # atomic: never a half-written file
    return path


def _hyper_ready(frame: pd.DataFrame) -> pd.DataFrame:
    """Hyper has no 16-bit integers; widen them."""
    widened = {
        col: pd.ArrowDtype(pa.int32())
        for col in frame.columns
        if getattr(frame[col].dtype, "pyarrow_dtype", None) == pa.int16()
    }
    return frame.astype(widened) if widened else frame


def write_tds_files(
    database_url: str, views: list[str], out_dir: Path, role: str | None = None
) -> list[Path]:
    """A .tds data source per view: a live PostgreSQL connection to ``reporting.<view>``.

    ``role`` (the reporting role, see ``db grant-reader``) replaces the URL's user.
    A unix-socket URL (the embedded server) has no host Tableau can use, so the
    file names localhost:5432; edit it, or use the extract instead.
    """
    url = make_url(database_url)
    server = url.host or "localhost"
    port = url.port or 5432
    username = role or url.username or ""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for view in views:
        path = out_dir / f"beatclassifier-{view.replace('_', '-')}.tds"
        path.write_text(
            _TDS.format(
                caption=quoteattr(f"beatclassifier reporting.{view}"),
                server=quoteattr(server),
                port=quoteattr(str(port)),
                dbname=quoteattr(url.database or ""),
                username=quoteattr(username),
                name=quoteattr(view),
                table=quoteattr(f"[reporting].[{view}]"),
            )
        )
        paths.append(path)
    return paths


_TDS = """<?xml version='1.0' encoding='utf-8' ?>
<datasource formatted-name={caption} inline='true' version='18.1' \
xmlns:user='http://www.tableausoftware.com/xml/user'>
  <connection class='federated'>
    <named-connections>
      <named-connection caption={server} name='postgres.beatclassifier'>
        <connection authentication='username-password' class='postgres' dbname={dbname} \
one-time-sql='' port={port} server={server} sslmode='prefer' username={username} />
      </named-connection>
    </named-connections>
    <relation connection='postgres.beatclassifier' name={name} table={table} type='table' />
  </connection>
</datasource>
"""
