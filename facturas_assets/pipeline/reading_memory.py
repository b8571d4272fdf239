"""The reading memory as a versioned object: the exact (or reviewed) readings it learns from, by
content hash.

A batch's extraction depends on every invoice read exactly before it (db/queries.py). Storing those
rows under `reading_memory/<sha256 of the rows>.json` in the models store (no expiry) lets a batch
record the version it read with, and a re-run of that batch read it the same way again.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Engine

from facturas_assets.db.queries import exact_descriptions, exact_invoice_numbers, exact_parties
from facturas_assets.documents.extraction.memory import ReadingMemory
from facturas_assets.resources.object_store import ObjectStore

PREFIX = "reading_memory"


@dataclass(frozen=True)
class MemoryRows:
    """The stored exact readings a ReadingMemory is built from."""

    descriptions: list[str]
    parties: list[tuple[str, str]]
    numbers: list[tuple[str, str]]

    def payload(self) -> bytes:
        """Canonical JSON: the same rows always give the same bytes (and version)."""
        body = {
            "descriptions": self.descriptions,
            "parties": [list(p) for p in self.parties],
            "numbers": [list(n) for n in self.numbers],
        }
        return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()

    @property
    def version(self) -> str:
        """The content hash of the rows."""
        return hashlib.sha256(self.payload()).hexdigest()

    def memory(self) -> ReadingMemory:
        """The ReadingMemory these rows teach."""
        return ReadingMemory.from_rows(self.descriptions, self.parties, self.numbers)


def rows_from_database(engine: Engine) -> MemoryRows:
    """The exact readings stored in the database now."""
    return MemoryRows(
        descriptions=list(exact_descriptions(engine)),
        parties=[tuple(p) for p in exact_parties(engine)],
        numbers=[tuple(n) for n in exact_invoice_numbers(engine)],
    )


def memory_key(version: str) -> str:
    """Where one version is stored."""
    return f"{PREFIX}/{version}.json"


def save_rows(store: ObjectStore, rows: MemoryRows) -> str:
    """Store the rows under their version (once: same version, same bytes); returns the version."""
    version = rows.version
    if not store.exists(memory_key(version)):
        store.write_bytes(memory_key(version), rows.payload(), "application/json")
    return version


def load_rows(store: ObjectStore, version: str) -> MemoryRows:
    """The rows of one stored version; a missing or altered object is an error, never a guess."""
    if not store.exists(memory_key(version)):
        raise LookupError(
            f"no reading memory version {version} in the store ({memory_key(version)})"
        )
    body: dict[str, Any] = json.loads(store.read_bytes(memory_key(version)))
    rows = MemoryRows(
        descriptions=list(body["descriptions"]),
        parties=[tuple(p) for p in body["parties"]],
        numbers=[tuple(n) for n in body["numbers"]],
    )
    if rows.version != version:
        raise ValueError(f"reading memory {version} does not match its content ({rows.version})")
    return rows
