"""Read every reporting view once, for the exports (which need nothing else)."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine
from sqlalchemy.exc import ProgrammingError

from beatclassifier.errors import UserError
from db import reporting


def read_all(engine: Engine) -> dict[str, pd.DataFrame]:
    """Every reporting view as a DataFrame, read in one repeatable-read snapshot."""
    with engine.connect() as conn:
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
        if not reporting.schema_exists(conn):
            raise UserError(
                "the database has no reporting schema: run `beatclassifier db migrate` "
                "as the database owner first"
            )
        try:
            return {view: reporting.read_view(conn, view) for view in reporting.VIEWS}
        except ProgrammingError as exc:
            raise UserError(
                f"cannot read the reporting views ({exc.orig}); grant access with "
                "`beatclassifier db grant-reader ROLE` or migrate the database"
            ) from exc


def correlation_matrix(frame: pd.DataFrame, value: str) -> pd.DataFrame:
    """Long (feature_x, feature_y, value) rows as a square matrix in feature order."""
    order = frame.drop_duplicates("feature_x").sort_values("x_order")["feature_x"].tolist()
    matrix = frame.pivot(index="feature_y", columns="feature_x", values=value)
    return matrix.reindex(index=order, columns=order).astype("float64")
