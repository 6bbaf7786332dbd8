"""What a training run is asked to do: the train command's options, as JSON for the queue."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

from db.features import STUDY_FEATURES


@dataclass(frozen=True)
class TrainingRequest:
    groups_file: str | None = None  # artist,group CSV; None: label set or one class per artist
    label_set: str | None = None  # name to store/read the label set under
    skip_unknown_artists: bool = False
    only: list[str] = field(default_factory=list)  # restrict to these groups
    min_songs: int = 100
    grid: str = "seed"  # preset name or JSON file
    extra_features: list[str] = field(default_factory=list)
    early_stopping: bool = True
    patience: int | None = None  # None: the grid's, else 20
    max_epochs: int | None = None  # None: the grid's
    folds: int | None = None  # None: the grid's
    refit_metric: str = "auto"
    force_activate: bool = False
    seed: int = 0
    jobs: int = 1
    dask_address: str | None = None
    name: str | None = None

    @property
    def features(self) -> list[str]:
        return [*STUDY_FEATURES, *(f for f in self.extra_features if f not in STUDY_FEATURES)]

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TrainingRequest:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})
