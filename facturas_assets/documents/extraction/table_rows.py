"""The rows read, finished: wrapped description lines joined, a subtotal dropped, checked."""

from __future__ import annotations

import re
from decimal import Decimal

from facturas_assets.documents.extraction.table_model import _Row

_BROKEN_AT_HYPHEN = re.compile(r"\w-$")


def _joined_lines(parts: list[str]) -> str:
    """A description's lines as one text. A line ending in a hyphen within a word ("SB-" over
    "D 50", "8M-" over "1200") was broken after the hyphen: the word goes on without a space."""
    text = ""
    for part in parts:
        glue = "" if not text or _BROKEN_AT_HYPHEN.search(text) else " "
        text += glue + part.strip()
    return text


def _without_leading_specks(text: str) -> str:
    """A description without the bullets or OCR specks ("-", "!", "¡") before its first word."""
    words = text.split(" ")
    while len(words) > 1 and len(words[0]) == 1 and not words[0].isalnum():
        words.pop(0)
    return " ".join(words)


def _without_subtotal(rows: list[_Row], used: set[int], pages: list[int]) -> list[_Row]:
    """The rows up to the first that only sums those above it: the net total, read as an item
    because its label was unreadable (a stamp over it). Its lines are handed back.

    A sum closing a page whose table goes on on the next ("Balance c/f") is a running subtotal
    carried over: only that row is left out."""
    running = Decimal(0)
    kept: list[_Row] = []
    for k, row in enumerate(rows):
        first_priced = len(kept) >= 2 or (len(kept) == 1 and kept[0].quantity is not None)
        if (
            row.amount is not None
            and first_priced
            and row.quantity is None
            and row.unit_price is None
            and row.amount == running
        ):
            if k + 1 < len(rows) and pages[rows[k + 1].line] > pages[row.line]:
                used.discard(row.line)
                continue
            used.difference_update(i for i in list(used) if i >= row.line)
            return kept
        kept.append(row)
        if row.amount is not None:  # a priced row whose amount was unreadable sums nothing
            running += row.amount
    return kept


def _row_consistent(row: _Row) -> bool:
    """quantity x unit price = amount to the cent (allowing a per-line discount to be absent)."""
    if row.quantity is None or row.unit_price is None or row.amount is None:
        return row.amount is not None
    return abs(row.quantity * row.unit_price - row.amount) <= Decimal("0.01")
