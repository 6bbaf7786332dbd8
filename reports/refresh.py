"""Keep the materialized reporting views current after the catalog changes."""

from __future__ import annotations

import logging
import time

from sqlalchemy import Engine

from db import reporting

log = logging.getLogger(__name__)


def refresh_views(engine: Engine) -> dict[str, float]:
    """Refresh every materialized reporting view; returns seconds taken per view.

    Views refresh in dependency order, each in its own transaction, CONCURRENTLY,
    so Tableau and Excel users keep reading the previous contents meanwhile.
    """
    seconds: dict[str, float] = {}
    for view in reporting.MATERIALIZED_VIEWS:
        started = time.perf_counter()
        with engine.begin() as conn:
            reporting.refresh(conn, view)
        seconds[view] = time.perf_counter() - started
        log.debug("refreshed reporting.%s in %.3f s", view, seconds[view])
    return seconds
