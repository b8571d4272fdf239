"""Asset checks of a batch: blocking where a wrong row would reach MySQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import dagster as dg
import pandas as pd

from facturas_assets.documents.extraction.tax_extras import allowed_totals
from facturas_assets.pipeline.review import reason_code
from facturas_assets.pipeline.tabulate import BatchTables

TOTALS_TOLERANCE = Decimal("0.01")
EARLIEST_DATE = date(2000, 1, 1)
FUTURE_DAYS = 31
MAX_QUARANTINE_SHARE = 0.2

TABLE_CHECKS = [
    dg.AssetCheckSpec(
        "totals_consistent",
        asset="invoice_tables",
        blocking=True,
        description="net + tax (+ recargo) - withholding = total on every invoice about to be loaded",
    ),
    dg.AssetCheckSpec(
        "unique_invoice_numbers",
        asset="invoice_tables",
        blocking=True,
        description="no invoice number twice for one seller",
    ),
    dg.AssetCheckSpec(
        "dates_in_range",
        asset="invoice_tables",
        blocking=True,
        description=f"issue dates from {EARLIEST_DATE} to {FUTURE_DAYS} days ahead",
    ),
    dg.AssetCheckSpec(
        "quarantine_share",
        asset="invoice_tables",
        description=f"at most {MAX_QUARANTINE_SHARE:.0%} of a batch's documents quarantined",
    ),
    dg.AssetCheckSpec(
        "sent_to_review",
        asset="invoice_tables",
        description="invoices loaded as pending_review for a person to check, and why",
    ),
]
COUNTS_BALANCE = dg.AssetCheckSpec(
    "counts_balance",
    asset="invoice_rows",
    blocking=True,
    description="documents in = loaded + quarantined (duplicates of earlier batches apart)",
)


def _decimal(value: object) -> Decimal | None:
    """A table cell as a Decimal; None when empty."""
    return None if value is None or pd.isna(value) else Decimal(str(value))


def _adds_up(row: object) -> bool:
    """net + tax (+ recargo) - withholding = total, as validation allows it, within tolerance."""
    total = _decimal(getattr(row, "total", None))
    allowed = allowed_totals(
        _decimal(row.net_total),
        _decimal(row.tax_total),
        _decimal(getattr(row, "recargo_total", None)),
        _decimal(getattr(row, "withholding_total", None)),
    )
    return total is not None and any(abs(a - total) <= TOTALS_TOLERANCE for a in allowed)


def _totals_consistent(invoices: pd.DataFrame) -> dg.AssetCheckResult:
    bad = [row.sha256[:12] for row in invoices.itertuples() if not _adds_up(row)]
    return dg.AssetCheckResult(
        check_name="totals_consistent",
        passed=not bad,
        metadata={"inconsistent": len(bad), "examples": ", ".join(bad[:10]) or "none"},
    )


def _unique_numbers(invoices: pd.DataFrame) -> dg.AssetCheckResult:
    seller = invoices["seller_tax_id"].fillna(invoices["seller_name"]).fillna("").str.upper()
    ident = seller + "|" + invoices["invoice_number"].fillna("").str.upper()
    dupes = ident[ident.duplicated(keep=False) & invoices["invoice_number"].notna()]
    return dg.AssetCheckResult(
        check_name="unique_invoice_numbers",
        passed=dupes.empty,
        metadata={"duplicated": int(dupes.nunique()), "examples": ", ".join(dupes.unique()[:5])},
    )


def _dates_in_range(invoices: pd.DataFrame) -> dg.AssetCheckResult:
    latest = datetime.now(UTC).date() + timedelta(days=FUTURE_DAYS)
    dates = [d for d in invoices["issue_date"] if d is not None and not pd.isna(d)]
    dates = [d.date() if isinstance(d, datetime | pd.Timestamp) else d for d in dates]
    out = [d for d in dates if not EARLIEST_DATE <= d <= latest]
    return dg.AssetCheckResult(
        check_name="dates_in_range",
        passed=not out,
        metadata={
            "out_of_range": len(out),
            "missing": len(invoices) - len(dates),
            "earliest": str(min(dates)) if dates else "none",
            "latest": str(max(dates)) if dates else "none",
        },
    )


def _quarantine_share(quarantined: int, documents: int) -> dg.AssetCheckResult:
    share = quarantined / documents if documents else 0.0
    return dg.AssetCheckResult(
        check_name="quarantine_share",
        passed=share <= MAX_QUARANTINE_SHARE,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"share": round(share, 4), "quarantined": quarantined, "documents": documents},
    )


def _sent_to_review(invoices: pd.DataFrame) -> dg.AssetCheckResult:
    pending = invoices[invoices["status"] == "pending_review"]
    codes = pd.Series(
        [reason_code(r) for reasons in pending["review_reasons"] for r in reasons], dtype=object
    ).value_counts()
    return dg.AssetCheckResult(
        check_name="sent_to_review",
        passed=pending.empty,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "pending_review": len(pending),
            "invoices": len(invoices),
            "reasons": dg.MetadataValue.json({str(k): int(v) for k, v in codes.items()}),
            "examples": ", ".join(pending["sha256"].str[:12].head(10)) or "none",
        },
    )


def table_checks(tables: BatchTables, documents: int) -> list[dg.AssetCheckResult]:
    """All checks of invoice_tables, computed from the tables just built."""
    return [
        _totals_consistent(tables.invoices),
        _unique_numbers(tables.invoices),
        _dates_in_range(tables.invoices),
        _quarantine_share(len(tables.rejections), documents),
        _sent_to_review(tables.invoices),
    ]


def counts_balance(
    *, documents_new: int, loaded: int, quarantined: int, duplicates: int
) -> dg.AssetCheckResult:
    """Nothing lost: every new document of the batch is either loaded or quarantined."""
    return dg.AssetCheckResult(
        check_name="counts_balance",
        passed=documents_new == loaded + quarantined,
        metadata={
            "documents_in": documents_new + duplicates,
            "new": documents_new,
            "loaded": loaded,
            "quarantined": quarantined,
            "duplicates_of_earlier_batches": duplicates,
        },
    )
