"""Synthetic invoice rows (the `invoices` / `invoice_lines` columns) from a fixed, stable world."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from facturas_assets.drift.features import invoice_features

DESCRIPTIONS = (
    "Revisión preventiva del telar Picanol",
    "Sustitución de rodamientos del eje principal",
    "Ajuste de tensión de urdimbre",
    "Cambio de correa dentada",
    "Mano de obra técnico especialista (horas)",
    "Desplazamiento",
    "Lubricación general y limpieza de la máquina de tricotar circular",
    "Reparación de la placa electrónica del controlador",
    "Kit de juntas",
    "Calibración de sensores de trama y revisión del sistema neumático",
)


def _sha(seed: int, i: int) -> str:
    return hashlib.sha256(f"{seed}-{i}".encode()).hexdigest()


def invoice_frames(
    n: int, seed: int, *, preventive_share: float = 0.6, log_amount_shift: float = 0.0
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """n invoice header rows and their line rows; amounts in euros with two decimals."""
    rng = np.random.default_rng(seed)
    preventive = rng.random(n) < preventive_share
    n_lines = np.where(preventive, rng.poisson(1.5, n), rng.poisson(3.5, n)) + 1
    owner = np.repeat(np.arange(n), n_lines)
    quantity = rng.integers(1, 6, owner.size).astype(float)
    log_price = rng.normal(4.0 + log_amount_shift + 0.6 * (~preventive)[owner], 0.8)
    unit_price = np.round(np.exp(log_price), 2)
    gross = quantity * unit_price
    discount = np.where(rng.random(owner.size) < 0.08, rng.choice([0.05, 0.1, 0.15], owner.size), 0)
    amount = np.round(gross * (1 - discount), 2)
    net = np.round(np.bincount(owner, weights=amount, minlength=n), 2)
    rate = rng.choice([0.21, 0.10, 0.04], size=n, p=[0.85, 0.10, 0.05])
    tax = np.round(net * rate, 2)
    confidence = np.where(preventive, rng.beta(30, 1.5, n), rng.beta(25, 2.0, n))
    warnings = rng.poisson(0.3, n)
    shas = [_sha(seed, i) for i in range(n)]
    heads = pd.DataFrame(
        {
            "sha256": shas,
            "source_key": [f"mes-en-curso/{s[:16]}.pdf" for s in shas],
            "category": np.where(preventive, "preventiva", "correctiva"),
            "category_confidence": np.round(confidence, 6),
            "read_method": rng.choice(["text", "ocr", "einvoice"], size=n, p=[0.6, 0.3, 0.1]),
            "currency": rng.choice(["EUR", "USD", "GBP"], size=n, p=[0.97, 0.02, 0.01]),
            "net_total": net,
            "tax_total": tax,
            "total": np.round(net + tax, 2),
            "warnings": [["importe redondeado"] * int(k) for k in warnings],
        }
    )
    line_no = np.arange(owner.size) - np.repeat(np.cumsum(n_lines) - n_lines, n_lines) + 1
    lines = pd.DataFrame(
        {
            "invoice_sha256": np.asarray(shas)[owner],
            "line_no": line_no,
            "description": rng.choice(DESCRIPTIONS, size=owner.size),
            "quantity": quantity,
            "unit_price": unit_price,
            "amount": amount,
        }
    )
    return heads, lines


def feature_frame(n: int, seed: int, **world: Any) -> pd.DataFrame:
    """The drift features of n synthetic invoices."""
    heads, lines = invoice_frames(n, seed, **world)
    return invoice_features(heads, lines)


def db_rows(heads: pd.DataFrame, lines: pd.DataFrame) -> tuple[list[dict], list[dict]]:
    """The frames as database rows (amounts as Decimal, as the loader receives them)."""

    def money(value: float, places: str) -> Decimal:
        return Decimal(str(value)).quantize(Decimal(places))

    head_rows = []
    for row in heads.to_dict("records"):
        for key in ("net_total", "tax_total", "total"):
            row[key] = money(row[key], "0.01")
        head_rows.append(row)
    line_rows = []
    for row in lines.to_dict("records"):
        row["line_no"] = int(row["line_no"])
        row["quantity"] = money(row["quantity"], "0.0001")
        row["unit_price"] = money(row["unit_price"], "0.0001")
        row["amount"] = money(row["amount"], "0.01")
        line_rows.append(row)
    return head_rows, line_rows
