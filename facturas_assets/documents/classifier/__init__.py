"""The invoice classifier (preventiva / correctiva): Keras model, calibration, evaluation, baseline.

Pure Python and TensorFlow/Keras, no Dagster. Models take raw invoice text; probabilities are
calibrated by temperature scaling on a validation split. The Keras names are imported lazily so
that importing this package (e.g. to load Dagster definitions) does not start TensorFlow.
"""

from typing import Any

from facturas_assets.documents.classifier.baseline import (
    BaselineClassifier,
    load_baseline,
    train_baseline,
)
from facturas_assets.documents.classifier.calibration import (
    brier_score,
    expected_calibration_error,
    fit_temperature,
)
from facturas_assets.documents.classifier.data import (
    LABELS,
    MIN_EXAMPLES_PER_CLASS,
    check_training_data,
    content_hash,
    text_data_hash,
)
from facturas_assets.documents.classifier.files import (
    LEGACY_MODEL_FILENAME,
    MODEL_FILENAME,
    SIDECAR_FILENAME,
)
from facturas_assets.documents.classifier.metrics import (
    Abstention,
    Metrics,
    Prediction,
    evaluate,
    evaluate_abstention,
)
from facturas_assets.documents.classifier.text import classifier_text

__all__ = [
    "LABELS",
    "Abstention",
    "LEGACY_MODEL_FILENAME",
    "MIN_EXAMPLES_PER_CLASS",
    "MODEL_FILENAME",
    "SIDECAR_FILENAME",
    "BaselineClassifier",
    "Metrics",
    "Prediction",
    "TrainedClassifier",
    "brier_score",
    "check_training_data",
    "classifier_text",
    "content_hash",
    "evaluate",
    "evaluate_abstention",
    "expected_calibration_error",
    "fit_temperature",
    "load_baseline",
    "load_classifier",
    "text_data_hash",
    "train_baseline",
    "train_classifier",
]

_KERAS_NAMES = {
    "TrainedClassifier",
    "load_classifier",
    "train_classifier",
}


def __getattr__(name: str) -> Any:
    if name in _KERAS_NAMES:
        from facturas_assets.documents.classifier import keras_model

        return getattr(keras_model, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
