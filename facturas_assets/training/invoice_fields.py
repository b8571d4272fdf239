"""The fields of a labelled invoice kept with the data set, for the feature baseline.

They are the columns `facturas_assets.drift.features.invoice_features` reads from MySQL rows, so the
baseline and the weekly drift report compute the same features the same way.
"""

from __future__ import annotations

from typing import Any

from facturas_assets.documents.model import InvoiceData, ReadDocument


def _dec(value: Any) -> str | None:
    return None if value is None else format(value, "f")


def extract_fields(doc: ReadDocument) -> InvoiceData:
    """The invoice's fields: exact for e-invoices, else the template-free extraction."""
    if doc.einvoice is not None:
        return doc.einvoice
    from facturas_assets.documents.extraction.extract import extract_invoice

    return extract_invoice(doc)


def invoice_record(doc: ReadDocument, label: str) -> dict[str, Any]:
    """One invoice row (+ its lines) in the shape of the `invoices` / `invoice_lines` tables."""
    warnings: list[str] = list(doc.warnings)
    try:
        data = extract_fields(doc)
    except Exception as exc:  # noqa: BLE001 - extraction failures leave the fields unknown
        data = InvoiceData()
        warnings.append(f"extraction_failed: {type(exc).__name__}: {exc}")
    return {
        "sha256": doc.sha256,
        "category": label,
        "read_method": doc.method,
        "currency": data.currency,
        "net_total": _dec(data.net_total),
        "tax_total": _dec(data.tax_total),
        "total": _dec(data.total),
        "warnings": [*warnings, *data.warnings],
        "lines": [
            {
                "description": line.description,
                "quantity": _dec(line.quantity),
                "unit_price": _dec(line.unit_price),
                "amount": _dec(line.amount),
            }
            for line in data.lines
        ],
    }
