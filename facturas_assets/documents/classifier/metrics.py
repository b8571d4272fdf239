"""Predictions and evaluation shared by the Keras classifier and the TF-IDF baseline."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any, Protocol

import numpy as np
from sklearn.metrics import accuracy_score, f1_score, recall_score

from facturas_assets.documents.classifier.calibration import (
    brier_score,
    expected_calibration_error,
    log_loss,
)
from facturas_assets.documents.classifier.data import encode_labels


@dataclass(frozen=True, slots=True)
class Prediction:
    """A label, the calibrated probability that it is right (>= 0.5), and whether to abstain.

    `abstain` is True when the probability falls in the model's uncertain band: the label is still
    the likelier one, but the document should go to a person for review.
    """

    label: str
    probability: float
    abstain: bool = False


def check_band(band: Sequence[float]) -> tuple[float, float]:
    """The uncertain band as (low, high) with 0 <= low <= 0.5 <= high <= 1, or a ValueError."""
    if len(band) != 2:
        raise ValueError(f"uncertain band must be (low, high), got {band!r}")
    low, high = float(band[0]), float(band[1])
    if not 0.0 <= low <= 0.5 <= high <= 1.0:
        raise ValueError(
            f"uncertain band ({low}, {high}) must satisfy 0 <= low <= 0.5 <= high <= 1"
        )
    return low, high


def in_band(p1: np.ndarray, band: Sequence[float]) -> np.ndarray:
    """True where the probability of the second label lies strictly inside the band."""
    low, high = check_band(band)
    p1 = np.asarray(p1, dtype=np.float64).ravel()
    return (p1 > low) & (p1 < high)


@dataclass(frozen=True, slots=True)
class Metrics:
    """How a classifier did on labelled texts."""

    accuracy: float
    f1_macro: float
    per_class_recall: dict[str, float]
    loss: float
    ece: float
    brier: float
    n: int

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (per-class recall nested)."""
        return asdict(self)

    def flat(self, prefix: str = "") -> dict[str, float]:
        """Flat name -> number pairs (for MLflow metrics and Dagster metadata)."""
        out = {
            f"{prefix}accuracy": self.accuracy,
            f"{prefix}f1_macro": self.f1_macro,
            f"{prefix}loss": self.loss,
            f"{prefix}ece": self.ece,
            f"{prefix}brier": self.brier,
        }
        out.update({f"{prefix}recall_{k}": v for k, v in self.per_class_recall.items()})
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Metrics:
        """The inverse of to_dict."""
        return cls(**{**data, "per_class_recall": dict(data["per_class_recall"])})


class TextClassifier(Protocol):
    """What evaluate() needs: the label order and the probability of the second label."""

    labels: tuple[str, str]

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray: ...


def predictions_from_proba(
    p1: np.ndarray, labels: Sequence[str], band: Sequence[float] = (0.5, 0.5)
) -> list[Prediction]:
    """Turn probabilities of labels[1] into labelled predictions, abstaining inside `band`."""
    p1 = np.asarray(p1, dtype=np.float64).ravel()
    out = []
    for p, unsure in zip(p1, in_band(p1, band), strict=True):
        if p >= 0.5:
            out.append(Prediction(labels[1], float(p), bool(unsure)))
        else:
            out.append(Prediction(labels[0], float(1.0 - p), bool(unsure)))
    return out


@dataclass(frozen=True, slots=True)
class Abstention:
    """How a classifier does when it may abstain: accuracy on what it answers, share to review."""

    answered_accuracy: float
    review_share: float
    answered: int
    n: int


def evaluate_abstention(
    model: TextClassifier, texts: Sequence[str], labels: Sequence[str], band: Sequence[float]
) -> Abstention:
    """Accuracy on the texts outside the uncertain band and the share of texts inside it."""
    if len(texts) != len(labels) or not texts:
        raise ValueError(f"need as many labels as texts, and some: {len(texts)} / {len(labels)}")
    y = encode_labels(labels, model.labels)
    p1 = np.asarray(model.predict_proba(texts), dtype=np.float64).ravel()
    unsure = in_band(p1, band)
    answered = ~unsure
    correct = (p1 >= 0.5).astype(np.int64) == y
    n_answered = int(answered.sum())
    return Abstention(
        answered_accuracy=float(correct[answered].mean()) if n_answered else 1.0,
        review_share=float(unsure.mean()),
        answered=n_answered,
        n=len(texts),
    )


def evaluate(model: TextClassifier, texts: Sequence[str], labels: Sequence[str]) -> Metrics:
    """Accuracy, macro F1, recall per class, log loss, ECE and Brier score of a model on texts."""
    if len(texts) != len(labels):
        raise ValueError(f"{len(texts)} texts but {len(labels)} labels: they must match one to one")
    if not texts:
        raise ValueError("cannot evaluate on an empty set of texts")
    y = encode_labels(labels, model.labels)
    p1 = np.asarray(model.predict_proba(texts), dtype=np.float64).ravel()
    y_hat = (p1 >= 0.5).astype(np.int64)
    recalls = recall_score(y, y_hat, labels=[0, 1], average=None, zero_division=0.0)
    present = [i for i in (0, 1) if (y == i).any()]
    return Metrics(
        accuracy=float(accuracy_score(y, y_hat)),
        f1_macro=float(f1_score(y, y_hat, labels=present, average="macro", zero_division=0.0)),
        per_class_recall={model.labels[i]: float(recalls[i]) for i in present},
        loss=log_loss(p1, y),
        ece=expected_calibration_error(p1, y),
        brier=brier_score(p1, y),
        n=len(texts),
    )
