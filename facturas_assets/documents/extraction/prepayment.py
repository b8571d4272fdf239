"""A prepayment in the totals block: the amount due after it is not the invoice's total.

An invoice may deduct a deposit or an amount paid on account after its total (EN 16931 BT-113
"Paid amount"), then print what is still due (BT-115). That amount is often labelled like a
total ("Amount due", "Net à payer", "Zahlbetrag"), but the invoice's total with tax (BT-112) is
the one before the deduction.
"""

from __future__ import annotations

import re

from facturas_assets.documents.extraction.fields import Candidate
from facturas_assets.documents.extraction.layout import Line
from facturas_assets.documents.extraction.text import fold

# Labels of an amount already paid, per language (folded: lower case, no accents).
PREPAID = (
    # es, ca, gl
    "anticipo",
    "anticipo recibido",
    "entregado a cuenta",
    "entregas a cuenta",
    "pagado a cuenta",
    "bestreta",
    "lliurat a compte",
    "entregat a compte",
    "entregado a conta",
    # pt
    "adiantamento",
    "pago por conta",
    "valor ja pago",
    # fr
    "acompte",
    "acompte verse",
    "acompte recu",
    "deja paye",
    "deja regle",
    # it
    "acconto",
    "acconto ricevuto",
    "anticipo versato",
    "gia pagato",
    # de
    "anzahlung",
    "abzuglich anzahlung",
    "bereits gezahlt",
    "bereits bezahlt",
    "geleistete anzahlung",
    # en
    "deposit",
    "deposit paid",
    "deposit received",
    "less deposit",
    "paid on account",
    "already paid",
    "amount paid",
    "prepaid",
    "prepayment",
)
_PREPAID = re.compile(r"\b(" + "|".join(re.escape(p) for p in PREPAID) + r")\b")


def prepaid_line(line: Line) -> bool:
    """Whether a line states an amount already paid."""
    return bool(_PREPAID.search(fold(line.text)))


def before_prepayment(candidates: list[Candidate], block: list[Line]) -> list[Candidate]:
    """The candidates without the totals printed after a prepayment line of the totals block,
    when a total is printed before it (that earlier one is the invoice's total)."""
    paid = [ln.index for ln in block if prepaid_line(ln)]
    if not paid:
        return candidates
    first = min(paid)
    if not any(c.kind == "total" and c.line < first for c in candidates):
        return candidates
    return [c for c in candidates if not (c.kind == "total" and c.line > first)]
