"""Labelled text data for the classifier: label encoding, input checks, splits and content hashes."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np
from sklearn.model_selection import train_test_split

from facturas_assets.settings import CATEGORIES

# Index 0 / 1 of the model's output; the model's single probability is that of LABELS[1].
LABELS: tuple[str, str] = (CATEGORIES[0], CATEGORIES[1])
# Below this many examples of a class a model learns nothing reliable (and a split is impossible).
MIN_EXAMPLES_PER_CLASS = 5
VALIDATION_SHARE = 0.2


def encode_labels(labels: Sequence[str], known: Sequence[str] = LABELS) -> np.ndarray:
    """Labels as 0/1 integers in the order of `known`; ValueError naming any unknown label."""
    index = {label: i for i, label in enumerate(known)}
    unknown = sorted({str(label) for label in labels if label not in index})
    if unknown:
        raise ValueError(
            f"unknown label(s) {', '.join(map(repr, unknown))}: expected one of {', '.join(known)}"
        )
    return np.asarray([index[label] for label in labels], dtype=np.int64)


def check_training_data(
    texts: Sequence[str], labels: Sequence[str], what: str = "training"
) -> None:
    """Raise ValueError with a plain message when the data cannot give a sound model."""
    if len(texts) != len(labels):
        raise ValueError(
            f"{what} data has {len(texts)} texts but {len(labels)} labels: they must match one to one"
        )
    if len(texts) == 0:
        raise ValueError(
            f"{what} data is empty: at least one labelled invoice of each class is needed"
        )
    not_text = [i for i, t in enumerate(texts) if not isinstance(t, str)]
    if not_text:
        raise ValueError(f"{what} data item {not_text[0]} is not a string")
    encode_labels(labels)
    counts = Counter(labels)
    missing = [label for label in LABELS if counts.get(label, 0) == 0]
    if missing:
        present = ", ".join(f"{k}={v}" for k, v in sorted(counts.items()))
        raise ValueError(
            f"{what} data has only one class ({present}); examples of "
            f"{', '.join(missing)} are needed too"
        )
    few = {label: counts[label] for label in LABELS if counts[label] < MIN_EXAMPLES_PER_CLASS}
    if few:
        detail = ", ".join(f"{k}={v}" for k, v in few.items())
        raise ValueError(
            f"{what} data has too few examples ({detail}); at least "
            f"{MIN_EXAMPLES_PER_CLASS} of each class are needed"
        )
    empty = sum(1 for t in texts if not t.strip())
    if empty == len(texts):
        raise ValueError(f"{what} data has no text at all: every document is blank")


def split_validation(
    texts: Sequence[str], labels: Sequence[str], seed: int
) -> tuple[list[str], list[str], list[str], list[str]]:
    """A stratified train / validation split (validation is used for early stopping and calibration)."""
    n_val = max(len(LABELS), int(round(len(texts) * VALIDATION_SHARE)))
    tr_x, va_x, tr_y, va_y = train_test_split(
        list(texts), list(labels), test_size=n_val, random_state=seed, stratify=list(labels)
    )
    return tr_x, tr_y, va_x, va_y


def text_data_hash(texts: Iterable[str], labels: Iterable[str]) -> str:
    """sha256 over the sorted (sha256 of text, label) pairs: names exactly the data a model saw."""
    pairs = sorted(
        (hashlib.sha256(t.encode("utf-8")).hexdigest(), str(y))
        for t, y in zip(texts, labels, strict=True)
    )
    return content_hash(pairs)


def content_hash(pairs: Iterable[tuple[str, str]]) -> str:
    """sha256 over sorted (sha256 of a file, label) pairs, independent of listing order."""
    payload = json.dumps(sorted([list(p) for p in pairs]), separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
