"""Dates written numerically or with month names in the lexicon's languages (Spanish, Catalan,
Galician, Basque, Portuguese, French, Italian, German, English, Dutch)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from facturas_assets.documents.extraction.lexicon import MONTH_VARIANTS, MONTHS
from facturas_assets.documents.extraction.text import fold

# Full names first, then the first three letters of every name and the usual irregular
# abbreviations; where two languages' abbreviations meet, the first language's month stands.
MONTH_NAMES: dict[str, int] = {}
for _names in MONTHS.values():
    for _num, _name in enumerate(_names, start=1):
        MONTH_NAMES.setdefault(_name, _num)
for _abbr, _num in MONTH_VARIANTS.items():
    MONTH_NAMES.setdefault(_abbr, _num)
for _names in MONTHS.values():
    for _num, _name in enumerate(_names, start=1):
        MONTH_NAMES.setdefault(_name[:3], _num)

_MONTH_ALT = "|".join(sorted(MONTH_NAMES, key=len, reverse=True))
_DAY = r"(?P<d>[0-3]?\d)(?:st|nd|rd|th|er|o|º|°)?"
_YEAR = r"(?P<y>(?:19|20)\d{2})"
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "iso",
        re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})[-/.](?P<m>[01]?\d)[-/.](?P<d>[0-3]?\d)(?!\d)"),
    ),
    (
        "numeric",
        re.compile(
            # a year from 1900 to 2999 (OCR may misread 2025 as 2425, a repair takes it back)
            # or two digits: "24.12.6587" is a serial, no date
            r"(?<![\d.,])(?P<a>[0-3]?\d)(?P<s>[-/.])(?P<b>[0-3]?\d)(?P=s)"
            r"(?P<y>(?:19|2\d)\d{2}|\d{2})(?![\d,]|\.\d)"
        ),
    ),
    (
        # 15 de marzo de 2024, 15 d'abril de 2024, 15 mars 2024, 15. März 2024, 15-Mar-2024
        "day_month",
        re.compile(
            rf"(?<!\d){_DAY}\.?\s*(?:de\s+|d['’]\s*|-\s*)?(?P<m>{_MONTH_ALT})\.?\s*"
            rf"(?:de\s+|del\s+|,\s*|-\s*)?{_YEAR}(?!\d)"
        ),
    ),
    (
        # Basque, year first: 2024ko martxoaren 15a, 2024ko martxoak 15
        "year_month",
        re.compile(
            rf"(?<!\d){_YEAR}(?:e?ko)?\s+(?P<m>{_MONTH_ALT})(?:aren|ren|k)?\s+"
            r"(?P<d>[0-3]?\d)(?:a|ean|an)?(?![\d])"
        ),
    ),
    (
        "month_day",  # March 15, 2024
        re.compile(rf"(?<![a-z])(?P<m>{_MONTH_ALT})\.?\s+{_DAY},?\s+{_YEAR}(?!\d)"),
    ),
]


# Issue dates an invoice may plausibly carry: from 2000 to about a year ahead.
EARLIEST = date(2000, 1, 1)
FUTURE_DAYS = 400


def latest_plausible(today: date | None = None) -> date:
    """The latest plausible issue date, seen from `today`."""
    return (today or date.today()) + timedelta(days=FUTURE_DAYS)


@dataclass(frozen=True, slots=True)
class DateMatch:
    """A date found in a string and its span in the folded text (same length as the input)."""

    value: date
    start: int
    end: int
    ambiguous: bool  # day and month could be swapped (both <= 12)


def _year(raw: str) -> int:
    year = int(raw)
    return year + 2000 if year < 100 else year


def _safe(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def find_dates(text: str, day_first: bool = True) -> list[DateMatch]:
    """Every date in `text`, left to right; `day_first` settles 03/04/2024 (European by default)."""
    folded = fold(text)
    if len(folded) != len(text):
        folded = text.lower()  # keep spans aligned with the input
    found: list[DateMatch] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(folded):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            value, ambiguous = None, False
            if kind == "iso":
                value = _safe(int(m["y"]), int(m["m"]), int(m["d"]))
            elif kind == "numeric":
                a, b, y = int(m["a"]), int(m["b"]), _year(m["y"])
                if a > 12 or (day_first and b <= 12):
                    value = _safe(y, b, a)
                else:
                    value = _safe(y, a, b) or _safe(y, b, a)
                ambiguous = a <= 12 and b <= 12 and a != b
            else:
                value = _safe(int(m["y"]), MONTH_NAMES[m["m"]], int(m["d"]))
            if value is not None:
                found.append(DateMatch(value, m.start(), m.end(), ambiguous))
                taken.append((m.start(), m.end()))
    return sorted(found, key=lambda d: d.start)


def parse_date(text: str, day_first: bool = True) -> date | None:
    """The first date written in `text`, or None."""
    found = find_dates(text, day_first)
    return found[0].value if found else None
