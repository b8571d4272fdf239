"""Tax identifiers (Spanish NIF/CIF/NIE, EU VAT numbers) recognised by pattern and check digit."""

from __future__ import annotations

import re
from dataclasses import dataclass

from stdnum.es import cif as es_cif
from stdnum.es import nie as es_nie
from stdnum.es import nif as es_nif
from stdnum.eu import vat as eu_vat
from stdnum.gb import vat as gb_vat

from facturas_assets.documents.model import Word

_STRIP = re.compile(r"[\s.\-/]")
# One label or several joined ("CIF/NIF:"); "P.IVA" also as OCR misreads it ("PAVA", "P.IV").
_LABEL_PREFIX = re.compile(
    r"^(?:(?:n\.?\s?i\.?\s?f\.?|c\.?\s?i\.?\s?f\.?|n\.?\s?i\.?\s?e\.?|vat|tva|ust-?id(?:nr)?|"
    r"p\.?\s?(?:iva|iv|lva|1va|ava)|btw|nipc|tax\s?id)[\s./:#º°-]*)+",
    re.IGNORECASE,
)
# Punctuation around an id, including OCR's reading of a rule or speck beside it (">B4678...").
_EDGE_PUNCTUATION = ":;,()[]<>«»'\"*|"
_SHAPE = re.compile(r"^(?:[A-Z]{2})?[A-Z0-9]{8,13}$")


# A year and a serial either side of a slash ("2023/02482"): an invoice number, never an id
# (a German Steuernummer's slashes part groups of other lengths: "12/345/67890").
_SPLIT_BY_SLASH = re.compile(r"(?<!\d)(?:19|20)\d\d\s?/\s?\d|\d\s?/\s?(?:19|20)\d\d(?!\d)")


def compact(text: str) -> str:
    """A tax id without spaces, dots, dashes or slashes, upper-cased ('es b-1234567-4' -> 'ESB12345674')."""
    return _STRIP.sub("", text).upper()


def is_valid_tax_id(value: str) -> bool:
    """Whether `value` is a Spanish NIF/CIF/NIE or an EU/UK VAT number with correct check digits."""
    v = compact(value)
    if sum(ch.isdigit() for ch in v) < 7 or not _SHAPE.match(v):
        return False
    for module in (es_nif, es_cif, es_nie, eu_vat, gb_vat):
        try:
            if module.is_valid(v):
                return True
        except Exception:  # noqa: BLE001 - stdnum validators may raise on odd input
            continue
    return False


def looks_like_tax_id(value: str) -> bool:
    """Shape only: 8-15 letters/digits with at least 6 digits (an id whose check digit may be off)."""
    v = compact(value)
    return bool(_SHAPE.match(v)) and sum(ch.isdigit() for ch in v) >= 6


@dataclass(frozen=True, slots=True)
class TaxIdHit:
    """A tax id found on a line: its compact value, the words it spans, and whether it validated."""

    value: str
    words: list[Word]
    valid: bool


# Letters OCR reads in place of digits; a repaired id is kept only if its check digit agrees.
_DIGIT_LOOKALIKES = str.maketrans(
    {"O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "S": "5", "Z": "2", "B": "8", "G": "6"}
)


# Digits OCR reads in place of the letters of a country prefix ("1T" for "IT", "E5" for "ES").
_LETTER_LOOKALIKES = {
    "0": "OD",
    "1": "IT",
    "7": "T",
    "5": "S",
    "8": "B",
    "2": "Z",
    "6": "G",
    "4": "A",
}


def repair_ocr(value: str, labelled: bool = False) -> str | None:
    """`value` if it is a valid tax id, else the one valid id that OCR look-alikes give.

    A country prefix read as digits ("17" for "IT") is only repaired when a tax-id label
    vouches for the token: a long run of digits is too often valid by chance.
    """
    if is_valid_tax_id(value):
        return value
    if len(value) < 8 or sum(ch.isdigit() for ch in value) < 5:
        return None
    # Keep the leading letters (country prefix and/or CIF letter), fix the digits after them;
    # a labelled prefix read partly as digits is also tried with those digits as letters.
    found = set()
    heads = {value[:2]}
    if labelled:
        first, second = (_LETTER_LOOKALIKES.get(ch, "") + ch for ch in value[:2])
        heads.update(a + b for a in first for b in second)
    for head in heads:
        for lead in (1, 2, 3):
            middle = value[lead:-1].translate(_DIGIT_LOOKALIKES)
            for last in {value[-1], value[-1].translate(_DIGIT_LOOKALIKES)}:
                candidate = (head + value[2:])[:lead] + middle + last
                if candidate != value and is_valid_tax_id(candidate):
                    found.add(candidate)
    if labelled and not found and is_valid_tax_id(value[1:]):
        found.add(value[1:])  # a stray letter before the id ("SB4678..." for "ESB4678...")
    return found.pop() if len(found) == 1 else None


def _one_token(words: list[Word]) -> bool:
    """Words that can form one id: no lower-case letters ('de 2025 08700' is a date and a
    postcode) and only word-space gaps between them."""
    if any(ch.islower() for w in words[1:] for ch in w.text) or words[0].text[-1:].islower():
        return False
    return all(
        b.x0 - a.x1 < 1.0 * max(a.y1 - a.y0, 1.0) for a, b in zip(words, words[1:], strict=False)
    )


def find_tax_ids(words: list[Word], labelled: bool = False) -> list[TaxIdHit]:
    """Tax ids among a line's words (a number may be split: 'ES B 12345674', 'B-12.345.674').

    With `labelled` (a tax-id label precedes them), shape-only ids are returned too, as invalid.
    """
    hits: list[TaxIdHit] = []
    i = 0
    while i < len(words):
        best: TaxIdHit | None = None
        for span in (4, 3, 2, 1):
            chunk = words[i : i + span]
            if len(chunk) < span or (span > 1 and not _one_token(chunk)):
                continue
            raw = " ".join(w.text for w in chunk).strip(_EDGE_PUNCTUATION)
            if _SPLIT_BY_SLASH.search(raw):
                continue  # an invoice number and its year, no id
            bare = _LABEL_PREFIX.sub("", raw)
            value = repair_ocr(compact(bare), labelled=labelled or bare != raw)
            raw = bare
            if value is not None:
                best = TaxIdHit(value, chunk, True)
                break
        bare = _LABEL_PREFIX.sub("", words[i].text)
        # A label glued to it ("UStID#DE…") vouches for an id as a label before it does.
        vouched = labelled or bare != words[i].text
        if (
            best is None
            and vouched
            and looks_like_tax_id(bare)
            and not _SPLIT_BY_SLASH.search(bare)
        ):
            token = compact(bare.strip(_EDGE_PUNCTUATION))
            best = TaxIdHit(token, [words[i]], False)
        if best:
            hits.append(best)
            i += len(best.words)
        else:
            i += 1
    return hits
