"""The issuer's letterhead: the most prominent name at page one's top, not a logo's acronym."""

from __future__ import annotations

from facturas_assets.documents.extraction.labels import LabelMatch
from facturas_assets.documents.extraction.layout import Line
from facturas_assets.documents.extraction.party_blocks import Block, _grow, _offset
from facturas_assets.documents.extraction.party_names import _with_legal_form
from facturas_assets.documents.extraction.party_tax_ids import _VALUE_FIELDS
from facturas_assets.documents.extraction.party_words import (
    _LEGAL_FORM,
    _abbreviates,
    _acronym,
    _capitalised_words,
    _is_name,
    _legal_name,
    _text_height,
    _unsure,
)
from facturas_assets.documents.model import Word


def letterhead(
    lines: list[Line], labels: dict[int, list[LabelMatch]], skip: set[int], taken: list[Block]
) -> Block | None:
    """The issuer's letterhead: the most prominent name-like cell near the top of page one."""
    first_page = [ln for ln in lines if ln.page == lines[0].page] if lines else []
    if not first_page:
        return None
    page_height = max(ln.y1 for ln in first_page) or 1.0
    found: list[tuple[float, Line, list[Word]]] = []
    for line in first_page:
        if line.index in skip or line.y0 > 0.45 * page_height:
            continue
        joined: list[Word] = []  # words of legal forms joined to the name before them
        for cell in line.cells:
            if any(b.contains(line.index, cell.words[0]) for b in taken):
                continue
            if any(w is cell.words[0] for w in joined):
                continue
            first = _offset(line, cell.words)
            if any(
                m.start <= first < m.end and m.kind != "seller" for m in labels.get(line.index, [])
            ):
                continue
            if any(
                m.end <= first and m.kind in _VALUE_FIELDS for m in labels.get(line.index, [])
            ) and not (_legal_name(cell.words) or _capitalised_words(cell.words)):
                continue  # a number or date beside its label ("FACTURA  A-12"), not a company
            if not _is_name(cell.words) or _unsure(cell.words):
                continue
            if not any(w.text[:1].isupper() for w in cell.words):
                continue  # words in lower case: a phrase's (a date OCR garbled), not a name
            words = _with_legal_form(line, cell.words)
            joined.extend(words[len(cell.words) :])
            height = _text_height(words)
            score = height * (1.0 - 0.5 * line.y0 / page_height)
            found.append((score, line, words))
    if not found:
        return None
    _, line, words = _legal_name_over_logo(found)
    block = Block("seller", line.page, words[0].x0, max(w.x1 for w in words), 0.7)
    block.source = "letterhead"
    block.runs.append((line.index, words))
    _grow(block, lines, line, labels, skip)
    return block


def _legal_name_over_logo(
    found: list[tuple[float, Line, list[Word]]],
) -> tuple[float, Line, list[Word]]:
    """The letterhead among name-like cells: the most prominent, unless it is a logo's acronym
    and the page also prints a legal name (a company form, or words the acronym abbreviates):
    the party is named by its legal name (EN 16931 BT-27), not by its logo."""
    best = max(found, key=lambda f: f[0])
    acronym = _acronym(best[2])
    if acronym is None:
        return best
    legal = [
        f
        for f in found
        if f is not best
        and len(f[2]) >= 2
        and (
            _LEGAL_FORM.search(" ".join(w.text for w in f[2]).strip(" ,"))
            or _abbreviates(acronym, f[2])
        )
    ]
    return max(legal, key=lambda f: f[0]) if legal else best
