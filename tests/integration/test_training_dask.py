"""``train --dask``: the grid's fits run on a Dask cluster via joblib's Dask backend."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from distributed import LocalCluster
from sqlalchemy import Engine, text

from beatclassifier.settings import Settings
from jobs.ingest.csv_import import import_directory
from jobs.ingest.synthetic import SyntheticSpec, write_synthetic_catalog
from jobs.train.request import TrainingRequest
from jobs.train.run import run_training


@pytest.mark.slow
def test_grid_runs_on_a_local_dask_cluster(engine: Engine, tmp_path: Path) -> None:
    spec = SyntheticSpec(artists=3, tracks=240, beats=2, seed=5)
    import_directory(engine, write_synthetic_catalog(tmp_path / "cat", spec))
    request = TrainingRequest(grid="quick", min_songs=20, max_epochs=5)
    cluster = LocalCluster(n_workers=1, threads_per_worker=2, processes=False)
    with cluster, cluster.get_client() as client:
        result = run_training(
            engine, Settings(), replace(request, dask_address=cluster.scheduler_address)
        )
        tasks = client.run_on_scheduler(lambda dask_scheduler: len(dask_scheduler.transition_log))
    assert tasks > 0  # the cluster did the work
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM grid_results")).scalar_one() == 2
    assert result.metrics["folds"] == 3
