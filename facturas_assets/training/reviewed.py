"""Reviewed invoices as labelled data: the category and fields a person confirmed or corrected.

Every invoice whose review was cleared is a labelled document: its text (what reading found, kept
by sha256 in the landing store) with the category the reviewer left, and its row as corrected.
The set is stored by content hash under `reviewed/` in the models store, `reviewed/latest.json`
naming the newest, so the training data set built from it says which set it read.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from facturas_assets.db.review import field_name
from facturas_assets.db.tables import invoice_lines, invoices, review_corrections, review_queue
from facturas_assets.documents.classifier.text import classifier_text
from facturas_assets.documents.model import DocumentRejected
from facturas_assets.pipeline.keys import raw_key
from facturas_assets.pipeline.reading import stored_outcome
from facturas_assets.resources.object_store import ObjectStore

PREFIX = "reviewed"
LATEST_KEY = f"{PREFIX}/latest.json"


def _text(value: Any) -> str | None:
    """Decimals and dates in their canonical text, as the data set's records keep them."""
    return None if value is None else str(value)


@dataclass(frozen=True, slots=True)
class ReviewedDocument:
    """One reviewed invoice: its text, the category left by the reviewer, its corrected row."""

    sha256: str
    source_key: str
    category: str
    text: str
    record: dict[str, Any]
    corrected: list[str]  # fields the reviewer changed ("category", "total", "lines.2.amount")


@dataclass(frozen=True, slots=True)
class ReviewedSet:
    """Every reviewed invoice, and the documents whose text could not be had (with why)."""

    documents: list[ReviewedDocument]
    skipped: list[dict[str, str]]

    def payload(self) -> bytes:
        """Canonical JSON: the same reviews always give the same bytes (and version)."""
        body = {"documents": [asdict(d) for d in self.documents], "skipped": self.skipped}
        return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()

    @property
    def version(self) -> str:
        """The content hash of the set."""
        return hashlib.sha256(self.payload()).hexdigest()

    def corrections_per_field(self) -> dict[str, int]:
        """How many reviewed invoices had each field corrected (line fields as lines.<column>)."""
        counts: Counter[str] = Counter()
        for doc in self.documents:
            counts.update({field_name(name) for name in doc.corrected})
        return dict(sorted(counts.items()))


def _reviewed_rows(engine: Engine) -> list[dict[str, Any]]:
    """Invoices whose review was cleared, with their lines and the fields corrected."""
    with engine.connect() as conn:
        heads = conn.execute(
            sa.select(invoices)
            .join(review_queue, review_queue.c.sha256 == invoices.c.sha256)
            .where(review_queue.c.reviewed_at.is_not(None))
            .order_by(invoices.c.sha256)
        ).all()
        rows = [dict(r._mapping) for r in heads]
        wanted = [r["sha256"] for r in rows]
        lines: dict[str, list[dict[str, Any]]] = {}
        corrected: dict[str, set[str]] = {}
        if wanted:
            for line in conn.execute(
                sa.select(invoice_lines)
                .where(invoice_lines.c.invoice_sha256.in_(wanted))
                .order_by(invoice_lines.c.invoice_sha256, invoice_lines.c.line_no)
            ):
                lines.setdefault(line.invoice_sha256, []).append(dict(line._mapping))
            for sha, name in conn.execute(
                sa.select(review_corrections.c.sha256, review_corrections.c.field).where(
                    review_corrections.c.sha256.in_(wanted)
                )
            ):
                corrected.setdefault(sha, set()).add(name)
    for row in rows:
        row["lines"] = lines.get(row["sha256"], [])
        row["corrected"] = sorted(corrected.get(row["sha256"], ()))
    return rows


def _record(row: dict[str, Any]) -> dict[str, Any]:
    """The corrected row in the shape of the data set's invoice records (invoice_fields.py)."""
    return {
        "sha256": row["sha256"],
        "category": row["category"],
        "read_method": row["read_method"],
        **{name: _text(row[name]) for name in ("currency", "net_total", "tax_total", "total")},
        "invoice_number": row["invoice_number"],
        "issue_date": _text(row["issue_date"]),
        "seller_name": row["seller_name"],
        "seller_tax_id": row["seller_tax_id"],
        "buyer_name": row["buyer_name"],
        "buyer_tax_id": row["buyer_tax_id"],
        "warnings": [],
        "lines": [
            {k: _text(line[k]) for k in ("description", "quantity", "unit_price", "amount")}
            for line in row["lines"]
        ],
    }


def reviewed_set(engine: Engine, landing_store: ObjectStore) -> ReviewedSet:
    """Every reviewed invoice with its text; one whose text is missing is skipped with why."""
    from facturas_assets.documents.reader import read_documents

    documents: list[ReviewedDocument] = []
    skipped: list[dict[str, str]] = []
    for row in _reviewed_rows(engine):
        sha, source = row["sha256"], row["source_key"]
        outcome = stored_outcome(landing_store, sha, source)
        if outcome is None:  # read by an older reader: read the original again
            original = landing_store.read_bytes(raw_key(sha, source))
            outcome = next(iter(read_documents([(source, original)], workers=1)))
        if isinstance(outcome, DocumentRejected):
            skipped.append({"sha256": sha, "reason": f"{outcome.reason}: {outcome.detail}"})
            continue
        text = classifier_text(outcome)
        if not text.strip():
            skipped.append({"sha256": sha, "reason": "no_text: nothing readable in the document"})
            continue
        documents.append(
            ReviewedDocument(sha, source, row["category"], text, _record(row), row["corrected"])
        )
    return ReviewedSet(documents, skipped)


def save_reviewed(store: ObjectStore, reviewed: ReviewedSet) -> str:
    """Store the set under its version and point latest.json at it; returns the version."""
    version = reviewed.version
    key = f"{PREFIX}/{version}.json"
    if not store.exists(key):
        store.write_bytes(key, reviewed.payload(), "application/json")
    store.write_bytes(LATEST_KEY, json.dumps({"version": version}).encode(), "application/json")
    return version


def load_reviewed(store: ObjectStore) -> tuple[str | None, list[ReviewedDocument]]:
    """The newest stored set (version, documents); (None, []) before the first review."""
    if not store.exists(LATEST_KEY):
        return None, []
    version = json.loads(store.read_bytes(LATEST_KEY))["version"]
    body = store.read_bytes(f"{PREFIX}/{version}.json")
    if hashlib.sha256(body).hexdigest() != version:
        raise ValueError(f"reviewed set {version} does not match its content")
    return version, [ReviewedDocument(**d) for d in json.loads(body)["documents"]]
