"""Dates written numerically or with month names in Spanish, English, French, German, Italian,
Portuguese and Dutch."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from facturas_assets.documents.extraction.text import fold

_MONTHS: dict[int, tuple[str, ...]] = {
    1: ("enero", "january", "janvier", "januar", "janner", "gennaio", "janeiro", "januari"),
    2: ("febrero", "february", "fevrier", "februar", "febbraio", "fevereiro", "februari"),
    3: ("marzo", "march", "mars", "marz", "marco", "maart"),
    4: ("abril", "april", "avril", "aprile"),
    5: ("mayo", "may", "mai", "maggio", "maio", "mei"),
    6: ("junio", "june", "juin", "juni", "giugno", "junho"),
    7: ("julio", "july", "juillet", "juli", "luglio", "julho"),
    8: ("agosto", "august", "aout", "augustus"),
    9: ("septiembre", "setiembre", "september", "septembre", "settembre", "setembro"),
    10: ("octubre", "october", "octobre", "oktober", "ottobre", "outubro"),
    11: ("noviembre", "november", "novembre", "novembro"),
    12: ("diciembre", "december", "decembre", "dezember", "dicembre", "dezembro"),
}
# Abbreviations: the first three letters of every name, plus the usual irregular ones.
_ABBREVIATIONS: dict[str, int] = {"sept": 9, "set": 9, "okt": 10, "mrt": 3, "mrz": 3, "dez": 12}
MONTH_NAMES: dict[str, int] = {}
for _num, _names in _MONTHS.items():
    for _name in _names:
        MONTH_NAMES[_name] = _num
        _ABBREVIATIONS.setdefault(_name[:3], _num)
for _abbr, _num in _ABBREVIATIONS.items():
    MONTH_NAMES.setdefault(_abbr, _num)

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
            r"(?<![\d.,])(?P<a>[0-3]?\d)(?P<s>[-/.])(?P<b>[0-3]?\d)(?P=s)(?P<y>\d{4}|\d{2})(?![\d,]|\.\d)"
        ),
    ),
    (
        "day_month",  # 15 de marzo de 2024, 15 mars 2024, 15. März 2024, 15-Mar-2024
        re.compile(
            rf"(?<!\d){_DAY}\.?\s*(?:de\s+|-\s*)?(?P<m>{_MONTH_ALT})\.?\s*(?:de\s+|del\s+|,\s*|-\s*)?{_YEAR}(?!\d)"
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
