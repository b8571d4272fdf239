"""Printed number, date and tax-id formats."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from stdnum import iban
from stdnum.es import nif
from stdnum.eu import vat

from facturas_dev.synth import taxids
from facturas_dev.synth.formats import NumberStyle, format_date, money


def test_money_rounds_half_up() -> None:
    assert money(Decimal("2.675")) == Decimal("2.68")
    assert money(Decimal("-2.675")) == Decimal("-2.68")
    assert money(Decimal("0.005")) == Decimal("0.01")


def test_number_styles() -> None:
    es = NumberStyle()
    assert es.amount(Decimal("1234.56")) == "1.234,56 €"
    assert es.amount(Decimal("-50")) == "-50,00 €"
    assert es.amount(Decimal("1234567.5"), with_symbol=False) == "1.234.567,50"
    assert NumberStyle(thousands="").amount(Decimal("1234.56")) == "1234,56 €"
    assert NumberStyle(thousands=" ").amount(Decimal("1234.56")) == "1 234,56 €"
    en = NumberStyle(decimal=".", thousands=",", symbol_prefix=True, symbol_space=False)
    assert en.amount(Decimal("1234.56")) == "€1,234.56"
    assert en.amount(Decimal("-85.29")) == "-€85.29"
    assert NumberStyle(symbol_prefix=True).amount(Decimal("8.69")) == "€ 8,69"
    assert es.quantity(Decimal("2.5")) == "2,5" and es.quantity(Decimal("3.00")) == "3,00"
    assert es.quantity(Decimal("12")) == "12"
    assert es.percent(Decimal("21")) == "21 %" and es.percent(Decimal("10"), 2, False) == "10,00%"


def test_date_styles() -> None:
    d = date(2024, 3, 15)
    assert format_date(d, "dmy-slash", "es") == "15/03/2024"
    assert format_date(d, "dmy-dash", "es") == "15-03-2024"
    assert format_date(d, "dmy-dot", "es") == "15.03.2024"
    assert format_date(d, "long", "es") == "15 de marzo de 2024"
    assert format_date(d, "long", "pt") == "15 de março de 2024"
    assert format_date(d, "long", "fr") == "15 mars 2024"
    assert format_date(d, "long", "en") == "15 March 2024"


def test_generated_ids_validate() -> None:
    rng = random.Random(0)
    for _ in range(300):
        assert nif.is_valid(taxids.spanish_cif(rng, rng.choice("ABF")))
        assert nif.is_valid(taxids.spanish_dni(rng))
        assert nif.is_valid(taxids.spanish_nie(rng))
        for make in (
            taxids.portuguese_vat,
            taxids.french_vat,
            taxids.italian_vat,
            taxids.irish_vat,
        ):
            assert vat.is_valid(make(rng))
        for country in ("ES", "PT", "FR", "IT", "IE"):
            assert iban.is_valid(taxids.iban_for(rng, country))
