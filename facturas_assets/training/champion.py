"""Where trained classifiers live in the models store, and loading the champion for the ETL.

invoice_classifier/<version>/model.keras + classifier.json   every registered version
invoice_classifier/champion/model.keras + classifier.json    the promoted one (ETL loads this)
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from facturas_assets.documents.classifier.files import MODEL_FILENAME, SIDECAR_FILENAME

if TYPE_CHECKING:
    from facturas_assets.documents.classifier.keras_model import TrainedClassifier

MODELS_PREFIX = "invoice_classifier"
CHAMPION_PREFIX = f"{MODELS_PREFIX}/champion"


class ModelStore(Protocol):
    """The part of the ObjectStore resource used here."""

    def read_bytes(self, key: str) -> bytes: ...

    def write_bytes(self, key: str, data: bytes, content_type: str | None = None) -> None: ...

    def upload(self, path: Path, key: str) -> None: ...

    def download(self, key: str, path: Path) -> None: ...

    def exists(self, key: str) -> bool: ...

    def copy(self, src_key: str, dst_key: str) -> None: ...


def version_prefix(version: str | int) -> str:
    """The folder of one model version."""
    return f"{MODELS_PREFIX}/{version}"


def publish_model(store: ModelStore, model: TrainedClassifier, prefix: str) -> dict[str, str]:
    """Save the model and its sidecar under prefix; returns the keys written.

    The sidecar is written last, so a reader that finds it also finds the whole model.
    """
    with tempfile.TemporaryDirectory(prefix="facturas-model-") as tmp:
        model.save(tmp)
        model_key, sidecar_key = f"{prefix}/{MODEL_FILENAME}", f"{prefix}/{SIDECAR_FILENAME}"
        store.upload(Path(tmp) / MODEL_FILENAME, model_key)
        store.upload(Path(tmp) / SIDECAR_FILENAME, sidecar_key)
    return {"model": model_key, "sidecar": sidecar_key}


def promote_in_store(store: ModelStore, version: str | int) -> dict[str, str]:
    """Copy a published version to the champion folder (model first, sidecar last)."""
    source = version_prefix(version)
    keys = {}
    for kind, name in (("model", MODEL_FILENAME), ("sidecar", SIDECAR_FILENAME)):
        store.copy(f"{source}/{name}", f"{CHAMPION_PREFIX}/{name}")
        keys[kind] = f"{CHAMPION_PREFIX}/{name}"
    return keys


def champion_info(store: ModelStore) -> dict[str, Any] | None:
    """The champion's sidecar (version, metrics, data hash), or None when there is no champion."""
    key = f"{CHAMPION_PREFIX}/{SIDECAR_FILENAME}"
    if not store.exists(key):
        return None
    return json.loads(store.read_bytes(key))


def load_champion(store: ModelStore) -> TrainedClassifier | None:
    """The champion classifier from the models store, or None when none was promoted yet."""
    if champion_info(store) is None:
        return None
    return _load(store, CHAMPION_PREFIX)


def load_version(store: ModelStore, version: str | int) -> TrainedClassifier:
    """One registered model version (a batch re-run with the classifier it was first read with)."""
    prefix = version_prefix(version)
    if not store.exists(f"{prefix}/{SIDECAR_FILENAME}"):
        raise LookupError(f"no classifier version {version} in the models store ({prefix}/)")
    return _load(store, prefix)


def _load(store: ModelStore, prefix: str) -> TrainedClassifier:
    # TensorFlow is imported only when there is a model to load (seconds and ~0.5 GB).
    from facturas_assets.documents.classifier.keras_model import load_classifier

    with tempfile.TemporaryDirectory(prefix="facturas-model-") as tmp:
        folder = Path(tmp)
        store.download(f"{prefix}/{MODEL_FILENAME}", folder / MODEL_FILENAME)
        store.download(f"{prefix}/{SIDECAR_FILENAME}", folder / SIDECAR_FILENAME)
        return load_classifier(folder)
