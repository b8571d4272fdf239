"""A second look at a party's name the rules are unsure of: the other blocks that could name the
party are weighed by the same confidence model, and one it trusts clearly more takes its place.

The rules pick one block per party by where labels and letterheads stand; on a layout they were
not written for that pick can be a slogan, a logo's initials or the other party. The confidence
model judges any name on signs every layout gives (legal form, a tax id in its block, its
shape, the name printed again or spelled by a domain), so it can choose among candidates.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from facturas_assets.documents.extraction.labels import LabelMatch
from facturas_assets.documents.extraction.layout import Line
from facturas_assets.documents.extraction.near_label import near_label
from facturas_assets.documents.extraction.party_blocks import Block
from facturas_assets.documents.extraction.party_names import (
    _OCR_WRAP_SIZE,
    NameReading,
    name_reading,
)
from facturas_assets.documents.extraction.party_words import (
    _STREET_ENDINGS,
    _STREET_WORDS,
    _type_size,
)
from facturas_assets.documents.extraction.text import alnum_key, fold, token_key
from facturas_assets.documents.model import Word

UNSURE = 0.3  # a name the model trusts less than this is looked at again
SURE = 0.7  # an alternative must be trusted this much (far above an unsure name)


@dataclass(frozen=True, slots=True)
class Pick:
    """A party's block, its name's reading and the model's confidence in it."""

    block: Block
    reading: NameReading
    confidence: float


def second_look(
    current: Pick | None,
    candidates: Callable[[], Iterable[Block | None]],
    read: Callable[[Block], NameReading | None],
    judge: Callable[[Block, NameReading], float],
    other: str | None,
    other_sure: bool = True,
) -> Pick | None:
    """`current`, or the candidate block whose name the model trusts clearly more when the
    current name is unsure (or missing); `candidates` is called only then. A candidate naming
    the other party is none while the other party's name is sure (`other_sure`). A current
    name that is a field's label OCR misread by a letter is no name at all: a trusted
    candidate or None takes its place."""
    if current is not None:
        cut = _without_brand(current, read, judge)
        if cut is not None and cut.confidence > current.confidence:
            current = cut
    label = current is not None and near_label(current.reading.text)
    if current is not None and current.confidence >= UNSURE and not label:
        return current
    best = None if label else current
    taken = {alnum_key(other)} if other and other_sure else set()
    if current is not None:
        taken.add(alnum_key(current.reading.text))
    for block in candidates():
        reading = None if block is None else read(block)
        if block is None or reading is None or not reading.text:
            continue
        if alnum_key(reading.text) in taken or _street(reading.text) or near_label(reading.text):
            continue
        confidence = judge(block, reading)
        if confidence >= SURE and (best is None or confidence > best.confidence):
            best = Pick(block, reading, confidence)
    return best


BRAND_SIZE = 1.2  # an OCR'd first word this much larger than the rest may be a brand


def _without_brand(
    current: Pick,
    read: Callable[[Block], NameReading | None],
    judge: Callable[[Block, NameReading], float],
) -> Pick | None:
    """The picked name without its first word when OCR read that word in larger type than any
    other ("Indline  Trame Service SAS": a brand set before the name), judged by the model;
    None when the name opens with no such word. A text layer's sizes are exact, and its
    brands are cut off as the name is read."""
    words = current.reading.words
    if len(words) < 3 or words[0].confidence >= 1.0:
        return None
    # Larger than every other word: OCR boxes make a size only roughly, and a brand's is so.
    if _type_size(words[:1]) < BRAND_SIZE * max(_type_size([w]) for w in words[1:]):
        return None
    run = next((k for k, ws in current.block.runs if any(w is words[1] for w in ws)), None)
    if run is None:
        return None
    rest = words[1:]
    b = current.block
    block = Block(b.kind, b.page, rest[0].x0, rest[-1].x1, b.strength, [(run, rest)], b.source)
    reading = read(block)
    if reading is None or not reading.text:
        return None
    return Pick(block, reading, judge(block, reading))


def _street(text: str) -> bool:
    """A street's name, which the block's first run can be where the name was lost
    ("Hintere Zollamtsstraße", "Calle Mayor"): no party's name on a second look."""
    words = text.split()
    return bool(words) and (
        (len(token_key(words[0])) > 2 and token_key(words[0]) in _STREET_WORDS)  # not "Dr."
        or any(fold(w).endswith(_STREET_ENDINGS) and len(w) > _SHORT_ENDING for w in words)
    )


_SHORT_ENDING = 5  # a word this short is no compound street name ("Weg" aside: a surname)


NEIGHBOURS = 2  # lines above and below a name whose cells may hold the true one


def neighbour_blocks(lines: list[Line], pick: Pick | None) -> list[Block]:
    """Cells on the lines right above and below the picked name: a legal name printed over a
    brand set large, or under a slogan; and the rest of the name's own cell, before and after
    it: a name set in body type right after a brand ("Novagear  Xosé Otero Vidal")."""
    if pick is None or not pick.reading.words:
        return []
    first = pick.reading.words[0]
    at = next((ln.index for ln in lines if any(w is first for w in ln.words)), None)
    if at is None:
        return []
    b = pick.block
    runs = [
        (k, cell.words)
        for k in (*range(at - NEIGHBOURS, at), *range(at + 1, at + NEIGHBOURS + 1))
        if 0 <= k < len(lines) and lines[k].page == lines[at].page
        for cell in lines[k].cells
        if not (abs(k - at) == 1 and _wrapped_piece(pick.reading.words, cell.words))
    ]
    runs += [(at, rest) for rest in _rest_of_cell(lines[at], pick.reading.words)]
    return [
        Block(b.kind, b.page, words[0].x0, words[-1].x1, b.strength, [(k, words)], b.source)
        for k, words in runs
    ]


def _rest_of_cell(line: Line, name: list[Word]) -> list[list[Word]]:
    """The words of the name's own cell before it and after it, each run apart."""
    cell = next((c for c in line.cells if any(w is name[0] for w in c.words)), None)
    if cell is None:
        return []
    ids = {id(w) for w in name}
    at = [i for i, w in enumerate(cell.words) if id(w) in ids]
    before, after = cell.words[: at[0]], cell.words[at[-1] + 1 :]
    return [run for run in (before, after) if run]


def _wrapped_piece(name: list[Word], cell: list[Word]) -> bool:
    """Whether a cell on the line right above or below a name, in its column and its type size,
    is more of the same name wrapped ("Cooperativa" over "Textil de Baza"): no other name."""
    x0, x1 = min(w.x0 for w in name), max(w.x1 for w in name)
    if cell[-1].x1 <= x0 or cell[0].x0 >= x1:
        return False
    size, other = _type_size(name), _type_size(cell)
    return abs(size - other) <= _OCR_WRAP_SIZE * max(size, other)


def reader_of(
    lines: list[Line], labels: dict[int, list[LabelMatch]]
) -> Callable[[Block], NameReading | None]:
    """name_reading bound to a page's lines and labels."""
    return lambda block: name_reading(block, lines, labels)
