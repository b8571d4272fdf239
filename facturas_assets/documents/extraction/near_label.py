"""Whether a run of text is a field label OCR misread by a letter ("RECHNUNGSEMPFANGE" for
"Rechnungsempfänger"): such a run looks like a name in capitals but is a heading."""

from __future__ import annotations

from functools import lru_cache

from facturas_assets.documents.extraction.lexicon import ALL_INVOICE_WORDS, HEADER_LABELS
from facturas_assets.documents.extraction.text import alnum_key

MIN_LETTERS = 8  # shorter keys are a letter away from too many words to tell


def _deletions(key: str) -> set[str]:
    """The key with each one of its letters left out."""
    return {key[:i] + key[i + 1 :] for i in range(len(key))}


@lru_cache(maxsize=1)
def _index() -> tuple[frozenset[str], frozenset[str]]:
    """Every label's key of MIN_LETTERS or more, and every key with one letter left out."""
    phrases = [p for ps in HEADER_LABELS.values() for p in ps] + list(ALL_INVOICE_WORDS)
    keys = frozenset(k for k in map(alnum_key, phrases) if len(k) >= MIN_LETTERS)
    return keys, frozenset(d for k in keys for d in _deletions(k))


def near_label(text: str) -> bool:
    """Whether `text` is a label's phrase but for at most one letter lost, added or changed."""
    key = alnum_key(text)
    if len(key) < MIN_LETTERS - 1:
        return False
    keys, deleted = _index()
    if key in keys or key in deleted:  # the label itself, or one letter lost
        return True
    # One letter added (a deletion of ours is a label) or changed (one deletion each matches).
    return any(d in keys or d in deleted for d in _deletions(key))
