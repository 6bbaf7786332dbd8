"""The model registry: trained models, their grid candidates, which one is active.

``register_model`` writes a model, all its candidates and the activation decision
in the caller's transaction, so a crashed run leaves nothing half-made.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, bindparam
from sqlalchemy.dialects.postgresql import JSONB

from db.queries import query

_JSON_COLUMNS = ("params", "metrics", "library_versions", "durations")


@dataclass(frozen=True)
class ModelRecord:
    name: str
    kind: str
    label_set_id: int
    params: dict[str, Any]
    metrics: dict[str, Any]
    refit_metric: str
    data_fingerprint: str
    library_versions: dict[str, Any]
    device: str
    durations: dict[str, Any]
    artifact: bytes


@dataclass(frozen=True)
class Candidate:
    params: dict[str, Any]
    scores: dict[str, Any]
    fit_seconds: float | None


@dataclass(frozen=True)
class Registered:
    model_id: int
    activated: bool
    previous_active: int | None
    reason: str


def _json(statement_name: str, *names: str):
    return query("training", statement_name).bindparams(*(bindparam(n, type_=JSONB) for n in names))


def network_score(metrics: dict[str, Any], metric: str) -> float | None:
    """The network's CV mean for ``metric`` (higher is better; log_loss is negated)."""
    value = metrics.get("network", {}).get(metric, {}).get("mean")
    if value is None:
        return None
    return -float(value) if metric == "log_loss" else float(value)


def register_model(
    conn: Connection, model: ModelRecord, candidates: Sequence[Candidate], *, force: bool
) -> Registered:
    """Store ``model`` and its candidates; make it active if it beats the active one.

    The active model is compared on the new model's refit metric; ``force``
    activates regardless.
    """
    active = conn.execute(
        query("training", "active_model_for_update"), {"label_set_id": model.label_set_id}
    ).one()
    values = {k: getattr(model, k) for k in model.__dataclass_fields__}
    model_id = conn.execute(_json("insert_model", *_JSON_COLUMNS), values).scalar_one()
    if candidates:
        conn.execute(
            _json("insert_grid_result", "params", "scores"),
            [
                {"model_id": model_id, "candidate": i, "params": c.params,
                 "scores": c.scores, "fit_seconds": c.fit_seconds}
                for i, c in enumerate(candidates)
            ],
        )  # fmt: skip
    new = network_score(model.metrics, model.refit_metric)
    old = None if active.id is None else network_score(active.metrics, model.refit_metric)
    if force:
        activate, reason = True, "forced"
    elif active.id is None:
        activate, reason = True, "the first model of this label set"
    elif old is None:
        activate, reason = True, f"active model {active.id} has no {model.refit_metric} score"
    elif new is not None and new > old:
        activate, reason = True, f"{model.refit_metric} {new:.4f} beats {old:.4f}"
    else:
        activate, reason = False, f"{model.refit_metric} {new:.4f} does not beat {old:.4f}"
    if activate:
        activate_model(conn, model_id, model.label_set_id)
    return Registered(int(model_id), activate, active.id, reason)


def activate_model(conn: Connection, model_id: int, label_set_id: int) -> None:
    conn.execute(query("training", "deactivate_models"), {"label_set_id": label_set_id})
    conn.execute(query("training", "activate_model"), {"model_id": model_id})


def list_models(conn: Connection) -> list[dict[str, Any]]:
    return [dict(r) for r in conn.execute(query("training", "list_models")).mappings()]


def get_model(conn: Connection, model_id: int) -> dict[str, Any] | None:
    row = conn.execute(query("training", "model_by_id"), {"model_id": model_id}).mappings()
    found = row.one_or_none()
    return None if found is None else dict(found)


def model_artifact(conn: Connection, model_id: int) -> bytes | None:
    return conn.execute(
        query("training", "model_artifact"), {"model_id": model_id}
    ).scalar_one_or_none()


def grid_results(conn: Connection, model_id: int) -> list[dict[str, Any]]:
    rows = conn.execute(query("training", "grid_results"), {"model_id": model_id}).mappings()
    return [dict(r) for r in rows]


def active_model_ids(conn: Connection) -> list[int]:
    return list(conn.execute(query("training", "active_models")).scalars())
