"""The blocking totals check allows what validation allows: recargo added, withholding deducted."""

from decimal import Decimal

import pandas as pd

from facturas_assets.defs.etl.checks import _totals_consistent


def _invoice(sha: str, net: str, tax: str, total: str, **extra: str | None) -> dict:
    row = {"sha256": sha * 64, "net_total": Decimal(net), "tax_total": Decimal(tax),
           "total": Decimal(total), "recargo_total": None, "withholding_total": None}  # fmt: skip
    return {**row, **{k: None if v is None else Decimal(v) for k, v in extra.items()}}


def test_irpf_recargo_and_credit_notes_pass() -> None:
    frame = pd.DataFrame(
        [
            _invoice("a", "100.00", "21.00", "121.00"),
            _invoice("b", "100.00", "21.00", "106.00", withholding_total="15.00"),  # IRPF 15 %
            _invoice("c", "100.00", "21.00", "126.20", recargo_total="5.20"),
            _invoice("d", "-100.00", "-21.00", "-106.00", withholding_total="15.00"),  # credit
        ]
    )
    result = _totals_consistent(frame)
    assert result.passed, result.metadata


def test_a_total_no_allowed_sum_reaches_fails() -> None:
    frame = pd.DataFrame(
        [
            _invoice("a", "100.00", "21.00", "121.00"),
            _invoice("e", "100.00", "21.00", "110.00", withholding_total="15.00"),
            _invoice("f", "100.00", "21.00", "121.00", recargo_total=None),
        ]
    )
    frame.loc[2, "total"] = None  # a missing total cannot be checked: not loaded
    result = _totals_consistent(frame)
    assert not result.passed
    assert result.metadata["inconsistent"].value == 2
