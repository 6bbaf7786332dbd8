"""Time every reporting view on a 1,000,000-track synthetic catalog.

For each materialized view: its refresh (CONCURRENTLY, as the ingest runs it), a
read of the materialized rows, and the same read computed from the catalog tables
(what a plain view would cost), with their ratio: the measurement behind the
choice of which views to materialize. Plain views are timed as they are read.
Reads are medians of 5 runs, rows fetched into Python. Target: < 200 ms per read.

    python -m benchmarks.views [--url postgresql://user@host/postgres] [--tracks N]

(from the repository root). Without --url it uses DATABASE_URL's server, else an
embedded PostgreSQL in a temporary directory. It creates (and afterwards drops) a
scratch database on that server.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Connection, Engine, text

from benchmarks.fresh_db import fresh_database
from db import reporting
from reports.refresh import refresh_views

CATALOG_SQL = Path(__file__).with_name("synthetic_views_catalog.sql")
REPEATS = 5
# How people read each view: the whole view, except the flat tracks view, which
# Tableau reads filtered (one artist's tracks) or aggregated, never whole.
READS = {view: "SELECT * FROM ({source}) v" for view in reporting.VIEWS}
READS["tracks"] = "SELECT * FROM ({source}) v WHERE artist_id = 7"
READS["tracks (count by year)"] = (
    "SELECT release_year, count(*), avg(energy) FROM ({source}) v GROUP BY release_year"
)


def _median_ms(conn: Connection, sql: str) -> float:
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        conn.exec_driver_sql(sql).fetchall()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _timed(label: str, action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    seconds = time.perf_counter() - started
    print(f"{label}: {seconds:.1f} s", flush=True)
    return seconds


def _load(engine: Engine, tracks: int) -> None:
    with engine.begin() as conn:
        conn.execute(text("SELECT set_config('bench.tracks', :n, true)"), {"n": str(tracks)})
        conn.connection.driver_connection.execute(CATALOG_SQL.read_text())
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE")


def run(server_url: str | None, tracks: int) -> None:
    with fresh_database(server_url) as engine:
        _timed(f"generate {tracks:,} synthetic tracks", lambda: _load(engine, tracks))
        _timed("first refresh of all materialized views", lambda: refresh_views(engine))
        refresh = refresh_views(engine)  # a second refresh: CONCURRENTLY diffs against rows
        _report(engine, refresh)


def _report(engine: Engine, refresh: dict[str, float]) -> None:
    print(f"\n{'view':<28}{'kind':<14}{'rows':>9}{'refresh s':>11}{'read ms':>10}"
          f"{'unmaterialized ms':>19}{'ratio':>7}")  # fmt: skip
    with engine.connect() as conn:
        kinds = reporting.list_views(conn)
        for label, template in READS.items():
            view = label.split(" ")[0]
            materialized = kinds[view]
            read = template.format(source=f"SELECT * FROM reporting.{view}")
            read_ms = _median_ms(conn, read)
            rows = len(conn.exec_driver_sql(read).fetchall())
            plain = ratio = ""
            if materialized:
                plain_ms = _median_ms(conn, template.format(source=_unmaterialized(conn, view)))
                plain, ratio = f"{plain_ms:.0f}", f"{plain_ms / read_ms:.0f}x"
            refreshed = f"{refresh[view]:.2f}" if materialized and label == view else ""
            kind = "materialized" if materialized else "view"
            print(
                f"{label:<28}{kind:<14}{rows:>9,}{refreshed:>11}{read_ms:>10.1f}{plain:>19}{ratio:>7}"
            )


def _unmaterialized(conn: Connection, view: str) -> str:
    """The view's query computed from the catalog tables, the tracks view inlined too."""
    definition = reporting.view_definition(conn, view).rstrip().rstrip(";")
    if view != "tracks":
        tracks = reporting.view_definition(conn, "tracks").rstrip().rstrip(";")
        # a non-recursive CTE cannot see itself: inside it, "tracks" is the table
        inlined = definition.replace("reporting.tracks", "tracks")
        definition = f"WITH tracks AS MATERIALIZED ({tracks}) {inlined}"
    return definition


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--url", help="a server URL (any database); default: DATABASE_URL's, else embedded"
    )
    parser.add_argument("--tracks", type=int, default=1_000_000)
    args = parser.parse_args()
    run(args.url, args.tracks)


if __name__ == "__main__":
    main()
