"""The audio features every part of the product agrees on, with their valid ranges.

One table drives the database CHECK constraints, the CSV validation and the
training feature list, so a range is never written twice.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Feature:
    name: str
    low: float
    high: float | None  # None: no upper bound
    integer: bool = False
    low_inclusive: bool = True

    def check_sql(self, column: str | None = None) -> str:
        """SQL boolean expression that holds for a valid (or NULL) value."""
        col = column or self.name
        op = ">=" if self.low_inclusive else ">"
        expr = f"{col} {op} {self.low:g}"
        if self.high is not None:
            expr += f" AND {col} <= {self.high:g}"
        return f"{col} IS NULL OR ({expr})"

    def describe_range(self) -> str:
        low = f"[{self.low:g}" if self.low_inclusive else f"({self.low:g}"
        high = f"{self.high:g}]" if self.high is not None else "inf)"
        return f"{low}, {high}"


FEATURES: tuple[Feature, ...] = (
    Feature("danceability", 0, 1),
    Feature("energy", 0, 1),
    Feature("key", -1, 11, integer=True),
    Feature("loudness", -60, 5),
    Feature("mode", 0, 1, integer=True),
    Feature("speechiness", 0, 1),
    Feature("acousticness", 0, 1),
    Feature("instrumentalness", 0, 1),
    Feature("liveness", 0, 1),
    Feature("valence", 0, 1),
    Feature("tempo", 0, 300),
    Feature("time_signature", 0, 7, integer=True),
    Feature("duration_ms", 0, None, integer=True, low_inclusive=False),
)

FEATURES_BY_NAME: dict[str, Feature] = {f.name: f for f in FEATURES}
FEATURE_NAMES: tuple[str, ...] = tuple(f.name for f in FEATURES)

# The 11 inputs the study trained on: mode is one-hot encoded as major/minor.
STUDY_FEATURES: tuple[str, ...] = (
    "danceability",
    "energy",
    "key",
    "loudness",
    "acousticness",
    "liveness",
    "valence",
    "tempo",
    "duration_ms",
    "major",
    "minor",
)
