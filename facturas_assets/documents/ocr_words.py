"""OCR words mended by the shape of what they spell: words read twice over each other, amounts
split at their decimal sign, specks glued to a word, and O or o read for the zeros of an
amount."""

from __future__ import annotations

import re
from dataclasses import replace

from facturas_assets.documents.model import Page, Word

# An amount with decimals as OCR may spell it: "O" or "o" for 0 ("0,OO€", "1.2O4,50"). Only a
# word of exactly this shape is changed: a code or a name never has it. ("l" for 1 is left: a
# quantity in litres, "0,5l", has the same shape.)
_AMOUNT_SHAPE = re.compile(
    r"^(?P<lead>[-−(]?[€$£]?[-−]?)"
    r"(?P<num>[\dOo]{1,3}(?:[.,\u00a0 ][\dOo]{3})*[.,][\dOo]{2})"
    r"(?P<tail>[€$£%)]?)$"
)
_LOOKALIKES = str.maketrans("Oo", "00")
MIN_TRUE_DIGITS = 1  # an amount needs a digit read as one to be told from a word

# The two halves of an amount Tesseract split at its decimal sign: "861," + "32" or "2.051" +
# ",26€". The left half is all digits and separators; the right half starts with two digits.
_LEFT_WITH_SIGN = re.compile(r"^[-−(]?[€$£]?[-−]?\d[\d.,]*[.,]$")
_RIGHT_CENTS = re.compile(r"^[\dOo]{2}(?:[€$£%)]|EUR|USD|GBP|CHF)?$")
_LEFT_DIGITS = re.compile(r"^[-−(]?[€$£]?[-−]?\d{1,3}(?:[.,]\d{3})*$")
_RIGHT_WITH_SIGN = re.compile(r"^[.,]\d{2}(?:[€$£%)]|EUR|USD|GBP|CHF)?$")
# ... or at a thousands separator: "-€1," + "944.17". The right half is whole groups of three
# digits and cents, its decimal sign the other one than the separator the left half ends in.
_LEFT_THOUSANDS = re.compile(r"^[-−(]?[€$£]?[-−]?\d{1,3}(?:(?P<sep>[.,])\d{3})*(?P<end>[.,])$")
_RIGHT_GROUPS = re.compile(
    r"^\d{3}(?:(?P<sep>[.,])\d{3})*(?P<dec>[.,])\d{2}(?:[€$£%)]|EUR|USD|GBP|CHF)?$"
)
# ... or before it: "1" + ".453,28€", the separator opening the right half.
_LEFT_THOUSAND_DIGITS = re.compile(r"^[-−(]?[€$£]?[-−]?\d{1,3}$")
_RIGHT_SEPARATED_GROUPS = re.compile(
    r"^(?P<first>[.,])\d{3}(?:(?P<sep>[.,])\d{3})*(?P<dec>[.,])\d{2}(?:[€$£%)]|EUR|USD|GBP|CHF)?$"
)
# A speck of a rule or of dust read as a mark glued to a word: "'Agulhas", "~Rolamento", "-1_".
# Only before a capitalised word of letters (a quoted word has its closing quote) or after a
# number; nothing is ever written so.
_SPECK_BEFORE_WORD = re.compile(r"^[~'‘’`_^]+(?=[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+[.,;:]?$)")
_SPECK_AFTER_NUMBER = re.compile(r"(?<=\d)[_~]+$")
# Halves closer than this many word heights are one word (a space is ~0.3 em; between columns
# there are several).
SPLIT_GAP = 0.8


def mend_pages(pages: list[Page]) -> list[Page]:
    """The pages with their OCR words mended (text layers never need it)."""
    return [replace(page, words=mend_words(page.words)) for page in pages]


def mend_words(words: list[Word]) -> list[Word]:
    """One page's OCR words with dots and echoes dropped, split amounts joined, "N" and its
    raised "º" read as one sign, glued specks dropped, O/o in amounts read as zeros, a brace
    opening a reference read as its "f", a currency sign opening one as its letter ("E", "S")
    and a dotted date's colon read as its dot."""
    kept = signs_with_superscripts(join_touching_pieces(without_echoes(without_dots(words))))
    return [
        dots_for_colons(letter_for_sign(f_for_brace(digits_for_letters(without_specks(w)))))
        for w in join_split_amounts(kept)
    ]


# OCR reads a date's dot as a colon or a comma ("07:07.2022"): a day, month and year with one
# dot and one such mark between them is no time, amount or reference, but a dotted date.
_DOTTED_DATE = re.compile(r"^(\d{1,2})([.:,])(\d{1,2})([.:,])((?:19|20)\d{2})$")


def dots_for_colons(word: Word) -> Word:
    """The word with a dotted date's other mark read as the dot it was."""
    match = _DOTTED_DATE.match(word.text)
    if match is None or "." not in (match[2], match[4]) or match[2] == match[4]:
        return word
    return replace(word, text=f"{match[1]}.{match[3]}.{match[5]}")


# A lower-case "f" opening a reference ("f22-7876", a series letter) is read as "{" by OCR: a
# brace before a digit, never closed, is printed in no reference, amount or word.
_BRACE_FOR_F = re.compile(r"^\{(?=\d[\w\-/.]*$)")


# An upper-case "E" opening a reference ("E22004341", a series letter) is read as "£" or "€":
# a sign before six digits or more with neither separator nor cents is no amount.
_SIGN_FOR_E = re.compile(r"^[£€](?=\d{6,}$)")
# An upper-case "S" is read as "$" ("$2025/4096"): no amount has a slash or a hyphen between
# its digits, a reference with a series letter does.
_SIGN_FOR_S = re.compile(r"^\$(?=\d+(?:[/\-]\d+)+$)")


def letter_for_sign(word: Word) -> Word:
    """The word with a currency sign opening a reference read as the letter it was: "E" before
    a long run of bare digits, "S" before digit groups parted by slashes or hyphens."""
    text = _SIGN_FOR_S.sub("S", _SIGN_FOR_E.sub("E", word.text))
    return word if text == word.text else replace(word, text=text)


def f_for_brace(word: Word) -> Word:
    """The word with an unclosed "{" before its digits read as the "f" it looks like."""
    text = _BRACE_FOR_F.sub("f", word.text)
    return word if text == word.text else replace(word, text=text)


# Tesseract at times splits a reference where no space is printed ("r/3 126/ 23" for
# "r/3126/23"): the pieces' boxes touch. A space is some 0.25 em, over a third of a digit's
# height; pieces closer than this share of their height are one word.
TOUCH_GAP = 0.15
_JOINT_LEFT = re.compile(r"[\d/\-.]$")
_JOINT_RIGHT = re.compile(r"^[\d/\-]")


def join_touching_pieces(words: list[Word]) -> list[Word]:
    """Words with the pieces of a number or reference Tesseract split, boxes touching, joined."""
    out: list[Word] = []
    for word in words:
        if out and _touching_pieces(out[-1], word):
            left = out.pop()
            word = _joined(left, word)
        out.append(word)
    return out


def _touching_pieces(left: Word, right: Word) -> bool:
    """Whether `right` continues `left` with no space between: same line, boxes touching, and
    digits or a separator on both sides of the joint."""
    if left.page != right.page or not (
        _JOINT_LEFT.search(left.text) and _JOINT_RIGHT.match(right.text)
    ):
        return False
    if not (left.text[-1].isdigit() or right.text[0].isdigit()):
        return False  # "-" then "/": no digit at the joint, nothing says it is a number
    height = max(left.y1 - left.y0, right.y1 - right.y0, 1.0)
    same_line = abs((left.y0 + left.y1) - (right.y0 + right.y1)) / 2 <= 0.3 * height
    return same_line and -0.2 * height <= right.x0 - left.x1 <= TOUCH_GAP * height


# The raised "º" of a large "Nº" is read as letters of its own ("N re)"): a short word without
# digits right after a lone "N", its bottom this share of the N's height above the N's.
RAISED = 0.2
_SUPERSCRIPT_CHARS = 3
_SIGN_LETTERS = ("N", "n")


def signs_with_superscripts(words: list[Word]) -> list[Word]:
    """Words with a lone "N" and the raised letters OCR read for its "º" made one "Nº"."""
    signs = [w for w in words if w.text in _SIGN_LETTERS]
    merged: dict[int, Word] = {}
    dropped: set[int] = set()
    for sign in signs:
        raised = next((w for w in words if _superscript_of_sign(sign, w)), None)
        if raised is not None and id(raised) not in dropped:
            merged[id(sign)] = replace(_joined(sign, raised), text=sign.text + "º")
            dropped.add(id(raised))
    if not merged:
        return words
    return [merged.get(id(w), w) for w in words if id(w) not in dropped]


def _superscript_of_sign(sign: Word, word: Word) -> bool:
    """Whether `word` is the raised "º" of `sign`, a lone N, as OCR read it."""
    if sign.page != word.page:
        return False
    if len(word.text) > _SUPERSCRIPT_CHARS or any(ch.isdigit() for ch in word.text):
        return False
    height = max(sign.y1 - sign.y0, 1.0)
    raised = word.y1 <= sign.y1 - RAISED * height and word.y0 < sign.y0 + RAISED * height
    return raised and 0 <= word.x0 - sign.x1 <= 0.5 * height


def _joined(left: Word, right: Word) -> Word:
    """One word of two neighbours on a line, its confidence the lesser of theirs."""
    return Word(
        text=left.text + right.text,
        x0=left.x0,
        y0=min(left.y0, right.y0),
        x1=right.x1,
        y1=max(left.y1, right.y1),
        page=right.page,
        confidence=min(left.confidence, right.confidence),
    )


# Tesseract at times reads a piece of a large or bold word a second time, its box over the
# word's own ("INV/2022/09/4113" with "/09/" over its middle and "INV/" over its start, on a
# line of its own). Two words never share ink: a word lying on another that spells it is an
# echo. Share of the echo's width the word must cover:
ECHO_COVER = 0.8


# A letter or digit read in a dot of ink or dust ("1" in a box 1 pt high beside 6 pt text): no
# glyph of the page's text, superscripts and small print included, is a third of its height.
DOT_HEIGHT = 0.34
_DOT_CHARS = 2  # a dot is read as one or two characters at most


def without_dots(words: list[Word]) -> list[Word]:
    """The words less letters or digits read in a dot, far shorter than the page's text."""
    heights = sorted(w.y1 - w.y0 for w in words if any(ch.isalnum() for ch in w.text))
    if not heights:
        return words
    least = DOT_HEIGHT * heights[len(heights) // 2]
    return [
        w for w in words if len(w.text) > _DOT_CHARS or not w.text.isalnum() or w.y1 - w.y0 >= least
    ]


def without_echoes(words: list[Word]) -> list[Word]:
    """The words less those read again over a longer word that spells them (see ECHO_COVER)."""
    ordered = sorted(words, key=lambda w: w.y0)
    echoes: set[int] = set()
    for i, word in enumerate(ordered):
        for other in ordered[i + 1 :]:
            if other.y0 >= word.y1:
                break  # sorted by top: no later word reaches this one's lines
            if _echo_of(word, other):
                echoes.add(id(word))
            elif _echo_of(other, word):
                echoes.add(id(other))
    if not echoes:
        return words
    return [w for w in words if id(w) not in echoes]


def _echo_of(echo: Word, word: Word) -> bool:
    """Whether `echo` lies on `word` (boxes overlapping, covered across its width) and spells
    part of it."""
    if echo.page != word.page or len(echo.text) >= len(word.text) or echo.text not in word.text:
        return False
    if min(echo.y1, word.y1) <= max(echo.y0, word.y0):
        return False
    covered = min(echo.x1, word.x1) - max(echo.x0, word.x0)
    return covered >= ECHO_COVER * max(echo.x1 - echo.x0, 1.0)


def without_specks(word: Word) -> Word:
    """The word without a speck glued before its capital letter or after its number."""
    text = _SPECK_AFTER_NUMBER.sub("", _SPECK_BEFORE_WORD.sub("", word.text))
    return word if text == word.text or not text else replace(word, text=text)


def digits_for_letters(word: Word) -> Word:
    """The word with O/o read as zeros when it is otherwise an amount with decimals."""
    match = _AMOUNT_SHAPE.match(word.text)
    if match is None or sum(ch.isdigit() for ch in match["num"]) < MIN_TRUE_DIGITS:
        return word
    num = match["num"].translate(_LOOKALIKES)
    if num == match["num"]:
        return word
    return replace(word, text=f"{match['lead']}{num}{match['tail']}")


def join_split_amounts(words: list[Word]) -> list[Word]:
    """Words with each amount split at its decimal sign joined back into one word."""
    out: list[Word] = []
    for word in words:
        if out and _halves_of_one_amount(out[-1], word):
            word = _joined(out.pop(), word)
        out.append(word)
    return out


def _split_at_thousands(left: str, right: str) -> bool:
    """Whether two words are an amount split after a thousands separator ("1," + "944.17")
    or before it ("1" + ".453,28€"): every separator of both halves the same, the decimal sign
    the other one."""
    head, tail = _LEFT_THOUSANDS.match(left), _RIGHT_GROUPS.match(right)
    if head is not None and tail is not None:
        separators = {head["end"], head["sep"], tail["sep"]} - {None}
        return len(separators) == 1 and tail["dec"] not in separators
    rest = _RIGHT_SEPARATED_GROUPS.match(right)
    if _LEFT_THOUSAND_DIGITS.match(left) is None or rest is None:
        return False
    separators = {rest["first"], rest["sep"]} - {None}
    return len(separators) == 1 and rest["dec"] not in separators


def _halves_of_one_amount(left: Word, right: Word) -> bool:
    """Whether `right` continues the amount `left` began, on the same line, a space apart."""
    shapes = (
        (_LEFT_WITH_SIGN.match(left.text) and _RIGHT_CENTS.match(right.text))
        or (_LEFT_DIGITS.match(left.text) and _RIGHT_WITH_SIGN.match(right.text))
        or _split_at_thousands(left.text, right.text)
    )
    if not shapes or left.page != right.page:
        return False
    height = max(left.y1 - left.y0, right.y1 - right.y0, 1.0)
    same_line = abs((left.y0 + left.y1) - (right.y0 + right.y1)) / 2 <= 0.5 * height
    return same_line and -0.2 * height <= right.x0 - left.x1 <= SPLIT_GAP * height
