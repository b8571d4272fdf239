"""The issuer's letterhead: the most prominent name at page one's top, not a logo's acronym."""

from __future__ import annotations

from facturas_assets.documents.extraction.labels import LabelMatch
from facturas_assets.documents.extraction.layout import Cell, Line
from facturas_assets.documents.extraction.party_blocks import Block, _grow, _offset
from facturas_assets.documents.extraction.party_names import _with_legal_form
from facturas_assets.documents.extraction.party_tax_ids import _VALUE_FIELDS
from facturas_assets.documents.extraction.party_words import (
    _LEGAL_FORM,
    _abbreviates,
    _acronym,
    _address_line,
    _capitalised_words,
    _ended_at_legal_form,
    _is_name,
    _legal_name,
    _over_lines,
    _trade_name,
    _type_size,
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
        for cell in (Cell(piece) for c in line.cells for piece in _size_pieces(c.words)):
            if any(b.contains(line.index, cell.words[0]) for b in taken):
                continue
            if any(w is cell.words[0] for w in joined):
                continue
            first = _offset(line, cell.words)
            if any(
                m.start <= first < m.end and m.kind != "seller" for m in labels.get(line.index, [])
            ):
                continue
            if _value_beside_label(line, cell, labels.get(line.index, [])) and not (
                _legal_name(cell.words) or _capitalised_words(cell.words) or _phrase(cell.words)
            ):
                continue  # a number or date beside its label ("FACTURA  A-12"), not a company
            if not _is_name(cell.words) or _unsure(cell.words):
                continue
            if any(_over_lines(w) for w in cell.words):
                continue  # its box spans lines, not a large type: a code wrapped in its cell
            if not any(w.text[:1].isupper() for w in cell.words):
                continue  # words in lower case: a phrase's (a date OCR garbled), not a name
            words = _with_legal_form(line, cell.words)
            joined.extend(words[len(cell.words) :])
            height = _type_size(words)
            score = height * (1.0 - 0.5 * line.y0 / page_height)
            found.append((score, line, words))
    if not found:
        return None
    _, line, words = _legal_name_over_logo(found)
    block = Block("seller", line.page, words[0].x0, max(w.x1 for w in words), 0.7)
    block.source = "letterhead"
    above = _name_lines_above(first_page, line, words, labels, skip)
    block.runs.extend(above)
    block.runs.append((line.index, words))
    block.x1 = max([block.x1, *(w.x1 for _, run in above for w in run)])
    _grow(block, lines, line, labels, skip)
    return block


_LOGO_SIZE = 1.25  # type this many times larger than the next word's sets a logo apart


def _size_pieces(words: list[Word]) -> list[list[Word]]:
    """A cell cut where the type size jumps: a brand set large right before the name in body
    type ("Indline  Trame Service SAS") is a logo and a name, not one name. Text-layer words
    only: one OCR box's height says too little of its type size."""
    if any(w.confidence < 1.0 for w in words):
        return [words]
    pieces = [[words[0]]]
    for prev, word in zip(words, words[1:], strict=False):
        a, b = _type_size([prev]), _type_size([word])
        if max(a, b) >= _LOGO_SIZE * max(min(a, b), 1e-6):
            pieces.append([word])
        else:
            pieces[-1].append(word)
    return pieces


def _value_beside_label(line: Line, cell: Cell, line_labels: list[LabelMatch]) -> bool:
    """Whether a cell may be the value of a number or date label before it on its line: the
    label's value is not already in the label's own cell ("FACTURA N.º 2024.087 | Name":
    the cell after it is another's)."""
    first = _offset(line, cell.words)
    for m in line_labels:
        if m.end > first or m.kind not in _VALUE_FIELDS:
            continue
        own = next(c for c in line.cells if any(w is line.words[m.start] for w in c.words))
        after = [w for w in own.words if not any(w is x for x in line.words[: m.end])]
        if not any(ch.isdigit() for w in after for ch in w.text):
            return True
    return False


_VALUE_WORDS = 3  # words from which a cell without digits is a phrase, never a number


def _phrase(words: list[Word]) -> bool:
    """Three or more words without a digit: a name or a phrase, never a number's or date's
    value ("Duval et Fils Services")."""
    return len(words) >= _VALUE_WORDS and not any(ch.isdigit() for w in words for ch in w.text)


_ABOVE_LINES = 2  # lines of a wrapped name above the one picked as its most prominent
_ABOVE_GAP = 1.0  # type sizes between two lines of one name
# A wrapped name's lines are set alike, but an OCR box a speck swelled can make any of them
# look larger: the line above may look this much smaller (or larger) than the one picked.
_ABOVE_SIZE = 0.6


def _name_lines_above(
    page: list[Line],
    line: Line,
    words: list[Word],
    labels: dict[int, list[LabelMatch]],
    skip: set[int],
) -> list[tuple[int, list[Word]]]:
    """The lines right above the picked letterhead that begin the same wrapped name, top first:
    a name set large in a narrow column wraps, and whichever of its lines looks tallest (OCR
    boxes hug ink, so descenders and accents count) is not always its first."""
    found: list[tuple[int, list[Word]]] = []
    size, top = _type_size(words), min(w.y0 for w in words)
    x0, x1 = words[0].x0, max(w.x1 for w in words)
    for prev in reversed([ln for ln in page if ln.index < line.index][-2 * _ABOVE_LINES :]):
        if len(found) == _ABOVE_LINES or prev.index in skip:
            break
        tol = max(size, 4.0)
        cell = next((c for c in prev.cells if abs(c.x0 - x0) <= tol), None)
        if cell is None:
            # Set flush right (a letterhead in the top right corner) or centred: only a line
            # of the name itself lines up so, a speck or a title beside is passed over.
            cell = next(
                (
                    c
                    for c in prev.cells
                    if (abs(c.x1 - x1) <= tol or abs(c.x0 + c.x1 - x0 - x1) <= 2 * tol)
                    and _continued_name(prev, c.words, size, top, labels)
                ),
                None,
            )
        if cell is None:
            continue  # a line of another column between the two (a speck, a title)
        if not _continued_name(prev, cell.words, size, top, labels):
            break
        found.insert(0, (prev.index, cell.words))
        size, top = _type_size(cell.words), min(w.y0 for w in cell.words)
    return found


def _continued_name(
    line: Line, words: list[Word], size: float, top: float, labels: dict[int, list[LabelMatch]]
) -> bool:
    """Whether a cell right above a name's line (its top at `top`) is the line before it: a
    name in about its size, close above it, holding no digit and no label."""
    if min(w.y0 for w in words) >= top or top - max(w.y1 for w in words) > _ABOVE_GAP * size:
        return False
    if not _ABOVE_SIZE <= _type_size(words) / size <= 1 / _ABOVE_SIZE:
        return False  # a logo or a tagline over the name, not a line of it
    if any(ch.isdigit() for w in words for ch in w.text) or _acronym(words) is not None:
        return False
    first = _offset(line, words)
    if any(m.start <= first < m.end for m in labels.get(line.index, [])):
        return False
    if not _is_name(words) or _unsure(words) or not words[0].text[:1].isupper():
        return False
    return _LEGAL_FORM.search(" ".join(w.text for w in words).strip(" ,")) is None


# Lines from a brand in a logo's place down to the legal name it stands for, in its column.
_TRADE_NAME_LINES = 4


def _names_party(line: Line, words: list[Word]) -> bool:
    """Whether a cell near a brand gives a party's full name: a legal name, or a person's
    name before the street ("Jordi Puig Serra · Avda. de Galicia, 8", in one cell or two)."""
    name = _ended_at_legal_form(words)
    if _legal_name(name):
        return True
    if not _capitalised_words(name):
        return False
    if len(name) < len(words):
        return True
    after = next((c for c in line.cells if c.x0 > words[-1].x1), None)
    return after is not None and _address_line(after.words)


_FORM_INITIALS = 2  # letters of an acronym beyond which its last may be a legal form's


def _legal_name_over_logo(
    found: list[tuple[float, Line, list[Word]]],
) -> tuple[float, Line, list[Word]]:
    """The letterhead among name-like cells: the most prominent, unless it is a logo's acronym
    and the page also prints a legal name (a company form, or words the acronym abbreviates):
    the party is named by its legal name (EN 16931 BT-27), not by its logo."""
    best = max(found, key=lambda f: f[0])
    acronym = _acronym(best[2])
    if acronym is None:
        if not _trade_name(best[2]):
            return best
        near = [
            f
            for f in found
            if f is not best
            and len(f[2]) >= 2
            and (
                0 < f[1].index - best[1].index <= _TRADE_NAME_LINES
                or (f[1].index == best[1].index and f[2][0].x0 > best[2][-1].x1)
            )
            and (
                f[1].index == best[1].index
                or (
                    f[2][0].x0 < max(w.x1 for w in best[2])
                    and best[2][0].x0 < max(w.x1 for w in f[2])
                )
            )
            and _names_party(f[1], f[2])
        ]
        return max(near, key=lambda f: f[0]) if near else best
    legal = [
        f
        for f in found
        if f is not best
        and len(f[2]) >= 2
        and (
            _LEGAL_FORM.search(" ".join(w.text for w in f[2]).strip(" ,"))
            or _abbreviates(acronym, f[2])
            # ... or all of it but its last letter, its legal form's on the next line
            # ("NMIS": "Navetta Manutenzioni Industriali | S.n.c.")
            or (len(acronym) > _FORM_INITIALS and _abbreviates(acronym[:-1], f[2]))
        )
    ]
    return max(legal, key=lambda f: f[0]) if legal else best
