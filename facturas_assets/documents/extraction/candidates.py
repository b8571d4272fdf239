"""Candidate values for the invoice number and issue date from every word of a document.

Labels are not required: every id-like token (and a short series code written before one) and
every date is a candidate, so that a learned scorer (scorer.py) can choose among them by the
labels near them, their shape and their place. The label-anchored values of `fields` are kept as
candidates too, carrying the rule-based score they had.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from facturas_assets.documents.extraction.dates import EARLIEST, find_dates, latest_plausible
from facturas_assets.documents.extraction.fields import (
    Candidate,
    WordlikeNumber,
    digit_groups_after,
    group_text,
    without_glued_word,
)
from facturas_assets.documents.extraction.layout import Line
from facturas_assets.documents.extraction.numbers import find_amounts
from facturas_assets.documents.extraction.text import token_key, words_in_span
from facturas_assets.documents.model import Word

NUMBER, DATE = "invoice_number", "issue_date"
# Punctuation around a token that is never part of an id ("(A-12)", "#123", "CPS/22/061.",
# "¡000006798": a speck OCR read as an inverted mark).
_EDGES = ":;,()[]{}<>«»'\"*|¡¿"
_LEADING = "#—–-_~"
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-/_.]*[A-Za-z0-9]$|^\d+$")
_CENTS = re.compile(r"\d[.,]\d{2}$")
_ZERO_LED = re.compile(r"^0\d")
_SERIES = re.compile(r"^[A-Z][A-Z0-9]{0,4}$")  # "FT", "A", "SER1": a series code written apart
_MAX_ID = 30
# Keys of the number sign as written or read ("Nº", "No.", "n°"): never an id of their own.
_SIGN_KEYS = frozenset({"no", "n", "nr", "num", "nro"})
# Labels of other ids printed right before them ("IBAN ES91 ...", "CIF B123..."): no series code.
_OTHER_ID_KEYS = frozenset(
    {"iban", "bic", "swift", "cif", "nif", "tva", "vat", "ust", "tel", "fax", "ref"}
)


@dataclass(slots=True)
class FieldCandidate:
    """A value for one field and the words it was read from."""

    field: str
    value: str | date
    words: list[Word]
    line: Line
    rule_score: float = 0.0  # the best label-anchored score of this value (0: no label found it)
    qualified: bool = False  # a date whose label names another date ("Fecha servicio")
    ambiguous: bool = False  # a numeric date whose day and month could be swapped
    extra: dict[str, float] = field(default_factory=dict)


def clean_token(text: str) -> str:
    """A word without the punctuation that surrounds ids in print ("#A-12:" -> "A-12"), nor a
    word the space before it was lost to ("R7437-23.emessa": "issued", in lower case)."""
    token = without_glued_word(text.strip(_EDGES)).lstrip(_LEADING).rstrip(".")
    return token.strip(_EDGES)


def is_id_like(token: str) -> bool:
    """A token that may be an invoice number: an id with a digit, not a date, amount or rate."""
    if not 2 <= len(token) <= _MAX_ID or not any(ch.isdigit() for ch in token):
        return False
    if not _ID.match(token) or token_key(token) in _SIGN_KEYS:
        return False
    found = find_dates(token)
    if found and not any(ch.isalpha() for ch in token[: found[0].start]):
        return False  # a date, not an id holding one ("INV/2015/11/22")
    # An amount with cents, unless a zero leads its whole part ("0456.25"): money never does.
    return not (find_amounts(token) and _CENTS.search(token)) or bool(_ZERO_LED.match(token))


def number_candidates(lines: list[Line]) -> list[FieldCandidate]:
    """Every id-like token of the document, and a series code plus the id right after it."""
    out: list[FieldCandidate] = []
    for line in lines:
        for cell in line.cells:
            for i, word in enumerate(cell.words):
                token = clean_token(word.text)
                if not is_id_like(token):
                    continue
                tail = digit_groups_after(cell.words, i)
                spaced = f"{token} {group_text(tail)}" if tail else token
                out.append(FieldCandidate(NUMBER, token, [word], line))
                if tail:
                    out.append(FieldCandidate(NUMBER, spaced, [word, *tail], line))
                if i == 0:
                    continue
                prev = cell.words[i - 1]
                series = clean_token(prev.text)
                close = word.x0 - prev.x1 < (word.y1 - word.y0)
                key = token_key(series)
                labelled = prev.text.endswith(":")  # "REF.: BK/932": a label, not a series
                if (
                    close
                    and not labelled
                    and _SERIES.match(series)
                    and key not in _SIGN_KEYS | _OTHER_ID_KEYS
                ):
                    out.append(FieldCandidate(NUMBER, f"{series} {token}", [prev, word], line))
                    if tail:
                        value = f"{series} {spaced}"
                        out.append(FieldCandidate(NUMBER, value, [prev, word, *tail], line))
    return out


def date_candidates(lines: list[Line]) -> list[FieldCandidate]:
    """Every date written in a cell of the document, ISO 8601's basic format (20260815)
    included."""
    out: list[FieldCandidate] = []
    for line in lines:
        for cell in line.cells:
            text = cell.text
            for found in find_dates(text):
                words = words_in_span(cell.words, found.start, found.end)
                out.append(
                    FieldCandidate(DATE, found.value, words, line, ambiguous=found.ambiguous)
                )
            for word in cell.words:
                value = basic_iso_date(clean_token(word.text))
                if value is not None:
                    out.append(FieldCandidate(DATE, value, [word], line))
    return out


def basic_iso_date(token: str) -> date | None:
    """A plausible date written as eight digits, year first (20260815)."""
    if len(token) != 8 or not token.isdigit() or token[:2] not in ("19", "20"):
        return None
    try:
        value = date(int(token[:4]), int(token[4:6]), int(token[6:]))
    except ValueError:
        return None
    return value if EARLIEST <= value <= latest_plausible() else None


def with_rule_candidates(
    found: list[FieldCandidate], rule: list[Candidate], lines: list[Line], kind: str
) -> list[FieldCandidate]:
    """The candidates with the label-anchored ones of `fields` merged in: a value both found
    takes the rule's best score; a value only the rule found is added at its label's line."""
    best: dict[object, Candidate] = {}
    for cand in rule:
        if cand.kind != kind or (kind == DATE and not isinstance(cand.value, date)):
            continue
        key = str(cand.value) if kind == NUMBER else cand.value
        if key not in best or cand.score > best[key].score:
            best[key] = cand
    seen = set()
    for cand in found:
        key = str(cand.value) if kind == NUMBER else cand.value
        if key in best:
            cand.rule_score = best[key].score
            cand.qualified = best[key].qualified
            seen.add(key)
    for key, cand in best.items():
        if key in seen:
            continue
        line = lines[cand.line]
        # Where the value's words are not found, the label's line stands for them.
        words = _value_words(lines, cand, str(key)) or line.words[:1]
        found.append(
            FieldCandidate(
                kind,
                cand.value,
                words,
                _line_of(lines, words[0], line),
                rule_score=cand.score,
                qualified=cand.qualified,
                extra={"wordlike": float(isinstance(cand.value, WordlikeNumber))},
            )
        )
    return found


def _value_words(lines: list[Line], cand: Candidate, text: str) -> list[Word]:
    """The words on the label's line or the few below it whose text holds the value."""
    first = text.split()[0] if text.split() else text
    for line in lines[cand.line : cand.line + 4]:
        for word in line.words:
            if first and first in word.text:
                return [word]
    return []


def _line_of(lines: list[Line], word: Word, default: Line) -> Line:
    """The line a word belongs to (by identity), near the default one."""
    for line in lines[default.index : default.index + 4]:
        if any(w is word for w in line.words):
            return line
    return default
