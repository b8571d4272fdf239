"""Amount parsing across European and English formats, currencies and signs."""

from __future__ import annotations

from decimal import Decimal

import pytest

from facturas_assets.documents.extraction.numbers import (
    currency_of,
    decimal_style,
    find_amounts,
    parse_amount,
)


@pytest.mark.parametrize(
    ("text", "hint", "expected"),
    [
        ("1.234,56", None, "1234.56"),
        ("1,234.56", None, "1234.56"),
        ("1 234,56", None, "1234.56"),
        ("1\u00a0234,56", None, "1234.56"),
        ("1234.56", None, "1234.56"),
        ("1234,56", None, "1234.56"),
        ("1.234.567,89", None, "1234567.89"),
        ("1,234,567.89", None, "1234567.89"),
        ("1,318,24", ",", "1318.24"),  # OCR read the thousands dot as a comma
        ("1.318.24", None, "1318.24"),
        ("1.234.567", None, "1234567"),
        ("1:422,15", ",", "1422.15"),  # the thousands dot read as a colon
        ("_-3.776,31", ",", "-3776.31"),  # a rule's end before the amount
        ("12,5", None, "12.5"),
        ("-12,00", None, "-12.00"),
        ("(12,00)", None, "-12.00"),
        ("12,00-", None, "-12.00"),
        ("−12,00 €", None, "-12.00"),
        ("1.234,56 €", None, "1234.56"),
        ("€ 1.234,56", None, "1234.56"),
        ("€1,234.56", None, "1234.56"),
        ("-€12.00", None, "-12.00"),
        ("$1,234.56", None, "1234.56"),
        ("£ 99.99", None, "99.99"),
        ("CHF 1'234.50", None, "1234.50"),
        ("1.234,56 EUR", None, "1234.56"),
        ("EUR 10", None, "10"),
        # "1.234" is thousands unless the document writes decimals with a dot
        ("1.234", None, "1234"),
        ("1.234", ",", "1234"),
        ("1.234", ".", "1.234"),
        ("1,234", ".", "1234"),
        ("1,234", ",", "1.234"),
        ("0,5", None, "0.5"),
    ],
)
def test_parse_amount(text: str, hint: str | None, expected: str) -> None:
    assert parse_amount(text, hint) == Decimal(expected)


@pytest.mark.parametrize(
    "text",
    ["21%", "21 %", "21,5 %", "15/03/2024", "15.03.2024", "2024-03-15", "abc", "", "12,00 y 3,00"],
)
def test_not_a_single_amount(text: str) -> None:
    assert parse_amount(text) is None


def test_find_amounts_skips_rates_and_dates() -> None:
    found = find_amounts("IVA 21 % s/ 1.000,00 el 15/03/2024: 210,00 €")
    assert [a.value for a in found] == [Decimal("1000.00"), Decimal("210.00")]
    assert found[-1].currency == "EUR"
    assert found[-1].has_decimals
    # A rate's "%" read as "9%" before its parenthesis closes: still a rate.
    assert [a.value for a in find_amounts("Cuota IVA (10,00 9%) 65,53")] == [Decimal("65.53")]


def test_decimal_style_votes() -> None:
    assert decimal_style(["Total 1.234,56 €", "3,50", "2"]) == ","
    assert decimal_style(["Total 1,234.56", "3.50"]) == "."
    assert decimal_style(["Cantidad 3", "Ref 12"]) is None


def test_currency_of() -> None:
    assert currency_of(["Total 12,00 €", "IVA 2,52 €"])[0] == "EUR"
    assert currency_of(["Total due $1,200.00", "USD"])[0] == "USD"
    assert currency_of(["Total £12.00"])[0] == "GBP"
    assert currency_of(["Betrag CHF 12.00"])[0] == "CHF"
    assert currency_of(["no money here"]) == (None, 0.0)


def test_currency_of_any_iso_4217_code_where_a_currency_stands() -> None:
    assert currency_of(["Total 1 234,50 SEK", "Moms 246,90 SEK"])[0] == "SEK"
    assert currency_of(["Summe: DKK 99.00"])[0] == "DKK"
    assert currency_of(["Currency: NOK", "Total 10.00"])[0] == "NOK"
    # Three capitals that happen to be a code, away from any amount or label, are prose.
    assert currency_of(["ALL PRICES INCLUDE TOP QUALITY PARTS"]) == (None, 0.0)
    assert currency_of(["ABC 12,00"]) == (None, 0.0)  # not a currency code


def test_a_minus_before_an_iso_code_makes_the_amount_negative() -> None:
    """A credit note in a currency without a sign of its own prints "-AUD 159,43": the minus
    stands before the code, not the digits."""
    [credit] = find_amounts("Base imponible -AUD 159,43")
    assert (credit.value, credit.currency) == (Decimal("-159.43"), "AUD")
    assert find_amounts("(SEK 40.00)")[0].value == Decimal("-40.00")
    # A hyphenated word or reference before a code is no sign, nor is an unknown code.
    assert find_amounts("Ref X-AUD 10.00")[0].value == Decimal("10.00")
    assert find_amounts("-ABC 10.00")[0].value == Decimal("10.00")
    assert find_amounts("Total AUD 10.00")[0].value == Decimal("10.00")


def test_an_article_code_opening_with_a_currency_code_is_no_currency() -> None:
    lines = ["CAD-1M  Cadena de transporte, tramo de 1 m  4  99,78  399,12", "Total 1.234,56 €"]
    assert currency_of(lines)[0] == "EUR"
    assert currency_of(["CAD-12M  Cadena  2  10,00  20,00"])[0] is None
    assert currency_of(["Total CAD 1.234,56"])[0] == "CAD"
    assert currency_of(["Amount due 1 234,50 AUD"])[0] == "AUD"
    # The code after the row's price, in the column before the amount: still no currency.
    assert currency_of(["Cadena de transporte 6 179,48 CAD-1M 1.076,88"])[0] is None
    assert currency_of(["Precio 12,50 CAD/ud"])[0] == "CAD"


def test_currency_sign_glued_to_a_letter_is_no_money() -> None:
    # OCR reads the E of an IBAN's ES as a pound or euro sign.
    assert currency_of(["IBAN £S26 0182 9306 3471 3568 6076"]) == (None, 0.0)
    assert currency_of(["IBAN €S26 0182 9306"]) == (None, 0.0)
    assert currency_of(["Total £ 12.00"])[0] == "GBP"


def test_currency_tie_broken_by_the_parties_currency() -> None:
    # A postcode's 5 read as "$" against one "euros": the country's currency decides.
    texts = ["104 rue de l'Industrie - $9100 Roubaix", "SAS au capital de 3 000 euros"]
    assert currency_of(texts, prefer="EUR") == ("EUR", 0.5)
    assert currency_of(texts)[1] == 0.4  # a tie with nothing to break it stays unsure
    assert currency_of(["Total 12,00 €"], prefer="USD")[0] == "EUR"  # no tie: the print wins


def test_signs_by_no_amount_count_only_where_nothing_by_an_amount_says() -> None:
    # OCR reads specks as "$" and the "f" of "f.f." as "£": the EUR by the amounts says.
    assert currency_of(["— $$$", "$$", "Total 1.210,17 EUR"])[0] == "EUR"
    assert currency_of(["Transferencia a 90 dias £.f.", "Total 1.210,17"])[0] is None
    # A sign heading a column of bare amounts is still the document's currency.
    assert currency_of(["Importe (€)", "1.210,17"])[0] == "EUR"
    assert currency_of(["Amount £", "1,210.17"])[0] == "GBP"
