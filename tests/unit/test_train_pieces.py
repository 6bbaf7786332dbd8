"""Training pieces without a database: classifier tags, folds, grids, label files."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from beatclassifier.errors import InputError
from jobs.predict import ranked_rows
from jobs.train.evaluation import album_folds, distinct_partitions
from jobs.train.grids import SEED, load_grid
from jobs.train.targets import read_groups_file


def test_subclass_is_a_classifier_alone_and_in_the_pipeline() -> None:
    from scikeras.wrappers import KerasClassifier
    from sklearn.base import is_classifier

    from jobs.train.evaluation import network_pipeline
    from jobs.train.network import BeatKerasClassifier

    assert not is_classifier(KerasClassifier())  # the scikeras bug this subclass fixes
    assert is_classifier(BeatKerasClassifier())
    assert is_classifier(network_pipeline(BeatKerasClassifier()))


def test_album_folds_never_split_an_album_and_stay_stratified() -> None:
    rng = np.random.default_rng(1)
    albums = np.repeat(np.arange(60), 10)
    rng.shuffle(albums)  # rows of one album need not be adjacent
    y = np.array([["a", "b", "c"][a % 3] for a in albums])
    folds = album_folds(y, albums, 5, seed=0)
    assert len(folds) == 5
    seen_in_test = np.zeros(len(y), dtype=int)
    for train, test in folds:
        assert not set(albums[train]) & set(albums[test])
        assert set(y[test]) == {"a", "b", "c"}
        seen_in_test[test] += 1
    assert (seen_in_test == 1).all()
    assert distinct_partitions(y, albums, 5, seeds=5) == 5


def test_seed_grid_is_the_studys_grid() -> None:
    assert len(SEED.param_grid["hidden_layers"]) == 7
    assert SEED.param_grid["batch_size"] == [256, 512, 1024, 2048, 4096]
    assert (SEED.folds, SEED.epochs, SEED.size) == (5, 6000, 35)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "line 1"),
        ('{"grid": {}}', '"param_grid"'),
        ('{"param_grid": {"optimizer": ["adam"]}}', "unknown grid parameter"),
        ('{"param_grid": {"hidden_layers": [[0]]}}', "positive integers"),
        ('{"param_grid": {"batch_size": []}}', "non-empty list"),
        ('{"param_grid": {"batch_size": [8]}, "folds": 1}', '"folds"'),
    ],
)
def test_invalid_grid_files_name_the_problem(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "grid.json"
    path.write_text(content)
    with pytest.raises(InputError, match=message) as exc:
        load_grid(str(path))
    assert str(path) in str(exc.value)


def test_grid_file_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "mine.json"
    path.write_text(json.dumps({"param_grid": {"hidden_layers": [[8, 4]]}, "epochs": 5}))
    grid = load_grid(str(path))
    assert grid.param_grid == {"hidden_layers": [(8, 4)]}
    assert (grid.name, grid.epochs, grid.folds) == ("mine", 5, 5)
    with pytest.raises(InputError, match="no grid preset or file"):
        load_grid("nope")


def test_label_file_unknown_artists_fail_or_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "groups.csv"
    path.write_text("artist,group\nNAV,NAV x Uzi\nLil Uzi Vert,NAV x Uzi\nNobody,Solo\n")
    stored = {"nav": "NAV"}
    with pytest.raises(InputError, match="2 artist\\(s\\) not in the database: Lil Uzi Vert, "):
        read_groups_file(path, stored, skip_unknown=False)
    parsed = read_groups_file(path, stored, skip_unknown=True)
    assert parsed.groups == {"NAV": "NAV x Uzi"}
    assert parsed.skipped == ["Lil Uzi Vert", "Nobody"]


def test_label_file_bad_header_and_conflicts(tmp_path: Path) -> None:
    path = tmp_path / "groups.csv"
    path.write_text("name,team\n")
    with pytest.raises(InputError, match="line 1"):
        read_groups_file(path, {}, skip_unknown=True)
    path.write_text("artist,group\nNAV,A\nnav,B\n")
    with pytest.raises(InputError, match="line 3: artist 'nav' is in two groups"):
        read_groups_file(path, {"nav": "NAV"}, skip_unknown=False)


def test_ranked_rows_rank_each_beat_by_probability() -> None:
    proba = np.array([[0.2, 0.5, 0.3], [0.6, 0.1, 0.3]])
    rows = ranked_rows(np.array([10, 11]), proba, np.array(["a", "b", "c"]))
    got = {(r.beat_id, r.group_label): r.rank for r in rows.itertuples()}
    assert got == {
        (10, "b"): 1, (10, "c"): 2, (10, "a"): 3,
        (11, "a"): 1, (11, "c"): 2, (11, "b"): 3,
    }  # fmt: skip


def test_early_stopping_validation_holds_out_whole_albums() -> None:
    from jobs.train.network import _validation_last

    albums = np.repeat(np.arange(30), 10)
    order, n_val = _validation_last(len(albums), albums, 0.1, seed=0)
    assert sorted(order) == list(range(300))
    train_albums, val_albums = set(albums[order[:-n_val]]), set(albums[order[-n_val:]])
    assert not train_albums & val_albums
    assert 30 <= n_val <= 40
    _, rows_only = _validation_last(300, None, 0.1, seed=0)
    assert rows_only == 30


def test_early_stopping_really_stops_and_restores() -> None:
    # scikeras drops callbacks given to fit(); this proves ours reach Keras.
    from jobs.train.network import BeatKerasClassifier

    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 4)).astype("float32")
    y = rng.choice(["a", "b", "c"], size=200)  # noise: validation loss stops improving
    net = BeatKerasClassifier(hidden_layers=(8,), epochs=500, patience=3, batch_size=32)
    net.fit(X, y, groups=np.repeat(np.arange(20), 10))
    assert net.epochs_run_ < 500
    assert net.predict_proba(X).shape == (200, 3)
