"""Raw confidence of the seller's and buyer's names: a logistic model on how each was found.

Each name is described by features any layout has: how its block was found (under a label, the
letterhead, a registry footer, an unlabelled block over a tax id, a bare address block), whether
it carries a legal form, whether a tax id stands in its block, whether it equals or contains the
other party's name, its shape (words, digits, capitals, stray characters, accented letters OCR
often misreads, a logo's acronym), whether it reads like an address or holds a field's label,
whether words of its size stand right above or below it (a name cut at a line break), where in
its block it stood, OCR's certainty, and whether the page prints it again elsewhere or spells
it in a web or e-mail domain. The weights live in party_confidence.json beside this
module, written by `bench/bench_party_confidence.py --fit`; without that file the old score
(label strength times OCR's certainty) is kept.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from facturas_assets.documents.extraction.scorer import FieldModel, ScorerFormatError
from facturas_assets.documents.extraction.text import alnum_key

WEIGHTS = Path(__file__).with_name("party_confidence.json")
FORMAT_VERSION = 1
# How the name's block was found (party_blocks.Block.source); "sender": the legal name a registry
# footer and the page's top both print.
SOURCES = ("label", "letterhead", "sender", "window", "tax_id", "address")
FEATURES = (
    *(f"source_{s}" for s in SOURCES),
    *("seller", "strength", "legal_form", "tax_id_inside", "tax_id_valid"),
    *("same_as_other", "contains_other", "other_missing", "words", "length"),
    *("digit_share", "upper_share", "capitalised_share", "odd_share", "address_like"),
    *("label_inside", "run", "runs", "contact", "wrapped", "name_ocr", "block_ocr"),
    *("name_ocr_mean", "unsure_words", "odd_words", "accented", "continues", "one_word"),
    *("acronym", "ends_lower", "seller_echoed", "buyer_echoed"),
    *("seller_domain", "buyer_domain"),
)
_MAX_WORDS = 8
_MAX_RUNS = 8
_MAX_RUN = 3
_ACRONYM_LETTERS = 6
_PLAIN = set(" .,&'-/()")  # characters of names besides letters and digits


@dataclass(frozen=True, slots=True)
class NameEvidence:
    """What the extractor knows of one party's name when it picks it."""

    role: str  # seller | buyer
    source: str  # one of SOURCES
    strength: float  # the block's label strength (1 for a label, less for the others)
    text: str
    other: str | None  # the other party's name
    legal_form: bool
    address_like: bool  # a street word, or opening with a number
    label_inside: bool  # a field label among its words
    run: int  # position of the name's run in its block
    runs: int  # runs of the block
    contact: bool  # an attention line's contact
    wrapped: bool  # the name spans more than one line
    name_ocr: float  # OCR's least certainty of the name's words (1 for a text layer)
    name_ocr_mean: float  # ... its mean over the name's words
    unsure_words: float  # share of the name's words OCR was less than fairly sure of
    block_ocr: float  # ... of the block's words
    tax_id_inside: bool  # a tax id stands in the name's block
    tax_id_valid: bool  # the party's tax id passes its check digit
    continues: bool = False  # name-like words of its size right above or below: cut short?
    echoed: bool = False  # the name printed again on another line (a footer, a registry line)
    domain_match: bool = False  # a web or e-mail domain on the page spells the name


def name_features(e: NameEvidence) -> list[float]:
    """The feature row of one name, in the order of FEATURES."""
    text = e.text
    letters = [ch for ch in text if ch.isalpha()]
    words = text.split()
    mine, other = alnum_key(text), alnum_key(e.other)
    same = bool(mine) and mine == other
    contains = bool(mine and other) and not same and (mine in other or other in mine)
    row = [float(e.source == s) for s in SOURCES]
    row += [float(e.role == "seller"), e.strength, float(e.legal_form)]
    row += [float(e.tax_id_inside), float(e.tax_id_valid), float(same), float(contains)]
    row += [float(not other), float(min(len(words), _MAX_WORDS)), math.log1p(len(text))]
    row += [sum(ch.isdigit() for ch in text) / max(len(text), 1)]
    row += [sum(ch.isupper() for ch in letters) / max(len(letters), 1)]
    row += [sum(w[:1].isupper() for w in words) / max(len(words), 1)]
    odd = sum(not ch.isalnum() and ch not in _PLAIN for ch in text)
    row += [odd / max(len(text), 1), float(e.address_like), float(e.label_inside)]
    row += [float(min(e.run, _MAX_RUN)), float(min(e.runs, _MAX_RUNS)), float(e.contact)]
    row += [float(e.wrapped), e.name_ocr, e.block_ocr, e.name_ocr_mean, e.unsure_words]
    row += [sum(_odd_word(w) for w in words) / max(len(words), 1)]
    row += [float(any(not ch.isascii() for ch in letters)), float(e.continues)]
    row += [float(len(words) == 1), float(_acronym(words)), float(_ends_lower(words, e))]
    # Printed again or spelled by a domain: the seller's mark, but a buyer's name the footer
    # or the web address repeats is often the seller's taken for the buyer's.
    seller = e.role == "seller"
    row += [float(seller and e.echoed), float(not seller and e.echoed)]
    row += [float(seller and e.domain_match), float(not seller and e.domain_match)]
    return row


def _acronym(words: list[str]) -> bool:
    """One word of a few capitals (and digits): a logo's acronym ("MJLC", "T.M.S."), not a
    name."""
    core = "".join(ch for ch in words[0] if ch.isalnum()) if len(words) == 1 else ""
    return 2 <= len(core) <= _ACRONYM_LETTERS and core.isupper()


def _ends_lower(words: list[str], e: NameEvidence) -> bool:
    """The name ends in a word in small letters that is no legal form ("Cooperativa Textil
    de"): a name cut before its end."""
    return len(words) > 1 and words[-1][:1].islower() and not e.legal_form


def _odd_word(word: str) -> bool:
    """A word as OCR slips leave it: letters mixed with digits, a capital after a small letter
    ("Ta1leres", "TaLLeres"), or a hyphen a line break left at its end ("Kettwirk-")."""
    core = word.strip(".,;:()")
    letters = any(ch.isalpha() for ch in core)
    digits = any(ch.isdigit() for ch in core)
    flipped = any(a.islower() and b.isupper() for a, b in zip(core, core[1:], strict=False))
    return (letters and digits) or flipped or (len(core) > 1 and core.endswith("-"))


_recorded: ContextVar[list[tuple[NameEvidence, list[float]]] | None] = ContextVar(
    "party_name_features", default=None
)


@contextmanager
def recording() -> Iterator[list[tuple[NameEvidence, list[float]]]]:
    """Collect the evidence and feature row of every name scored inside the block (fitting)."""
    rows: list[tuple[NameEvidence, list[float]]] = []
    token = _recorded.set(rows)
    try:
        yield rows
    finally:
        _recorded.reset(token)


def load_model(data: dict) -> FieldModel:
    """The model of a weights file's content; ScorerFormatError when it does not fit FEATURES."""
    if data.get("format_version") != FORMAT_VERSION:
        raise ScorerFormatError(f"party weights format {data.get('format_version')}")
    if tuple(data["features"]) != FEATURES:
        raise ScorerFormatError("party weights fitted on other features; refit them")
    return FieldModel(FEATURES, data["model"])


@lru_cache(maxsize=1)
def default_model() -> FieldModel | None:
    """The committed model (None without a weights file)."""
    if not WEIGHTS.exists():
        return None
    return load_model(json.loads(WEIGHTS.read_text(encoding="utf-8")))


def name_confidence(e: NameEvidence) -> float:
    """The raw confidence of one name: the model's probability that it is right."""
    row = name_features(e)
    recorded = _recorded.get()
    if recorded is not None:
        recorded.append((e, row))
    model = default_model()
    if model is None:
        return round(0.9 * e.strength * e.block_ocr, 3)
    return round(float(model.probabilities(np.asarray([row]))[0]), 3)
