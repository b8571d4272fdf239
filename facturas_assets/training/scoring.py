"""The champion's scores on the test split, shaped as the ETL's tables for the feature baseline."""

from typing import Any

import numpy as np
import pandas as pd

from facturas_assets.training.dataset_store import TrainingData

SCORE_QUANTILES = (0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99)


def invoice_frames(
    data: TrainingData, categories: list[str], confidences: np.ndarray
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """`invoices` and `invoice_lines`-shaped frames for the test split, scored by the champion."""
    records = {r["sha256"]: r for r in data.invoices}
    invoices: list[dict[str, Any]] = []
    lines: list[dict[str, Any]] = []
    for sha, category, confidence in zip(data.test.sha256, categories, confidences, strict=True):
        rec = records.get(sha, {"sha256": sha, "lines": [], "warnings": []})
        invoices.append(
            {
                "sha256": sha,
                "total": rec.get("total"),
                "net_total": rec.get("net_total"),
                "tax_total": rec.get("tax_total"),
                "category": category,
                "category_confidence": float(confidence),
                "read_method": rec.get("read_method"),
                "currency": rec.get("currency"),
                "warnings": rec.get("warnings") or [],
            }
        )
        lines += [{"invoice_sha256": sha, **line} for line in rec.get("lines") or []]
    line_frame = pd.DataFrame(
        lines, columns=["invoice_sha256", "quantity", "unit_price", "amount", "description"]
    )
    return pd.DataFrame(invoices), line_frame


def score_summary(scores: np.ndarray) -> dict[str, Any]:
    """Sample size, mean and quantiles of the scores."""
    return {
        "sample_size": int(scores.size),
        "mean": float(scores.mean()) if scores.size else None,
        "quantiles": {str(q): float(np.quantile(scores, q)) for q in SCORE_QUANTILES}
        if scores.size
        else {},
    }
