"""Input coercion: what the loader accepts from DataFrames and dicts, and what it refuses."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from facturas_assets.db.rows import RowError, to_date, to_datetime, to_decimal, to_json, to_str


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0.1 + 0.2, Decimal("0.30")),
        (np.float64(12.345), Decimal("12.35")),
        ("1234.50", Decimal("1234.50")),
        (np.int64(7), Decimal("7.00")),
        (Decimal("-0.01"), Decimal("-0.01")),
        (float("nan"), None),
        (pd.NA, None),
        (None, None),
    ],
)
def test_amounts_become_exact_decimals(value: object, expected: Decimal | None) -> None:
    assert to_decimal(value, 14, 2, "amount") == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1.234,56", "not a number"),
        (Decimal("0.005"), "decimal places"),
        (Decimal("1E+30"), "does not fit"),
        (float("inf"), "finite"),
        (True, "expected a number"),
    ],
)
def test_bad_amounts_are_refused(value: object, message: str) -> None:
    with pytest.raises(RowError, match=message):
        to_decimal(value, 14, 2, "amount")


def test_dates_and_times() -> None:
    assert to_date(pd.Timestamp("2024-03-15"), "d") == date(2024, 3, 15)
    assert to_date("2024-03-15", "d") == date(2024, 3, 15)
    assert to_date(pd.NaT, "d") is None
    with pytest.raises(RowError, match="ISO date"):
        to_date("15/03/2024", "d")
    madrid = timezone(timedelta(hours=1))
    assert to_datetime(datetime(2024, 3, 15, 12, 0, 0, 999, tzinfo=madrid), "t") == datetime(
        2024, 3, 15, 11, 0, 0
    )
    assert to_datetime("2024-03-15T10:00:00+00:00", "t") == datetime(2024, 3, 15, 10, 0)
    assert to_datetime(pd.Timestamp("2024-03-15 10:00", tz=UTC), "t") == datetime(
        2024, 3, 15, 10, 0
    )


def test_json_values_from_parquet_and_text() -> None:
    assert to_json(np.array(["a", "ñ"]), "w") == ["a", "ñ"]
    assert to_json('{"total": 0.5}', "c") == {"total": 0.5}
    assert to_json({"total": np.float32(0.5), "n": np.int64(2)}, "c") == {"total": 0.5, "n": 2}
    assert to_json(np.array([]), "w") == []
    with pytest.raises(RowError, match="not JSON"):
        to_json("{roto", "c")
    with pytest.raises(RowError, match="not JSON-serializable"):
        to_json({"x": float("nan")}, "c")


def test_strings_are_checked_against_their_column() -> None:
    assert to_str("Peñalara", 8, "s") == "Peñalara"
    with pytest.raises(RowError, match="at most 8"):
        to_str("Peñalaras", 8, "s")
    assert to_str("€" * 21_000, None, "s") is not None  # 63,000 bytes fit a TEXT
    with pytest.raises(RowError, match="bytes"):
        to_str("€" * 22_000, None, "s")
