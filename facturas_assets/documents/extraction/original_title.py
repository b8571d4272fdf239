""" "Factura original": the corrected invoice's label on a credit note, a title anywhere else.

On a credit note or rectificativa, "Factura original: F-123" names the invoice it corrects,
another id. An ordinary invoice prints "FACTURA ORIGINAL" (against "COPIA") as its title,
often with its own number right after it. The phrase is read by what the document is.
"""

from __future__ import annotations

import re

from facturas_assets.documents.extraction.labels import LabelMatch
from facturas_assets.documents.extraction.layout import Line
from facturas_assets.documents.extraction.text import token_key

# What a correcting document prints (its title, or the sentence naming the invoice it corrects).
_CORRECTING = (
    r"rectificativ|retificativ|rectifica\w*\s+(?:la\s+|a\s+)?fact|retifica\w*\s+(?:a\s+)?fat"
    r"|factura\s+rectificada|abonament|credit\s*note|nota\s+d[ei]\s+cr[eé]dit"
    r"|\bavoir\b|gutschrift|storno|corrects\s+invoice|corrected\s+invoice|korrektur"
)
_CORRECTION = re.compile(_CORRECTING + r"|\babono\b", re.IGNORECASE)
# "Abono" alone also names the account a payment goes to ("cuenta de abono"): as a credit
# note's title it opens a line or follows "factura de" / "nota de".
_CREDIT_NOTE = re.compile(
    _CORRECTING + r"|^\W*abono\b|\b(?:factura|nota)\s+de\s+abono\b", re.IGNORECASE
)
_ORIGINAL = frozenset(
    {
        ("factura", "original"),
        ("fatura", "original"),
        ("facture", "originale"),
        ("fattura", "originale"),
        ("original", "invoice"),
    }
)


def is_credit_note(lines: list[Line]) -> bool:
    """Whether the document is a credit note or a rectificativa by its title or a sentence
    naming the invoice it corrects ("cuenta de abono", a payment's account, is no title)."""
    return any(_CREDIT_NOTE.search(line.text) for line in lines)


def original_as_title(
    lines: list[Line], labels: dict[int, list[LabelMatch]]
) -> dict[int, list[LabelMatch]]:
    """The labels with "factura original" read as the invoice's own number label, unless the
    document corrects another invoice."""
    if any(_CORRECTION.search(line.text) for line in lines):
        return labels
    out = {}
    for index, found in labels.items():
        keys = [token_key(w.text) for w in lines[index].words]
        out[index] = [
            LabelMatch("invoice_number", m.start, m.end, m.strength)
            if m.kind == "other" and tuple(keys[m.start : m.start + 2]) in _ORIGINAL
            else m
            for m in found
        ]
    return out
