"""Numbers of neighbouring table cells that a line's word gaps ran into one cell, told apart."""

from __future__ import annotations

import re
from collections.abc import Callable

from facturas_assets.documents.extraction.layout import Cell
from facturas_assets.documents.extraction.numbers import find_amounts
from facturas_assets.documents.model import Word

# A number that cannot go on as one: in cents, a percentage, or ending in a currency.
_CLOSED_END = re.compile(r"(?:\d[.,]\d{1,2}|%|[€$£]|\b[A-Z]{3})$")
# A number that cannot continue the one before it: led by a currency, a sign or a percent.
_OPEN_START = re.compile(r"^(?:[€$£\-−+]|[A-Z]{3}\b)")
# A unit of measure ("h", "ud", "forfait") or an article code ("LAN-CIN", "SRV-82") between
# a row's numbers: letters alone, or capitals and digits joined by a dash.
_TAG = re.compile(r"^(?:[^\W\d_]{1,10}\.?|[A-Z0-9]+(?:-[A-Z0-9]+)+)$")
# "1 285,88": a whole number of up to three digits before a group of three may be one number
# with a space for its thousands separator, or a quantity beside a price.
_GROUP = re.compile(r"^\d{3}(?:[.,]\d+)?\b")


def split_numbers(
    cells: list[Cell],
    is_numeric: Callable[[str], bool],
    zone: Callable[[float], object] | None = None,
) -> tuple[list[Cell], list[Cell]]:
    """Cells made of two numbers or more ("54,89€ 137,23€", "0% -€385.24", "1 EUR 362,17")
    split into one cell per number, and the unit words or article codes set between them ("2
    forfait 153,69", "2 129,74 EUR LAN-CIN") into cells of their own, returned apart. Between
    a whole number and a group of three digits ("1 285,88") the cut is made only where the two
    end under different columns (`zone` maps a right edge to the column there): else they are
    one number with spaced thousands."""
    out: list[Cell] = []
    tags: list[Cell] = []
    for cell in cells:
        pieces = _parse(cell.words, is_numeric, zone) if len(cell.words) > 1 else None
        found = [p for p in pieces or () if _is_tag(p, is_numeric)]
        if pieces is None or not is_numeric(pieces[0].text) or found and not _tagged(pieces, found):
            out.append(cell)  # text, or a quantity and its unit ("2 u"): one cell
            continue
        out += pieces
        tags += found
    return out, tags


def _tagged(pieces: list[Cell], tags: list[Cell]) -> bool:
    """Whether numbers and tags alternate as a row's cells do: two numbers or more."""
    return len(pieces) - len(tags) >= 2


def _is_tag(piece: Cell, is_numeric: Callable[[str], bool]) -> bool:
    """A piece that is a unit word or an article code, not a number."""
    return len(piece.words) == 1 and not is_numeric(piece.text) and bool(_TAG.match(piece.text))


def _parse(
    words: list[Word], is_numeric: Callable[[str], bool], zone: Callable[[float], object] | None
) -> list[Cell] | None:
    """`words` cut into numbers, as many as they are apart, and single unit words or codes,
    or None when they are not all so. A handful of words: trying every cut costs nothing."""
    for k in range(1, len(words)):
        left = Cell(words[:k])
        if not is_numeric(left.text):
            continue
        rest = _parse(words[k:], is_numeric, zone)
        if rest is not None and (_is_tag(rest[0], is_numeric) or _apart(left, rest[0], zone)):
            return [left, *rest]
    if is_numeric(" ".join(w.text for w in words)):
        return [Cell(words)]
    # A tag only where no number starts: "EUR 40.69" is a price, not "EUR" and 40.69.
    if _TAG.match(words[0].text) and not is_numeric(words[0].text):
        rest = _parse(words[1:], is_numeric, zone) if len(words) > 1 else []
        return None if rest is None else [Cell(words[:1]), *rest]
    return None


def _apart(left: Cell, right: Cell, zone: Callable[[float], object] | None) -> bool:
    """Whether two numbers side by side are two values, not one with spaced thousands."""
    if _CLOSED_END.search(left.text) or _OPEN_START.match(right.text):
        return True
    if not _GROUP.match(right.text) or any(a.has_decimals for a in find_amounts(left.text)):
        return True
    if zone is None:
        return False
    return zone(left.x1) is not zone(right.x1)  # numbers end under their own heads
