"""Header fields by label geometry: the value right of its label on the same line, or below it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from facturas_assets.documents.extraction.column_totals import (
    column_rows,
    heads_column,
    total_row_cell,
)
from facturas_assets.documents.extraction.dates import EARLIEST, find_dates, latest_plausible
from facturas_assets.documents.extraction.labels import INVOICE_WORDS, TOTAL_KINDS, LabelMatch
from facturas_assets.documents.extraction.layout import Cell, Line, x_overlap
from facturas_assets.documents.extraction.lexicon import COLUMN_LABELS, HEADER_LABELS
from facturas_assets.documents.extraction.numbers import (
    CURRENCY_MARKERS,
    ISO_4217,
    find_amounts,
    rate_bases,
)
from facturas_assets.documents.extraction.text import alnum_count, token_key, words_in_span
from facturas_assets.documents.model import Word

SCALAR_KINDS = ("invoice_number", "issue_date", "net_total", "tax_total", "total")
# How far below a label its value may sit, in line heights, and how many lines to look at.
_BELOW_GAP = 2.5
_BELOW_LINES = 3
_UNSURE_CELL = 0.35
_MIN_VALUE_CHARS = 3  # letters/digits of the shortest value under a label ("0,00", "7/22")
# Score factor of a label found inside a sentence (see _in_prose).
_IN_PROSE = 0.4
_RATE = re.compile(r"^\(?\d{1,2}(?:[.,]\d{1,2})?\s?%\)?$")
# A rate in brackets whose "%)" OCR lost ("IVA (21,0"): one decimal at most, no money's cents.
_OPEN_RATE = re.compile(r"^\(\d{1,2}(?:[.,]\d)?$")
_INVOICE_KEYS = frozenset(token_key(w) for w in INVOICE_WORDS)
_ID_TOKEN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-/_.]*[A-Za-z0-9]$|^\d+$")


@dataclass(frozen=True, slots=True)
class Candidate:
    """A value read for a field, where it was found and how sure the reading is."""

    kind: str
    value: Any
    score: float
    line: int  # document-wide line index
    page: int
    y: float
    below: bool
    repaired: str | None = None  # what was restored, e.g. "decimal sign" (see _with_repairs)
    qualified: bool = False  # a date whose label names another date (see _qualified)


def labelled_lines(lines: list[Line], labels: dict[int, list[LabelMatch]]) -> list[Candidate]:
    """Every value found next to a field label, for all scalar fields.

    `lines` is the document's full line list (indexed by Line.index); only lines present in
    `labels` are searched for labels, and only they may hold values.
    """
    out: list[Candidate] = []
    for line in lines:
        if line.index not in labels:
            continue
        for label in labels[line.index]:
            if label.kind not in SCALAR_KINDS:
                continue
            # The surest word of a label vouches for it: OCR is rarely sure of signs like "Nº".
            conf = max(w.confidence for w in line.words[label.start : label.end])
            if _in_prose(line, label):
                conf *= _IN_PROSE
            below = False
            found = _first_value(label.kind, _right_of(line, label, labels[line.index]))
            if found is None:
                found = _first_value(label.kind, _right_on_neighbour(lines, line, label, labels))
            if found is None and label.kind in _PROSE_KINDS:
                found = _first_value(label.kind, _after_wrap(lines, line, label, labels))
            far = found is not None and _far_right(line, label, found[1])
            if found is None or isinstance(found[0], WordlikeNumber) or far:
                # A word without digits right of a label may be the next label of a row of
                # labels (an unknown one) whose values stand below: a number under it wins.
                # So does a value right under the label when the one on its line stands far
                # off in another column (a postcode of the buyer's block).
                label_words = line.words[label.start : label.end]
                under = _first_value(label.kind, _below(lines, line, label_words, labels))
                if under is not None and (
                    found is None or not isinstance(under[0], WordlikeNumber)
                ):
                    found, below = under, True
                if below and label.kind in TOTAL_KINDS:
                    found = _column_total(lines, line, label_words, labels, found)
            if found is None:
                continue
            value, used = found
            if isinstance(value, WordlikeNumber) and label.strength < 1.0:
                continue
            score = (0.9 if below else 1.0) * label.strength * conf
            if isinstance(value, WordlikeNumber):
                score *= 0.5
            score *= min(w.confidence for w in used)
            until = _cell_end(line, label) if below else used[0].x0 if used else float("inf")
            out.append(
                Candidate(
                    label.kind,
                    value,
                    score,
                    line.index,
                    line.page,
                    line.y0,
                    below,
                    qualified=_qualified(line, label, until, labels[line.index]),
                )
            )
    return out


def _column_total(
    lines: list[Line],
    line: Line,
    label_words: list[Word],
    labels: dict[int, list[LabelMatch]],
    found: tuple[Any, list[Word]] | None,
) -> tuple[Any, list[Word]] | None:
    """The value under a totals label, unless the label heads a column of amounts (a table by
    rate): then the column's amount on its total row, or none (see column_totals)."""
    rows = column_rows(lines, line, label_words[0].x0, max(w.x1 for w in label_words), labels)
    if not heads_column(rows, labels):
        return found
    cell = total_row_cell(rows, labels)
    return None if cell is None else _first_value("total", [cell.words])


def _far_right(line: Line, label: LabelMatch, used: list[Word]) -> bool:
    """An invoice number or date read in another cell of the label's line, far right of it."""
    if label.kind not in _HEAD_KINDS or not used:
        return False
    last = line.words[label.end - 1]
    own = next(c for c in line.cells if any(w is last for w in c.words))
    if any(w is used[0] for w in own.words):
        return False
    return used[0].x0 - last.x1 > _FAR_RIGHT * line.height


_HEAD_KINDS = frozenset({"invoice_number", "issue_date"})
# A value this many line heights right of its label, in another cell, may be another block's.
_FAR_RIGHT = 12.0


def _first_value(kind: str, runs: list[list[Word]]) -> tuple[Any, list[Word]] | None:
    """The value of the first run of words that holds one, and the words it used; for an
    amount, the first one written with cents, when an earlier run holds only a number without
    ("Cuota IVA (2£, 6   549,59 €": a garbled rate before the amount)."""
    first = None
    for run in runs:
        value, used = _parse(kind, run)
        if value is None:
            continue
        if kind not in TOTAL_KINDS or (
            not isinstance(value, Garbled) and value.as_tuple().exponent < 0
        ):
            return value, used
        first = first or (value, used)
    return first


def _right_of(line: Line, label: LabelMatch, line_labels: list[LabelMatch]) -> list[list[Word]]:
    """Word runs right of a label: the rest of its cell, else the next cell if it is no label."""
    label_starts = {id(line.words[m.start]) for m in line_labels}
    cell_no = max(
        n for n, c in enumerate(line.cells) if c.words[0].x0 <= line.words[label.start].x0
    )
    cell = line.cells[cell_no]
    last = line.words[label.end - 1]
    rest = [w for w in cell.words if w.x0 > last.x0]
    # stop at the next label inside the same cell ("Base 100,00 IVA 21,00")
    later = [
        m
        for m in line_labels
        if m.start >= label.end and m.strength >= 1.0 and m.kind not in ("seller", "buyer")
    ]
    if later:
        cut = line.words[later[0].start]
        rest = [w for w in rest if w.x0 < cut.x0]
    runs = [rest] if rest else []
    if not later or line.words[later[0].start].x0 > cell.x1:
        # The next cells holding letters or digits, up to another label: a lone "-" or "."
        # between is OCR noise.
        for following in line.cells[cell_no + 1 :]:
            if id(following.words[0]) in label_starts:
                break
            if any(ch.isalnum() for ch in following.text):
                runs.append(following.words)
    return runs


# Share of the shorter of a label's and a value's heights that a value split onto the next or
# previous line must still cover: either box may be the one a rule's specks swelled.
_SPLIT_OVERLAP = 0.5


def _right_on_neighbour(
    lines: list[Line], line: Line, label: LabelMatch, labels: dict[int, list[LabelMatch]]
) -> list[list[Word]]:
    """The value right of a label that a scan put on the line above or below (a box swollen
    by a rule's specks, a skewed page): the first cell right of the label that covers most of
    the shorter box's height and is not preceded on its own line by a label of its own; of
    the two neighbours, the one whose cell covers more."""
    label_words = line.words[label.start : label.end]
    top, bottom = min(w.y0 for w in label_words), max(w.y1 for w in label_words)
    right = max(w.x1 for w in label_words)
    best: tuple[float, list[Word]] | None = None
    for k in (line.index - 1, line.index + 1):
        if not 0 <= k < len(lines) or k not in labels or lines[k].page != line.page:
            continue
        other = lines[k]
        owned_from = min(
            (other.words[m.start].x0 for m in labels[k]), default=float("inf")
        )  # right of a label of its own line, a cell is that label's value
        for cell in other.cells:
            if cell.x0 <= right or cell.x0 > owned_from:
                continue
            cell_top, cell_bottom = min(w.y0 for w in cell.words), max(w.y1 for w in cell.words)
            cover = min(bottom, cell_bottom) - max(top, cell_top)
            share = cover / max(min(bottom - top, cell_bottom - cell_top), 1e-6)
            if share >= _SPLIT_OVERLAP:
                if best is None or share > best[0]:
                    best = (share, cell.words)
                break  # the first such cell of this line
    return [best[1]] if best else []


_PROSE_KINDS = ("invoice_number", "issue_date")  # fields a sentence may state


def _after_wrap(
    lines: list[Line], line: Line, label: LabelMatch, labels: dict[int, list[LabelMatch]]
) -> list[list[Word]]:
    """The value a wrapped sentence carries to the next line ("... notre facture n°" then
    "FV-22.07 du ..."): the label ends its cell and a cell of the next line starts where the
    label's cell starts, with no label of its own at its start."""
    first = line.words[label.start]
    cell = next((c for c in line.cells if any(w is first for w in c.words)), None)
    k = line.index + 1
    if cell is None or cell.words[-1] is not line.words[label.end - 1] or k >= len(lines):
        return []
    nxt = lines[k]
    if nxt.page != line.page or nxt.y0 - line.y1 > line.height:
        return []
    # The cell under the label's (a column of its own may stand left of both: an address).
    offset = 0
    for start in nxt.cells:
        if abs(start.x0 - cell.x0) <= line.height:
            if any(m.start == offset for m in labels.get(k, [])):
                return []
            return [start.words]
        offset += len(start.words)
    return []


def _in_prose(line: Line, label: LabelMatch) -> bool:
    """A label word in the middle of a sentence ("... orden de trabajo nº 18431"), not a label:
    two or more words precede it in its cell."""
    first = line.words[label.start]
    cell = next((c for c in line.cells if any(w is first for w in c.words)), None)
    if cell is None:
        return False
    before = [w for w in cell.words if w.x0 < first.x0]
    return sum(1 for w in before if alnum_count(w.text) >= 2) >= 2


def _qualified(line: Line, label: LabelMatch, until: float, others: list[LabelMatch]) -> bool:
    """A bare weak date label followed by a word before `until` ("Fecha servicio", "Date
    livraison"): the date of something else, unless the lexicon knows the phrase. The same
    label in a second language ("Data / Fecha") qualifies nothing."""
    if label.kind != "issue_date" or label.strength >= 1.0:
        return False
    twins = {
        k for m in others if m.kind == label.kind and m is not label for k in range(m.start, m.end)
    }
    between = [
        w for k, w in enumerate(line.words) if k >= label.end and k not in twins and w.x0 < until
    ]
    return any(sum(ch.isalpha() for ch in w.text) >= 3 for w in between)


def _cell_end(line: Line, label: LabelMatch) -> float:
    """The right edge of the cell a label starts in."""
    first = line.words[label.start]
    return next((c.x1 + 0.1 for c in line.cells if any(w is first for w in c.words)), first.x1)


def _below(
    lines: list[Line], line: Line, label_words: list[Word], labels: dict[int, list[LabelMatch]]
) -> list[list[Word]]:
    """Word runs under a label: same page, close below, overlapping the label horizontally."""
    x0, x1 = label_words[0].x0, max(w.x1 for w in label_words)
    last_y = line.y1
    seen = 0
    for nxt in lines[line.index + 1 : line.index + 1 + 3 * _BELOW_LINES]:
        if nxt.index not in labels:
            break  # a table row, not a value
        if nxt.page != line.page or nxt.y0 - last_y > _BELOW_GAP * line.height:
            break
        values = [c for c in nxt.cells if _could_be_value(c)]
        if not values:
            continue  # a line of specks (a rule under the label) is neither value nor gap
        for cell in values:
            if x_overlap(cell.x0, cell.x1, x0 - 2, x1 + 2) > 0:
                # Only the first thing under a label is its value; another label ends the search,
                # and a cell that opens with a label of its own holds that label's value.
                if _inside_label(cell.words[0], nxt, labels):
                    return []
                words = [w for w in cell.words if not _inside_label(w, nxt, labels)]
                words = _under_own_head(line, label_words, words)
                return [words] if words else []
        last_y = nxt.y1
        seen += 1
        if seen == _BELOW_LINES:
            break
    return []


def _under_own_head(line: Line, label_words: list[Word], words: list[Word]) -> list[Word]:
    """The words of a value cell under a label that stand under it, not under the next head of
    its row ("Invoice # | Invoice Date | Payment Due" over "f22-0680 Mar 9, 2022 Jun 7, 2022"
    set close enough to read as one cell)."""
    x0, x1 = label_words[0].x0, max(w.x1 for w in label_words)
    after = min((c.x0 for c in line.cells if c.x0 > x1), default=None)
    if after is None or words[-1].x0 < after:
        return words
    before = max((c.x1 for c in line.cells if c.x1 < x0), default=float("-inf"))
    return [w for w in words if before < (w.x0 + w.x1) / 2 < after]


def _could_be_value(cell: Cell) -> bool:
    """Not OCR's reading of specks or of a rule ("~", "a", "IA", "non" read at 0 %)."""
    if alnum_count(cell.text) < _MIN_VALUE_CHARS:
        return False
    return sum(w.confidence for w in cell.words) / len(cell.words) >= _UNSURE_CELL


def _inside_label(word: Word, line: Line, labels: dict[int, list[LabelMatch]]) -> bool:
    idx = line.words.index(word)
    return any(m.start <= idx < m.end for m in labels.get(line.index, []))


def _parse(kind: str, words: list[Word]) -> tuple[Any, list[Word]]:
    """The field's value at the start of `words` and the words it used, or (None, [])."""
    if not words:
        return None, []
    if kind == "invoice_number":
        return _invoice_number(words)
    text = " ".join(w.text for w in words)
    if kind == "issue_date":
        found = find_dates(text)
        if not found:
            return _basic_iso_date(words)
        return found[0].value, words_in_span(words, found[0].start, found[0].end)
    # Amounts: skip rates ("21 %") and the base a rate is taken of ("(19% of 121.50)"),
    # prefer the last amount written with decimals.
    bases = rate_bases(text)
    amounts = [
        a
        for a in find_amounts(text)
        if not _RATE.match(text[a.start : a.end].strip())
        and not _OPEN_RATE.match(text[a.start : a.end].strip())
        and not any(s <= a.start and a.end <= e for s, e in bases)
    ]
    if not amounts:
        return _garbled_amount(words)
    with_dec = [a for a in amounts if a.has_decimals]
    if with_dec:
        pick = with_dec[-1]
    elif len(amounts) == 1 and amounts[0].start == 0 and amounts[0].end == len(text):
        pick = amounts[0]  # a whole cell holding a round amount ("£ 10")
    else:
        return None, []  # an integer inside prose is an article number, not money
    return pick.value, words_in_span(words, pick.start, pick.end)


class Garbled(Decimal):
    """The digits of an amount OCR garbled ("17.20625€"): usable only through a repair."""


_GARBLED = re.compile(r"^[-−]?\d[\d.,]*\d\s?(?:€|EUR|\$|£)?$", re.IGNORECASE)


def _garbled_amount(words: list[Word]) -> tuple[Any, list[Word]]:
    """A first word that is all digits and separators yet no valid amount, as its digits."""
    token = words[0].text.strip()
    if not _GARBLED.match(token) or sum(ch.isdigit() for ch in token) < 3:
        return None, []
    if _RATE.match(" ".join(w.text for w in words[:2])):
        return None, []  # a rate ("21,00 %"), not money
    return Garbled(re.sub(r"\D", "", token)), words[:1]


# OCR's readings of the number sign after a label ("Fatura n.2", "N.°", "n9"): never a value.
_SIGN_READING = re.compile(r"^n[.,:]?[2o0°º9*]?[.:]?$", re.IGNORECASE)
# Rule ends, dashes and underscores OCR glues to the start of a value ("—INV-2023-00789").
_LEADING_DASHES = "—–-_~"
# Letters and digits of the shortest number written without digits ("A1" read "Al", "Entwurf").
_MIN_WORDLIKE = 2


class WordlikeNumber(str):
    """An invoice number without a digit ("Entwurf", or "A1" read "Al"): taken only from a
    strong label, and less sure than any number with digits."""


def _invoice_number(words: list[Word]) -> tuple[str | None, list[Word]]:
    """An invoice number: the first token with a digit that is not a date or a money amount.

    A short upper-case series code written apart ("FT 2022/57") is kept as part of it. A
    token without digits is returned as a WordlikeNumber when it is the run's only word.
    """
    prefix: list[Word] = []
    for w in words[:3]:
        # "CPS/22/06112." ends a line; "R7437-23.emessa" lost the space before a word
        token = without_glued_word(w.text.strip(":;,()[]")).lstrip("#").rstrip(".")
        token = token.lstrip(_LEADING_DASHES)
        if not token or token_key(token) in {"no", "n", "nr", "num"} or _SIGN_READING.match(token):
            continue
        if not prefix and token_key(token) in _KIND_WORDS:
            continue  # the kind of invoice between its word and its number ("factura original")
        if len(token) == 1 and token.islower():
            continue  # a speck before the value ("y CPS/25/07121")
        if not any(ch.isdigit() for ch in token) or not _ID_TOKEN.match(token):
            if len(words) == 1 and _wordlike_number(token):
                return WordlikeNumber(token), [w]
            if not prefix and _series_code(token, w.text):
                prefix.append(w)
                continue
            return None, []
        if _is_date(token):
            return None, []
        amount = find_amounts(token) and re.search(r"\d[.,]\d{2}$", token)
        if amount and not (_SERIAL_DOT_YEAR.match(token) and not _priced(words, w)):
            return None, []  # an amount, unless a serial.year with no currency ("0343.24")
        tail = digit_groups_after(words, words.index(w))
        token = " ".join([token, group_text(tail)]) if tail else token
        if prefix and w.x0 - prefix[0].x1 < (w.y1 - w.y0):
            series = prefix[0].text.strip(":;,()[]").lstrip("#")  # "#SF 2025/05466"
            return f"{series} {token}", [prefix[0], w, *tail]
        return token, [w, *tail]
    return None, []


# A lower-case word glued to an id by the dot ending it, its space lost ("R7437-23.emessa").
_GLUED_WORD = re.compile(r"(?<=\d)\.[a-zà-ÿ]{3,}$")


def without_glued_word(token: str) -> str:
    """The token less a lower-case word glued after the digits ending it."""
    return _GLUED_WORD.sub("", token)


def _series_code(token: str, printed: str) -> bool:
    """A series code before a number right of its label: a short upper-case word ("FT"), or a
    lower-case one of two or three letters that is no joining word, label word or abbreviation
    ("sf 2023/01690", not "doc. 1405")."""
    if not token.isalpha():
        return False
    if token.isupper():
        return len(token) <= 4
    plain = token.islower() and not printed.endswith(".")
    return plain and 2 <= len(token) <= 3 and token_key(token) not in _VOCABULARY


# A serial and a two-digit year joined by a dot ("0343.24"): shaped like an amount, yet a
# number right after a number label when no currency goes with it (nor a thousands separator).
_SERIAL_DOT_YEAR = re.compile(r"^\d{3,6}[.]\d{2}$")


def _priced(words: list[Word], word: Word) -> bool:
    """A currency written on the word or on the one right after it: an amount, not a number."""
    after = words[words.index(word) + 1 : words.index(word) + 2]
    for text in (word.text, *(w.text for w in after)):
        bare = text.strip(":;,.()")
        if bare.lower() in CURRENCY_MARKERS or bare.upper() in ISO_4217 or _MARK.search(text):
            return True
    return False


_MARK = re.compile(r"[€$£¥]")
# Words that name a kind of invoice after the invoice word, before its number.
_KIND_WORDS = frozenset(
    {"original", "originale", "ordinaria", "ordinario", "differita", "immediata", "simplificada"}
)
# Widest gap between the digit groups of one number ("A 2025 0613"), in word heights: one space
# (a monospaced space is some 0.6 of the type height).
_GROUP_GAP = 0.7
# The same for OCR'd words, whose boxes hug the digits' ink (some 0.7 em) where a text layer's
# span the type's line (some 1.15 em): 0.7 x 1.15 / 0.7.
_OCR_GROUP_GAP = 1.15
_MIN_GROUP = 3  # digits of a group that continues a number (not "2 de mayo", "1/1")


def digit_groups_after(words: list[Word], i: int) -> list[Word]:
    """The digit groups that continue an all-digit number at `words[i]` across single spaces
    ("2025 0613" in "A 2025 0613"): every next word of digits only, close enough to be one
    space away. A number with its own separators ("2024/118") takes no group."""
    if not words[i].text.strip(":;,.").isdigit():
        return []
    tail: list[Word] = []
    prev = words[i]
    for w in words[i + 1 :]:
        text = w.text.rstrip(".,;")
        gap = _GROUP_GAP if w.confidence >= 1.0 else _OCR_GROUP_GAP
        near = w.x0 - prev.x1 <= gap * (w.y1 - w.y0)
        if not (text.isdigit() and len(text) >= _MIN_GROUP and near):
            break
        tail.append(w)
        prev = w
        if w.text != text:
            break  # "A 2023 8017, emitida ...": the sentence goes on, the number ends here
    return tail


def group_text(words: list[Word]) -> str:
    """The digit groups of a number as printed, without the punctuation ending a sentence."""
    return " ".join(w.text.rstrip(".,;") for w in words)


def ocr_number(number: str, ocr: bool) -> str:
    """A number as printed: on scans, with OCR's look-alike slips in its series and serial
    mended (ocr_series_letters, ocr_serial_digit)."""
    return ocr_serial_digit(ocr_series_letters(number)) if ocr else str(number)


# An "l" among the capitals of a series code before its digits ("Sl-040432"), or a "1" opening
# two capitals or more ("1NV/2024/01/4206"): OCR's reading of an I, since a series code is
# written in capitals (a 1 after capitals, "AB1-2024", may be the series' own digit).
_SERIES_L = re.compile(r"^(?=[A-Z]*l[A-Z]*[-/ .]?\d)([A-Z]*)l([A-Z]*)")
_SERIES_1 = re.compile(r"^1(?=[A-Z]{2,}[-/ .]?\d)")


def ocr_series_letters(number: str) -> str:
    """A number whose series code of capitals OCR read with an "l" or a leading "1" for an "I":
    with the I."""
    text = _SERIES_1.sub("I", str(number))
    m = _SERIES_L.match(text)
    if m is not None and (m.group(1) or m.group(2)):
        text = f"{m.group(1)}I{m.group(2)}{text[m.end() :]}"
    return text if text != number else number


def ocr_serial_digit(number: str) -> str:
    """A digit-less number read by OCR with its last digit read as a look-alike letter ("Al"
    for A1, "Snippetl" for Snippet1): a number's serial ends in a digit."""
    if (
        isinstance(number, WordlikeNumber)
        and len(number) >= _MIN_WORDLIKE
        and number[-1] in "lI|"
        and number[-2].isalpha()
    ):
        return number[:-1] + "1"
    return str(number)


def _wordlike_number(token: str) -> bool:
    """A digit-less token that may be a number: an identifier starting with a capital, not a
    word of the invoice's own vocabulary ("Factura", "Invoice") nor of any label ("N/ PAGAMENTO"
    in a row of head cells is the head of a payment column, not a number)."""
    key = token_key(token)
    return (
        len(token) >= _MIN_WORDLIKE
        and token[0].isupper()
        and bool(_ID_TOKEN.match(token))
        and key not in _INVOICE_KEYS | _VOCABULARY
    )


# Every word of three letters or more in the label lexicon, headers and columns alike.
_LABEL_WORDS = frozenset(
    word
    for table in (HEADER_LABELS, COLUMN_LABELS)
    for phrases in table.values()
    for phrase in phrases
    for word in phrase.split()
    if len(word) >= 3 and word.isalpha()
)


# Words that join others in the lexicon's languages: a head "Del" (Italian "dated") beside
# "Nr." is no number. ("Al" stays out: it is how a scan reads the number A1.)
_FUNCTION_WORDS = frozenset(
    {
        "de", "del", "la", "el", "los", "las", "le", "les", "des", "du", "da", "do", "dos",
        "della", "dello", "dei", "il", "lo", "di", "dal", "der", "die", "das", "den", "dem",
        "vom", "von", "the", "of", "and", "on", "per", "para", "por", "con", "avec", "mit",
        "und", "et", "y", "e", "en", "em", "in", "au", "zu", "am", "from", "to",
    }
)  # fmt: skip
# Words that are vocabulary, never a series code or a digit-less number.
_VOCABULARY = _FUNCTION_WORDS | _LABEL_WORDS


def _is_date(token: str) -> bool:
    """A token that is a date, not one that holds one ("INVOICE/2015/11/22" is a number)."""
    found = find_dates(token)
    return bool(found) and not any(ch.isalpha() for ch in token[: found[0].start])


def _basic_iso_date(words: list[Word]) -> tuple[date | None, list[Word]]:
    """A date written as ISO 8601's basic format (20260815) right by a date label."""
    token = words[0].text.strip(":;,.()")
    if len(token) != 8 or not token.isdigit():
        return None, []
    try:
        value = date(int(token[:4]), int(token[4:6]), int(token[6:]))
    except ValueError:
        return None, []
    return (value, words[:1]) if EARLIEST <= value <= latest_plausible() else (None, [])


def best_date(candidates: list[Candidate]) -> Candidate | None:
    """The issue date: the best-scored labelled date (the first one on ties)."""
    dates = [c for c in candidates if c.kind == "issue_date" and isinstance(c.value, date)]
    # A date under a bare "Fecha" beats one under "Fecha servicio" whatever OCR's certainty.
    return max(dates, key=lambda c: (not c.qualified, c.score, -c.line)) if dates else None


def best_number(candidates: list[Candidate]) -> Candidate | None:
    """The invoice number: the best-scored labelled token (the first one on ties)."""
    nums = [c for c in candidates if c.kind == "invoice_number"]
    return max(nums, key=lambda c: (c.score, -c.line)) if nums else None
