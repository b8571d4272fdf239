"""Human summaries of a batch: the Slack message, the metadata preview."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pandas as pd

from facturas_assets.pipeline.manifest import BatchManifest

PREVIEW_COLUMNS = ["invoice_number", "issue_date", "seller_name", "category", "total", "currency"]


@dataclass(slots=True)
class BatchSummary:
    title: str
    text: str  # plain lines (Slack)
    fields: dict[str, str]
    markdown: str  # a table and a list (the UI renders single newlines as one paragraph)


def preview(invoices: pd.DataFrame, rows: int = 10) -> str:
    """The first invoices of a batch as a markdown table."""
    if invoices.empty:
        return "no invoices"
    return invoices[PREVIEW_COLUMNS].head(rows).astype(str).to_markdown(index=False)


def batch_summary(
    lote: str,
    manifest: BatchManifest,
    invoices: pd.DataFrame,
    quarantined: pd.DataFrame,
    seconds: float,
) -> BatchSummary:
    """What a batch did, in a few lines."""
    by_category = invoices["category"].value_counts().to_dict() if len(invoices) else {}
    reasons = Counter(quarantined["reason"]) if len(quarantined) else Counter()
    # files intake quarantined itself (names it cannot store, symlinks) never reached the tables
    reasons.update(item.quarantine_reason or "intake" for item in manifest.quarantined)
    fields = {
        "documents in": str(len(manifest.items)),
        "preventivas": str(by_category.get("preventiva", 0)),
        "correctivas": str(by_category.get("correctiva", 0)),
        "pending review": str(_pending_review(invoices)),
        "quarantined": str(sum(reasons.values())),
        "duplicates": str(len(manifest.duplicates)),
        "seconds": f"{seconds:.1f}",
    }
    lines = [f"{k}: {v}" for k, v in fields.items()]
    table = ["| what | value |", "|---|---:|", *(f"| {k} | {v} |" for k, v in fields.items())]
    if reasons:
        lines.append(
            "quarantine reasons: " + ", ".join(f"{k} ({v})" for k, v in reasons.most_common())
        )
        table += [
            "",
            "Quarantine reasons:",
            "",
            *(f"- `{k}`: {v}" for k, v in reasons.most_common()),
        ]
    return BatchSummary(
        title=f"Batch {lote} processed",
        text="\n".join(lines),
        fields=fields,
        markdown="\n".join([f"**Batch {lote}**", "", *table]),
    )


def _pending_review(invoices: pd.DataFrame) -> int:
    """Loaded invoices waiting for a person (counted among the loaded, not the quarantined)."""
    if "status" not in invoices.columns:
        return 0
    return int((invoices["status"] == "pending_review").sum())
