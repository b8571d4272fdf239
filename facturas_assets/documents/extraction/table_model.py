"""The item table's columns, its rows as read, and the extracted table."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from facturas_assets.documents.model import InvoiceLine

ITEM_KINDS = ("description", "quantity", "unit_price", "amount")
_NUMERIC_KINDS = {"quantity", "unit_price", "amount", "discount", "vat"}
# A statement of the items' tax: its value and how far rounding line by line may move it.
Statement = tuple[Decimal, Decimal]


@dataclass(slots=True)
class Column:
    """A table column: what it holds and its header's horizontal extent."""

    kind: str
    x0: float
    x1: float
    left: float = float("-inf")  # zone boundaries between neighbouring headers
    right: float = float("inf")


@dataclass(slots=True)
class Table:
    """The extracted items, which lines they used, and a confidence for the whole table."""

    lines: list[InvoiceLine] = field(default_factory=list)
    used_lines: set[int] = field(default_factory=set)
    confidence: float = 0.0
    found_header: bool = False
    # Per line, its discount percent: 0 without one (or without a discount column), None where
    # the discount cell was unreadable.
    discounts: list[Decimal | None] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # e.g. amounts printed with their VAT
    items_tax: tuple[Statement, ...] = ()  # what the VAT column says the items' tax is


@dataclass(slots=True)
class _Row:
    description: list[str]
    quantity: Decimal | None
    unit_price: Decimal | None
    amount: Decimal | None
    confidence: float
    line: int = -1  # the line holding its amount
    discount: Decimal | None = None  # percent, where the table has a discount column
    code: str | None = None  # an article code heading its description cells, if any
    vat: Decimal | None = None  # percent, where the table has a VAT column
    vat_amount: Decimal | None = None  # the VAT column's number where no % sign marks a rate


Anchors = list[tuple[float, Column]]  # right edge of a column of numbers -> its header
