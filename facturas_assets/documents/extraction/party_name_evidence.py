"""What the page shows of a party's name (NameEvidence), for its confidence."""

from __future__ import annotations

from facturas_assets.documents.extraction.labels import LabelMatch
from facturas_assets.documents.extraction.layout import Line
from facturas_assets.documents.extraction.party_blocks import Block, _in_block, _offset
from facturas_assets.documents.extraction.party_confidence import NameEvidence
from facturas_assets.documents.extraction.party_names import _WRAP_SIZE, NameReading
from facturas_assets.documents.extraction.party_words import (
    _LEGAL_FORM,
    _STREET_WORDS,
    _address_line,
    _is_name,
    _text_height,
)
from facturas_assets.documents.extraction.taxids import TaxIdHit
from facturas_assets.documents.extraction.text import token_key
from facturas_assets.documents.model import Word

_SURE_WORD = 0.9  # OCR's certainty of a word it read fairly surely


def _name_evidence(
    role: str,
    block: Block,
    reading: NameReading,
    other: str | None,
    hits: list[tuple[int, TaxIdHit]],
    hit: TaxIdHit | None,
    lines: list[Line],
    labels: dict[int, list[LabelMatch]],
) -> NameEvidence:
    """What the extractor knows of a party's name, for its confidence."""
    words = reading.words
    index = {id(w): ln.index for ln in lines for w in ln.words if any(w is x for x in words)}
    label_inside = any(
        any(lines[i].words[m.start] is w for w in words)
        for i in set(index.values())
        for m in labels.get(i, [])
        if m.kind not in ("seller", "buyer")
    )
    return NameEvidence(
        role=role,
        source=block.source,
        strength=block.strength,
        text=reading.text,
        other=other,
        legal_form=bool(_LEGAL_FORM.search(reading.text.rstrip(" ,"))),
        address_like=_address_line(words) or any(token_key(w.text) in _STREET_WORDS for w in words),
        label_inside=label_inside,
        run=reading.run,
        runs=len(block.runs),
        contact=reading.contact,
        wrapped=len(set(index.values())) > 1,
        name_ocr=min(w.confidence for w in words),
        name_ocr_mean=sum(w.confidence for w in words) / len(words),
        unsure_words=sum(w.confidence < _SURE_WORD for w in words) / len(words),
        block_ocr=min(w.confidence for _, ws in block.runs for w in ws),
        tax_id_inside=any(_in_block(block, i, h.words[0]) for i, h in hits),
        tax_id_valid=hit is not None and hit.valid,
        continues=_continues(lines, labels, words, min(index.values()), -1)
        or _continues(lines, labels, words, max(index.values()), 1),
    )


def _continues(
    lines: list[Line], labels: dict[int, list[LabelMatch]], words: list[Word], at: int, step: int
) -> bool:
    """Whether the line right above (`step` -1) or below (+1) the name's line `at` holds words
    in the name's column and type size that could be more of it (letters, no digits, no label):
    a name that may have been cut at a line break."""
    k = at + step
    if not 0 <= k < len(lines) or lines[k].page != lines[at].page:
        return False
    line, nxt = lines[at], lines[k]
    size = _text_height(words)
    gap = line.y0 - nxt.y1 if step < 0 else nxt.y0 - line.y1
    if gap > size:
        return False
    x0, x1 = min(w.x0 for w in words), max(w.x1 for w in words)
    for cell in nxt.cells:
        if cell.x1 <= x0 or cell.x0 >= x1:
            continue
        first = _offset(nxt, cell.words)
        if any(m.start <= first < m.end for m in labels.get(k, [])) or cell.text.endswith(":"):
            continue
        if any(ch.isdigit() for ch in cell.text) or not _is_name(cell.words):
            continue
        if abs(_text_height(cell.words) - size) <= _WRAP_SIZE * size:
            return True
    return False
