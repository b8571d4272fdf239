"""TF-IDF (word + character n-grams) + logistic regression: the baseline the Keras model must match."""

from __future__ import annotations

import json
import pickle
import re
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_union

from facturas_assets.documents.classifier.calibration import fit_temperature, sigmoid
from facturas_assets.documents.classifier.data import (
    LABELS,
    check_training_data,
    encode_labels,
    split_validation,
    text_data_hash,
)
from facturas_assets.documents.classifier.metrics import (
    Prediction,
    check_band,
    predictions_from_proba,
)
from facturas_assets.settings import CLASSIFIER_UNCERTAIN_BAND

BASELINE_FILENAME = "baseline.pkl"
BASELINE_SIDECAR = "baseline.json"

_NUMBERS = re.compile(r"[0-9]+")
_NON_WORD = re.compile(r"[^a-z0]+")


def normalize_text(text: str) -> str:
    """The same folding as the Keras model: lower-case, no accents, numbers as 0, no punctuation."""
    text = unicodedata.normalize("NFKD", text.lower()).replace("ß", "ss")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", _NUMBERS.sub("0", text)).strip()


def _pipeline(seed: int) -> Pipeline:
    features = make_union(
        TfidfVectorizer(
            preprocessor=normalize_text, ngram_range=(1, 2), max_features=20_000, sublinear_tf=True
        ),
        TfidfVectorizer(
            preprocessor=normalize_text,
            analyzer="char_wb",
            ngram_range=(3, 4),
            max_features=20_000,
            sublinear_tf=True,
        ),
    )
    model = LogisticRegression(C=10.0, max_iter=2000, random_state=seed)
    return Pipeline([("features", features), ("model", model)])


@dataclass
class BaselineClassifier:
    """A fitted TF-IDF + logistic-regression pipeline with the Keras classifier's interface."""

    pipeline: Pipeline
    labels: tuple[str, str] = LABELS
    temperature: float = 1.0
    metadata: dict[str, Any] = field(default_factory=dict)
    band: tuple[float, float] = CLASSIFIER_UNCERTAIN_BAND

    def __post_init__(self) -> None:
        self.band = check_band(self.band)

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Calibrated probability of labels[1] for each text."""
        if len(texts) == 0:
            return np.zeros(0, dtype=np.float64)
        return sigmoid(self.pipeline.decision_function(list(texts)) / self.temperature)

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        """The label of each text and the calibrated probability that it is right."""
        return predictions_from_proba(self.predict_proba(texts), self.labels, self.band)

    def save(self, directory: str | Path) -> Path:
        """Write the pickled pipeline and a JSON sidecar into a directory."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / BASELINE_FILENAME
        path.write_bytes(pickle.dumps(self.pipeline, protocol=pickle.HIGHEST_PROTOCOL))
        sidecar = {
            "kind": "baseline",
            "labels": list(self.labels),
            "temperature": self.temperature,
            "uncertain_band": list(self.band),
            **self.metadata,
        }
        (directory / BASELINE_SIDECAR).write_text(json.dumps(sidecar, indent=2), encoding="utf-8")
        return path


def load_baseline(directory: str | Path) -> BaselineClassifier:
    """Load a baseline saved by BaselineClassifier.save (only from trusted storage: it is a pickle)."""
    directory = Path(directory)
    sidecar = json.loads((directory / BASELINE_SIDECAR).read_text(encoding="utf-8"))
    pipeline = pickle.loads((directory / BASELINE_FILENAME).read_bytes())  # noqa: S301
    meta = {
        k: v
        for k, v in sidecar.items()
        if k not in {"kind", "labels", "temperature", "uncertain_band"}
    }
    band = tuple(sidecar.get("uncertain_band", CLASSIFIER_UNCERTAIN_BAND))
    return BaselineClassifier(
        pipeline, tuple(sidecar["labels"]), sidecar["temperature"], meta, band
    )


def train_baseline(
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    val_texts: Sequence[str] | None = None,
    val_labels: Sequence[str] | None = None,
    seed: int = 0,
) -> BaselineClassifier:
    """Fit the baseline and calibrate it on a validation split, like train_classifier."""
    check_training_data(texts, labels)
    if (val_texts is None) != (val_labels is None):
        raise ValueError("give both val_texts and val_labels, or neither")
    if val_texts is None:
        tr_x, tr_y, va_x, va_y = split_validation(texts, labels, seed)
    else:
        tr_x, tr_y, va_x, va_y = list(texts), list(labels), list(val_texts), list(val_labels)
    started = time.perf_counter()
    pipeline = _pipeline(seed).fit(tr_x, encode_labels(tr_y))
    temperature = fit_temperature(pipeline.decision_function(va_x), encode_labels(va_y))
    return BaselineClassifier(
        pipeline,
        LABELS,
        temperature,
        {
            "data_hash": text_data_hash(texts, labels),
            "training_seconds": round(time.perf_counter() - started, 3),
            "params": {"n_train": len(tr_x), "n_validation": len(va_x), "seed": seed},
        },
    )
