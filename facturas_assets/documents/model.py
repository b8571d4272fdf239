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
class TaxBreakdown:
    """One VAT rate of the invoice: its base and tax, and any equivalence surcharge on it."""

    rate: Decimal | None = None  # percent
    base: Decimal | None = None
    tax: Decimal | None = None
    recargo_rate: Decimal | None = None  # recargo de equivalencia, percent
    recargo: Decimal | None = None
    # standard, zero, exempt, reverse_charge, intra_community, export, outside_scope: when known
    category: str | None = None
    scheme: str | None = None  # the tax when it is not VAT alone: IGIC, IPSI ... (None: VAT)


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
    # Tax withheld (Spanish IRPF, Portuguese retenção na fonte), positive, and its rate. The
    # total may deduct it (Facturae's InvoiceTotal, most printed Spanish invoices) or not (UBL's
    # TaxInclusiveAmount): validation accepts either.
    withholding_total: Decimal | None = None
    withholding_rate: Decimal | None = None
    # Recargo de equivalencia stated apart from the VAT; tax_total may include it (Facturae's
    # TotalTaxOutputs) or not (a printed "Recargo de equivalencia" line).
    recargo_total: Decimal | None = None
    tax_breakdown: list[TaxBreakdown] = field(default_factory=list)


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


BREAKDOWN_KEYS = ("rate", "base", "tax", "recargo_rate", "recargo", "category", "scheme")
_BREAKDOWN_TEXT = ("category", "scheme")


def _dec_text(v: Decimal | None) -> str | None:
    """A decimal as exact text (None stays None)."""
    return None if v is None else format(v, "f")


def _dec_value(v: Any) -> Decimal | None:
    """A decimal from JSON text or number (None stays None)."""
    return None if v is None else Decimal(str(v))


def breakdown_to_json(rows: list[TaxBreakdown]) -> list[dict[str, str | None]]:
    """The per-rate breakdown as JSON objects (decimals as strings)."""
    return [
        {
            key: getattr(row, key) if key in _BREAKDOWN_TEXT else _dec_text(getattr(row, key))
            for key in BREAKDOWN_KEYS
        }
        for row in rows
    ]


def breakdown_from_json(rows: list[dict[str, Any]] | None) -> list[TaxBreakdown]:
    """Inverse of breakdown_to_json."""
    return [
        TaxBreakdown(
            **{
                key: row.get(key) if key in _BREAKDOWN_TEXT else _dec_value(row.get(key))
                for key in BREAKDOWN_KEYS
            }
        )
        for row in rows or []
    ]


def invoice_to_json(data: InvoiceData) -> dict[str, Any]:
    """The invoice fields in the CLI / ground-truth JSON shape (decimals as strings, ISO dates)."""
    dec = _dec_text
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
        "withholding_rate": dec(data.withholding_rate),
        "withholding_total": dec(data.withholding_total),
        "recargo_total": dec(data.recargo_total),
        "tax_breakdown": breakdown_to_json(data.tax_breakdown),
    }


def invoice_from_json(obj: dict[str, Any]) -> InvoiceData:
    """Inverse of invoice_to_json (used for ground truth and cached results)."""
    dec = _dec_value

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
        withholding_rate=dec(obj.get("withholding_rate")),
        # Cache entries written before the breakdown named the withholding tax_withheld.
        withholding_total=dec(obj.get("withholding_total", obj.get("tax_withheld"))),
        recargo_total=dec(obj.get("recargo_total")),
        tax_breakdown=breakdown_from_json(obj.get("tax_breakdown")),
    )
