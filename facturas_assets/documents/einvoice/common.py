"""Namespace-agnostic navigation and value parsing shared by the e-invoice parsers."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from lxml import etree

from facturas_assets.documents.model import InvoiceData

# Decimal exponents (of the leading digit) an invoice value can have: 1e-12 .. 9.99e15.
MIN_MAGNITUDE, MAX_MAGNITUDE = -12, 15

# Field keys of InvoiceData.confidence.
CONFIDENCE_FIELDS = (
    "invoice_number",
    "issue_date",
    "currency",
    "net_total",
    "tax_total",
    "total",
    "seller.name",
    "seller.tax_id",
    "buyer.name",
    "buyer.tax_id",
    "lines",
)


def local(el: etree._Element) -> str:
    """The element's tag without its namespace."""
    return etree.QName(el).localname


def children(el: etree._Element | None, name: str) -> list[etree._Element]:
    """Direct child elements with this local name, in any namespace."""
    if el is None:
        return []
    return [c for c in el if isinstance(c.tag, str) and local(c) == name]


def find(el: etree._Element | None, path: str) -> etree._Element | None:
    """The first element down a '/'-separated path of local names (namespaces ignored)."""
    current = [el] if el is not None else []
    for step in path.split("/"):
        current = [c for parent in current for c in children(parent, step)]
        if not current:
            return None
    return current[0]


def find_all(el: etree._Element | None, path: str) -> list[etree._Element]:
    """All elements down a '/'-separated path of local names."""
    current = [el] if el is not None else []
    for step in path.split("/"):
        current = [c for parent in current for c in children(parent, step)]
    return current


def text(el: etree._Element | None, path: str | None = None) -> str | None:
    """Stripped text of the element (or of the first match of path under it), None if empty."""
    node = find(el, path) if path else el
    if node is None or node.text is None:
        return None
    value = " ".join(node.text.split())
    return value or None


def first_text(el: etree._Element | None, *paths: str) -> str | None:
    """Text of the first of several paths that has any."""
    for path in paths:
        value = text(el, path)
        if value is not None:
            return value
    return None


def decimal(value: str | None, what: str, warnings: list[str]) -> Decimal | None:
    """A decimal from an e-invoice number (dot decimal separator), warning on garbage."""
    if value is None:
        return None
    try:
        result = Decimal(value.strip())
    except InvalidOperation:
        warnings.append(f"{what}: {value!r} is not a number")
        return None
    if not result.is_finite():
        warnings.append(f"{what}: {value!r} is not a finite number")
        return None
    if result and not MIN_MAGNITUDE <= result.adjusted() <= MAX_MAGNITUDE:
        # No amount, quantity or price is this large or small; arithmetic on it would overflow.
        warnings.append(f"{what}: {value!r} is out of range for an invoice value")
        return None
    return result


def per_unit(price: Decimal | None, basis: Decimal | None) -> Decimal | None:
    """A price stated per `basis` units (BT-149 / UBL BaseQuantity) as a price per unit.

    Both come from decimal(), whose range keeps the division from overflowing.
    """
    if price is None or basis in (None, 0, 1):
        return price
    return price / basis


def iso_date(value: str | None, what: str, warnings: list[str]) -> date | None:
    """A date from YYYY-MM-DD (UBL, Facturae) or YYYYMMDD (CII format 102)."""
    if value is None:
        return None
    raw = value.strip()
    for fmt in ("%Y-%m-%d", "%Y%m%d"):
        try:
            return datetime.strptime(raw[:10] if fmt == "%Y-%m-%d" else raw[:8], fmt).date()
        except ValueError:
            continue
    warnings.append(f"{what}: {value!r} is not a date")
    return None


def note_prepaid(prepaid: Decimal | None, warnings: list[str]) -> None:
    """Warn that a prepaid amount (BT-113) makes the amount due lower than the total read."""
    if prepaid:
        # The total is the invoice total (BT-112), as the document and its ground truth state it;
        # InvoiceData has no amount due, so the difference is only reported.
        warnings.append(f"prepaid amount of {prepaid}: the amount due is the total minus it")


def exact_confidence(data: InvoiceData) -> InvoiceData:
    """Confidence 1.0 for every field the e-invoice states (read exactly, never guessed)."""
    data.confidence = {key: 1.0 for key in CONFIDENCE_FIELDS if _stated(data, key)}
    return data


def _stated(data: InvoiceData, key: str) -> bool:
    """Whether the field named by a confidence key ("seller.tax_id", "lines") has a value."""
    if key == "lines":
        return bool(data.lines)
    value: object = data
    for part in key.split("."):
        value = getattr(value, part)
    return value is not None
