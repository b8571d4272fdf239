"""Classification stage: the champion model labels each readable document of a batch."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

import pandas as pd

from facturas_assets.documents.classifier.text import classifier_text
from facturas_assets.documents.model import DocumentRejected
from facturas_assets.pipeline.manifest import ManifestItem
from facturas_assets.pipeline.reading import ReadOutcome

CHUNK = 256


class Prediction(Protocol):
    label: str
    probability: float


class Classifier(Protocol):
    def predict(self, texts: Sequence[str]) -> list[Prediction]: ...


def classify_batch(
    outcomes: Iterable[tuple[ManifestItem, ReadOutcome]], model: Classifier
) -> pd.DataFrame:
    """sha256 -> category and its calibrated probability, predicted in chunks."""
    rows: list[dict] = []
    pending: list[tuple[str, str]] = []

    def flush() -> None:
        predictions = model.predict([text for _, text in pending])
        for (sha, _), pred in zip(pending, predictions, strict=True):
            rows.append({"sha256": sha, "category": pred.label, "confidence": pred.probability})
        pending.clear()

    for item, outcome in outcomes:
        if isinstance(outcome, DocumentRejected):
            continue
        pending.append((item.sha256, classifier_text(outcome)))
        if len(pending) >= CHUNK:
            flush()
    if pending:
        flush()
    return pd.DataFrame(rows, columns=["sha256", "category", "confidence"])
