"""The three exports behind ``beatclassifier export``, and all of them at once (the demo).

Each reads the reporting views once, in one snapshot, and needs only SELECT on
schema ``reporting``.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from db import reporting
from reports.excel import write_workbook
from reports.plots import write_plots
from reports.tableau import write_extract, write_tds_files
from reports.views import read_all

WORKBOOK_NAME = "beatclassifier-reporting.xlsx"


def export_excel(engine: Engine, out: Path) -> Path:
    return write_workbook(read_all(engine), out)


def export_tableau(engine: Engine, out_dir: Path, role: str | None = None) -> list[Path]:
    """The Hyper extract and one live-connection .tds per view."""
    extract = write_extract(read_all(engine), out_dir)
    url = engine.url.render_as_string(hide_password=True)
    return [extract, *write_tds_files(url, list(reporting.VIEWS), out_dir, role)]


def export_plots(engine: Engine, out_dir: Path) -> list[Path]:
    return write_plots(read_all(engine), out_dir)


def export_all(engine: Engine, out_dir: Path, role: str | None = None) -> list[Path]:
    """Workbook, Tableau files and PNGs into ``out_dir`` from one read of the views."""
    views = read_all(engine)
    url = engine.url.render_as_string(hide_password=True)
    return [
        write_workbook(views, out_dir / WORKBOOK_NAME),
        write_extract(views, out_dir / "tableau"),
        *write_tds_files(url, list(reporting.VIEWS), out_dir / "tableau", role),
        *write_plots(views, out_dir / "plots"),
    ]
