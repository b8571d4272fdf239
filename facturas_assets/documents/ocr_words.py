"""OCR words mended by the shape of what they spell: amounts split at their decimal sign,
specks glued to a word, and O or o read for the zeros of an amount."""

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
    """One page's OCR words with split amounts joined, glued specks dropped and O/o in
    amounts read as zeros."""
    return [digits_for_letters(without_specks(w)) for w in join_split_amounts(words)]


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
            left = out.pop()
            word = Word(
                text=left.text + word.text,
                x0=left.x0,
                y0=min(left.y0, word.y0),
                x1=word.x1,
                y1=max(left.y1, word.y1),
                page=word.page,
                confidence=min(left.confidence, word.confidence),
            )
        out.append(word)
    return out


def _halves_of_one_amount(left: Word, right: Word) -> bool:
    """Whether `right` continues the amount `left` began, on the same line, a space apart."""
    shapes = (_LEFT_WITH_SIGN.match(left.text) and _RIGHT_CENTS.match(right.text)) or (
        _LEFT_DIGITS.match(left.text) and _RIGHT_WITH_SIGN.match(right.text)
    )
    if not shapes or left.page != right.page:
        return False
    height = max(left.y1 - left.y0, right.y1 - right.y0, 1.0)
    same_line = abs((left.y0 + left.y1) - (right.y0 + right.y1)) / 2 <= 0.5 * height
    return same_line and -0.2 * height <= right.x0 - left.x1 <= SPLIT_GAP * height
