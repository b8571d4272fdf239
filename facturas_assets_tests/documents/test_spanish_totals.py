"""IRPF withholding, recargo de equivalencia, breakdown by rate and currency by country."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from facturas_assets.documents.extraction import extract_pages
from facturas_assets.documents.extraction.currency_country import ibans, infer_currency
from facturas_assets.documents.extraction.extract import header_labels, page_lines
from facturas_assets.documents.extraction.fields import Candidate, labelled_lines
from facturas_assets.documents.model import InvoiceData
from facturas_assets.documents.validation import failed_checks, is_blocking, validate
from facturas_assets_tests.documents.test_extraction import Sheet

D = Decimal


def labelled_lines_of(s: Sheet) -> list[Candidate]:
    """The values found beside or under the field labels of a sheet without items."""
    _, lines = page_lines(s.pages, ocr=False)
    return labelled_lines(lines, header_labels(lines, set()))


def _sheet(rows: list[tuple[str, str]], seller: str = "CIF: B12345674") -> Sheet:
    s = Sheet()
    s.text(40, 40, "Instalaciones Ribera S.L.", 16)
    s.text(40, 62, seller)
    s.text(350, 40, "Factura nº: R-2031")
    s.text(350, 54, "Fecha: 12/06/2025")
    s.totals(rows)
    return s


@pytest.mark.parametrize(
    "label",
    [
        "Retención IRPF 15 %",
        "IRPF (-15%)",
        "Retenció IRPF 15 %",  # Catalan
        "PFEZaren atxikipena 15 %",  # Basque
        "Retenção na fonte 15 %",  # Portuguese
        "Ritenuta d'acconto 15 %",  # Italian
        "Withholding tax 15 %",
    ],
)
def test_withholding_is_read_and_the_invoice_adds_up(label: str) -> None:
    """total = base + IVA - retención: read exactly, consistent, never quarantined."""
    rows = [
        ("Base imponible", "1.000,00 €"),
        ("IVA 21 %", "210,00 €"),
        (label, "-150,00 €"),
        ("Total factura", "1.060,00 €"),
    ]
    data = validate(extract_pages(_sheet(rows).pages))
    assert (data.net_total, data.tax_total, data.total) == (D("1000.00"), D("210.00"), D("1060.00"))
    assert (data.withholding_total, data.withholding_rate) == (D("150.00"), D("15"))
    assert is_blocking(data) == [] and failed_checks(data) == []
    assert not any(w.startswith("totals_inferred") for w in data.warnings)
    assert data.confidence["total"] > 0.8  # as sure as a net + tax = total invoice


def test_recargo_and_two_rates_give_the_breakdown() -> None:
    """A breakdown by rate with a recargo on one of them; its sums are checked."""
    rows = [
        ("Base imponible 21 %", "1.000,00"),
        ("IVA 21 %", "210,00"),
        ("Base imponible 10 %", "200,00"),
        ("IVA 10 %", "20,00"),
        ("Recargo de equivalencia 5,2 %", "52,00"),
        ("Retención IRPF 15 %", "-180,00"),
        ("TOTAL", "1.302,00 €"),
    ]
    data = validate(extract_pages(_sheet(rows).pages))
    assert (data.net_total, data.tax_total, data.total) == (D("1200.00"), D("230.00"), D("1302.00"))
    assert data.recargo_total == D("52.00") and data.withholding_total == D("180.00")
    got = [(r.rate, r.base, r.tax, r.recargo_rate, r.recargo) for r in data.tax_breakdown]
    assert got == [
        (D("21"), D("1000.00"), D("210.00"), D("5.2"), D("52.00")),
        (D("10"), D("200.00"), D("20.00"), None, None),
    ]
    assert is_blocking(data) == [] and failed_checks(data) == []


def test_a_total_that_does_not_add_up_with_the_withholding_is_still_quarantined() -> None:
    data = InvoiceData(
        invoice_number="1", issue_date=date(2025, 1, 2), net_total=D("1000.00"),
        tax_total=D("210.00"), total=D("1100.00"), withholding_total=D("150.00"),
    )  # fmt: skip
    (reason,) = is_blocking(validate(data))
    assert reason == "totals_mismatch: net 1000.00 + tax 210.00 - withheld 150.00 != total 1100.00"


def test_breakdown_that_does_not_add_up_is_a_warning_not_a_quarantine() -> None:
    from facturas_assets.documents.model import TaxBreakdown

    data = InvoiceData(
        invoice_number="1", issue_date=date(2025, 1, 2), net_total=D("1200.00"),
        tax_total=D("230.00"), total=D("1430.00"),
        tax_breakdown=[TaxBreakdown(D("21"), D("1000.00"), D("210.00")),
                       TaxBreakdown(D("10"), D("150.00"), D("15.00"))],
    )  # fmt: skip
    validate(data)
    assert is_blocking(data) == []
    assert [w.split(":")[0] for w in failed_checks(data)] == ["breakdown_mismatch"] * 2


def test_a_discount_percentage_is_no_tax_rate() -> None:
    rows = [
        ("Descuento 5 % s/ 1.000,00", "-50,00"),
        ("Base imponible", "950,00"),
        ("IVA 21 %", "199,50"),
        ("TOTAL", "1.149,50 €"),
    ]
    data = extract_pages(_sheet(rows).pages)
    assert data.tax_breakdown == [] and data.withholding_total is None


def test_currency_inferred_from_the_iban_then_the_tax_id_with_a_warning() -> None:
    rows = [("Base imponible", "100,00"), ("IVA 21 %", "21,00"), ("TOTAL", "121,00")]
    s = _sheet(rows)
    s.text(40, 700, "IBAN: PT50 0002 0123 1234 5678 9015 4")
    data = extract_pages(s.pages)
    assert data.currency == "EUR"
    assert any("currency inferred from IBAN country PT" in w for w in data.warnings)
    assert data.confidence["currency"] < 1

    bare = extract_pages(_sheet(rows).pages)  # a bare Spanish CIF, no IBAN
    assert bare.currency == "EUR"
    assert any("currency inferred from tax id country ES" in w for w in bare.warnings)


def test_currency_inferred_from_an_iban_printed_right_after_a_tax_id() -> None:
    """A footer "VAT ID DE... IBAN DE..." on one line: the tax id's digits are no IBAN's start
    that swallows the IBAN's own (the IBAN still says the currency)."""
    texts = ["Acme GmbH VAT ID DE123456789 IBAN DE89370400440532013000"]
    assert ibans(texts) == ["DE89370400440532013000"]
    inferred = infer_currency(texts, None, None)
    assert inferred is not None and inferred[0] == "EUR"
    spaced = ["NIF B12345674 IBAN ES91 2100 0418 4502 0005 1332 Tel 91 123 4567"]
    assert ibans(spaced) == ["ES9121000418450200051332"]


def test_currency_not_inferred_when_nothing_says_or_ibans_disagree() -> None:
    assert infer_currency(["nothing here"], None, "not-an-id") is None
    texts = ["IBAN GB82 WEST 1234 5698 7654 32", "IBAN PT50 0002 0123 1234 5678 9015 4"]
    assert infer_currency(texts, None, None) is None
    assert infer_currency(texts, "DK13585628", None) == (
        "DKK",
        "currency_inferred: no currency printed; currency inferred from tax id country DK (DKK)",
    )


def test_withholding_in_a_band_of_labels_over_their_amounts() -> None:
    """ "BASE IMPONIBLE | IVA AL 21 % | RETENCIÓN IRPF 15 % | TOTAL A PAGAR" over the amounts."""
    s = _sheet([])
    for x, label, amount in [
        (40, "BASE IMPONIBLE", "€831,23"),
        (170, "IVA AL 21 %", "€174,56"),
        (300, "RETENCIÓN IRPF 15 %", "-€124,68"),
        (450, "TOTAL A PAGAR", "€881,11"),
    ]:
        s.text(x, 400, label)
        s.text(x, 414, amount)
    data = validate(extract_pages(s.pages))
    assert (data.net_total, data.tax_total, data.total) == (D("831.23"), D("174.56"), D("881.11"))
    assert (data.withholding_total, data.withholding_rate) == (D("124.68"), D("15"))
    assert failed_checks(data) == []


def test_a_base_at_zero_percent_in_the_breakdown_adds_to_the_net() -> None:
    """Per-rate rows with no net line: the net is the sum of the bases, 0 % included."""
    s = _sheet([])
    s.text(300, 380, "Importe neto    IVA %    Cuota IVA")
    s.text(300, 394, "1.227,55 €    21 %    257,79 €")
    s.text(300, 408, "459,83 €    0%    0,00 €")
    s.text(300, 422, "TOTAL FACTURA    1.945,17 €")
    data = validate(extract_pages(s.pages))
    assert (data.net_total, data.tax_total, data.total) == (D("1687.38"), D("257.79"), D("1945.17"))
    assert [(r.rate, r.base) for r in data.tax_breakdown] == [
        (D(21), D("1227.55")),
        (D(0), D("459.83")),
    ]


def test_a_band_of_rate_labels_stating_their_bases_under_the_items() -> None:
    """ "BASE | IVA 21 %: sobre 3.232,32 | IVA 0 %: sobre 478,48 | TOTAL" right under the item
    rows, the amounts under the labels: the band ends the table (its amounts are no item) and
    the amount after "sobre" is the base the rate is taken of, not the tax."""
    s = _sheet([])
    s.text(40, 200, "Concepto")
    s.text(330, 200, "Cant.")
    s.text(390, 200, "Precio")
    s.text(480, 200, "Importe")
    for y, (desc, qty, price, amount) in zip(
        (216, 230),
        [
            ("Revisión de la urdidora", "1,00", "3.232,32", "3.232,32"),
            ("Mano de obra", "8,00", "59,81", "478,48"),
        ],
        strict=True,
    ):
        s.text(40, y, desc)
        s.right(350, y, qty)
        s.right(440, y, price)
        s.right(530, y, amount)
    for x, label, amount in [
        (40, "BASE", "3.710,80"),
        (230, "IVA 21 %: sobre 3.232,32", "678,79"),
        (370, "IVA 0 %: sobre 478,48", "0,00"),
        (500, "TOTAL", "4.389,59"),
    ]:
        s.text(x, 250, label)
        s.text(x, 264, amount)
    data = validate(extract_pages(s.pages))
    assert (data.net_total, data.tax_total, data.total) == (D("3710.80"), D("678.79"), D("4389.59"))
    assert [line.amount for line in data.lines] == [D("3232.32"), D("478.48")]
    assert [(r.rate, r.base, r.tax) for r in data.tax_breakdown] == [
        (D(21), D("3232.32"), D("678.79")),
        (D(0), D("478.48"), D("0.00")),
    ]


def test_a_base_at_zero_percent_printed_twice_is_one_exempt_row() -> None:
    """A rates table ("1.115,71  21 %  234,30" / "275,55  0 %  0,00") and the totals lines
    ("I.V.A. 0 % sobre 275,55 EUR  0,00 EUR") print the exempt base twice: one row."""
    s = _sheet([])
    s.text(130, 330, "Base imponible    % IVA    Cuota IVA")
    s.text(130, 344, "1.115,71    21 %    234,30")
    s.text(130, 358, "275,55    0 %    0,00")
    s.totals(
        [
            ("Base imponible", "1.391,26 EUR"),
            ("I.V.A. 21 % sobre 1.115,71 EUR", "234,30 EUR"),
            ("I.V.A. 0 % sobre 275,55 EUR", "0,00 EUR"),
            ("TOTAL A PAGAR", "1.625,56 EUR"),
        ]
    )
    data = validate(extract_pages(s.pages))
    assert (data.net_total, data.tax_total, data.total) == (D("1391.26"), D("234.30"), D("1625.56"))
    assert [(r.rate, r.base, r.tax) for r in data.tax_breakdown] == [
        (D(21), D("1115.71"), D("234.30")),
        (D(0), D("275.55"), D("0.00")),
    ]


@pytest.mark.parametrize(
    "label",
    [
        "IVA 21 %: sobre 1.000,00",
        "VAT 21% on 1,000.00",
        "TVA 21 % sur 1 000,00",
        "IVA 21% su 1.000,00",
    ],
)
def test_the_amount_a_rate_is_taken_of_is_no_value_of_its_label(label: str) -> None:
    """A tax label stating its base, its amount on the line under it: the base is not the tax,
    the amount under the label is."""
    s = _sheet([])
    s.text(300, 380, "Base imponible")
    s.right(550, 380, "1.000,00")
    s.text(300, 394, label)
    s.text(300, 408, "210,00")
    s.text(300, 422, "Total factura")
    s.right(550, 422, "1.210,00")
    candidates = [c for c in labelled_lines_of(s) if c.kind == "tax_total"]
    assert [c.value for c in candidates] == [D("210.00")]


def test_a_band_over_its_labels_in_a_second_language_then_the_amounts() -> None:
    """ "IMPORT NET | QUOTA IVA 21,00 % | RETENCIÓN IRPF 7,00 % | TOTAL €" over the same labels
    in Spanish (the withholding's left out), then the amounts: each amount is its column's, and
    the rate a label prints is no amount."""
    s = _sheet([])
    for x, label, twin, amount in [
        (40, "IMPORT NET", "BASE IMPONIBLE", "1.487,12 EUR"),
        (170, "QUOTA IVA 21,00 %", "IVA 21,00 %", "312,30 EUR"),
        (300, "RETENCIÓN IRPF 7,00 %", None, "-104,10 EUR"),
        (450, "TOTAL €", "TOTAL", "1.695,32 EUR"),
    ]:
        s.text(x, 400, label)
        if twin:
            s.text(x, 411, twin, size=8)
        s.text(x, 425, amount)
    data = validate(extract_pages(s.pages))
    assert (data.net_total, data.tax_total, data.total) == (
        D("1487.12"),
        D("312.30"),
        D("1695.32"),
    )
    assert (data.withholding_total, data.withholding_rate) == (D("104.10"), D("7.00"))
    assert failed_checks(data) == []


def test_a_band_whose_rate_wraps_and_pushes_its_amount_a_line_down() -> None:
    """ "RETENCIÓN IRPF 15,0" with its "%" wrapped under it, its amount a line lower than the
    others': the rate is no amount and the amount is the withholding's."""
    s = _sheet([])
    for x, label, amount, y in [
        (40, "TOTAL NET", "488,01 EUR", 425),
        (170, "IVA AL 21,0 %", "102,48 EUR", 425),
        (300, "RETENCIÓN IRPF 15,0", "-73,20 EUR", 436),
        (450, "TOTAL FACTURA", "517,29 EUR", 425),
    ]:
        s.text(x, 400, label)
        s.text(x, y, amount)
    s.text(300, 411, "%")
    data = validate(extract_pages(s.pages))
    assert (data.net_total, data.tax_total, data.total) == (D("488.01"), D("102.48"), D("517.29"))
    assert (data.withholding_total, data.withholding_rate) == (D("73.20"), D("15.0"))


def test_a_recargo_label_wrapped_before_equivalencia_is_still_the_recargo() -> None:
    """ "Recargo de  9,19 €" with "equivalencia 1,4 %" on the line under it: the recargo, on
    the row of the rate whose legal recargo it is, and the net stays the printed one."""
    s = _sheet([])
    s.totals(
        [
            ("Total net", "656,58€"),
            ("Quota IVA 10 %", "65,66€"),
            ("Recargo de", "9,19€"),
            ("equivalencia 1,4 %", ""),
            ("Total a pagar", "731,43€"),
        ]
    )
    data = validate(extract_pages(s.pages))
    assert (data.net_total, data.tax_total, data.total) == (D("656.58"), D("65.66"), D("731.43"))
    assert data.recargo_total == D("9.19")
    assert [(r.rate, r.base, r.tax, r.recargo_rate, r.recargo) for r in data.tax_breakdown] == [
        (D(10), D("656.58"), D("65.66"), D("1.4"), D("9.19"))
    ]


def _scan_lost_labels(withheld: str, total: str = "€ 1268,26") -> InvoiceData:
    """Items read, the totals' labels lost (OCR), their amounts in a row under the items'
    columns (the total under the price's) and a minus amount under them."""
    s = _sheet([])
    s.text(40, 200, "Descripción")
    s.text(400, 200, "Precio")
    s.text(480, 200, "Importe")
    s.text(40, 216, "Revisión de la continua")
    s.right(440, 216, "1.196,47")
    s.right(530, 216, "1.196,47")
    s.text(60, 260, "€ 1196,47")
    s.text(200, 260, "€ 251,26")
    s.text(380, 260, total)
    s.text(300, 272, withheld)
    return extract_pages(s.pages, ocr=True)


def test_an_unlabelled_minus_amount_that_is_an_irpf_share_is_the_withholding() -> None:
    """net + tax - 179,47 = total and 179,47 is 15 % of the net: the withholding, said so."""
    data = _scan_lost_labels("-€ 179,47")
    assert (data.net_total, data.tax_total, data.total) == (
        D("1196.47"),
        D("251.26"),
        D("1268.26"),
    )
    assert (data.withholding_total, data.withholding_rate) == (D("179.47"), D("15"))
    assert any(w.startswith("withholding_inferred: 179.47") for w in data.warnings)
    assert any("- withholding 179.47 = total 1268.26" in w for w in data.warnings)


def test_an_unlabelled_minus_amount_of_no_irpf_rate_is_no_withholding() -> None:
    """The same page with a minus amount that the totals add up with but that is no usual
    IRPF share of the net (8.4 %): no withholding is made up."""
    data = _scan_lost_labels("-€ 100,00", "€ 1347,73")
    assert data.withholding_total is None
    assert not any(w.startswith("withholding_inferred") for w in data.warnings)


@pytest.mark.parametrize(
    "rows",
    [
        # The net's label garbled and a digit of it lost, the withholding read: net = total -
        # tax + withholding.
        [
            ("[ease", "2.374,4 EUR"),
            ("IVA 21,0%", "498,61 EUR"),
            ("Retención IRPF 15,0%", "-356,15 EUR"),
            ("TOTAL (IVA INCL.)", "2.516,80 EUR"),
        ],
        # The net unreadable; no withholding.
        [("Base imponible", "ll.&"), ("IVA 21 %", "498,61 €"), ("Total", "2.872,95 €")],
    ],
)
def test_a_net_nobody_could_read_is_the_total_less_tax_and_withholding(
    rows: list[tuple[str, str]],
) -> None:
    data = extract_pages(_sheet(rows).pages, ocr=True)
    assert (data.net_total, data.tax_total) == (D("2374.34"), D("498.61"))
    assert data.total == D(rows[-1][1].split()[0].replace(".", "").replace(",", "."))
    assert any(w.startswith("totals_inferred: net_total") for w in data.warnings)


def test_no_net_is_derived_where_the_tax_is_not_the_printed_rate_of_it() -> None:
    rows = [("Base imponible", "ll.&"), ("IVA 21 %", "498,61 €"), ("Total", "2.900,00 €")]
    assert extract_pages(_sheet(rows).pages, ocr=True).net_total is None


def test_a_band_whose_rate_labels_state_their_bases_on_a_second_line() -> None:
    # "I.V.A. 21,00 %" over "S/ 1.091,41": the base wrapped under its rate is no value; the
    # amounts of every label stand on the line under the band.
    s = Sheet()
    s.text(350, 40, "Factura nº: R-2031")
    s.text(350, 54, "Fecha: 12/06/2025")
    for x, label in [(57, "IMPORTE"), (143, "I.V.A. 21,00 %"), (229, "I.V.A. 10,00 %")]:
        s.text(x, 510, label, 8)
    s.text(315, 510, "I.V.A. 21,00 %", 8)
    s.text(401, 510, "RETENCIÓN", 8)
    s.text(487, 510, "TOTAL EUR", 8)
    for x, rest in [(57, "NETO"), (143, "S/ 1.091,41"), (229, "S/ 1.126,55"), (315, "10,00 %")]:
        s.text(x, 519, rest, 8)
    s.text(401, 519, "IRPF 15,00 %", 8)
    s.right(515, 525, "2.227,13", 10)
    for x1, value in [(85, "2.217,96"), (163, "229,20"), (249, "112,66"), (335, "341,86")]:
        s.right(x1, 533, value, 10)
    s.right(425, 533, "-332,69", 10)
    data = extract_pages(s.pages)
    assert (data.net_total, data.tax_total, data.total) == (D("2217.96"), D("341.86"), D("2227.13"))
    assert (data.withholding_total, data.withholding_rate) == (D("332.69"), D("15"))
    assert [(r.rate, r.base, r.tax) for r in data.tax_breakdown] == [
        (D("21"), D("1091.41"), D("229.20")),
        (D("10"), D("1126.55"), D("112.66")),
    ]


def test_the_recargo_total_under_its_rated_lines_is_counted_once() -> None:
    rows = [
        ("Base imponible", "1.930,26 EUR"),
        ("IVA 21,00 % base 181,47 EUR", "38,11 EUR"),
        ("IVA 4,00 % base 1.748,79 EUR", "69,95 EUR"),
        ("Cuota IVA", "108,06 EUR"),
        ("Recargo de equivalencia 5,20 % s/ 181,47 EUR", "9,44 EUR"),
        ("Recargo de equivalencia 0,50 % s/ 1.748,79 EUR", "8,74 EUR"),
        ("Cuota R.E.", "18,18 EUR"),
        ("Total factura", "2.056,50 EUR"),
    ]
    data = validate(extract_pages(_sheet(rows).pages))
    assert data.recargo_total == D("18.18")
    assert (data.net_total, data.tax_total, data.total) == (D("1930.26"), D("108.06"), D("2056.50"))
    assert failed_checks(data) == []


def _band_with_recargo(base_on_label_line: bool) -> Sheet:
    """A band whose recargo label ends in "S/": its base stands on the label's second line or
    on the amounts' line, its amount a line further down."""
    s = Sheet()
    s.text(350, 40, "Factura nº: R-2031")
    s.text(350, 54, "Fecha: 12/06/2025")
    for x, label in [(74, "SUBTOTAL"), (194, "I.V.A. 21 %"), (314, "RECARGO DE EQUIVALENCIA")]:
        s.text(x, 393, label, 7)
    s.text(435, 393, "TOTAL A PAGAR", 7)
    s.text(314, 400, "5,2 % S/ €1.542,47" if base_on_label_line else "5,2 % S/", 7)
    amounts = [(100, "€1.542,47"), (214, "€323,92"), (461, "€1.946,60")]
    if not base_on_label_line:
        amounts.append((364, "€1.542,47"))
    for x1, value in amounts:
        s.right(x1, 406, value, 9)
    s.right(364 if not base_on_label_line else 330, 417, "€80,21", 9)
    return s


@pytest.mark.parametrize("base_on_label_line", [True, False])
def test_a_recargo_in_a_band_stating_its_base_then_its_amount(base_on_label_line: bool) -> None:
    data = validate(extract_pages(_band_with_recargo(base_on_label_line).pages))
    assert (data.net_total, data.tax_total, data.total) == (D("1542.47"), D("323.92"), D("1946.60"))
    assert data.recargo_total == D("80.21")
    assert failed_checks(data) == []


@pytest.mark.parametrize("tax_label", ["IVA 21 %", "IVA"])
def test_a_tax_nobody_could_read_is_derived_with_a_withholding_whose_label_was_lost(
    tax_label: str,
) -> None:
    # The tax's amount and the withholding's label garbled; the minus amount is 15 % of the
    # net, and with it the total less the net is 21 % of it (a VAT rate, printed or not).
    rows = [
        ("Subtotal:", "€1.243,05"),
        (tax_label, "sled"),
        ("Total a pagar:", "€1.317,63"),
        ("Retehci", "-€186,46"),
    ]
    data = extract_pages(_sheet(rows).pages, ocr=True)
    assert (data.net_total, data.tax_total, data.total) == (D("1243.05"), D("261.04"), D("1317.63"))
    assert (data.withholding_total, data.withholding_rate) == (D("186.46"), D("15"))


def test_a_band_whose_rate_label_wraps_before_its_base_and_an_exempt_base() -> None:
    # "I.V.A. 21,00 % S/" over "1.734,96 EUR" among the labels' second line; an exempt base,
    # the tax's total and the withholding each in a column of their own.
    s = Sheet()
    s.text(350, 40, "Factura nº: E25006576")
    s.text(350, 54, "Fecha: 12/03/2025")
    heads = [
        (57, "BASE"),
        (143, "I.V.A. 21,00 % S/"),
        (229, "BASE EXENTA"),
        (315, "I.V.A. 21,00 %"),
    ]
    for x, text in [*heads, (401, "RETENCIÓN"), (487, "TOTAL €")]:
        s.text(x, 369, text, 7)
    for x, text in [(57, "IMPOSABLE"), (143, "1.734,96 EUR"), (229, "(ART. 20 LIVA)")]:
        s.text(x, 375, text, 7)
    s.text(401, 375, "IRPF 7,00 %", 7)
    s.text(306, 382, "364,34 EUR", 9)
    s.text(478, 382, "2.878,59 EUR", 9)
    for x, text in [(48, "2.703,50 EUR"), (134, "364,34 EUR"), (220, "968,54 EUR")]:
        s.text(x, 389, text, 9)
    s.text(392, 389, "-189,25 EUR", 9)
    data = extract_pages(s.pages)
    assert (data.net_total, data.tax_total, data.total) == (D("2703.50"), D("364.34"), D("2878.59"))
    assert (data.withholding_total, data.withholding_rate) == (D("189.25"), D("7"))


def test_a_bracketed_rate_whose_percent_sign_was_lost_is_no_tax_amount() -> None:
    # "IVA (21,0 %)" with "%)" lost over its amount, in a band with the base's label lost.
    s = Sheet()
    s.text(350, 40, "Factura nº: R-2031")
    s.text(350, 54, "Fecha: 12/06/2025")
    s.text(143, 747, "IVA (21,0", conf=0.9)
    s.text(300, 747, "RECARGO DE", conf=0.9)
    s.text(300, 754, "EQUIVALENCIA", conf=0.9)
    s.text(487, 747, "TOTAL:", conf=0.9)
    for x1, value in [(100, "7.147,57 EUR"), (200, "1.500,99 EUR"), (540, "9.020,23 EUR")]:
        s.right(x1, 762, value)
    s.right(360, 782, "371,67 EUR")
    data = extract_pages(s.pages, ocr=True)
    assert data.tax_total == D("1500.99")


@pytest.mark.parametrize(
    "heads",
    [
        ["B. imponible", "% IVA", "Cuota I.V.A."],
        ["8. imponible", "IVA", "Cuota 1.V.A."],  # as OCR read them: B and I as digits
    ],
)
def test_a_rate_table_whose_base_head_opens_with_a_digit_ocr_misread_is_still_read(
    heads: list[str],
) -> None:
    s = Sheet()
    s.text(380, 70, "Factura nº: FAC.2022.05705", conf=0.95)
    s.text(380, 84, "Fecha: 05/12/2022", conf=0.95)
    # Items over the rate table: its head must end them, or its rows read as items.
    items = [["Cambio de aceite", "1", "710,85", "710,85"], ["Kit", "1", "120,78", "120,78"]]
    s.table("Concepto", ["Cantidad", "Precio", "Importe"], [380, 460, 550], items, conf=0.95)
    rows = [heads, ["710,85", "21,0%", "149,28"]]
    rows.append(["120,78", "0,0%", "0,00"])
    for y, row in zip([300, 316, 332], rows, strict=True):
        for x, text in zip([405, 470, 520], row, strict=True):
            s.text(x, y, text, conf=0.9)
    s.totals([("Retención IRPF 7,0%", "-58,21"), ("Líquido a pagar", "922,70")], y=352, conf=0.9)
    data = extract_pages(s.pages, ocr=True)
    assert len(data.lines) == 2
    assert (data.net_total, data.tax_total) == (Decimal("831.63"), Decimal("149.28"))
    assert (data.withholding_total, data.total) == (Decimal("58.21"), Decimal("922.70"))
