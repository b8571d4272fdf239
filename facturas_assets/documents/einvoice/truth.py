"""A reading compared with the ground truth of the corpus of public e-invoices (gt.jsonl)."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from facturas_assets.documents.model import InvoiceData

CORE_FIELDS = ("invoice_number", "issue_date", "currency", "net_total", "tax_total", "total")
PARTY_FIELDS = ("seller_name", "seller_tax_id", "buyer_name", "buyer_tax_id")
ALL_FIELDS = (*CORE_FIELDS, *PARTY_FIELDS, "n_lines")
AMOUNTS = frozenset({"net_total", "tax_total", "total"})


def load_truth(corpus: Path) -> list[dict[str, Any]]:
    """The ground-truth rows of a corpus folder, one per document."""
    with (corpus / "gt.jsonl").open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def corpus_file(corpus: Path, truth: dict[str, Any]) -> Path:
    """The file of a ground-truth row: pdf/<id>.pdf or xml/<id>.xml."""
    return corpus / truth["kind"] / f"{truth['id']}.{truth['kind']}"


def truth_fields(data: InvoiceData) -> dict[str, Any]:
    """The compared fields of a reading, under the ground truth's names."""
    return {
        "invoice_number": data.invoice_number,
        "issue_date": data.issue_date.isoformat() if data.issue_date else None,
        "currency": data.currency,
        "net_total": data.net_total,
        "tax_total": data.tax_total,
        "total": data.total,
        "seller_name": data.seller.name,
        "seller_tax_id": data.seller.tax_id,
        "buyer_name": data.buyer.name,
        "buyer_tax_id": data.buyer.tax_id,
        # The truth has null for profiles without lines (MINIMUM, BASIC WL): none to count.
        "n_lines": len(data.lines) or None,
    }


def _norm(name: str, value: Any) -> Any:
    """A value as compared: amounts as decimals, counts as ints, text with whitespace collapsed."""
    if value is None:
        return None
    if name in AMOUNTS:
        try:
            return Decimal(str(value))
        except InvalidOperation:
            return str(value)
    if name == "n_lines":
        return int(value)
    return " ".join(str(value).split())


def field_ok(name: str, got: Any, truth: dict[str, Any]) -> bool:
    """Whether a value read equals the truth's or one of its accepted alternatives (`alts`)."""
    accepted = [truth["fields"].get(name), *truth.get("alts", {}).get(name, [])]
    value = _norm(name, got)
    return any(value == _norm(name, a) for a in accepted)


def failing_fields(data: InvoiceData, truth: dict[str, Any]) -> list[str]:
    """The fields of ALL_FIELDS whose value read differs from the truth."""
    got = truth_fields(data)
    return [name for name in ALL_FIELDS if not field_ok(name, got[name], truth)]
