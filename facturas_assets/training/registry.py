"""MLflow side of a training run: per-epoch metrics, the logged model, registry versions, aliases."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from facturas_assets.resources.mlflow_tracking import TrackingRun

if TYPE_CHECKING:
    from facturas_assets.documents.classifier.keras_model import TrainedClassifier

CHAMPION_ALIAS = "champion"
CHALLENGER_ALIAS = "challenger"
MODEL_ARTIFACT = "model"
REGISTRATION_TIMEOUT_S = 300


def epoch_logger(run: TrackingRun) -> Any:
    """A Keras callback logging every epoch's metrics (loss, accuracy, val_*) to the run."""
    import keras
    from mlflow.entities import Metric

    class EpochLogger(keras.callbacks.Callback):
        def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
            now = int(time.time() * 1000)
            metrics = [Metric(k, float(v), now, epoch) for k, v in (logs or {}).items()]
            if metrics:
                run.client.log_batch(run.run_id, metrics=metrics)

    return EpochLogger()


def _signature() -> Any:
    import numpy as np
    from mlflow.models import ModelSignature
    from mlflow.types import Schema, TensorSpec

    # The Keras flavor takes tensor signatures only: a column of raw invoice texts.
    return ModelSignature(
        inputs=Schema([TensorSpec(np.dtype(np.str_), (-1, 1), "text")]),
        outputs=Schema([TensorSpec(np.dtype("float32"), (-1, 1), "probability_correctiva")]),
    )


def log_and_register(run: TrackingRun, model: TrainedClassifier, tags: dict[str, str]) -> str:
    """Log the Keras model (with signature) to the run and register it; returns the version."""
    import keras
    import mlflow
    import tensorflow as tf

    info = mlflow.keras.log_model(
        model.model,
        name=MODEL_ARTIFACT,
        signature=_signature(),
        # Given explicitly: inferring them loads the model again in a subprocess.
        pip_requirements=[f"tensorflow=={tf.__version__}", f"keras=={keras.__version__}"],
    )
    mlflow.log_dict(model.sidecar(), "classifier.json")
    version = run.client.create_model_version(
        name=_ensure_registered(run),
        source=info.model_uri,
        run_id=run.run_id,
        tags=tags,
        model_id=getattr(info, "model_id", None),
    )
    _wait_ready(run, version.version)
    return str(version.version)


def _ensure_registered(run: TrackingRun) -> str:
    from mlflow.exceptions import MlflowException

    name = run.registered_model_name
    try:
        run.client.get_registered_model(name)
    except MlflowException:
        run.client.create_registered_model(
            name, description="preventiva / correctiva classifier of invoice texts"
        )
    return name


def _wait_ready(run: TrackingRun, version: str) -> None:
    deadline = time.monotonic() + REGISTRATION_TIMEOUT_S
    while True:
        mv = run.client.get_model_version(run.registered_model_name, version)
        if mv.status == "READY":
            return
        if mv.status == "FAILED_REGISTRATION" or time.monotonic() > deadline:
            raise RuntimeError(
                f"model version {version} of {run.registered_model_name} did not become READY "
                f"(status {mv.status})"
            )
        time.sleep(1)


def current_alias_version(run: TrackingRun, alias: str) -> str | None:
    """The registered version holding an alias, or None."""
    from mlflow.exceptions import MlflowException

    try:
        return str(run.client.get_model_version_by_alias(run.registered_model_name, alias).version)
    except MlflowException:
        return None


def set_alias(run: TrackingRun, alias: str, version: str) -> None:
    """Point an alias (champion / challenger) at a version."""
    run.client.set_registered_model_alias(run.registered_model_name, alias, version)
