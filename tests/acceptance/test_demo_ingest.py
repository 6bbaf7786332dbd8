"""``make demo``'s catalog step goes through the simulator and the Spotify ingester."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from db import catalog
from jobs import demo


def test_demo_ingests_through_the_simulator(
    engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    demo.run_demo(engine, tmp_path)
    out = capsys.readouterr().out
    assert "ingest through the Spotify/ReccoBeats simulator" in out
    assert "requests:" in out and "beats:" in out
    with engine.connect() as conn:
        totals = catalog.summary(conn)
    assert totals["tracks"] > 0 and totals["feature_rows"] == totals["tracks"]
    assert totals["beats"] == 10
