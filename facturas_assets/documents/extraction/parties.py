"""Seller and buyer: party blocks under their labels (or the letterhead) and their tax ids."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from facturas_assets.documents.extraction.dates import find_dates
from facturas_assets.documents.extraction.labels import INVOICE_WORDS, LabelMatch
from facturas_assets.documents.extraction.layout import Line, median
from facturas_assets.documents.extraction.numbers import find_amounts
from facturas_assets.documents.extraction.taxids import TaxIdHit, find_tax_ids
from facturas_assets.documents.extraction.text import alnum_count, fold, squash
from facturas_assets.documents.model import Party, Word

_LEGAL_FORM = re.compile(
    r"\b(s\.?\s?l\.?\s?u?\.?|s\.?\s?a\.?\s?u?\.?|s\.?\s?coop\.?|sll|gmbh|ag|kg|sarl|sas|s\.?p\.?a\.?|"
    r"s\.?r\.?l\.?|lda\.?|ltd\.?|llc|inc\.?|b\.?v\.?|n\.?v\.?|plc|c\.?b\.?|e\.?u\.?)$",
    re.IGNORECASE,
)
_TITLE_WORDS = {
    *INVOICE_WORDS,
    "original",
    "copia",
    "duplicado",
    "copy",
    "pagina",
    "page",
    "proforma",
    "rectificativa",
    "simplificada",
    "tax",
    "datos",
    "del",
    "de",
}
_BLOCK_LINES = 7
# Labels that may start a line of an address block ("CIF: B1234...", "Tel.").
_ADDRESS_LABELS = {"tax_id", "other"}
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
            cell = _cell_of(line, line.words[label.start])
            rest = [w for w in cell if cell.index(w) >= label.end - _offset(line, cell)]
            last_label_word = line.words[label.end - 1]
            if label.strength < 1.0 and not (last_label_word.text.endswith(":") or not rest):
                continue  # "de", "to", "an" name a party only as "De:" or standing alone
            if (
                label.strength < 1.0
                and not last_label_word.text.endswith(":")
                and _ends_block_above(lines, line, cell)
            ):
                continue  # "DE" under an address is its country, not "De" heading a block
            if label.strength >= 1.0 and _name_with_label_word(line, label, rest, labels):
                rest = [*line.words[label.start : label.end], *rest]  # "Seller Company SAS"
            block = Block(
                label.kind, line.page, cell[0].x0, max(w.x1 for w in cell), label.strength
            )
            rest = [w for w in rest if w.text not in (":", "-")]
            if rest:
                block.runs.append((line.index, rest))
            _grow(block, lines, line, labels, skip)
            if block.runs:
                blocks.append(block)
    return blocks


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
    """Add the lines under the block's first line whose cell starts at the block's left edge."""
    last = start
    for nxt in lines[start.index + 1 : start.index + 1 + _BLOCK_LINES]:
        if nxt.page != start.page or nxt.index in skip:
            break
        if nxt.y0 - last.y1 > _BLOCK_GAP * max(nxt.height, last.height):
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
        if cell is None:
            if block.runs:
                break
            continue
        first = _offset(nxt, cell.words)
        if any(
            m.start == first and m.kind not in _ADDRESS_LABELS for m in labels.get(nxt.index, [])
        ):
            break  # another party's label, or a field ("Fattura n.", "Data"): the block ended
        block.runs.append((nxt.index, cell.words))
        block.x1 = max(block.x1, cell.x1)
        last = nxt


def _is_name(words: list[Word]) -> bool:
    """Whether a run of words can be a company or person name (letters, not a label or value)."""
    text = squash(" ".join(w.text for w in words))
    letters = sum(ch.isalpha() for ch in text)
    if letters < 3 or find_dates(text) or len(find_amounts(text)) and letters < len(text) / 2:
        return False
    if any(ch in text for ch in _NOT_IN_NAMES):
        return False  # a rate's column ("% IVA"), an e-mail address
    keys = {re.sub(r"[^a-z]", "", fold(w.text)) for w in words}
    return not keys <= _TITLE_WORDS and not _garbled_title(text)


# Characters no party name holds: a rate's "%", an e-mail's "@".
_NOT_IN_NAMES = "%@"
_TITLE_PREFIX = 4  # letters of the invoice word a title cut short by a scan still shows


def _garbled_title(text: str) -> bool:
    """The document's title as a scan leaves it: cut short ("FACTU") or its letters spaced
    apart ("FAC TUR E"); only in capitals, as titles are set."""
    letters = re.sub(r"[^a-z]", "", fold(text))
    if not text.isupper() or len(letters) < _TITLE_PREFIX:
        return False
    return any(word.startswith(letters) for word in INVOICE_WORDS)


# A letterhead name OCR was this unsure of is a reading of a logo or a dark band, not a name.
_MIN_NAME_CONFIDENCE = 0.5


def _text_height(words: list[Word]) -> float:
    """The size of a run of words, robust to OCR boxes swollen by a speck or the line above:
    the lower quartile of the heights of its words of two or more letters or digits."""
    heights = sorted(w.y1 - w.y0 for w in words if alnum_count(w.text) >= 2)
    return heights[len(heights) // 4] if heights else median([w.y1 - w.y0 for w in words])


def _unsure(words: list[Word]) -> bool:
    """OCR was unsure of these words, or none of them is a word OCR is sure of ("ra n.")."""
    if sum(w.confidence for w in words) / len(words) < _MIN_NAME_CONFIDENCE:
        return True
    return not any(
        sum(ch.isalpha() for ch in w.text) >= 3 and w.confidence >= _MIN_NAME_CONFIDENCE
        for w in words
    )


def block_name(block: Block, lines: list[Line], labels: dict[int, list[LabelMatch]]) -> str | None:
    """The block's name: its first run that looks like a name and not like a labelled field."""
    for line_index, words in block.runs[:3]:
        if labels.get(line_index) and any(
            m.kind not in ("seller", "buyer") and words[0] is lines[line_index].words[m.start]
            for m in labels[line_index]
        ):
            continue
        if _is_name(words):
            return _clean_name(words)
    return None


def _clean_name(words: list[Word]) -> str:
    return squash(" ".join(w.text for w in words)).strip(" :;,-")


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
        for cell in line.cells:
            if any(b.contains(line.index, cell.words[0]) for b in taken):
                continue
            first = _offset(line, cell.words)
            if any(
                m.start <= first < m.end and m.kind != "seller" for m in labels.get(line.index, [])
            ):
                continue
            if any(m.end <= first and m.kind in _VALUE_FIELDS for m in labels.get(line.index, [])):
                continue  # a number or date beside its label ("FACTURA  A-12")
            if not _is_name(cell.words) or _unsure(cell.words):
                continue
            height = _text_height(cell.words)
            score = height * (1.5 if _LEGAL_FORM.search(cell.text.strip(" ,")) else 1.0)
            score *= 1.0 - 0.5 * line.y0 / page_height
            found.append((score, line, cell.words))
    if not found:
        return None
    _, line, words = _legal_name_over_logo(found)
    block = Block("seller", line.page, words[0].x0, max(w.x1 for w in words), 0.7)
    block.runs.append((line.index, words))
    _grow(block, lines, line, labels, skip)
    return block


_ACRONYM_LETTERS = 6  # a logo's acronym: one word of at most this many capitals and digits


def _acronym(words: list[Word]) -> str | None:
    """The letters of a logo's acronym ("ABC", "T.M.S."): one word of capitals, else None."""
    if len(words) != 1:
        return None
    letters = "".join(ch for ch in words[0].text if ch.isalnum())
    if not 2 <= len(letters) <= _ACRONYM_LETTERS or not letters.isupper():
        return None
    return fold(letters)


def _initials(words: list[Word]) -> str:
    """The first letters of a name's words, legal form and short joining words aside."""
    return "".join(
        fold(w.text)[0]
        for w in words
        if sum(ch.isalpha() for ch in w.text) > 2 and w.text[0].isalnum()
    )


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
            or _initials(f[2]).startswith(acronym)
        )
    ]
    return max(legal, key=lambda f: f[0]) if legal else best


@dataclass(slots=True)
class Parties:
    """The seller and buyer found, with confidences for their names and tax ids."""

    seller: Party
    buyer: Party
    confidence: dict[str, float]


def extract_parties(
    lines: list[Line], labels: dict[int, list[LabelMatch]], skip: set[int]
) -> Parties:
    """Seller and buyer names and tax ids, each tax id attached to the nearest party block."""
    blocks = find_blocks(lines, labels, skip)
    seller_block = next((b for b in blocks if b.kind == "seller"), None)
    buyer_block = next((b for b in blocks if b.kind == "buyer"), None)
    legal: tuple[Block, int] | None = None
    legal_name: str | None = None
    if seller_block is None:
        seller_block = letterhead(lines, labels, skip, blocks)
        legal = footer_legal_name(lines, labels, skip)
        if legal is not None and seller_block is not None:
            top_name = fold(block_name(seller_block, lines, labels) or "")
            if top_name.startswith(fold(block_name(legal[0], lines, labels) or "")):
                legal = None  # the letterhead prints the footer's name, or more of it
    if legal is not None:
        # The sender's legal name, printed in the footer and at the page's top, names the
        # seller, whose block is the top line printing it. A letterhead right under that line
        # (a return-address line over the address window) is the address sent to.
        footer, sender_line = legal
        legal_name = block_name(footer, lines, labels)
        window = (
            seller_block is not None
            and (buyer_block is None or not block_name(buyer_block, lines, labels))
            and _near_below(lines, sender_line, seller_block.runs[0][0])
        )
        if window and seller_block is not None:
            buyer_block = Block(
                "buyer", seller_block.page, seller_block.x0, seller_block.x1, 0.6, seller_block.runs
            )
        seller_block = _sender_block(lines, sender_line, legal_name or "", labels, skip, window)
    hits = _all_tax_ids(lines, labels, skip)
    if buyer_block is None:
        buyer_block = _unlabelled_buyer(hits, lines, labels, skip, seller_block)
    conf: dict[str, float] = {}
    seller, buyer = Party(), Party()
    for party, block, key in ((seller, seller_block, "seller"), (buyer, buyer_block, "buyer")):
        if block is not None:
            party.name = block_name(block, lines, labels)
            if key == "seller" and legal_name:
                party.name = legal_name
            if party.name:
                ocr = min(w.confidence for _, ws in block.runs for w in ws)
                conf[f"{key}.name"] = round(0.9 * block.strength * ocr, 3)
    assigned: dict[str, tuple[float, TaxIdHit]] = {}
    owners = [(hit, *_owner(hit, i, lines, labels, seller_block, buyer_block)) for i, hit in hits]
    # An id inside a party's block is that party's before any id merely near it.
    for hit, owner, strength, inside in sorted(owners, key=lambda o: not o[3]):
        if owner is None or (not inside and owner in assigned):
            continue
        score = strength * (1.0 if hit.valid else 0.4) * min(w.confidence for w in hit.words)
        if owner not in assigned or score > assigned[owner][0] + 0.2:
            assigned[owner] = (score, hit)
    # Ids nobody claimed: the first goes to the party still without one, seller first; one
    # whose check digit fails (only a tax-id label vouches for it) after every valid one.
    for _, hit in sorted(hits, key=lambda h: not h[1].valid):
        if any(h is hit for _, h in assigned.values()):
            continue
        if any(h.value == hit.value for _, h in assigned.values()):
            continue
        for owner in ("seller", "buyer"):
            if owner not in assigned:
                share = 0.5 if hit.valid else 0.2
                assigned[owner] = (share * min(w.confidence for w in hit.words), hit)
                break
    for owner, (score, hit) in assigned.items():
        party = seller if owner == "seller" else buyer
        party.tax_id = hit.value
        conf[f"{owner}.tax_id"] = round(min(score, 1.0), 3)
    return Parties(seller, buyer, conf)


_FOOTER_FROM = 0.8  # share of the page's height below which its footer lies
_TOP_UNTIL = 0.45  # ... and above which its letterhead and address window lie


def footer_legal_name(
    lines: list[Line], labels: dict[int, list[LabelMatch]], skip: set[int]
) -> tuple[Block, int] | None:
    """The issuer's legal name in a registry footer (name, address, register, tax id) that the
    page's top prints too, as a block, with the index of the top line that prints it (the
    letterhead, or a return-address line "Name, street, town" over the address window)."""
    page = (
        [ln for ln in lines if ln.page == lines[0].page and ln.index not in skip] if lines else []
    )
    if not page:
        return None
    bottom = max(ln.y1 for ln in page)
    top = [ln for ln in page if ln.y0 < _TOP_UNTIL * bottom]
    for line in page:
        if line.y0 < _FOOTER_FROM * bottom:
            continue
        for cell in line.cells:
            if not _is_name(cell.words) or _unsure(cell.words) or alnum_count(cell.text) < 4:
                continue
            name = fold(squash(cell.text))
            for up in top:
                if any(_opens(fold(squash(c.text)), name) for c in up.cells):
                    block = Block(
                        "seller", line.page, cell.x0, cell.x1, 0.7, [(line.index, cell.words)]
                    )
                    return block, up.index
    return None


def _sender_block(
    lines: list[Line],
    index: int,
    name: str,
    labels: dict[int, list[LabelMatch]],
    skip: set[int],
    alone: bool,
) -> Block:
    """The seller's block from the top line printing its legal name: the cell holding it, with
    the lines under it unless they are the address window's (`alone`)."""
    line = lines[index]
    key = fold(squash(name))
    cell = next((c for c in line.cells if _opens(fold(squash(c.text)), key)), line.cells[0])
    block = Block("seller", line.page, cell.x0, cell.x1, 0.7, [(index, cell.words)])
    if not alone:
        _grow(block, lines, line, labels, skip)
    return block


def _opens(text: str, name: str) -> bool:
    """Whether `text` is `name`, or starts with it followed by a separator ("Name, street")."""
    return text.startswith(name) and (len(text) == len(name) or not text[len(name)].isalnum())


def _near_below(lines: list[Line], above: int, below: int) -> bool:
    """Whether line `below` follows line `above` closely (no more than two lines between)."""
    return 0 < below - above <= 2 and lines[below].page == lines[above].page


def _unlabelled_buyer(
    hits: list[tuple[int, TaxIdHit]],
    lines: list[Line],
    labels: dict[int, list[LabelMatch]],
    skip: set[int],
    seller: Block | None,
) -> Block | None:
    """An address block without a label, found from its tax id upwards (name on top)."""
    for line_index, hit in hits:
        word = hit.words[0]
        if not hit.valid or (seller is not None and _in_block(seller, line_index, word)):
            continue
        block = _block_above(lines, line_index, word, labels, skip)
        if block is None or not block_name(block, lines, labels):
            continue
        if seller is not None and block.runs[0][0] <= seller.runs[0][0]:
            continue  # level with the letterhead: the seller's own address column
        return block
    return None


def _in_block(block: Block, line_index: int, word: Word) -> bool:
    """Whether a word sits on one of the block's lines, within its horizontal extent."""
    return any(i == line_index and block.x0 - 4 <= word.x0 <= block.x1 + 4 for i, _ in block.runs)


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
    x0 = cell[0].x0
    runs = [(line_index, cell)]
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
        if any(m.start == first and m.kind != "tax_id" for m in labels.get(k, [])):
            break
        runs.insert(0, (k, aligned.words))
        last = up
        if len(runs) > _BLOCK_LINES:
            break
    if len(runs) < 2:
        return None
    x1 = max(w.x1 for _, ws in runs for w in ws)
    return Block("buyer", line.page, x0, x1, 0.6, runs)


def _all_tax_ids(
    lines: list[Line], labels: dict[int, list[LabelMatch]], skip: set[int]
) -> list[tuple[int, TaxIdHit]]:
    out: list[tuple[int, TaxIdHit]] = []
    for line in lines:
        if line.index in skip:
            continue
        tax_labels = [m for m in labels.get(line.index, []) if m.kind == "tax_id"]
        after = tax_labels[0].end if tax_labels else len(line.words)
        values = _field_values(line, labels.get(line.index, []))
        for hit in find_tax_ids(line.words[:after]):
            if not any(w is v for w in hit.words for v in values):
                out.append((line.index, hit))
        if after < len(line.words):
            out.extend((line.index, h) for h in find_tax_ids(line.words[after:], labelled=True))
    return out


# Fields whose value, right after its label, is never a tax id ("Facture n° 2007-99123").
_VALUE_FIELDS = ("invoice_number", "issue_date")


def _field_values(line: Line, line_labels: list[LabelMatch]) -> list[Word]:
    """The first word after each number or date label of a line (its value)."""
    out = []
    for m in line_labels:
        if m.kind in _VALUE_FIELDS and m.strength >= 1.0:
            after = [w for w in line.words[m.end :] if any(ch.isalnum() for ch in w.text)]
            out.extend(after[:1])
    return out


def _owner(
    hit: TaxIdHit,
    line_index: int,
    lines: list[Line],
    labels: dict[int, list[LabelMatch]],
    seller: Block | None,
    buyer: Block | None,
) -> tuple[str | None, float, bool]:
    """Which party a tax id belongs to, how sure, and whether its block holds it (else it is
    the nearest block's)."""
    word = hit.words[-1]
    party_labels = {
        m.kind
        for m in labels.get(line_index, [])
        if m.kind in ("seller", "buyer") and m.strength >= 1.0
    }
    if len(party_labels) == 1:
        return party_labels.pop(), 1.0, True  # "Customer VAT ID:", "USt-IdNr. Kunde:"
    for block in (buyer, seller):
        if block is not None and _in_block(block, line_index, hit.words[0]):
            return block.kind, block.strength, True
    best: tuple[float, str] | None = None
    for block in (seller, buyer):
        if block is None or block.page != word.page:
            continue
        ys = [lines[i].y1 for i, _ in block.runs]
        dy = max(0.0, word.y0 - max(ys), min(lines[i].y0 for i, _ in block.runs) - word.y1)
        dx = max(0.0, block.x0 - word.x1, word.x0 - block.x1)
        dist = dy + dx
        if dist < 60 and (best is None or dist < best[0]):
            best = (dist, block.kind)
    if best is None:
        return None, 0.0, False
    return best[1], 0.7, False
