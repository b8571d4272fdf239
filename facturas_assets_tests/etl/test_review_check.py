"""The sent_to_review check of invoice_tables: how many invoices wait for a person, and why."""

from __future__ import annotations

import dagster as dg
import pandas as pd

from facturas_assets.defs.etl.checks import TABLE_CHECKS, table_checks
from facturas_assets.pipeline.tabulate import INVOICE_COLUMNS, LINE_COLUMNS, BatchTables


def _tables(statuses: list[tuple[str, list[str]]]) -> BatchTables:
    rows = [
        {
            **dict.fromkeys(INVOICE_COLUMNS),
            "sha256": f"{n:064x}",
            "invoice_number": f"F-{n}",
            "status": status,
            "review_reasons": reasons,
        }
        for n, (status, reasons) in enumerate(statuses)
    ]
    return BatchTables(
        pd.DataFrame(rows, columns=INVOICE_COLUMNS), pd.DataFrame(columns=LINE_COLUMNS)
    )


def _review_check(tables: BatchTables) -> dg.AssetCheckResult:
    (result,) = [
        r for r in table_checks(tables, len(tables.invoices)) if r.check_name == "sent_to_review"
    ]
    return result


def test_the_check_counts_the_invoices_sent_to_review_and_their_reasons() -> None:
    result = _review_check(
        _tables(
            [
                ("loaded", []),
                ("pending_review", ["unsure_category: 0.5", "failed_check: lines_mismatch: x"]),
                ("pending_review", ["unsure_category: 0.6"]),
            ]
        )
    )
    assert not result.passed and result.severity == dg.AssetCheckSeverity.WARN
    assert result.metadata["pending_review"].value == 2
    assert result.metadata["reasons"].value == {"unsure_category": 2, "failed_check": 1}


def test_a_batch_with_nothing_to_review_passes() -> None:
    result = _review_check(_tables([("loaded", []), ("loaded", [])]))
    assert result.passed and result.metadata["pending_review"].value == 0


def test_the_check_is_declared_and_never_blocks() -> None:
    (spec,) = [s for s in TABLE_CHECKS if s.name == "sent_to_review"]
    assert not spec.blocking and spec.asset_key == dg.AssetKey("invoice_tables")
