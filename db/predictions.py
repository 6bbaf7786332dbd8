"""Beats to score and their predictions, written in bulk (COPY + set-based SQL)."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Connection

from db.catalog import copy_frame
from db.queries import query
from db.training_data import add_mode_columns

PREDICTION_COLUMNS = ("beat_id", "model_id", "group_label", "probability", "rank")


def beats_to_score(conn: Connection, model_id: int, *, all_beats: bool) -> pd.DataFrame:
    """Beats lacking this model's predictions (or every beat), with ``major``/``minor``."""
    result = conn.execute(
        query("training", "beats_to_score"), {"model_id": model_id, "all": all_beats}
    )
    return add_mode_columns(pd.DataFrame(result.fetchall(), columns=list(result.keys())))


def replace_predictions(conn: Connection, model_id: int, rows: pd.DataFrame) -> int:
    """Write ``rows`` (``PREDICTION_COLUMNS``) for ``model_id``, replacing the beats' old ones.

    One DELETE of those beats' rows, then COPY straight into the table: no staging copy.
    """
    beat_ids = [int(b) for b in pd.unique(rows["beat_id"])]
    conn.execute(
        query("training", "delete_predictions"), {"model_id": model_id, "beat_ids": beat_ids}
    )
    # No ANALYZE: nothing in this transaction reads the rows back; autovacuum will.
    copy_frame(
        conn, "predictions", rows.assign(model_id=model_id), PREDICTION_COLUMNS, analyze=False
    )
    return len(rows)


def top_predictions(conn: Connection, model_id: int, k: int = 3) -> pd.DataFrame:
    """Each beat's ``k`` most likely groups under ``model_id``: beat, group, probability."""
    result = conn.execute(query("training", "top_predictions"), {"model_id": model_id, "k": k})
    return pd.DataFrame(result.fetchall(), columns=list(result.keys()))
