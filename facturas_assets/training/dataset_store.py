"""The preprocessed training data in the models store: `.npy` arrays per split + a manifest.

datasets/<hash>/X_train.npy  y_train.npy  sha256_train.npy   (and the same for _test)
datasets/<hash>/manifest.json   files, labels, quarantine, counts
datasets/<hash>/invoices.jsonl  fields read from each invoice (for the feature baseline)
datasets/latest.json            {"hash": ...} of the newest data set
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from facturas_assets.documents.classifier.data import LABELS

DATASETS_PREFIX = "datasets"
LATEST_KEY = f"{DATASETS_PREFIX}/latest.json"
SPLITS = ("train", "test")


class BlobStore(Protocol):
    """The part of the ObjectStore resource used here."""

    def read_bytes(self, key: str) -> bytes: ...

    def write_bytes(self, key: str, data: bytes, content_type: str | None = None) -> None: ...

    def exists(self, key: str) -> bool: ...


@dataclass
class Split:
    """Texts, labels and file hashes of one split."""

    texts: list[str]
    labels: list[str]
    sha256: list[str]

    def __len__(self) -> int:
        return len(self.texts)


@dataclass
class TrainingData:
    """Both splits of a labelled data set, its content hash and the per-invoice fields read."""

    data_hash: str
    train: Split
    test: Split
    manifest: dict[str, Any] = field(default_factory=dict)
    invoices: list[dict[str, Any]] = field(default_factory=list)


def dataset_prefix(data_hash: str) -> str:
    """The folder of one data set in the models store."""
    return f"{DATASETS_PREFIX}/{data_hash}"


def _npy(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return buffer.getvalue()


def _load_npy(store: BlobStore, key: str) -> np.ndarray:
    return np.load(io.BytesIO(store.read_bytes(key)), allow_pickle=False)


def _text_array(texts: Sequence[str]) -> np.ndarray:
    # Fixed-width unicode keeps the files loadable without pickle (allow_pickle=False).
    return np.asarray(list(texts), dtype=np.str_) if texts else np.zeros(0, dtype="<U1")


def save_dataset(store: BlobStore, data: TrainingData) -> list[str]:
    """Write the arrays, manifest and invoice fields; point latest.json at them. Returns the keys."""
    prefix = dataset_prefix(data.data_hash)
    keys = []
    index = {label: i for i, label in enumerate(LABELS)}
    for name in SPLITS:
        split: Split = getattr(data, name)
        arrays = {
            f"X_{name}.npy": _text_array(split.texts),
            f"y_{name}.npy": np.asarray([index[y] for y in split.labels], dtype=np.int8),
            f"sha256_{name}.npy": np.asarray(split.sha256, dtype="<U64"),
        }
        for file, array in arrays.items():
            key = f"{prefix}/{file}"
            store.write_bytes(key, _npy(array), content_type="application/octet-stream")
            keys.append(key)
    manifest = {**data.manifest, "hash": data.data_hash, "labels": list(LABELS)}
    store.write_bytes(
        f"{prefix}/manifest.json",
        json.dumps(manifest, indent=2, ensure_ascii=False).encode(),
        content_type="application/json",
    )
    lines = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in data.invoices)
    store.write_bytes(f"{prefix}/invoices.jsonl", lines.encode(), content_type="application/json")
    keys += [f"{prefix}/manifest.json", f"{prefix}/invoices.jsonl"]
    store.write_bytes(
        LATEST_KEY, json.dumps({"hash": data.data_hash}).encode(), content_type="application/json"
    )
    return keys


def latest_hash(store: BlobStore) -> str:
    """Hash of the newest data set; a clear error when training_dataset never ran."""
    if not store.exists(LATEST_KEY):
        raise FileNotFoundError(
            f"no training data set in the models store ({LATEST_KEY} is missing): "
            "materialize training_dataset first"
        )
    return str(json.loads(store.read_bytes(LATEST_KEY))["hash"])


def load_dataset(store: BlobStore, data_hash: str | None = None) -> TrainingData:
    """Read a data set (the latest one by default) back from the models store."""
    data_hash = data_hash or latest_hash(store)
    prefix = dataset_prefix(data_hash)
    manifest = json.loads(store.read_bytes(f"{prefix}/manifest.json"))
    labels = manifest.get("labels", list(LABELS))
    splits = {}
    for name in SPLITS:
        x = _load_npy(store, f"{prefix}/X_{name}.npy")
        y = _load_npy(store, f"{prefix}/y_{name}.npy")
        sha = _load_npy(store, f"{prefix}/sha256_{name}.npy")
        splits[name] = Split(
            texts=[str(t) for t in x],
            labels=[labels[int(i)] for i in y],
            sha256=[str(s) for s in sha],
        )
    raw = store.read_bytes(f"{prefix}/invoices.jsonl").decode()
    invoices = [json.loads(line) for line in raw.splitlines() if line.strip()]
    return TrainingData(data_hash, splits["train"], splits["test"], manifest, invoices)
