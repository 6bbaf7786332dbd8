"""The Keras network, its scikit-learn wrapper, and the device it trains on.

Importing this module imports Keras (and its backend: seconds), so only the
training and prediction code paths import it, never CLI start-up.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from typing import Any

import numpy as np

from beatclassifier.settings import get_settings


def _resolve_backend(setting: str) -> str:
    if setting != "auto":
        return setting
    return "jax" if importlib.util.find_spec("jax") else "tensorflow"


# Keras reads its backend once, at import: the typed setting decides (KERAS_BACKEND).
os.environ["KERAS_BACKEND"] = _resolve_backend(get_settings().keras_backend)
# scikeras imports TensorFlow whatever the backend; keep its C++ start-up chatter
# (CUDA probing, oneDNN notices) off the user's terminal unless asked for.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
from scikeras.wrappers import KerasClassifier  # noqa: E402
from sklearn.utils import ClassifierTags  # noqa: E402

from jobs.train.artifact import Artifact  # noqa: E402,F401  (re-exported for callers)

# Keras' global state (name counters, clear_session, deferred variable initialisation) is
# not safe for concurrent fits in one process: threads (e.g. a threaded Dask worker) take
# turns, fits and predictions alike; parallelism comes from processes (--jobs, Dask
# workers started with --nthreads 1).
_KERAS_LOCK = threading.RLock()


def build_network(
    meta: dict[str, Any],
    hidden_layers: tuple[int, ...] = (64, 32, 16),
    dropout: float = 0.0,
    learning_rate: float = 1e-3,
) -> keras.Model:
    """A dense ReLU MLP: sigmoid output for two classes, softmax otherwise (as the study)."""
    n_classes = int(meta["n_classes_"])
    # Explicit layer names: auto-names come from a global counter that another thread's
    # clear_session() can reset mid-build (threaded Dask workers run fits concurrently).
    inputs = keras.Input(shape=(int(meta["n_features_in_"]),), name="features")
    x = inputs
    for i, units in enumerate(hidden_layers):
        x = keras.layers.Dense(int(units), activation="relu", name=f"hidden_{i}")(x)
        if dropout:
            x = keras.layers.Dropout(float(dropout), name=f"dropout_{i}")(x)
    if n_classes == 2:
        outputs = keras.layers.Dense(1, activation="sigmoid", name="output")(x)
        loss = "binary_crossentropy"
    else:
        outputs = keras.layers.Dense(n_classes, activation="softmax", name="output")(x)
        loss = "sparse_categorical_crossentropy"
    model = keras.Model(inputs, outputs)
    # Several batches per call: per-step Python overhead dominates small MLPs.
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
        loss=loss,
        steps_per_execution=32,
    )
    return model


class BeatKerasClassifier(KerasClassifier):
    """scikeras' KerasClassifier that scikit-learn >= 1.7 recognises as a classifier.

    Without the tags ``is_classifier()`` is False, so ``cv=k`` silently becomes an
    unstratified KFold and probability scorers can come out NaN. It also adds early
    stopping on a validation split carved, after shuffling, from the training rows
    it is given (never the test fold: GridSearchCV only hands it the training fold).
    """

    def __init__(
        self,
        model=build_network,
        *,
        hidden_layers: tuple[int, ...] = (64, 32, 16),
        dropout: float = 0.0,
        learning_rate: float = 1e-3,
        epochs: int = 6000,
        batch_size: int = 256,
        early_stopping: bool = True,
        patience: int = 20,
        validation_fraction: float = 0.1,
        random_state: int | None = 0,
        verbose: int = 0,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            model=model,
            epochs=epochs,
            batch_size=batch_size,
            random_state=random_state,
            verbose=verbose,
            **kwargs,
        )
        self.hidden_layers = hidden_layers
        self.dropout = dropout
        self.learning_rate = learning_rate
        self.early_stopping = early_stopping
        self.patience = patience
        self.validation_fraction = validation_fraction

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.estimator_type = "classifier"
        tags.classifier_tags = ClassifierTags()
        return tags

    def _initialize_callbacks(self) -> None:
        # scikeras drops callbacks passed to fit(): early stopping must be added here.
        super()._initialize_callbacks()
        if self.early_stopping:
            stop = keras.callbacks.EarlyStopping(
                monitor="val_loss", patience=self.patience, restore_best_weights=True
            )
            self._fit_callbacks = [*self._fit_callbacks, stop]

    def fit(self, X, y, sample_weight=None, groups=None, **kwargs):
        """Fit; with ``groups`` (albums) the validation split holds out whole albums.

        GridSearchCV routes each training fold's albums here (metadata routing), so
        early stopping never watches songs from an album it trains on.
        """
        with _KERAS_LOCK:
            return self._fit_locked(X, y, sample_weight, groups, **kwargs)

    def _predict_raw(self, X, **kwargs):
        with _KERAS_LOCK:
            return super()._predict_raw(X, **kwargs)

    def _fit_locked(self, X, y, sample_weight, groups, **kwargs):
        keras.backend.clear_session()
        if not self.early_stopping:
            return super().fit(X, y, sample_weight=sample_weight, **kwargs)
        order, n_val = _validation_last(len(X), groups, self.validation_fraction,
                                        self.random_state)  # fmt: skip
        # Keras' validation_split takes the last rows: the held-out rows go last.
        X, y = _take(X, order), _take(y, order)
        if sample_weight is not None:
            sample_weight = np.asarray(sample_weight)[order]
        result = super().fit(
            X,
            y,
            sample_weight=sample_weight,
            validation_split=n_val / len(X),
            **kwargs,
        )
        self.epochs_run_ = len(self.history_.get("loss", []))
        return result


def _validation_last(
    n: int, groups: Any, fraction: float, seed: int | None
) -> tuple[np.ndarray, int]:
    """A row order with about ``fraction`` of rows, whole groups if given, at the end."""
    rng = np.random.default_rng(seed)
    rows = rng.permutation(n)
    if groups is None:
        return rows, max(1, round(n * fraction))
    groups = np.asarray(groups)[rows]
    held, count = set(), 0
    for group in rng.permutation(np.unique(groups)):
        if count >= n * fraction:
            break
        held.add(group)
        count += int((groups == group).sum())
    is_val = np.isin(groups, list(held))
    if is_val.all():  # one album only: fall back to a row split
        return rows, max(1, round(n * fraction))
    return np.concatenate([rows[~is_val], rows[is_val]]), int(is_val.sum())


def _take(values: Any, order: np.ndarray) -> Any:
    if hasattr(values, "iloc"):
        return values.iloc[order]
    return np.asarray(values)[order]


def backend_name() -> str:
    return keras.backend.backend()


def training_device() -> str:
    """What the backend trains on, e.g. ``gpu:NVIDIA H100 (jax)`` or ``cpu (tensorflow)``."""
    backend = backend_name()
    if backend == "jax":
        import jax

        devices = jax.devices()
        kinds = sorted({d.platform for d in devices})
        names = sorted({getattr(d, "device_kind", d.platform) for d in devices})
        return f"{','.join(kinds)}:{','.join(names)} ({backend})"
    if backend == "tensorflow":
        import tensorflow as tf

        gpus = tf.config.list_physical_devices("GPU")
        if gpus:
            return f"gpu:{len(gpus)} device(s) ({backend})"
        return f"cpu ({backend})"
    return f"default ({backend})"


def library_versions() -> dict[str, str]:
    import platform

    import scikeras
    import sklearn

    versions = {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scikit-learn": sklearn.__version__,
        "scikeras": scikeras.__version__,
        "keras": keras.__version__,
        "backend": backend_name(),
    }
    backend_module = __import__(backend_name())
    versions[backend_name()] = getattr(backend_module, "__version__", "unknown")
    return versions
