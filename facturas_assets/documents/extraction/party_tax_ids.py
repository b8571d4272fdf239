"""Tax ids on the page (telephone numbers and field values aside) and the party each is of."""

from __future__ import annotations

import re

from facturas_assets.documents.extraction.dates import find_dates
from facturas_assets.documents.extraction.labels import LabelMatch, match_field_labels
from facturas_assets.documents.extraction.layout import Line
from facturas_assets.documents.extraction.party_blocks import Block, _in_block
from facturas_assets.documents.extraction.taxids import (
    _EDGE_PUNCTUATION,
    TaxIdHit,
    compact,
    find_tax_ids,
)
from facturas_assets.documents.extraction.text import token_key
from facturas_assets.documents.model import Word


def _all_tax_ids(
    lines: list[Line], labels: dict[int, list[LabelMatch]], skip: set[int]
) -> list[tuple[int, TaxIdHit]]:
    out: list[tuple[int, TaxIdHit]] = []
    for line in lines:
        if line.index in skip:
            out.extend((line.index, hit) for hit in _beside_items(line))
            continue
        tax_labels = [
            m
            for m in labels.get(line.index, [])
            if m.kind == "tax_id" or (m.kind == "tax_total" and _vat_number_after(line, m))
        ]
        after = tax_labels[0].end if tax_labels else len(line.words)
        values = _field_values(line, labels.get(line.index, []))
        for hit in find_tax_ids(line.words[:after]):
            if any(w is v for w in hit.words for v in values) or _phone(line, hit):
                continue
            if len(hit.words) > 1 and any(find_dates(w.text) for w in hit.words):
                continue  # "2024-04-28 8381": a date and a reference side by side
            if not _bank_account(line, hit):
                out.append((line.index, hit))
        if after < len(line.words):
            out.extend((line.index, h) for h in find_tax_ids(line.words[after:], labelled=True))
    return out


# A word shaped like an id that holds letters (a Spanish NIF's or CIF's, a VAT number's country
# prefix): 8 to 14 letters and digits, at least 7 digits, a letter at either end.
_LETTERED_ID = re.compile(r"^(?=(?:\D*\d){7})(?:[A-Z]{1,2}[A-Z0-9]{6,12}|[0-9]{7,12}[A-Z])$")


def _beside_items(line: Line) -> list[TaxIdHit]:
    """Tax ids on a line of the items table, which a column beside the table shares (a
    sidebar printing the issuer's details level with the items): those after a tax-id label
    in their cell, or printed with letters (a country prefix, a NIF's letter), that validate.
    Item codes and bare digit runs there are not taken for ids."""
    out: list[TaxIdHit] = []
    for cell in line.cells:
        texts = [w.text for w in cell.words]
        label = next((m for m in match_field_labels(texts) if m.kind == "tax_id"), None)
        if label is not None:
            out.extend(h for h in find_tax_ids(cell.words[label.end :], labelled=True) if h.valid)
        elif any(_LETTERED_ID.match(compact(t.strip(_EDGE_PUNCTUATION))) for t in texts):
            out.extend(h for h in find_tax_ids(cell.words) if h.valid and h.value[:1].isalpha())
    return out


def _vat_number_after(line: Line, label: LabelMatch) -> bool:
    """Whether a tax's label ("VAT:", "TVA:", "IVA:") is followed by a VAT number, its country
    prefix and digits ("VAT: FR12345678901"), not by an amount: it labels the party's id."""
    if label.end >= len(line.words):
        return False
    token = compact(line.words[label.end].text.strip(_EDGE_PUNCTUATION))
    return token[:2].isalpha() and _LETTERED_ID.match(token) is not None


# An IBAN's first group: its country and check digits ("ES35", "IE41").
_IBAN_HEAD = re.compile(r"^[A-Z]{2}\d{2}$")
_IBAN_GROUP = 4  # characters of an IBAN's groups after its head


def _bank_account(line: Line, hit: TaxIdHit) -> bool:
    """Whether a number read as an id is a bank account's digits: groups of an IBAN ("ES35 0081
    7656 3786 9254 6735"), the id among them or its first group the IBAN's head."""
    words = line.words
    j = next(i for i, w in enumerate(words) if w is hit.words[0])
    while j >= 0:
        text = words[j].text.strip(_EDGE_PUNCTUATION)
        if _IBAN_HEAD.match(text):
            return True
        if len(text) != _IBAN_GROUP or not text.isalnum():
            return False
        j -= 1
    return False


# Words a telephone or fax number follows ("Tel. 900 123 456", "T: 900 654 321"), as keys.
_PHONE_WORDS = frozenset(
    {
        *("tel", "telf", "tlf", "tlfn", "tfno", "tfn", "telefono", "telefon", "telefone"),
        *("telephone", "phone", "ph", "t", "fax", "f", "movil", "mobile", "mob", "tm"),
        *("telemovel", "cell", "handy", "tf", "telefonoa", "telefoon", "tel", "gsm"),
    }
)


def _phone(line: Line, hit: TaxIdHit) -> bool:
    """Whether a number read as an id is a telephone number: the digits of a number opened by
    a "+" country code or by a phone word, in its cell or the one before ("Tel. 900 123 456",
    "Tél | +33 1 23 45 67 89"), with no other word between."""
    at = next(i for i, c in enumerate(line.cells) if any(w is hit.words[0] for w in c.words))
    words = line.cells[at].words
    j = next(i for i, w in enumerate(words) if w is hit.words[0])
    while j >= 0 and _phone_digits(words[j].text):
        if words[j].text.startswith("+"):
            return True
        j -= 1
    if j >= 0:
        return token_key(words[j].text) in _PHONE_WORDS
    before = line.cells[at - 1].words if at else []
    return bool(before) and token_key(before[-1].text) in _PHONE_WORDS


def _phone_digits(text: str) -> bool:
    """A group of a telephone number's digits ("+34", "(030)", "1234-0")."""
    return any(ch.isdigit() for ch in text) and all(ch.isdigit() or ch in "+()-./" for ch in text)


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
