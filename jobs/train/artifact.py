"""The stored model: fitted pipeline (scaler + Keras network), classes and inputs.

scikeras makes Keras models picklable (it saves them in Keras' own format inside
the pickle), so one byte string restores the whole pipeline without retraining.
"""

from __future__ import annotations

import io
import pickle
from dataclasses import dataclass
from typing import Any

from beatclassifier.errors import UserError


@dataclass
class Artifact:
    pipeline: Any
    classes: list[str]
    features: list[str]
    backend: str

    def dumps(self) -> bytes:
        buffer = io.BytesIO()
        pickle.dump(self, buffer, protocol=pickle.HIGHEST_PROTOCOL)
        return buffer.getvalue()


def loads(data: bytes | None, model_id: int) -> Artifact:
    """The artifact of model ``model_id``, or a clear error when it cannot be restored."""
    if not data:
        raise UserError(f"model {model_id} has no stored artifact")
    import jobs.train.network  # noqa: F401  (sets the backend and scikeras' unpicklers)

    try:
        artifact = pickle.loads(data)
    except Exception as exc:
        raise UserError(
            f"model {model_id}'s artifact does not load ({type(exc).__name__}: {exc}); "
            "retrain it, or activate another model"
        ) from None
    if not isinstance(artifact, Artifact):
        raise UserError(f"model {model_id}'s artifact is not a beatclassifier model")
    return artifact
