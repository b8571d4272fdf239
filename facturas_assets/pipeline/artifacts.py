"""A batch's stage outputs as Parquet or JSON objects beside its manifest."""

from __future__ import annotations

import io
import json
from typing import Any

import pandas as pd

from facturas_assets.pipeline import keys
from facturas_assets.resources.object_store import ObjectStore

# Columns holding dicts/lists travel as JSON text: Parquet would otherwise infer a struct per
# batch from whichever keys happen to appear.
JSON_COLUMNS = ("field_confidence", "warnings")


def write_frame(store: ObjectStore, lote: str, name: str, frame: pd.DataFrame) -> str:
    """Store a table of the batch as `batches/<lote>/<name>.parquet`; returns its key."""
    out = frame.copy()
    for column in JSON_COLUMNS:
        if column in out:
            out[column] = out[column].map(lambda v: json.dumps(v, ensure_ascii=False))
    buffer = io.BytesIO()
    out.to_parquet(buffer, index=False)
    key = keys.batch_key(lote, f"{name}.parquet")
    store.write_bytes(key, buffer.getvalue(), "application/vnd.apache.parquet")
    return key


def read_frame(store: ObjectStore, lote: str, name: str) -> pd.DataFrame:
    """A table written by `write_frame`, JSON columns decoded again."""
    frame = pd.read_parquet(io.BytesIO(store.read_bytes(keys.batch_key(lote, f"{name}.parquet"))))
    for column in JSON_COLUMNS:
        if column in frame:
            frame[column] = frame[column].map(json.loads)
    return frame


def write_json(store: ObjectStore, lote: str, name: str, value: Any) -> str:
    key = keys.batch_key(lote, f"{name}.json")
    store.write_bytes(key, json.dumps(value, ensure_ascii=False, indent=1, default=str).encode())
    return key


def read_json(store: ObjectStore, lote: str, name: str) -> Any:
    return json.loads(store.read_bytes(keys.batch_key(lote, f"{name}.json")))
