"""The reporting views as an Excel workbook: real tables, a trendline chart, heatmaps.

Built with XlsxWriter, which writes native Excel objects: each view is an Excel
table (filter buttons, styled header, number formats), question 1 gets a scatter
chart with a linear trendline, and questions 2-4 get correlation matrices with a
fixed colour scale (-1 red, 0 white, +1 blue) so the three are comparable.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pyarrow as pa
import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from beatclassifier.errors import UserError
from reports.views import correlation_matrix

EXCEL_MAX_ROWS = 1_048_576
HEATMAP_SHEET = "correlation heatmaps"
# name in the workbook (31 characters at most) -> (matrix title, value column, colour range)
MATRICES = (
    ("song_correlations", "Q2 songs: Pearson r", "r", 1.0),
    ("beat_correlations", "Q3 beats: Pearson r", "r", 1.0),
    ("correlation_comparison", "Q4 songs r minus beats r", "difference", 2.0),
)


def write_workbook(views: dict[str, pd.DataFrame], out: Path) -> Path:
    """Write ``out`` (.xlsx) from the frames ``reports.views.read_all`` returns."""
    for name, frame in views.items():
        if len(frame) + 1 > EXCEL_MAX_ROWS:
            raise UserError(
                f"view reporting.{name} has {len(frame):,} rows, more than an Excel sheet holds "
                f"({EXCEL_MAX_ROWS - 1:,}); use `beatclassifier export tableau` for it"
            )
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    workbook = xlsxwriter.Workbook(str(partial), {"remove_timezone": True})
    formats = _Formats(workbook)
    sheets = {name: _write_table(workbook, formats, name, frame) for name, frame in views.items()}
    _add_minor_share_chart(workbook, sheets["minor_share_by_artist"], views)
    _write_heatmaps(workbook, formats, views)
    workbook.close()
    partial.replace(out)  # never leave a half-written workbook under the real name
    return out


class _Formats:
    def __init__(self, workbook: Workbook) -> None:
        self.header = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top"})
        self.float = workbook.add_format({"num_format": "0.000"})
        self.integer = workbook.add_format({"num_format": "#,##0"})
        self.date = workbook.add_format({"num_format": "yyyy-mm-dd"})
        self.timestamp = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        self.text = workbook.add_format({})
        self.title = workbook.add_format({"bold": True, "font_size": 12})
        self.matrix = workbook.add_format({"num_format": "0.00", "align": "center"})
        self.label = workbook.add_format({"bold": True})

    def for_series(self, series: pd.Series) -> object:
        """The number format of a column, from its (pyarrow) dtype."""
        arrow = getattr(series.dtype, "pyarrow_dtype", None)
        if arrow is None:
            return self.text
        if pa.types.is_floating(arrow):
            return self.float
        if pa.types.is_integer(arrow):
            return self.integer
        if pa.types.is_date(arrow):
            return self.date
        if pa.types.is_timestamp(arrow):
            return self.timestamp
        return self.text


def _cell(value: object) -> object:
    if value is None or (not isinstance(value, str | bool) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


def _write_table(
    workbook: Workbook, formats: _Formats, name: str, frame: pd.DataFrame
) -> Worksheet:
    sheet = workbook.add_worksheet(name[:31])
    columns = [
        {"header": col, "format": formats.for_series(frame[col]), "header_format": formats.header}
        for col in frame.columns
    ]
    rows = [[_cell(v) for v in row] for row in frame.astype(object).itertuples(index=False)]
    last_row = max(len(rows), 1)  # a table needs one data row, even an empty one
    options = {"name": "t_" + name, "columns": columns, "style": "Table Style Medium 2"}
    if rows:
        options["data"] = rows
    sheet.add_table(0, 0, last_row, len(columns) - 1, options)
    for i, col in enumerate(frame.columns):
        sheet.set_column(i, i, max(10, min(40, len(col) + 2)))
    sheet.freeze_panes(1, 0)
    return sheet


def _add_minor_share_chart(
    workbook: Workbook, sheet: Worksheet, views: dict[str, pd.DataFrame]
) -> None:
    """Question 1: share of minor-key tracks against artist rank, with Excel's own trendline."""
    frame = views["minor_share_by_artist"]
    n = max(len(frame), 1)
    rank_col = frame.columns.get_loc("rank")
    share_col = frame.columns.get_loc("minor_share")
    chart = workbook.add_chart({"type": "scatter"})
    chart.add_series(
        {
            "name": "artists",
            "categories": [sheet.name, 1, rank_col, n, rank_col],
            "values": [sheet.name, 1, share_col, n, share_col],
            "marker": {"type": "circle", "size": 7},
            "trendline": {
                "type": "linear",
                "name": "least-squares fit",
                "display_equation": True,
                "display_r_squared": True,
            },
        }
    )
    regression = views["minor_share_regression"]
    subtitle = ""
    if len(regression) and pd.notna(regression["r_squared"].iloc[0]):
        row = regression.iloc[0]
        subtitle = f" (SQL: slope {row['slope']:.4f}, R² {row['r_squared']:.3f}, n {row['n']})"
    chart.set_title({"name": "Q1 minor-key share vs artist rank" + subtitle})
    chart.set_x_axis({"name": "artist rank (1 = first in the list)", "min": 0})
    chart.set_y_axis({"name": "share of canonical tracks in minor", "min": 0, "max": 1})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 720, "height": 420})
    sheet.insert_chart(1, len(frame.columns) + 1, chart)


def _write_heatmaps(workbook: Workbook, formats: _Formats, views: dict[str, pd.DataFrame]) -> None:
    """Questions 2-4 as square matrices with a 3-colour scale fixed to the value range."""
    sheet = workbook.add_worksheet(HEATMAP_SHEET)
    top = 0
    for view, title, value, bound in MATRICES:
        matrix = correlation_matrix(views[view], value)
        sheet.write(top, 0, title, formats.title)
        for j, feature in enumerate(matrix.columns):
            sheet.write(top + 1, j + 1, feature, formats.label)
        for i, feature in enumerate(matrix.index):
            sheet.write(top + 2 + i, 0, feature, formats.label)
            for j, cell in enumerate(matrix.iloc[i]):
                value = None if pd.isna(cell) else float(cell)
                sheet.write(top + 2 + i, j + 1, value, formats.matrix)
        last = top + 1 + len(matrix.index)
        sheet.conditional_format(
            top + 2,
            1,
            max(last, top + 2),
            max(len(matrix.columns), 1),
            {
                "type": "3_color_scale",
                "min_type": "num",
                "min_value": -bound,
                "min_color": "#D7301F",
                "mid_type": "num",
                "mid_value": 0,
                "mid_color": "#FFFFFF",
                "max_type": "num",
                "max_value": bound,
                "max_color": "#2166AC",
            },
        )
        top = last + 3
    sheet.set_column(0, 0, 18)
    sheet.set_column(1, 20, 11)
    sheet.freeze_panes(0, 1)
