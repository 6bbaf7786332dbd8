"""Hyper-parameter grids: the study's presets, or a JSON file.

A grid is a dict of network parameter -> list of values (scikit-learn's
``param_grid`` without the pipeline prefix), plus training options.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from beatclassifier.errors import InputError

# Parameters a grid file may vary (keys of BeatKerasClassifier).
GRID_PARAMS = {"hidden_layers", "batch_size", "dropout", "learning_rate", "epochs", "patience"}


@dataclass(frozen=True)
class Grid:
    name: str
    param_grid: dict[str, list[Any]] | list[dict[str, list[Any]]]  # as GridSearchCV's
    folds: int = 5
    epochs: int = 6000
    binary: bool = False  # the study's NAV-vs-Drake model: exactly two classes
    fixed: dict[str, Any] = field(default_factory=dict)

    @property
    def size(self) -> int:
        total = 0
        for points in self.points:
            n = 1
            for values in points.values():
                n *= len(values)
            total += n
        return total

    @property
    def points(self) -> list[dict[str, list[Any]]]:
        return self.param_grid if isinstance(self.param_grid, list) else [self.param_grid]


SEED = Grid(
    "seed",
    {
        "hidden_layers": [
            (64, 32, 16), (1024, 512), (128, 64, 32, 16), (16, 16, 16, 16, 16),
            (64, 32, 16, 16, 8), (128, 64, 32, 16, 8), (4096,),
        ],
        "batch_size": [256, 512, 1024, 2048, 4096],
    },
)  # fmt: skip
BINARY = Grid(
    "binary",
    {"hidden_layers": [(32, 32)], "dropout": [0.4], "batch_size": [256]},
    binary=True,
)
QUICK = Grid(
    "quick",
    {"hidden_layers": [(16,), (32, 16)], "batch_size": [128]},
    folds=3,
    epochs=40,
    fixed={"patience": 5},
)
PRESETS = {g.name: g for g in (SEED, BINARY, QUICK)}


def load_grid(spec: str) -> Grid:
    """A preset name, or a JSON file ``{"param_grid": {...}, "folds": 5, "epochs": N}``."""
    if spec in PRESETS:
        return PRESETS[spec]
    path = Path(spec)
    if not path.exists():
        raise InputError(f"no grid preset or file named {spec!r} (presets: {', '.join(PRESETS)})")
    try:
        doc = json.loads(path.read_text())
    except json.JSONDecodeError as exc:
        raise InputError(exc.msg, file=str(path), line=exc.lineno) from None
    if not isinstance(doc, dict) or not isinstance(doc.get("param_grid"), dict):
        raise InputError('expected an object with a "param_grid" object', file=str(path))
    grid = doc["param_grid"]
    unknown = set(grid) - GRID_PARAMS
    if unknown:
        raise InputError(
            f"unknown grid parameter(s) {sorted(unknown)}; allowed: {sorted(GRID_PARAMS)}",
            file=str(path),
        )
    for name, values in grid.items():
        if not isinstance(values, list) or not values:
            raise InputError(f"{name!r} must be a non-empty list", file=str(path))
    if "hidden_layers" in grid:
        grid["hidden_layers"] = [_layers(v, path) for v in grid["hidden_layers"]]
    folds, epochs = doc.get("folds", 5), doc.get("epochs", 6000)
    if not isinstance(folds, int) or folds < 2:
        raise InputError('"folds" must be an integer >= 2', file=str(path))
    if not isinstance(epochs, int) or epochs < 1:
        raise InputError('"epochs" must be a positive integer', file=str(path))
    return Grid(path.stem, grid, folds=folds, epochs=epochs)


def _layers(value: Any, path: Path) -> tuple[int, ...]:
    if (
        not isinstance(value, list)
        or not value
        or not all(isinstance(u, int) and u > 0 for u in value)
    ):
        raise InputError(
            f"hidden_layers entries must be lists of positive integers, got {value!r}",
            file=str(path),
        )
    return tuple(value)
