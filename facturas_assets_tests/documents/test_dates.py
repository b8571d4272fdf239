"""Date parsing: numeric formats and month names in seven languages."""

from __future__ import annotations

from datetime import date

import pytest

from facturas_assets.documents.extraction.dates import find_dates, parse_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15/03/2024", date(2024, 3, 15)),
        ("15-03-2024", date(2024, 3, 15)),
        ("15.03.2024", date(2024, 3, 15)),
        ("15-03-24", date(2024, 3, 15)),
        ("5/3/2024", date(2024, 3, 5)),
        ("2024-03-15", date(2024, 3, 15)),
        ("2024/03/15", date(2024, 3, 15)),
        ("03/04/2024", date(2024, 4, 3)),  # European: day first
        ("12/31/2024", date(2024, 12, 31)),  # only month-first makes sense
        ("15 de marzo de 2024", date(2024, 3, 15)),
        ("1 de septiembre de 2023", date(2023, 9, 1)),
        ("15 mars 2024", date(2024, 3, 15)),
        ("1er février 2024", date(2024, 2, 1)),
        ("15 août 2024", date(2024, 8, 15)),
        ("March 15, 2024", date(2024, 3, 15)),
        ("15 March 2024", date(2024, 3, 15)),
        ("Sept. 1, 2023", date(2023, 9, 1)),
        ("15. März 2024", date(2024, 3, 15)),
        ("3. Dezember 2024", date(2024, 12, 3)),
        ("15 maggio 2024", date(2024, 5, 15)),
        ("15 de março de 2024", date(2024, 3, 15)),
        ("15 maart 2024", date(2024, 3, 15)),
        ("15 mei 2024", date(2024, 5, 15)),
        ("15-Mar-2024", date(2024, 3, 15)),
        ("5 ene. 2024", date(2024, 1, 5)),
        ("Fecha: 15/03/2024 Vto: 15/04/2024", date(2024, 3, 15)),
    ],
)
def test_parse_date(text: str, expected: date) -> None:
    assert parse_date(text) == expected


def test_month_first_when_asked() -> None:
    assert parse_date("03/04/2024", day_first=False) == date(2024, 3, 4)


@pytest.mark.parametrize(
    "text",
    # a serial shaped like a date of no era ("24.12.6587": an invoice number)
    ["1.234,56", "31/02/2024", "13/13/2024", "F-2024-001", "21 %", "24.12.6587"],
)
def test_not_a_date(text: str) -> None:
    assert parse_date(text) is None


def test_find_dates_marks_ambiguity() -> None:
    found = find_dates("05/06/2024 y 25/06/2024")
    assert [d.value for d in found] == [date(2024, 6, 5), date(2024, 6, 25)]
    assert [d.ambiguous for d in found] == [True, False]
