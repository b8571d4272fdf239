"""Classification stage: the champion model labels each readable document of a batch."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

import pandas as pd

from facturas_assets.documents.classifier.text import classifier_text
from facturas_assets.documents.model import DocumentRejected
from facturas_assets.pipeline.isolation import Failed, isolate
from facturas_assets.pipeline.manifest import ManifestItem
from facturas_assets.pipeline.reading import ReadOutcome
from facturas_assets.pipeline.schemas import CLASSIFIED

CHUNK = 256
COLUMNS = CLASSIFIED.columns


class Prediction(Protocol):
    label: str
    probability: float


class Classifier(Protocol):
    def predict(self, texts: Sequence[str]) -> list[Prediction]: ...


def _row(sha: str, result: Prediction | Failed) -> dict:
    """The table row of one document: its label, or why the model gave none."""
    if isinstance(result, Failed):
        return dict(zip(COLUMNS, [sha, None, None, result.reason, result.detail], strict=True))
    values = [sha, result.label, float(result.probability), None, None]
    return dict(zip(COLUMNS, values, strict=True))


def classify_batch(
    outcomes: Iterable[tuple[ManifestItem, ReadOutcome]], model: Classifier
) -> pd.DataFrame:
    """sha256 -> category and its calibrated probability, predicted in chunks; a document the
    model fails on gets a reason and detail instead (the rest of its chunk is labelled alone)."""
    rows: list[dict] = []
    pending: list[tuple[ManifestItem, str]] = []

    def flush() -> None:
        texts = [text for _, text in pending]
        predictions = isolate("classify", lambda: model.predict(texts), source="a chunk")
        if isinstance(predictions, Failed):  # find the document: each one on its own
            for item, text in pending:
                one = isolate(
                    "classify", lambda t=text: model.predict([t]), source=item.landing_key
                )
                rows.append(_row(item.sha256, one if isinstance(one, Failed) else one[0]))
        else:
            for (item, _), pred in zip(pending, predictions, strict=True):
                rows.append(_row(item.sha256, pred))
        pending.clear()

    for item, outcome in outcomes:
        if isinstance(outcome, DocumentRejected):
            continue
        text = isolate("classify", lambda o=outcome: classifier_text(o), source=item.landing_key)
        if isinstance(text, Failed):
            rows.append(_row(item.sha256, text))
            continue
        pending.append((item, text))
        if len(pending) >= CHUNK:
            flush()
    if pending:
        flush()
    return pd.DataFrame(rows, columns=COLUMNS)
