"""From read documents to the batch's header and line tables, with every rejection explained."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pandas as pd

from facturas_assets.db.load import prepare_invoices, prepare_lines, utc_now
from facturas_assets.db.rows import RowError
from facturas_assets.documents.extraction import extract_invoice
from facturas_assets.documents.extraction.memory import ReadingMemory
from facturas_assets.documents.model import (
    DocumentRejected,
    InvoiceData,
    ReadDocument,
    breakdown_to_json,
)
from facturas_assets.documents.validation import is_blocking, validate
from facturas_assets.pipeline.isolation import EXTRACTION_SECONDS, Failed, isolate
from facturas_assets.pipeline.manifest import ManifestItem
from facturas_assets.pipeline.quarantine import Rejection, rejection
from facturas_assets.pipeline.review import review_reasons
from facturas_assets.pipeline.schemas import INVOICES, LINES
from facturas_assets.settings import ReviewSettings

INVOICE_COLUMNS = INVOICES.columns
# prepare_invoices wants a load time; the real one is set when the batch is loaded.
LOAD_TIME_PLACEHOLDER = utc_now()
LINE_COLUMNS = LINES.columns

# (seller tax id, invoice number) pairs -> sha256s of loaded invoices holding each pair
KnownNumbers = Callable[[list[tuple[str, str]]], dict[tuple[str, str], set[str]]]


@dataclass(slots=True)
class Classification:
    category: str
    confidence: float


@dataclass(slots=True, frozen=True)
class _ReadInfo:
    """What the tables need of a read document: its words are not held for the whole batch."""

    method: str
    warnings: tuple[str, ...]


@dataclass(slots=True)
class BatchTables:
    invoices: pd.DataFrame
    lines: pd.DataFrame
    rejections: list[Rejection] = field(default_factory=list)


def _identity(data: InvoiceData) -> tuple[str, str] | None:
    if not data.invoice_number:
        return None
    return ((data.seller.tax_id or data.seller.name or "").upper(), data.invoice_number.upper())


def labels_from_frame(frame: pd.DataFrame) -> dict[str, Classification | Failed]:
    """The classification stage's table as sha256 -> label, or the failure it recorded."""
    labels: dict[str, Classification | Failed] = {}
    for row in frame.itertuples():
        reason = getattr(row, "reason", None)
        if isinstance(reason, str):
            labels[row.sha256] = Failed(reason, str(row.detail))
        else:
            labels[row.sha256] = Classification(row.category, float(row.confidence))
    return labels


def _extracted(
    doc: ReadDocument, memory: ReadingMemory | None, classified: bool
) -> tuple[InvoiceData, list[str]]:
    """The validated fields of one document and the problems that block its load."""
    data = validate(extract_invoice(doc, memory))
    problems = is_blocking(data)
    if data.total is not None and (data.net_total is None or data.tax_total is None):
        # A row MySQL cannot reconcile (net + tax = total) waits in quarantine for review.
        problems = [*problems, "incomplete_totals: net or tax amount not found"]
    if not classified:
        problems = [*problems, "not_classified: the classifier gave no label"]
    return data, problems


def tabulate_batch(
    lote: str,
    documents: Iterable[tuple[ManifestItem, ReadDocument | DocumentRejected]],
    classified: dict[str, Classification | Failed],
    known_numbers: KnownNumbers,
    memory: ReadingMemory | None = None,
    review: ReviewSettings | None = None,
) -> BatchTables:
    """Extract and validate each document; blocking problems become quarantine rejections.

    `memory` (of invoices read exactly) mends OCR'd documents, and learns from this batch's
    exactly read documents as they come. Documents the machine is unsure of (`review`, from the
    environment by default) are loaded as `pending_review` with their reasons.
    """
    review = review or ReviewSettings.from_env()
    rejections: list[Rejection] = []
    accepted: list[tuple[ManifestItem, _ReadInfo, InvoiceData]] = []
    seen: dict[tuple[str, str], str] = {}
    for item, doc in documents:
        if isinstance(doc, DocumentRejected):
            rejections.append(Rejection(item.sha256, item.landing_key, doc.reason, doc.detail))
            continue
        label = classified.get(item.sha256)
        if isinstance(label, Failed):  # the classifier failed on it: quarantined with its error
            rejections.append(rejection(item, label))
            continue
        extracted = isolate(
            "extract",
            lambda doc=doc, label=label: _extracted(doc, memory, label is not None),
            source=item.landing_key,
            seconds=EXTRACTION_SECONDS,
        )
        if isinstance(extracted, Failed):
            rejections.append(rejection(item, extracted))
            continue
        data, problems = extracted
        if problems:
            reason = problems[0].split(":", 1)[0]
            rejections.append(Rejection(item.sha256, item.landing_key, reason, "; ".join(problems)))
            continue
        ident = _identity(data)
        if ident and ident in seen:
            rejections.append(
                Rejection(
                    item.sha256,
                    item.landing_key,
                    "duplicate_invoice_number",
                    f"invoice {ident[1]} of {ident[0]} is also in {seen[ident][:12]} of this batch",
                )
            )
            continue
        if ident:
            seen[ident] = item.sha256
        accepted.append((item, _ReadInfo(doc.method, tuple(doc.warnings)), data))

    already = known_numbers(
        [(d.seller.tax_id, d.invoice_number) for _, _, d in accepted if d.seller.tax_id]
    )
    invoices, lines = [], []
    for item, doc, data in accepted:
        others = already.get((data.seller.tax_id, data.invoice_number), set()) - {item.sha256}
        if others:
            rejections.append(
                Rejection(
                    item.sha256,
                    item.landing_key,
                    "duplicate_invoice_number",
                    f"invoice {data.invoice_number} of {data.seller.tax_id} was already loaded "
                    f"from file {min(others)[:12]}",
                )
            )
            continue
        label = classified[item.sha256]
        built = isolate(
            "tabulate",
            lambda item=item, doc=doc, data=data, label=label: _rows(
                lote, item, doc, data, label, review
            ),
            source=item.landing_key,
        )
        if isinstance(built, Failed):
            rejections.append(rejection(item, built))
            continue
        row, doc_lines = built
        invoices.append(row)
        lines.extend(doc_lines)
    return BatchTables(
        invoices=pd.DataFrame(invoices, columns=INVOICE_COLUMNS),
        lines=pd.DataFrame(lines, columns=LINE_COLUMNS),
        rejections=rejections,
    )


def _rows(
    lote: str,
    item: ManifestItem,
    doc: _ReadInfo,
    data: InvoiceData,
    label: Classification,
    review: ReviewSettings,
) -> tuple[dict, list[dict]] | Failed:
    """The invoice row and line rows of one document, checked as the database will check them."""
    row = _invoice_row(lote, item, doc, data, label)
    reasons = review_reasons(data, label.confidence, review)
    row["status"] = "pending_review" if reasons else "loaded"
    row["review_reasons"] = reasons
    doc_lines = [
        {
            "invoice_sha256": item.sha256,
            "line_no": n,
            "description": line.description,
            "quantity": line.quantity,
            "unit_price": line.unit_price,
            "amount": line.amount,
        }
        for n, line in enumerate(data.lines, start=1)
    ]
    try:  # the database's own row checks, per document: one odd value never blocks a batch
        prepare_invoices(lote, [row], LOAD_TIME_PLACEHOLDER)
        prepare_lines(doc_lines, {item.sha256})
    except RowError as exc:
        return Failed("invalid_row", str(exc))
    return row, doc_lines


def _invoice_row(
    lote: str,
    item: ManifestItem,
    doc: _ReadInfo,
    data: InvoiceData,
    label: Classification,
) -> dict:
    return {
        "sha256": item.sha256,
        "lote": lote,
        "source_key": item.landing_key,
        "category": label.category,
        "category_confidence": label.confidence,
        "read_method": doc.method,
        **invoice_fields(data),
        "warnings": [*doc.warnings, *data.warnings],
    }


def invoice_fields(data: InvoiceData) -> dict:
    """The invoices table's columns that come from what was read."""
    return {
        "invoice_number": data.invoice_number,
        "issue_date": data.issue_date,
        "currency": data.currency,
        "net_total": data.net_total,
        "tax_total": data.tax_total,
        "total": data.total,
        "seller_name": data.seller.name,
        "seller_tax_id": data.seller.tax_id,
        "buyer_name": data.buyer.name,
        "buyer_tax_id": data.buyer.tax_id,
        "field_confidence": {k: round(v, 3) for k, v in data.confidence.items()},
        "withholding_rate": data.withholding_rate,
        "withholding_total": data.withholding_total,
        "recargo_total": data.recargo_total,
        # Decimal strings, exact; None rather than [] keeps rows without one plain.
        "tax_breakdown": breakdown_to_json(data.tax_breakdown) or None,
    }
