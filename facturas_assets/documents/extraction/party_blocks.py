"""Party blocks: the lines under a seller's or buyer's label, grown down its column."""

from __future__ import annotations

from dataclasses import dataclass, field

from facturas_assets.documents.extraction.labels import LabelMatch
from facturas_assets.documents.extraction.layout import Line
from facturas_assets.documents.extraction.party_words import (
    _NUMBER_SIGNS,
    _address_after_name,
    _is_name,
    _salutation,
    _type_size,
)
from facturas_assets.documents.extraction.taxids import find_tax_ids
from facturas_assets.documents.extraction.text import token_key
from facturas_assets.documents.model import Word

_BLOCK_LINES = 7
# Labels that may start a line of an address block ("CIF: B1234...", "Tel.").
_ADDRESS_LABELS = {"tax_id", "other"}
_TITLE_SIZE = 1.5  # type this much larger than the line above it is a title, not an address's
_BLOCK_GAP = 1.8  # line heights between the lines of one address block


@dataclass(slots=True)
class Block:
    """A party's block of lines: the name first, then address and ids."""

    kind: str  # seller | buyer
    page: int
    x0: float
    x1: float
    strength: float
    runs: list[tuple[int, list[Word]]] = field(default_factory=list)  # (line index, words)
    # How it was found: label, letterhead, footer (a registry footer's legal name), sender (the
    # top line printing that legal name), window, tax_id (over a tax id) or address.
    source: str = "label"

    def contains(self, line_index: int, word: Word) -> bool:
        return any(i == line_index and any(w is word for w in words) for i, words in self.runs)


def _label_at_cell_start(line: Line, label: LabelMatch) -> bool:
    first = line.words[label.start]
    return any(cell.words[0] is first for cell in line.cells)


def _cell_of(line: Line, word: Word) -> list[Word]:
    for cell in line.cells:
        if any(w is word for w in cell.words):
            return cell.words
    return [word]


def find_blocks(
    lines: list[Line], labels: dict[int, list[LabelMatch]], skip: set[int]
) -> list[Block]:
    """Blocks under explicit seller/buyer labels ('Cliente', 'Bill to', 'Emisor', ...)."""
    blocks: list[Block] = []
    for line in lines:
        if line.index in skip:
            continue
        for label in labels.get(line.index, []):
            if label.kind not in ("seller", "buyer") or not _label_at_cell_start(line, label):
                continue
            if _grid_head(line, label, labels):
                continue
            cell = _cell_of(line, line.words[label.start])
            twin = _twin_label(line, label, labels.get(line.index, []))
            end = label.end if twin is None else twin.end  # "CLIENTE BILL TO Name"
            rest = [w for w in cell if cell.index(w) >= end - _offset(line, cell)]
            last_label_word = line.words[end - 1]
            if label.strength < 1.0 and not (last_label_word.text.endswith(":") or not rest):
                continue  # "de", "to", "an" name a party only as "De:" or standing alone
            if (
                label.strength < 1.0
                and not last_label_word.text.endswith(":")
                and _ends_block_above(lines, line, cell)
            ):
                continue  # "DE" under an address is its country, not "De" heading a block
            if label.strength < 1.0 and not rest and _in_running_text(line, cell):
                continue  # "25 | de | gener": a word of a phrase OCR split at its spaces
            keys = [k for k in (token_key(w.text) for w in rest) if k]
            if keys and keys[0] in _NUMBER_SIGNS:
                continue  # "Cliente N.º 123": the customer's number, not a block's heading
            if label.strength >= 1.0 and _name_with_label_word(line, label, rest, labels):
                rest = [*line.words[label.start : label.end], *rest]  # "Seller Company SAS"
            value = None if rest else _value_column(lines, line, cell, labels)
            if value is not None:
                cell = rest = value  # "CUSTOMER | Name" over "VAT NO. | ...": a form's rows
            block = Block(
                label.kind, line.page, cell[0].x0, max(w.x1 for w in cell), label.strength
            )
            rest = [w for w in rest if w.text not in (":", "-")]
            if rest:
                block.runs.append((line.index, rest))
            if not rest or not _address_after_name([c.words for c in line.cells], rest):
                # A name and its address on the label's own line ("Absender: Name GmbH ·
                # Street 1 · Town", a return address over a window) is the whole block.
                _grow(block, lines, line, labels, skip)
            if block.runs:
                blocks.append(block)
    return blocks


_GRID_CELLS = 4  # cells of a row of column heads over one row of values
_GRID_LABELS = 2  # other fields' labels among them


def _twin_label(line: Line, label: LabelMatch, line_labels: list[LabelMatch]) -> LabelMatch | None:
    """The label of the same party right after `label` in its cell: the same heading in a
    second language ("DATOS DEL CLIENTE BILL TO"), whose words are no name."""
    if label.end >= len(line.words):
        return None
    after = line.words[label.end]
    if _cell_of(line, after) is not _cell_of(line, line.words[label.start]):
        return None
    return next(
        (
            m
            for m in line_labels
            if m.start == label.end and m.kind == label.kind and m.strength >= 1.0
        ),
        None,
    )


def _grid_head(line: Line, label: LabelMatch, labels: dict[int, list[LabelMatch]]) -> bool:
    """Whether a party's label heads a column of a grid of fields ("N.º | DATA | VENDEDOR |
    ..."): a sales agent's or customer's code under it, not the party's block."""
    others = {
        m.kind
        for m in labels.get(line.index, [])
        if m.strength >= 1.0 and m.kind not in ("seller", "buyer")
    }
    return len(line.cells) >= _GRID_CELLS and len(others) >= _GRID_LABELS


def _value_column(
    lines: list[Line], line: Line, cell: list[Word], labels: dict[int, list[LabelMatch]]
) -> list[Word] | None:
    """The name beside a party's label standing alone in its cell, when the lines under them
    are rows of a form (labels in the label's column, values in the name's): that column is
    the party's block ("CUSTOMER | Name" over "ADDRESS | street")."""
    at = next(i for i, c in enumerate(line.cells) if c.words[0] is cell[0])
    if at + 1 >= len(line.cells):
        return None
    value = line.cells[at + 1].words
    if _opens_with_label(line, value, labels, 0.0) or not _is_name(value):
        return None
    if value[-1].text.endswith(":"):
        return None  # "Data:": a field's label, its value further on
    below = next((ln for ln in lines[line.index + 1 :] if ln.page == line.page), None)
    if below is None or below.y0 - line.y1 > _BLOCK_GAP * max(line.height, below.height):
        return None
    tol = max(line.height, 4.0)
    under_label = next((c for c in below.cells if abs(c.x0 - cell[0].x0) <= tol), None)
    under_value = any(abs(c.x0 - value[0].x0) <= tol for c in below.cells)
    if under_label is None or not under_value:
        return None
    return value if _form_label(below, under_label.words, labels) else None


_FORM_LABEL_WORDS = 3


def _form_label(line: Line, words: list[Word], labels: dict[int, list[LabelMatch]]) -> bool:
    """Whether a cell is a form's label: a field's label, a word before a colon, or a few
    words in capitals with no digit ("ADDRESS"), not the first line of a second block."""
    text = " ".join(w.text for w in words)
    if any(
        m.start == _offset(line, words) and m.kind not in ("seller", "buyer")
        for m in labels.get(line.index, [])
    ) or text.rstrip().endswith(":"):
        return True
    return (
        text.isupper() and len(words) <= _FORM_LABEL_WORDS and not any(ch.isdigit() for ch in text)
    )


def _opens_with_label(
    line: Line, words: list[Word], labels: dict[int, list[LabelMatch]], strength: float = 1.0
) -> bool:
    """Whether the words open with a label of at least `strength` ("Ship to", "Fecha")."""
    first = _offset(line, words)
    return any(m.start == first and m.strength >= strength for m in labels.get(line.index, []))


# Gap, in line heights, up to which OCR's cells are words of one phrase split at its spaces
# (its ink boxes leave wider gaps than a text layer's); columns stand further apart.
_SPACE_GAP = 1.6


def _in_running_text(line: Line, cell: list[Word]) -> bool:
    """Whether a cell is a word of a phrase OCR split at its spaces ("Página | 1 | de | 1"):
    the cell before or after it on the line stands within a word space's reach."""
    at = next(i for i, c in enumerate(line.cells) if c.words[0] is cell[0])
    reach = _SPACE_GAP * line.height
    before = line.cells[at - 1].words if at else None
    after = line.cells[at + 1].words if at + 1 < len(line.cells) else None
    return (before is not None and cell[0].x0 - before[-1].x1 <= reach) or (
        after is not None and after[0].x0 - cell[-1].x1 <= reach
    )


def _cell_ending(line: Line, words: list[Word]) -> int | None:
    """The index of the line's cell a run of words ends in (None: not a cell's end)."""
    return next((i for i, c in enumerate(line.cells) if c.words[-1] is words[-1]), None)


def _cells_within_reach(line: Line, words: list[Word], reach: float) -> list[list[Word]]:
    """The (at most two) cells right after a run's cell, each within `reach` of the one
    before: where OCR set the rest of a phrase split at its spaces."""
    at = _cell_ending(line, words)
    if at is None:
        return []
    found, last = [], words[-1]
    for cell in line.cells[at + 1 : at + 3]:
        if cell.x0 - last.x1 > reach:
            break
        found.append(cell.words)
        last = cell.words[-1]
    return found


def _ends_block_above(lines: list[Line], line: Line, cell: list[Word]) -> bool:
    """Whether a cell is the last line of the block above it (same left edge, no gap): an
    address's country line, not a heading."""
    if line.index == 0:
        return False
    above = lines[line.index - 1]
    if above.page != line.page or line.y0 - above.y1 > _BLOCK_GAP * max(line.height, above.height):
        return False
    tol = max(line.height, 4.0)
    return any(abs(c.x0 - cell[0].x0) <= tol and _is_name(c.words) for c in above.cells)


def _name_with_label_word(
    line: Line, label: LabelMatch, rest: list[Word], labels: dict[int, list[LabelMatch]]
) -> bool:
    """A party word that opens a name rather than heading it ("Seller Company SAS", "Buyer
    Company"): no colon after it, a capitalised word of the name following in its cell, and
    no other label there."""
    if not rest or line.words[label.end - 1].text.endswith((":", ".")):
        return False
    first = rest[0]
    if not first.text[:1].isupper() or not _is_name(rest):
        return False
    heading = line.words[label.start : label.end]
    if all(w.text.isupper() for w in heading) and not first.text.isupper():
        return False  # "CUSTOMER Tejidos Sur": a heading set in capitals before the name
    index = next(i for i, w in enumerate(line.words) if w is first)
    return not any(m.start <= index < m.end for m in labels.get(line.index, []))


def _offset(line: Line, cell: list[Word]) -> int:
    return next(i for i, w in enumerate(line.words) if w is cell[0])


def _grow(
    block: Block,
    lines: list[Line],
    start: Line,
    labels: dict[int, list[LabelMatch]],
    skip: set[int],
) -> None:
    """Add the lines under the block's first line whose cell starts at the block's left edge;
    past the block's tax id, a gap wider than any between its lines ends it (the next block,
    the addressee's under the issuer's, follows a blank line)."""
    last = start
    held = any(_holds_tax_id(words) for _, words in block.runs)
    widest = 0.0  # the widest gap between the block's lines so far
    for nxt in lines[start.index + 1 : start.index + 1 + _BLOCK_LINES]:
        if nxt.page != start.page or nxt.index in skip:
            break
        gap = nxt.y0 - last.y1
        if gap > _BLOCK_GAP * max(nxt.height, last.height):
            break
        # Past its tax id, or past a name and an address of two lines, a blank line ends the
        # block: what follows is another block (a form's rows under the issuer's address).
        settled = held or len(block.runs) >= _SETTLED_RUNS
        if settled and gap > widest + _PARAGRAPH_GAP * max(nxt.height, last.height):
            break
        tol = max(nxt.height, 4.0)
        cell = next((c for c in nxt.cells if abs(c.x0 - block.x0) <= 2 * tol), None)
        if cell is None:
            cell = next(
                (
                    c
                    for c in nxt.cells
                    if block.x0 - tol <= c.x0 <= block.x1 + tol and c.x0 >= block.x0 - tol
                ),
                None,
            )
        if cell is None and block.runs:
            # A right-aligned block (a letterhead set flush right): lines ending at its edge.
            cell = next((c for c in nxt.cells if abs(c.x1 - block.x1) <= tol), None)
        if cell is None:
            if block.runs and any(
                c.x1 > block.x0 - tol and c.x0 < block.x1 + tol for c in nxt.cells
            ):
                break
            continue  # nothing in the block's column: a line of the column beside it
        first = _offset(nxt, cell.words)
        if any(
            m.start == first
            and m.kind not in _ADDRESS_LABELS
            and not _opens_own_name(block, nxt, cell.words, m)
            for m in labels.get(nxt.index, [])
        ):
            break  # another party's label, or a field ("Fattura n.", "Data"): the block ended
        if block.runs and _salutation(cell.words):
            break  # "Sr./Sres.", "Messrs": the addressee's block begins
        if len(block.runs) >= 2 and _title_under(cell.words, block.runs[-1][1]):
            break  # an address does not go on in large type: a title under it ("FACTURA")
        block.runs.append((nxt.index, cell.words))
        block.x1 = max(block.x1, cell.x1)
        held = held or _holds_tax_id(cell.words)
        widest = max(widest, gap)
        last = nxt


def _title_under(words: list[Word], above: list[Word]) -> bool:
    """Whether text-layer words are set much larger than the line above them (a title under
    an address). OCR's boxes, merged over lines or specks, make no such size."""
    if any(w.confidence < 1.0 for w in [*words, *above]):
        return False
    return _type_size(words) >= _TITLE_SIZE * _type_size(above)


def _opens_own_name(block: Block, line: Line, words: list[Word], label: LabelMatch) -> bool:
    """A weak word of the block's own party opening a name under its heading ("Client Test
    SAS" under "Customer"): no colon after it and more words in its cell."""
    last = line.words[label.end - 1]
    return (
        label.kind == block.kind
        and label.strength < 1.0
        and not last.text.endswith(":")
        and not any(w is last for w in words[-1:])
    )


_PARAGRAPH_GAP = 0.5  # line heights by which a blank line's gap exceeds the block's own
_SETTLED_RUNS = 3


def _holds_tax_id(words: list[Word]) -> bool:
    """Whether a run of words holds a tax id whose check digit holds."""
    return any(hit.valid for hit in find_tax_ids(words))


def _in_block(block: Block, line_index: int, word: Word) -> bool:
    """Whether a word sits on one of the block's lines, within its horizontal extent."""
    return any(i == line_index and block.x0 - 4 <= word.x0 <= block.x1 + 4 for i, _ in block.runs)
