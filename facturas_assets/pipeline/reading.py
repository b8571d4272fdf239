"""Reading stage: each new document of a batch read once and kept by sha256 in the store."""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from facturas_assets.documents.cache import from_entry, reader_version, to_entry
from facturas_assets.documents.model import DocumentRejected, ReadDocument
from facturas_assets.documents.reader import read_documents
from facturas_assets.documents.valid_text import valid_read
from facturas_assets.pipeline import keys
from facturas_assets.pipeline.isolation import Failed, isolate
from facturas_assets.pipeline.manifest import BatchManifest, ManifestItem
from facturas_assets.resources.object_store import ObjectNotFoundError, ObjectStore

ReadOutcome = ReadDocument | DocumentRejected


@dataclass(slots=True)
class ReadSummary:
    read: int = 0  # documents read in this run
    cached: int = 0  # already read (same content, earlier batch or run)
    methods: Counter = field(default_factory=Counter)
    rejected: Counter = field(default_factory=Counter)
    pages: int = 0
    seconds: float = 0.0


@functools.cache
def _version_tag() -> str:
    """A short name of this reader's version, part of every read key."""
    return hashlib.sha256(reader_version().encode()).hexdigest()[:12]


def _read_key(sha256: str) -> str:
    return keys.read_key(sha256, _version_tag())


def _encode(sha256: str, outcome: ReadOutcome) -> bytes:
    """The stored form of a read result; its text made valid Unicode first (UTF-8 cannot hold
    a lone surrogate, and nothing downstream should see one)."""
    body = json.dumps(
        to_entry(sha256, valid_read(outcome)), ensure_ascii=False, separators=(",", ":")
    )
    return gzip.compress(body.encode(), compresslevel=5, mtime=0)


def _stored_form(item: ManifestItem, outcome: ReadOutcome) -> tuple[ReadOutcome, bytes]:
    """The read result as stored, or, if it cannot be stored, the document's rejection."""
    encoded = isolate("read", lambda: _encode(item.sha256, outcome), source=item.landing_key)
    if not isinstance(encoded, Failed):
        return outcome, encoded
    rejected = DocumentRejected(encoded.reason, encoded.detail)
    return rejected, _encode(item.sha256, rejected)


def stored_outcome(store: ObjectStore, sha256: str, source: str) -> ReadOutcome | None:
    """What reading found for a content hash, or None if never read (or by an older reader)."""
    try:
        data = store.read_bytes(_read_key(sha256))
    except ObjectNotFoundError:
        return None
    return from_entry(json.loads(gzip.decompress(data)), source)


def read_batch(
    store: ObjectStore,
    manifest: BatchManifest,
    *,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ReadSummary:
    """Read every new document not read before; OCR runs in parallel across processes."""
    started = time.monotonic()
    summary = ReadSummary()
    todo: list[ManifestItem] = []
    for item in manifest.new_items:
        if store.exists(_read_key(item.sha256)):  # the version is in the key: no need to decode
            summary.cached += 1
        else:
            todo.append(item)

    def inputs() -> Iterator[tuple[str, bytes]]:
        for item in todo:  # fetched lazily: memory holds a few documents, not the batch
            yield item.landing_key, store.read_bytes(item.raw_key)

    for n, (item, outcome) in enumerate(
        zip(todo, read_documents(inputs(), workers=workers), strict=True), start=1
    ):
        outcome, encoded = _stored_form(item, outcome)
        store.write_bytes(_read_key(item.sha256), encoded, "application/gzip")
        summary.read += 1
        if isinstance(outcome, DocumentRejected):
            summary.rejected[outcome.reason] += 1
        else:
            summary.methods[outcome.method] += 1
            summary.pages += len(outcome.pages)
        if progress:
            progress(n, len(todo))
    summary.seconds = time.monotonic() - started
    return summary


def batch_outcomes(
    store: ObjectStore, manifest: BatchManifest
) -> Iterator[tuple[ManifestItem, ReadOutcome]]:
    """The read result of each new document of the batch, one at a time."""
    for item in manifest.new_items:
        outcome = stored_outcome(store, item.sha256, item.landing_key)
        if outcome is None:
            raise LookupError(f"{item.landing_key} was never read: materialize invoice_text")
        yield item, outcome
