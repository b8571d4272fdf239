"""Invoice header and line rows for database tests (Spanish text, exact decimals)."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal
from typing import Any


def sha(label: str) -> str:
    """A deterministic sha256 hex digest for a test document."""
    return hashlib.sha256(label.encode()).hexdigest()


def invoice(label: str, category: str = "preventiva", n_lines: int = 3, **fields: Any):
    """One invoice header and its lines; amounts add up, `fields` override header values."""
    digest = sha(label)
    lines = []
    net = Decimal("0.00")
    for no in range(1, n_lines + 1):
        qty = Decimal(no) + Decimal("0.25")
        price = Decimal("123.4567") * no
        amount = (qty * price).quantize(Decimal("0.01"))
        net += amount
        lines.append(
            {
                "invoice_sha256": digest,
                "line_no": no,
                "description": f"Revisión del telar nº {no} — {label}",
                "quantity": qty,
                "unit_price": price,
                "amount": amount,
            }
        )
    tax = (net * Decimal("0.21")).quantize(Decimal("0.01"))
    head = {
        "sha256": digest,
        "source_key": f"mes-en-curso/{label}.pdf",
        "category": category,
        "category_confidence": 0.93,
        "read_method": "text",
        "invoice_number": f"F-{label}",
        "issue_date": date(2024, 3, 15),
        "currency": "EUR",
        "net_total": net,
        "tax_total": tax,
        "total": net + tax,
        "seller_name": "Mantenimientos Textiles Peñalara, S.L.",
        "seller_tax_id": "B12345674",
        "buyer_name": "Hilaturas Núñez, S.A.",
        "buyer_tax_id": "A58818501",
        "field_confidence": {"total": 0.99, "issue_date": 0.9},
        "warnings": ["importe en € redondeado"],
    }
    head.update(fields)
    return head, lines


def batch(prefix: str, n: int, n_lines: int = 3) -> tuple[list[dict], list[dict]]:
    """`n` invoices alternating preventiva / correctiva, with their lines."""
    heads, lines = [], []
    for i in range(n):
        category = "preventiva" if i % 2 == 0 else "correctiva"
        head, its_lines = invoice(f"{prefix}-{i}", category, n_lines)
        heads.append(head)
        lines.extend(its_lines)
    return heads, lines
