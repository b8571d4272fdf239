"""Money amounts and quantities in European and English formats, and currency markers."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

# Currency markers and the ISO code each stands for.
CURRENCY_MARKERS: dict[str, str] = {
    "€": "EUR",
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "$": "USD",
    "us$": "USD",
    "usd": "USD",
    "£": "GBP",
    "gbp": "GBP",
    "chf": "CHF",
    "fr.": "CHF",
    "sfr": "CHF",
}
_CUR = r"(?:€|US\$|\$|£|EUR|USD|GBP|CHF|euros?)"
_MINUS = "-−–"

AMOUNT_RE = re.compile(
    rf"""
    (?<![\w.,/\-−–])
    (?P<open>\()?
    (?P<sign1>[{_MINUS}])?\s?
    (?:(?P<cur1>{_CUR})\s?)?
    (?P<sign2>[{_MINUS}])?
    (?P<num>
        \d{{1,3}}(?:(?P<grp>[.,'\u00a0\u202f ])\d{{3}})(?:(?P=grp)\d{{3}})*(?:[.,]\d{{1,4}})?
      | \d+(?:[.,]\d{{1,4}})?
    )
    (?![\d])(?![.,]\d)(?![-−–/]\d)
    (?:\s?(?P<cur2>{_CUR})(?![A-Za-z]))?
    (?P<sign3>[{_MINUS}])?
    (?P<close>\))?
    (?!\s?%)(?![\w/])
    """,
    re.VERBOSE | re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class AmountMatch:
    """An amount found in a string: value, currency code when marked, and its span."""

    value: Decimal
    currency: str | None
    start: int
    end: int
    has_decimals: bool


def _decimal_of(num: str, decimal_hint: str | None) -> tuple[Decimal, bool] | None:
    """A number string's value and whether it has a decimal part ('1.234' is ambiguous: the
    document's `decimal_hint`, ',' or '.', decides; without one it reads as thousands)."""
    num = num.replace("\u00a0", " ").replace("\u202f", " ").replace("'", " ")
    digits_only = num.replace(" ", "")
    last_dot, last_comma = digits_only.rfind("."), digits_only.rfind(",")
    if last_dot >= 0 and last_comma >= 0:
        dec = "." if last_dot > last_comma else ","
    elif last_dot >= 0 or last_comma >= 0:
        sep = "." if last_dot >= 0 else ","
        parts = digits_only.split(sep)
        if len(parts) > 2 and len(parts[-1]) != 3:
            # "1,318,24": a last group no thousands group can be; OCR read one sign for both.
            digits_only = "".join(parts[:-1]) + "." + parts[-1]
            dec = "."
        elif len(parts) > 2:
            dec = None  # 1.234.567: only thousands separators
        elif len(parts[1]) == 3 and decimal_hint != sep:
            dec = None  # "1.234": thousands unless the document writes decimals with this sign
        else:
            dec = sep
    else:
        dec = None
    if dec is None:
        clean = re.sub(r"[.,\s]", "", digits_only)
    else:
        thousands = "," if dec == "." else "."
        clean = digits_only.replace(thousands, "").replace(" ", "").replace(dec, ".")
    try:
        return Decimal(clean), dec is not None
    except InvalidOperation:
        return None


# OCR reads a decimal comma as a semicolon ("2.272;20 €"); nothing else puts one between digits.
_OCR_DECIMAL_SEMICOLON = re.compile(r"(?<=\d);(?=\d{2}(?!\d))")
# ... and a speck between a currency sign and its amount as a dot ("€.473,30").
_OCR_SPECK_AFTER_CURRENCY = re.compile(r"(?<=[€$£])[.,](?=\d)")
# ... a thousands dot as a colon ("1:422,15"), and a rule's end before an amount as "_".
_OCR_THOUSANDS_COLON = re.compile(r"(?<=\d):(?=\d{3}[.,]\d{2}(?!\d))")
_OCR_RULE_BEFORE = re.compile(r"_+(?=[-−–]?\d)")
# ... and a rate's "%" before its closing parenthesis as "9%" ("Cuota IVA (10,00 9%) 65,53").
_OCR_PERCENT_NINE = re.compile(r"(?<=\d) 9%(?=\))")


def digit_string(value: Decimal) -> str:
    """An amount's digits as printed, its sign and separators aside."""
    return re.sub(r"\D", "", f"{value:f}")


def edge_of(part: str, whole: str) -> bool:
    """True when `part` is the start or the end of the longer `whole` (digits lost at an edge)."""
    return len(part) < len(whole) and (whole.startswith(part) or whole.endswith(part))


def one_digit_off(read: str, true: str) -> bool:
    """True when the digit string `read` is `true` with one digit misread ("1552" for 5552)."""
    return len(read) == len(true) and sum(a != b for a, b in zip(read, true, strict=True)) == 1


def find_amounts(text: str, decimal_hint: str | None = None) -> list[AmountMatch]:
    """Every amount in `text`, left to right (percentages excluded, '(12,00)' and '-12,00' negative)."""
    return list(_amounts(text, decimal_hint))


@lru_cache(maxsize=65536)
def _amounts(text: str, decimal_hint: str | None) -> tuple[AmountMatch, ...]:
    """find_amounts, once per text and hint (one line's text is looked at by many rules)."""
    found: list[AmountMatch] = []
    # OCR slips, replaced by characters of the same length so that spans stay valid.
    text = _OCR_DECIMAL_SEMICOLON.sub(",", text)
    text = _OCR_SPECK_AFTER_CURRENCY.sub(" ", text)
    text = _OCR_THOUSANDS_COLON.sub(".", text)
    text = _OCR_RULE_BEFORE.sub(lambda m: " " * len(m.group()), text)
    text = _OCR_PERCENT_NINE.sub("%  ", text)
    for m in AMOUNT_RE.finditer(text):
        parsed = _decimal_of(m.group("num"), decimal_hint)
        if parsed is None:
            continue
        value, has_dec = parsed
        negative = bool(m.group("sign1") or m.group("sign2") or m.group("sign3"))
        if m.group("open") and m.group("close"):
            negative = True
        cur = m.group("cur1") or m.group("cur2")
        code = CURRENCY_MARKERS.get(cur.lower()) if cur else None
        signed = None if cur else _signed_code_before(text[: m.start()], bool(m.group("close")))
        if signed is not None:
            negative, code = True, signed
        if negative:
            value = -value
        found.append(AmountMatch(value, code, m.start(), m.end(), has_dec))
    return tuple(found)


# A credit's sign before an ISO code the markers do not know ("-AUD 159,43", "(SEK 40.00)").
_SIGNED_CODE = re.compile(rf"(?:(?P<minus>[{_MINUS}])|(?P<open>\())\s?(?P<code>[A-Z]{{3}})\s?$")


def _signed_code_before(before: str, closed: bool) -> str | None:
    """The ISO code printed right before an amount with a minus (or an opening parenthesis the
    amount closes), if one: the amount is negative."""
    m = _SIGNED_CODE.search(before)
    if m is None or m.group("code") not in ISO_4217 or (m.group("open") and not closed):
        return None
    if m.start() > 0 and (before[m.start() - 1].isalnum() or before[m.start() - 1] in "-/"):
        return None  # a hyphenated word or a reference ("REF-ABC 12"), no sign
    return m.group("code")


def parse_amount(text: str, decimal_hint: str | None = None) -> Decimal | None:
    """The single amount written in `text` ('1.234,56 €', '(12,00)', '$1,234.56'), else None."""
    matches = find_amounts(text.strip(), decimal_hint)
    if len(matches) != 1:
        return None
    m = matches[0]
    rest = (text.strip()[: m.start] + text.strip()[m.end :]).strip()
    return m.value if not rest else None


def decimal_style(texts: list[str]) -> str | None:
    """The decimal sign a document uses (',' or '.') judged from its unambiguous numbers."""
    votes: Counter[str] = Counter()
    for text in texts:
        for m in re.finditer(r"\d(?:[.,\s]\d{3})*([.,])(\d{1,2})(?!\d)", text):
            votes[m.group(1)] += 1
        for m in re.finditer(r"\d([.,])\d{3}([.,])\d{1,2}(?!\d)", text):
            if m.group(1) != m.group(2):
                votes[m.group(2)] += 3
    if not votes:
        return None
    (top, count), *rest = votes.most_common()
    return top if not rest or count > rest[0][1] else None


# The active ISO 4217 codes: any of them may be a document's currency (EN 16931 BT-5).
ISO_4217 = frozenset(
    """AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN
    BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD
    FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY
    KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP
    MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR
    RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT
    TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XOF XPF YER ZAR ZMW
    ZWL""".split()  # noqa: SIM905 (a compact table)
)
_MARKED_CODES = frozenset(CURRENCY_MARKERS.values())
# A sign glued to a letter is not money: OCR reads the E of "IBAN ES26" as "£" or "€".
_MARKER = re.compile(r"((?:€|US\$|\$|£)(?![A-Za-z])|\b(?:EUR|USD|GBP|CHF|euros?)\b)", re.IGNORECASE)
# An upper-case three-letter word counts as a currency only where a currency stands: right
# before or after an amount, or after a currency label (so "ALL" or "TOP" in prose does not).
# The amount after a code ends in a digit that no letter or digit follows, and a code after an
# amount runs on into no hyphened letters or digits: "CAD-1M" is an article code, not Canadian
# dollars, whether the quantity or price before it or the amount after it is read with it.
_ISO_BY_AMOUNT = re.compile(
    r"(?<![A-Za-z])([A-Z]{3})\s?[-−]?\d(?:[\d.,' ]*\d)?(?![A-Za-z\d])"
    r"|\d\s?([A-Z]{3})(?![A-Za-z]|[-−][A-Za-z\d])"
)
_ISO_AFTER_LABEL = re.compile(
    r"(?:currency|moneda|divisa|devise|monnaie|w[äa]hrung|valuta|moeda|moneta)\s*[:.]?\s*"
    r"([A-Z]{3})(?![A-Za-z])",
    re.IGNORECASE,
)


def _iso_codes(text: str) -> list[str]:
    """The ISO 4217 codes `text` prints where a currency stands."""
    found = [a or b for a, b in _ISO_BY_AMOUNT.findall(text)] + _ISO_AFTER_LABEL.findall(text)
    return [code.upper() for code in found if code.upper() in ISO_4217]


def currency_of(texts: list[str], prefer: str | None = None) -> tuple[str | None, float]:
    """The currency a document is written in and a confidence, from symbols and ISO codes;
    `prefer` (the parties' country's currency) breaks a tie it is part of."""
    votes: Counter[str] = Counter()
    apart: Counter[str] = Counter()  # signs standing by no amount ("Importe (€)")
    for text in texts:
        for m in _MARKER.finditer(text):
            code = CURRENCY_MARKERS[m.group(1).lower()]
            if m.group(1)[0].isalpha() or _by_amount(text, m.start(), m.end()):
                votes[code] += 1
            elif _standing_alone(text, m.start(), m.end()):
                apart[code] += 1
        # The codes the markers know are counted there already.
        votes.update(c for c in _iso_codes(text) if c not in _MARKED_CODES)
    # A sign by no amount counts only where nothing by an amount says: OCR reads specks and
    # letters as "$" and "£" ("$$$", "£.f." for "f.f."), and a sign is read there anyway.
    votes = votes or apart
    if not votes:
        return None, 0.0
    (top, count), *rest = votes.most_common()
    share = count / sum(votes.values())
    if not rest or count > rest[0][1]:
        return top, round(0.6 + 0.39 * share, 3)
    # A tie is often one true sign against an OCR misreading ("$9100 Roubaix" for a postcode).
    return (prefer, 0.5) if prefer is not None and votes[prefer] == count else (top, 0.4)


def _by_amount(text: str, start: int, end: int) -> bool:
    """Whether a sign at text[start:end] is written against an amount ("€ 12,50", "12,50€")."""
    return bool(_DIGIT_AFTER.match(text, end) or _DIGIT_BEFORE.search(text[:start]))


def _standing_alone(text: str, start: int, end: int) -> bool:
    """Whether a sign is a word of its own, bare or in brackets ("Importe €", "(€)")."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return before in " (" and after in " )"


_DIGIT_AFTER = re.compile(r"\s?[-−]?\d")
_DIGIT_BEFORE = re.compile(r"\d\s?$")


# A rate and the word that introduces the amount it is taken of ("21 %: sobre 3.232,32",
# "20% on 1,000.00", "20 % sur", "22% su", "19 % auf"), a currency sign allowed before it.
# OCR may read a speck after the word as a dot ("sobre. 18.44 €").
RATE_ON_WORDS = r"(?:sobre|s/|on|of|sur|su|auf|von)"
_RATE_ON = re.compile(rf"%\s*:?\s*{RATE_ON_WORDS}\.?\s+(?:[€$£]\s?)?", re.IGNORECASE)


# The Spanish word for "on" before an amount with no rate before it: a rate's label wrapped
# over two lines ("I.V.A. 21,00 %" / "S/ 1.091,41"), the base on the second.
_BASE_ON = re.compile(r"(?:^|(?<=\s))(?:sobre|s/)\.?\s+(?:[€$£]\s?)?", re.IGNORECASE)


def rate_bases(text: str) -> list[tuple[int, int]]:
    """Spans of a rate and the amount it is taken of, in parentheses ("(19.00% of €121.50)",
    "(21 % s/ 100,00)") or not ("IVA 21 %: sobre 3.232,32", or "S/ 1.091,41" under the rate):
    that amount is the base, not the label's value."""
    spans = [
        (m.start(), m.end())
        for m in re.finditer(r"\([^()]*%[^()]*\)", text)
        if find_amounts(m.group())
    ]
    for m in [*_RATE_ON.finditer(text), *_BASE_ON.finditer(text)]:
        # The amount right after the word; a currency sign before it may be read as its own.
        base = next((a for a in find_amounts(text) if m.end() - 2 <= a.start <= m.end()), None)
        if base is not None:
            spans.append((m.start(), base.end))
    return spans
