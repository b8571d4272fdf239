"""An invoice word OCR misread by one letter and was unsure of ("fetura:" for "Fatura:").

The word labels the invoice's number; misread, the number has no label. A word OCR was this
unsure of, of this many letters at least, one letter off one invoice word of the lexicon's (and
off no other), is read as it. Text layers are exact and never mended.
"""

from __future__ import annotations

import re
from dataclasses import replace

from facturas_assets.documents.extraction.lexicon import ALL_INVOICE_WORDS
from facturas_assets.documents.model import Page, Word

UNSURE_WORD = 0.8
_MIN_SLIP_LETTERS = 6
_BARE_WORD = re.compile(r"^(\W*)([^\W\d_]+)(\W*)$")


def invoice_words_mended(pages: list[Page]) -> list[Page]:
    """The OCR'd pages with each unsure invoice word misread by one letter read as it."""
    return [replace(page, words=[invoice_word_for_slip(w) for w in page.words]) for page in pages]


def invoice_word_for_slip(word: Word) -> Word:
    """The word read as the invoice word it misreads by one letter, if it is unsure and that
    word is the only one it may be."""
    match = _BARE_WORD.match(word.text)
    if word.confidence >= UNSURE_WORD or match is None or len(match[2]) < _MIN_SLIP_LETTERS:
        return word
    key = match[2].lower()
    near = [w for w in ALL_INVOICE_WORDS if len(w) == len(key) and _one_letter_off(w, key)]
    if len(near) != 1:
        return word
    letters = near[0].upper() if match[2].isupper() else near[0]
    if match[2][0].isupper() and not match[2].isupper():
        letters = letters.capitalize()
    return replace(word, text=f"{match[1]}{letters}{match[3]}")


def _one_letter_off(a: str, b: str) -> bool:
    return sum(x != y for x, y in zip(a, b, strict=True)) == 1
