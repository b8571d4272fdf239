"""Text normalisation shared by the extraction modules (case, accents, punctuation)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from facturas_assets.documents.model import Word

_SPACES = re.compile(r"\s+")
_NON_KEY = re.compile(r"[^a-z0-9#%]")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower-case text without accents (so 'Descripción' and 'DESCRIPCION' compare equal)."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.replace("ß", "ss").lower()


@lru_cache(maxsize=65536)
def token_key(text: str) -> str:
    """A word's comparison key: folded, letters/digits only ('Nº:' -> 'no', 'P.U.' -> 'pu')."""
    folded = fold(text).replace("º", "o").replace("°", "o").replace("ª", "a")
    return _NON_KEY.sub("", folded)


def alnum_key(text: str | None) -> str:
    """Folded letters and digits only: a name's key across case, accents and punctuation
    ("Sanz y Mora, S. Coop." -> "sanzymorascoop")."""
    return "".join(ch for ch in fold(text or "") if ch.isalnum())


def squash(text: str) -> str:
    """Collapse runs of whitespace into one space and trim."""
    return _SPACES.sub(" ", text).strip()


def alnum_count(text: str) -> int:
    """Letters and digits in a string (OCR specks and rule remnants have few)."""
    return sum(ch.isalnum() for ch in text)


def words_in_span(words: list[Word], start: int, end: int) -> list[Word]:
    """The words of a cell or line whose text overlaps characters [start, end) of its text
    (words joined by one space)."""
    pos, used = 0, []
    for w in words:
        if pos < end and pos + len(w.text) > start:
            used.append(w)
        pos += len(w.text) + 1
    return used or words[:1]
