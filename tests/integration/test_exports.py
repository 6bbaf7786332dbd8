"""Exports: the workbook opens with openpyxl, the Hyper file reads back, the PNGs show something."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

import matplotlib.image
import openpyxl
import pantab
import pytest
from sqlalchemy import Engine

from db import reporting
from jobs.ingest.csv_import import import_directory
from jobs.ingest.synthetic import SyntheticSpec, write_synthetic_catalog
from reports.excel import HEATMAP_SHEET, write_workbook
from reports.plots import write_plots
from reports.refresh import refresh_views
from reports.tableau import write_extract, write_tds_files
from reports.views import read_all


@pytest.fixture
def views(engine: Engine, tmp_path: Path) -> dict:
    spec = SyntheticSpec(artists=5, tracks=300, beats=6, tracks_per_album=10)
    import_directory(engine, write_synthetic_catalog(tmp_path / "catalog", spec))
    refresh_views(engine)
    return read_all(engine)


def test_workbook_has_tables_chart_and_heatmaps(views: dict, tmp_path: Path) -> None:
    path = write_workbook(views, tmp_path / "report.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [*reporting.VIEWS, HEATMAP_SHEET]
    for name in reporting.VIEWS:
        sheet = book[name]
        (table,) = sheet.tables.values()
        rows = max(len(views[name]), 1)  # an empty view keeps one blank row
        assert table.ref == f"A1:{openpyxl.utils.get_column_letter(views[name].shape[1])}{rows + 1}"
        assert [c.name for c in table.tableColumns] == list(views[name].columns)
        assert table.autoFilter is not None
        assert sheet.cell(1, 1).font.bold
    shares = book["minor_share_by_artist"]
    share_col = list(views["minor_share_by_artist"].columns).index("minor_share") + 1
    assert shares.cell(2, share_col).number_format == "0.000"
    assert shares.cell(2, share_col).value == pytest.approx(
        float(views["minor_share_by_artist"]["minor_share"].iloc[0])
    )
    (chart,) = shares._charts
    assert chart.tagname == "scatterChart"
    assert chart.series[0].trendline.trendlineType == "linear"

    heat = book[HEATMAP_SHEET]
    rules = [rule for rng in heat.conditional_formatting for rule in rng.rules]
    assert len(rules) == 3 and all(rule.type == "colorScale" for rule in rules)
    assert heat["A1"].value.startswith("Q2") and heat["A2"].value is None
    assert heat["B2"].value == "danceability" and heat["B3"].value == pytest.approx(1.0)


def test_hyper_extract_reads_back_with_same_row_counts(views: dict, tmp_path: Path) -> None:
    path = write_extract(views, tmp_path / "tableau")
    tables = pantab.frames_from_hyper(path)
    counts = {tuple(name): len(frame) for name, frame in tables.items()}
    assert counts == {("reporting", name): len(frame) for name, frame in views.items()}
    assert counts[("reporting", "tracks")] > 200
    assert list(tables[("reporting", "tracks")].columns) == list(views["tracks"].columns)


def test_tds_points_at_the_view_without_a_password(tmp_path: Path) -> None:
    url = "postgresql+psycopg://owner:hunter2@db.example.org:5433/beats"
    (path,) = write_tds_files(url, ["song_correlations"], tmp_path, role="reader")
    source = path.read_text()
    assert "hunter2" not in source
    root = ElementTree.fromstring(source)
    conn = root.find(".//named-connection/connection")
    assert conn is not None
    assert (conn.get("class"), conn.get("server"), conn.get("port")) == (
        "postgres",
        "db.example.org",
        "5433",
    )
    assert (conn.get("dbname"), conn.get("username")) == ("beats", "reader")
    relation = root.find(".//relation")
    assert relation is not None and relation.get("table") == "[reporting].[song_correlations]"


def test_pngs_exist_have_size_and_are_not_blank(views: dict, tmp_path: Path) -> None:
    paths = write_plots(views, tmp_path / "plots")
    assert [p.name for p in paths] == [
        "q1-minor-share-vs-rank.png",
        "q2-q3-correlation-heatmaps.png",
        "q4-songs-vs-beats-correlations.png",
    ]
    for path in paths:
        pixels = matplotlib.image.imread(path)
        height, width = pixels.shape[:2]
        assert width >= 900 and height >= 600, path.name
        rgb = pixels[..., :3]
        not_white = (rgb < 0.95).any(axis=-1).mean()
        assert not_white > 0.03, f"{path.name} is almost blank"
        assert rgb.std() > 0.05
