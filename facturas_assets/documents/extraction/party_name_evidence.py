"""What the page shows of a party's name (NameEvidence), for its confidence."""

from __future__ import annotations

import re

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
from facturas_assets.documents.extraction.text import alnum_key, token_key
from facturas_assets.documents.model import Word

_SURE_WORD = 0.9  # OCR's certainty of a word it read fairly surely
_MIN_ECHO = 6  # letters a name needs for its echo elsewhere on the page to mean something
_MIN_DOMAIN = 4  # ... and a domain's name for a match with it
# The name of a domain: after "@", "www." or "://", before its top-level part.
_DOMAIN = re.compile(r"(?:@|\bwww\.|://)([a-z0-9][a-z0-9-]*)\.[a-z]{2,}")


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
        echoed=_echoed(reading.text, lines, set(index.values())),
        domain_match=_domain_match(reading.text, lines),
    )


def _echoed(name: str, lines: list[Line], own: set[int]) -> bool:
    """Whether another line than the name's own prints it again: a party's legal name often
    stands in the header and again in a footer or registry line; a misread one seldom does."""
    key = alnum_key(name)
    return len(key) >= _MIN_ECHO and any(
        key in alnum_key(ln.text) for ln in lines if ln.index not in own
    )


def _domain_match(name: str, lines: list[Line]) -> bool:
    """Whether a web or e-mail domain on the page spells the name, or the name spells it
    ("admin@sanzymora.es" and "Sanz y Mora, S. Coop.")."""
    key = alnum_key(name)
    if len(key) < _MIN_DOMAIN:
        return False
    for ln in lines:
        for found in _DOMAIN.finditer(ln.text.lower()):
            label = alnum_key(found.group(1))
            if len(label) >= _MIN_DOMAIN and (label in key or key in label):
                return True
    return False


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
