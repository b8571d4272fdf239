"""Article codes in an item table: their shape, and a column of them taken out of descriptions."""

from __future__ import annotations

import re

from facturas_assets.documents.extraction.layout import Cell
from facturas_assets.documents.extraction.table_model import Column, _Row
from facturas_assets.documents.extraction.table_values import _tiny
from facturas_assets.documents.extraction.text import alnum_count

# An article code (EN 16931 BT-155/BT-156, the seller's or buyer's item identifier): one token
# without small letters or spaces, holding a digit or made of parts joined by a separator
# ("A-1", "4711.20", "XK/300"). Codes differ with every catalogue; this is only their shape.
_CODE = re.compile(
    r"^(?=.*[A-Z0-9]{2})(?:(?=[^a-z]*\d)[A-Z0-9][A-Z0-9\-./_]{2,24}|[A-Z0-9]+(?:[-./_][A-Z0-9]+)+)$"
)
# A short code of capitals ("KM", "DIET", "MO1"), taken out only beside dashed ones.
_SHORT_CODE = re.compile(r"^(?=.*[A-Z])[A-Z0-9]{2,6}$")
_MIN_CODED, _CODED_SHARE = 2, 0.5
_CODE_SPECKS = "'\"‘’“”`´!¡|.,:;"  # what OCR reads glued to a code from a rule or dirt


def _first_word(cell: Cell) -> str:
    """A cell's first word of letters or digits, without the specks around it."""
    texts = [w.text.strip(_CODE_SPECKS) for w in cell.words]
    return next((t for t in texts if alnum_count(t)), "")


def _code_like(cell: Cell) -> bool:
    """A cell headed by an article code or a position number ("SRV-20", "12")."""
    first = _first_word(cell)
    return bool(_CODE.match(first) or _SHORT_CODE.match(first)) or any(ch.isdigit() for ch in first)


def _prose_like(cell: Cell) -> bool:
    """A cell of text headed by a word with small letters and no digits ("Reparación ...")."""
    first = _first_word(cell)
    return any(ch.islower() for ch in first) and not any(ch.isdigit() for ch in first)


def _leading_code(cells: list[Cell], columns: list[Column]) -> str | None:
    """The first of a row's description cells when it is an article code ("SRV-27", "ESC-CB")
    standing apart from the text, in a table whose code column's label was unreadable."""
    cells = [c for c in cells if not _tiny([c])]  # "! SRV-90": a rule's speck before it
    if len(cells) < 2 or any(c.kind == "code" for c in columns):
        return None
    words = [w.text for w in cells[0].words]
    while len(words) > 1 and alnum_count(words[0]) <= 1:
        words.pop(0)  # "I SRV-73": a rule's speck read just before it, in its cell
    if len(words) != 1:
        return None
    first = words[0].strip(_CODE_SPECKS)
    return first if _CODE.match(first) or _SHORT_CODE.match(first) else None


def _strip_code_column(rows: list[_Row]) -> None:
    """Codes heading most rows' descriptions make a column of their own: taken out."""
    coded = [row for row in rows if row.code]
    sure = [row for row in coded if _CODE.match(row.code or "")]
    if len(sure) < _MIN_CODED or len(sure) < _CODED_SHARE * len(rows):
        return  # short codes ("KM", "DIET") go only with a column of dashed ones
    for row in coded:
        for k, text in enumerate(row.description):
            # The row's own line (after wrapped lines before it), specks before the code aside.
            head, found, rest = text.partition(row.code or "")
            if found and alnum_count(head) <= 1 and len(head.split()) <= 1:
                row.description[k] = rest.strip(_CODE_SPECKS + " ")
                break
