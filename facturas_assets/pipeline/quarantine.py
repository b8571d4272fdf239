"""Quarantine: a rejected document is kept with its reason, never dropped, and can be re-queued."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import PurePosixPath

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from facturas_assets.db.load import mark_requeued
from facturas_assets.db.tables import quarantine as quarantine_table
from facturas_assets.pipeline import claims, keys
from facturas_assets.pipeline.isolation import Failed
from facturas_assets.pipeline.manifest import ManifestItem
from facturas_assets.resources.object_store import ObjectStore, key_problem


@dataclass(slots=True)
class Rejection:
    """Why one document of a batch is not loaded."""

    sha256: str
    landing_key: str
    reason: str  # short stable code: empty_file, encrypted_pdf, totals_mismatch, ...
    detail: str


def rejection(item: ManifestItem, failed: Failed) -> Rejection:
    """The rejection of a document whose step failed."""
    return Rejection(item.sha256, item.landing_key, failed.reason, failed.detail)


def quarantine_documents(
    store: ObjectStore, lote: str, items: dict[str, ManifestItem], rejections: list[Rejection]
) -> list[dict]:
    """Copy each rejected original into quarantine/<lote>/ beside its reason; rows for the DB."""
    now = datetime.now(UTC).replace(tzinfo=None)
    rows = []
    for rej in rejections:
        item = items[rej.sha256]
        # An item without a raw copy (a landing symlink, never read) keeps only its reason.
        stored = keys.quarantine_key(lote, rej.sha256, item.landing_key) if item.raw_key else None
        if stored and not store.exists(stored):
            store.copy(item.raw_key, stored)
        store.write_bytes(
            keys.quarantine_reason_key(lote, rej.sha256),
            json.dumps(asdict(rej), ensure_ascii=False).encode(),
            "application/json",
        )
        rows.append(
            {
                "sha256": rej.sha256,
                "lote": lote,
                "source_key": rej.landing_key,
                "stored_key": stored,
                "reason": rej.reason,
                "detail": rej.detail[:2000],
                "created_at": now,
            }
        )
    return rows


def requeue(
    store: ObjectStore,
    engine: Engine,
    *,
    sha256s: list[str] | None = None,
    lote: str | None = None,
) -> list[str]:
    """Put quarantined originals back into landing (their first name) to be processed afresh.

    Selects by content hash and/or batch; returns the landing keys written. The claim on each
    content is released so the next batch processes it instead of calling it a duplicate.
    """
    table = quarantine_table
    query = sa.select(table).where(table.c.requeued_at.is_(None))
    if sha256s:
        query = query.where(table.c.sha256.in_(sha256s))
    if lote:
        query = query.where(table.c.lote == lote)
    if not sha256s and not lote:
        raise ValueError("name the documents to re-queue: sha256s and/or a lote")
    with engine.connect() as conn:
        rows = conn.execute(query).mappings().all()
    landing_keys = []
    for row in rows:
        if row["stored_key"] is None:
            continue  # nothing was kept (a landing symlink): no file to put back
        name = PurePosixPath(row["source_key"]).name
        if key_problem(name) is not None:  # quarantined for its name: back under its sha256
            name = PurePosixPath(row["stored_key"]).name
        store.copy(row["stored_key"], name)
        claims.release(engine, row["sha256"])
        mark_requeued(engine, [(row["sha256"], row["lote"])])
        landing_keys.append(name)
    return landing_keys
