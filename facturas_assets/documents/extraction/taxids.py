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
_LABEL_PREFIX = re.compile(
    r"^(?:n\.?\s?i\.?\s?f\.?|c\.?\s?i\.?\s?f\.?|n\.?\s?i\.?\s?e\.?|vat|tva|ust-?id(?:nr)?|p\.?\s?iva|btw|"
    r"nipc|tax\s?id)[\s.:#º°-]*",
    re.IGNORECASE,
)
_SHAPE = re.compile(r"^(?:[A-Z]{2})?[A-Z0-9]{8,13}$")


def compact(text: str) -> str:
    """A tax id without spaces, dots, dashes or slashes, upper-cased ('es b-1234567-4' -> 'ESB12345674')."""
    return _STRIP.sub("", text).upper()


def is_valid_tax_id(value: str) -> bool:
    """Whether `value` is a Spanish NIF/CIF/NIE or an EU/UK VAT number with correct check digits."""
    v = compact(value)
    if not _SHAPE.match(v) or not any(ch.isdigit() for ch in v):
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
            if len(chunk) < span:
                continue
            raw = " ".join(w.text for w in chunk).strip(":;,()[]")
            raw = _LABEL_PREFIX.sub("", raw)
            value = compact(raw)
            if is_valid_tax_id(value):
                best = TaxIdHit(value, chunk, True)
                break
        if best is None and labelled and looks_like_tax_id(_LABEL_PREFIX.sub("", words[i].text)):
            token = compact(_LABEL_PREFIX.sub("", words[i].text).strip(":;,()[]"))
            best = TaxIdHit(token, [words[i]], False)
        if best:
            hits.append(best)
            i += len(best.words)
        else:
            i += 1
    return hits
