"""End to end through the CLI: enqueue, worker, registry commands, predict."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from beatclassifier.cli import main
from jobs.ingest.synthetic import SyntheticSpec, write_synthetic_catalog


def _rows(url: str, sql: str) -> list:
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text(sql)).all()
    engine.dispose()
    return rows


def test_queue_worker_models_and_predict(
    cli_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    catalog = write_synthetic_catalog(tmp_path / "cat", SyntheticSpec(artists=3, tracks=300))
    assert main(["ingest", "csv", str(catalog)]) == 0
    assert main(["train", "--enqueue", "--grid", "quick", "--min-songs", "20"]) == 0
    assert main(["train", "--enqueue", "--grid", "quick", "--label-set", "missing"]) == 0
    assert main(["train", "--grid", str(tmp_path / "nope.json")]) == 2
    capsys.readouterr()

    assert main(["worker", "--exit-when-empty"]) == 0
    assert "processed 2 run(s)" in capsys.readouterr().out
    runs = _rows(cli_env, "SELECT status, error, model_id FROM training_runs ORDER BY id")
    assert runs[0].status == "done" and runs[0].model_id is not None
    assert runs[1].status == "failed" and "no label set named 'missing'" in runs[1].error

    assert main(["models", "list"]) == 0
    assert "per-artist-quick" in capsys.readouterr().out
    assert main(["models", "show", str(runs[0].model_id)]) == 0
    shown = json.loads(capsys.readouterr().out)
    for name in ("network", "majority", "logistic_regression", "gradient_boosting"):
        assert set(shown["metrics"][name]) == {
            "accuracy", "balanced_accuracy", "top3_accuracy", "log_loss"
        }  # fmt: skip
    assert len(shown["grid_results"]) == 2
    assert main(["models", "show", "999"]) == 2

    engine = create_engine(cli_env)
    with engine.begin() as conn:
        conn.execute(text("UPDATE beats SET tempo = NULL WHERE id = (SELECT min(id) FROM beats)"))
    engine.dispose()
    assert main(["predict"]) == 0
    out = capsys.readouterr()
    assert "lacks tempo: not scored" in out.err
    assert "scored 9 beats, wrote 27 prediction rows" in out.out
    assert main(["predict", "--all"]) == 0
    counts = _rows(cli_env, "SELECT count(*), count(DISTINCT (beat_id, rank)) FROM predictions")
    assert counts[0] == (27, 27)
    assert main(["models", "activate", str(runs[0].model_id)]) == 0
