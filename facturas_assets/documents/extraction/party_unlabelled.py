"""Buyer blocks with no label: found up from a tax id, or an address block under the seller's."""

from __future__ import annotations

from facturas_assets.documents.extraction.dates import find_dates
from facturas_assets.documents.extraction.labels import LabelMatch
from facturas_assets.documents.extraction.layout import Line
from facturas_assets.documents.extraction.party_blocks import (
    _ADDRESS_LABELS,
    _BLOCK_GAP,
    _BLOCK_LINES,
    Block,
    _cell_of,
    _grow,
    _in_block,
    _offset,
)
from facturas_assets.documents.extraction.party_footer import _TOP_UNTIL
from facturas_assets.documents.extraction.party_names import _LABEL_WORDS, block_name, name_reading
from facturas_assets.documents.extraction.party_words import (
    _code,
    _is_name,
    _legal_name,
    _salutation,
)
from facturas_assets.documents.extraction.taxids import TaxIdHit, find_tax_ids
from facturas_assets.documents.extraction.text import fold, squash
from facturas_assets.documents.model import Word


def _unlabelled_buyer(
    hits: list[tuple[int, TaxIdHit]],
    lines: list[Line],
    labels: dict[int, list[LabelMatch]],
    skip: set[int],
    seller: Block | None,
) -> Block | None:
    """An address block without a label, found from its tax id upwards (name on top): an id
    whose check digit holds, or one a tax-id label vouches for in the page's top part (where
    the parties' blocks stand; a registry footer's id is the seller's)."""
    tops = {ln.page: _TOP_UNTIL * max(o.y1 for o in lines if o.page == ln.page) for ln in lines}
    for line_index, hit in hits:
        word = hit.words[0]
        vouched = any(m.kind == "tax_id" for m in labels.get(line_index, []))
        if not hit.valid and not (vouched and lines[line_index].y0 < tops[word.page]):
            continue
        if seller is not None and _in_block(seller, line_index, word):
            continue
        block = _block_above(lines, line_index, word, labels, skip)
        if block is None or not block_name(block, lines, labels):
            continue
        if seller is not None and not _past_seller_lines(block, seller, lines, labels):
            continue
        if seller is not None and block.runs[0][0] <= seller.runs[0][0]:
            continue  # level with the letterhead: the seller's own address column
        return block
    return None


def _past_seller_lines(
    block: Block, seller: Block, lines: list[Line], labels: dict[int, list[LabelMatch]]
) -> bool:
    """Drop from the block's top the lines that are the seller's: lines of its block, or a line
    naming it (a return address over the window: "Name · street · town"); whether a named
    block of two lines or more is left."""
    own = fold(block_name(seller, lines, labels) or "")
    ours = [k for k, (i, ws) in enumerate(block.runs) if _in_block(seller, i, ws[0])]
    if ours:
        block.runs = block.runs[ours[-1] + 1 :]
    while len(block.runs) >= 2:
        named = name_reading(block, lines, labels)
        if named is None or not own or fold(named.text) != own:
            break
        block.runs = block.runs[named.run + 1 :]
    return len(block.runs) >= 2 and bool(block_name(block, lines, labels))


_ADDRESS_MIN_RUNS = 3  # lines of an address block: a name, a street, a town at least


def _address_block(
    lines: list[Line], labels: dict[int, list[LabelMatch]], skip: set[int], seller: Block
) -> Block | None:
    """A buyer's address block with neither label nor tax id: the first block under the
    seller's and above the items table (or in the page's top part), of a name over lines
    holding numbers (street, postcode) and no field labels."""
    page = [ln for ln in lines if ln.page == seller.page]
    if not page:
        return None
    table = min((i for i in skip if lines[i].page == seller.page), default=None)
    bottom = _TOP_UNTIL * max(ln.y1 for ln in page)
    below = max(i for i, _ in seller.runs)
    for line in page:
        if line.index <= below or line.index in skip:
            continue
        if (table is not None and line.index > table) or (table is None and line.y0 > bottom):
            break
        for cell in line.cells:
            first = _offset(line, cell.words)
            if any(m.start <= first < m.end for m in labels.get(line.index, [])) and not (
                _legal_name(cell.words)  # "Project Services AB": a name, not a label
            ):
                continue
            if not _is_name(cell.words) or any(ch.isdigit() or ch == ":" for ch in cell.text):
                continue
            runs = [(line.index, cell.words)]
            block = Block("buyer", line.page, cell.x0, cell.x1, 0.5, runs, "address")
            _grow(block, lines, line, labels, skip)
            rest = block.runs[1:]
            if len(block.runs) < _ADDRESS_MIN_RUNS:
                continue
            if not any(any(ch.isdigit() for ch in w.text) for _, ws in rest for w in ws):
                continue
            if any(
                m.kind not in _ADDRESS_LABELS
                and not _weak_party_word(m)
                and any(w is lines[i].words[m.start] for w in ws)  # in the block's own cell
                for i, ws in rest
                for m in labels.get(i, [])
            ) or any(find_dates(" ".join(w.text for w in ws)) for _, ws in block.runs):
                continue  # the header's fields, not an address
            return block
    return None


def _weak_party_word(label: LabelMatch) -> bool:
    """A party's word no colon or heading makes a label: a town's ("Alphen aan den Rijn")."""
    return label.kind in ("seller", "buyer") and label.strength < 1.0


def _block_above(
    lines: list[Line],
    line_index: int,
    word: Word,
    labels: dict[int, list[LabelMatch]],
    skip: set[int],
) -> Block | None:
    """The lines above a word whose cells start at the same x: an address block ending there."""
    line = lines[line_index]
    cell = _cell_of(line, word)
    label = _label_cell_before(line, cell, labels.get(line_index, []))
    if label is not None:
        form = _value_rows_above(lines, line_index, label, cell, skip)
        if form is not None:
            return form
        cell = [*label, *cell]  # "N° TVA | FR123...": the block's edge is its label's
    x0 = cell[0].x0
    runs = [(line_index, cell)]
    own = {hit.value for hit in find_tax_ids(cell)}
    last = line
    for k in range(line_index - 1, max(-1, line_index - 1 - 2 * _BLOCK_LINES), -1):
        up = lines[k]
        if up.page != line.page or k in skip:
            break
        if last.y0 - up.y1 > _BLOCK_GAP * max(up.height, last.height):
            break
        tol = max(up.height, 4.0)
        aligned = next((c for c in up.cells if abs(c.x0 - x0) <= 2 * tol), None)
        if aligned is None:
            continue
        first = _offset(up, aligned.words)
        # A company's name ending in its legal form may open with a label's word ("Project
        # Services AB", "Order Logistics GmbH"): a name, not a field's label and its value.
        named = _legal_name(aligned.words) and not any(":" in w.text for w in aligned.words)
        if not named and any(
            m.start == first and m.kind != "tax_id" and not _weak_party_word(m)
            for m in labels.get(k, [])
        ):
            break
        if not named and _field_row(up, aligned.words, first, labels.get(k, [])):
            break  # the header's fields stacked over the block, not its address
        if _other_tax_id(aligned.words, own):
            break  # another party's id: the end of the block above (a block holds one id)
        runs.insert(0, (k, aligned.words))
        last = up
        if len(runs) > _BLOCK_LINES or _salutation(aligned.words):
            break  # a salutation ("Sr./Sres.", "Messrs") heads the addressee's block
    if len(runs) < 2:
        return None
    x1 = max(w.x1 for _, ws in runs for w in ws)
    return Block("buyer", line.page, x0, x1, 0.6, runs, "tax_id")


def _value_rows_above(
    lines: list[Line], line_index: int, label: list[Word], value: list[Word], skip: set[int]
) -> Block | None:
    """A tax id in a form of label and value rows ("COMPANY | Name, S.L." over "VAT NO. |
    ESB..."): the values of the rows right above it, each beside a label in the label's
    column, down to the id: the party's data, its name on top; None if no row is so set."""
    line = lines[line_index]
    runs = [(line_index, value)]
    own = {hit.value for hit in find_tax_ids(value)}
    last = line
    for k in range(line_index - 1, max(-1, line_index - 1 - _BLOCK_LINES), -1):
        up = lines[k]
        if up.page != line.page or k in skip:
            break
        if last.y0 - up.y1 > _BLOCK_GAP * max(up.height, last.height):
            break
        tol = 2 * max(up.height, 4.0)
        at = next((i for i, c in enumerate(up.cells) if abs(c.x0 - value[0].x0) <= tol), None)
        if not at or abs(up.cells[at - 1].x0 - label[0].x0) > tol:
            break  # no value beside a label in the form's two columns: above the form
        if any(ch.isdigit() for w in up.cells[at - 1].words for ch in w.text):
            break
        if _other_tax_id(up.cells[at].words, own):
            break
        runs.insert(0, (k, up.cells[at].words))
        last = up
    if len(runs) < 2:
        return None
    x1 = max(w.x1 for _, ws in runs for w in ws)
    return Block("buyer", line.page, value[0].x0, x1, 0.6, runs, "tax_id")


def _other_tax_id(words: list[Word], own: set[str]) -> bool:
    """Whether words hold a valid tax id other than `own` ones (with or without its country
    prefix: "B12345674" and "ESB12345674" are one id)."""
    return any(
        hit.valid and not any(hit.value.endswith(o) or o.endswith(hit.value) for o in own)
        for hit in find_tax_ids(words)
    )


def _label_cell_before(
    line: Line, cell: list[Word], line_labels: list[LabelMatch]
) -> list[Word] | None:
    """The cell right before `cell` if it is a tax-id label alone ("N° TVA"), else None."""
    at = next(i for i, c in enumerate(line.cells) if c.words[0] is cell[0])
    if at == 0:
        return None
    before = line.cells[at - 1].words
    if find_tax_ids(before):
        return None  # "CIF B12345674 | NIF: A58818501": a column beside with its own id
    first = _offset(line, before)
    if any(m.kind == "tax_id" and m.start == first for m in line_labels):
        return before
    alone = not any(w.text.strip(":.").isalpha() for w in cell)  # the id, no label of its own
    near = alone and cell[0].x0 - before[-1].x1 < _LABEL_GAP * (cell[0].y1 - cell[0].y0)
    if (
        near
        and len(before) <= _LABEL_WORDS
        and not any(ch.isdigit() for w in before for ch in w.text)
    ):
        return before  # a label the lexicon reads as another field's ("TVA intracom.")
    return None


_LABEL_GAP = 4  # word heights between a label's cell and its value's


def _field_row(line: Line, words: list[Word], first: int, line_labels: list[LabelMatch]) -> bool:
    """Whether a cell is a header field's, not an address line: a field's label anywhere in it
    ("F. vencimiento", "Cta. cliente") or a label with a date or a reference beside it ("Work
    date  01/02/2024"), or a value stacked under its label (a date, a reference "PO-1234")."""
    last = first + len(words)
    inside = [m for m in line_labels if first <= m.start < last and m.kind != "tax_id"]
    party = ("seller", "buyer")  # a party's word inside a name or street ("Centro Cliente")
    if any(m.strength >= 1.0 and m.kind not in party for m in inside) or _value_cell(words):
        return True
    # ... labels one only with a value beside it ("Cta. cliente  123", "Work date  01/02").
    if not any(m.kind not in party or m.strength >= 1.0 for m in inside):
        return False
    at = next(i for i, c in enumerate(line.cells) if c.words[0] is words[0])
    return at + 1 < len(line.cells) and _value_cell(line.cells[at + 1].words)


def _value_cell(words: list[Word]) -> bool:
    """A header field's value: a date, or a one-word reference that is not a tax id."""
    text = squash(" ".join(w.text for w in words))
    return bool(find_dates(text)) or (_code(words) and not find_tax_ids(words))
