"""The data shapes shared by reading, extraction, validation, classification and the CLI."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Literal

ReadMethod = Literal["einvoice", "text", "ocr"]


@dataclass(frozen=True, slots=True)
class Word:
    """One word with its box, in points from the page's top-left corner."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    page: int = 0
    confidence: float = 1.0  # 0..1; 1.0 for text layers


@dataclass(slots=True)
class Page:
    """A page of words; width and height in the same units as the word boxes."""

    number: int
    width: float
    height: float
    words: list[Word] = field(default_factory=list)


@dataclass(slots=True)
class Party:
    name: str | None = None
    tax_id: str | None = None


@dataclass(slots=True)
class InvoiceLine:
    description: str | None = None
    quantity: Decimal | None = None
    unit_price: Decimal | None = None
    amount: Decimal | None = None


@dataclass(slots=True)
class InvoiceData:
    """The fields of one invoice, each scalar field with a confidence in `confidence` (0..1)."""

    invoice_number: str | None = None
    issue_date: date | None = None
    currency: str | None = None
    net_total: Decimal | None = None
    tax_total: Decimal | None = None
    total: Decimal | None = None
    seller: Party = field(default_factory=Party)
    buyer: Party = field(default_factory=Party)
    lines: list[InvoiceLine] = field(default_factory=list)
    confidence: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    # Taxes withheld (Spanish IRPF) that `total` already deducts: Facturae's InvoiceTotal is
    # net + tax - withheld. None when nothing is withheld or the total does not deduct it.
    tax_withheld: Decimal | None = None


@dataclass(slots=True)
class ReadDocument:
    """What reading produced: words per page, or the exact fields of a structured e-invoice."""

    source: str
    sha256: str
    method: ReadMethod
    pages: list[Page] = field(default_factory=list)
    einvoice: InvoiceData | None = None  # set when method == "einvoice": read exactly, never OCR'd
    warnings: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """Plain text, page by page, words in reading order (for the classifier and search)."""
        from facturas_assets.documents.layout_text import pages_text

        return pages_text(self.pages)


class DocumentRejected(Exception):
    """A document that cannot be processed; `reason` is a short stable code for quarantine rows."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def invoice_to_json(data: InvoiceData) -> dict[str, Any]:
    """The invoice fields in the CLI / ground-truth JSON shape (decimals as strings, ISO dates)."""

    def dec(v: Decimal | None) -> str | None:
        return None if v is None else format(v, "f")

    return {
        "invoice_number": data.invoice_number,
        "issue_date": data.issue_date.isoformat() if data.issue_date else None,
        "currency": data.currency,
        "net_total": dec(data.net_total),
        "tax_total": dec(data.tax_total),
        "total": dec(data.total),
        "seller": {"name": data.seller.name, "tax_id": data.seller.tax_id},
        "buyer": {"name": data.buyer.name, "tax_id": data.buyer.tax_id},
        "lines": [
            {
                "description": ln.description,
                "quantity": dec(ln.quantity),
                "unit_price": dec(ln.unit_price),
                "amount": dec(ln.amount),
            }
            for ln in data.lines
        ],
    }


def invoice_from_json(obj: dict[str, Any]) -> InvoiceData:
    """Inverse of invoice_to_json (used for ground truth and cached results)."""

    def dec(v: Any) -> Decimal | None:
        return None if v is None else Decimal(str(v))

    return InvoiceData(
        invoice_number=obj.get("invoice_number"),
        issue_date=date.fromisoformat(obj["issue_date"]) if obj.get("issue_date") else None,
        currency=obj.get("currency"),
        net_total=dec(obj.get("net_total")),
        tax_total=dec(obj.get("tax_total")),
        total=dec(obj.get("total")),
        seller=Party(**(obj.get("seller") or {})),
        buyer=Party(**(obj.get("buyer") or {})),
        lines=[
            InvoiceLine(
                description=ln.get("description"),
                quantity=dec(ln.get("quantity")),
                unit_price=dec(ln.get("unit_price")),
                amount=dec(ln.get("amount")),
            )
            for ln in obj.get("lines") or []
        ],
    )
