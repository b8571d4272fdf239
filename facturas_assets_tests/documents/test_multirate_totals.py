"""Totals of invoices with several VAT rates, printed as bands and rate tables."""

from __future__ import annotations

from decimal import Decimal

import pytest

from facturas_assets.documents.extraction import extract_pages
from facturas_assets.documents.model import InvoiceData, Word
from facturas_assets_tests.documents.test_extraction import Sheet

ITEMS = [
    ("Service of carding machine", "1", "1,100.00", "20%", "1,100.00"),
    ("Lubricant 5 l", "2", "25.00", "5%", "50.00"),
    ("Safety manual", "1", "10.00", "0%", "10.00"),
]


def _invoice() -> tuple[Sheet, float]:
    """An invoice's header and items at three VAT rates; returns the y under the items."""
    s = Sheet()
    s.text(40, 40, "Northern Looms Services Ltd", size=14)
    s.text(380, 40, "INVOICE", size=16)
    s.text(380, 70, "Invoice No: INV-20931")
    s.text(380, 84, "Invoice Date: 12/03/2024")
    y = 200
    s.text(40, y, "Description")
    for x, head in zip([300, 380, 460, 550], ["Qty", "Unit price", "VAT", "Amount"], strict=True):
        s.right(x, y, head)
    for row in ITEMS:
        y += 14
        s.text(40, y, row[0])
        for x, value in zip([300, 380, 460, 550], row[1:], strict=True):
            s.right(x, y, value)
    return s, y + 40


def _scanned_invoice(items: list[tuple[str, str]]) -> tuple[Sheet, float]:
    """A scanned Spanish invoice's header and items (one of each, at its price); returns the y
    under the items."""
    s = Sheet()
    s.text(380, 70, "Factura nº: F-2024/0931", conf=0.95)
    s.text(380, 84, "Fecha: 12/03/2024", conf=0.95)
    rows = [[desc, "1", amount, amount] for desc, amount in items]
    y = s.table("Concepto", ["Cantidad", "Precio", "Importe"], [380, 460, 550], rows, conf=0.95)
    return s, y + 40


def _sums(data: InvoiceData) -> tuple[str | None, ...]:
    return tuple(
        None if v is None else str(v) for v in (data.net_total, data.tax_total, data.total)
    )


def test_a_band_with_a_column_per_rate_sums_the_taxes_under_it() -> None:
    s, y = _invoice()
    band = [("Net", "1,160.00"), ("VAT 20%", "220.00"), ("VAT 5%", "2.50"), ("Total", "1,382.50")]
    for x, (label, value) in zip([200, 300, 400, 500], band, strict=True):
        s.text(x, y, label)
        s.text(x, y + 14, value)
    assert _sums(extract_pages(s.pages)) == ("1160.00", "222.50", "1382.50")


def test_a_rate_table_with_a_zero_rate_row_gives_net_and_tax_as_its_sums() -> None:
    s, y = _invoice()
    s.text(40, y, "VAT rate")
    for x, head in zip([150, 220, 290], ["Net", "VAT", "Gross"], strict=True):
        s.right(x, y, head)
    rows = [
        ("20%", "1,100.00", "220.00", "1,320.00"),
        ("5%", "50.00", "2.50", "52.50"),
        ("0%", "10.00", "0.00", "10.00"),  # at 0 % the gross is the base, printed twice
        ("Total", "1,160.00", "222.50", "1,382.50"),
    ]
    for row in rows:
        y += 14
        s.text(40, y, row[0])
        for x, value in zip([150, 220, 290], row[1:], strict=True):
            s.right(x, y, value)
    s.text(380, y + 30, "Amount due")
    s.right(550, y + 30, "£1,382.50")
    data = extract_pages(s.pages)
    assert _sums(data) == ("1160.00", "222.50", "1382.50")
    assert [(r.rate, r.base, r.tax) for r in data.tax_breakdown] == [
        (Decimal(20), Decimal("1100.00"), Decimal("220.00")),
        (Decimal(5), Decimal("50.00"), Decimal("2.50")),
        (Decimal(0), Decimal("10.00"), Decimal("0.00")),
    ]


def _item_table(
    s: Sheet, xs: list[float], heads: list[str], rows: list[list[str]], first: str = "Description"
) -> float:
    """A `first` head and `heads` right-aligned at `xs` over `rows` (description first, then a
    value per head), from y = 200; returns the last row's y."""
    return s.table(first, heads, xs, rows)


def _totals_under(s: Sheet, y: float, rows: list[tuple[str, str]]) -> None:
    """Totals labels at x=380 and their amounts right-aligned at 550, from 30 under `y`."""
    for label, value in rows:
        y += 14
        s.text(380, y + 30, label)
        s.right(550, y + 30, value)


def test_item_amounts_printed_with_their_vat_are_read_as_their_nets() -> None:
    s = Sheet()
    s.text(380, 70, "Invoice No: INV-20931")
    rows = [
        ["Service of carding machine", "1", "100.00", "20%", "120.00"],  # gross: 100 + 20 %
        ["Lubricant 5 l", "2", "25.00", "5%", "52.50"],
        ["Safety manual", "1", "10.00", "0%", "10.00"],
        ["Needles", "3", "10.00", "20%", "30.00"],  # printed as its net: it stays
    ]
    y = _item_table(s, [300, 380, 460, 550], ["Qty", "Unit price", "VAT", "Line total"], rows)
    _totals_under(s, y, [("Net total", "190.00"), ("VAT", "28.50"), ("Total", "218.50")])
    data = extract_pages(s.pages)
    assert [str(line.amount) for line in data.lines] == ["100.00", "50.00", "10.00", "30.00"]
    notes = [w for w in data.warnings if w.startswith("line_gross")]
    assert len(notes) == 2 and "amount 120.00 is its net 100.00 with its 20 % VAT" in notes[0]
    assert _sums(data) == ("190.00", "28.50", "218.50")


@pytest.mark.parametrize("with_quantity", [True, False])
def test_item_amounts_printed_after_their_vat_amount_are_read_as_their_nets(
    with_quantity: bool,
) -> None:
    # "Base | IVA | Total" per row: the VAT column holds each line's VAT amount, no rate.
    s = Sheet()
    s.text(380, 70, "Factura nº: A-2024-117")
    heads = ["Cant.", "Base", "IVA", "Total"] if with_quantity else ["Base", "IVA", "Total"]
    rows = [
        ["Revisión de la continua", "300,00", "63,00", "363,00"],
        ["Kit de lubricación", "50,00", "5,00", "55,00"],
        ["Manual de seguridad", "20,00", "0,00", "20,00"],
    ]
    if with_quantity:
        rows = [[text, "1", *values] for text, *values in rows]
    y = _item_table(s, [300, 380, 460, 550][-len(heads) :], heads, rows, "Concepto")
    _totals_under(s, y, [("Base imponible", "370,00"), ("IVA", "68,00"), ("Total", "438,00")])
    data = extract_pages(s.pages)
    assert [str(line.amount) for line in data.lines] == ["300.00", "50.00", "20.00"]
    # Without a quantity the column before the VAT is the lines' net, no price.
    prices = ["300.00", "50.00", "20.00"] if with_quantity else [None, None, None]
    assert [line.unit_price and str(line.unit_price) for line in data.lines] == prices
    notes = [w for w in data.warnings if w.startswith("line_gross")]
    assert len(notes) == 2 and "amount 363.00 is its net 300.00 with its VAT 63.00" in notes[0]
    assert _sums(data) == ("370.00", "68.00", "438.00")


@pytest.mark.parametrize(
    ("heads", "language"),
    [(["Amount", "VAT %", "VAT amount"], "en"), (["Importe", "% IVA", "Cuota"], "es")],
)
def test_a_vat_amount_column_after_the_lines_net_is_no_amount_of_it(
    heads: list[str], language: str
) -> None:
    s = Sheet()
    s.text(380, 70, "Invoice No: INV-20931" if language == "en" else "Factura nº: A-2024-117")
    rows = [
        ["Spindle overhaul", "2", "150.00", "300.00", "20", "60.00"],
        ["Lubricant kit", "4", "12.50", "50.00", "5", "2.50"],
        ["Safety manual", "1", "20.00", "20.00", "0", "0.00"],
    ]
    y = _item_table(s, [250, 310, 380, 460, 550], ["Qty", "Unit price", *heads], rows)
    _totals_under(s, y, [("Subtotal", "370.00"), ("VAT", "62.50"), ("Total", "432.50")])
    data = extract_pages(s.pages)
    assert [str(line.amount) for line in data.lines] == ["300.00", "50.00", "20.00"]
    assert _sums(data) == ("370.00", "62.50", "432.50")


# Items at 20, 5 and 0 % (one exempt) of nets 300, 50 and 20: their tax is 62.50.
_RATED_ITEMS = [
    ["Spindle overhaul", "2", "150.00", "20%", "300.00"],
    ["Lubricant kit", "4", "12.50", "5%", "50.00"],
    ["Safety manual", "1", "20.00", "Exempt", "20.00"],
]


@pytest.mark.parametrize(
    "printed",
    [
        [("Subtotal", "370.00"), ("Total due", "432.50")],  # no tax total printed
        [("Net", "370.00"), ("VAT 20%", "60.00"), ("Total", "432.50")],  # one rate's tax only
    ],
)
def test_a_tax_at_several_rates_is_the_total_less_the_net_where_the_items_rates_say_so(
    printed: list[tuple[str, str]],
) -> None:
    s = Sheet()
    s.text(380, 70, "Invoice No: INV-20931")
    y = _item_table(s, [250, 330, 420, 550], ["Qty", "Unit price", "VAT", "Amount"], _RATED_ITEMS)
    _totals_under(s, y, printed)
    data = extract_pages(s.pages)
    assert _sums(data) == ("370.00", "62.50", "432.50")
    assert any(w.startswith("totals_inferred: tax_total") for w in data.warnings)


def test_a_total_less_net_the_items_rates_do_not_state_is_no_tax() -> None:
    s = Sheet()
    s.text(380, 70, "Invoice No: INV-20931")
    y = _item_table(s, [250, 330, 420, 550], ["Qty", "Unit price", "VAT", "Amount"], _RATED_ITEMS)
    _totals_under(s, y, [("Subtotal", "370.00"), ("Total due", "440.00")])  # 70.00 is no VAT
    assert extract_pages(s.pages).tax_total is None


def test_a_printed_tax_that_misses_the_items_one_rate_is_kept_as_printed() -> None:
    # Items at one rate: a tax that does not add up is the invoice's own slip, left to validation.
    s = Sheet()
    s.text(380, 70, "Invoice No: INV-20931")
    rows = [
        ["Spindle overhaul", "1", "100.00", "20%", "100.00"],
        ["Kit", "1", "35.63", "20%", "35.63"],
    ]
    y = _item_table(s, [250, 330, 420, 550], ["Qty", "Unit price", "VAT", "Amount"], rows)
    _totals_under(s, y, [("Net", "135.63"), ("VAT", "30.00"), ("Total", "162.76")])
    assert _sums(extract_pages(s.pages)) == ("135.63", "30.00", "162.76")


def _priced_items(s: Sheet, heads: list[str]) -> float:
    """Three items under `heads` (description first); returns the last row's y."""
    rows = [
        ["Spindle overhaul", "2", "150.00", "20%", "300.00"],
        ["Lubricant kit", "4", "12.50", "5%", "50.00"],
        ["Safety manual", "1", "20.00", "0%", "20.00"],
    ]
    return _item_table(s, [250, 330, 420, 550], heads[1:], rows, heads[0])


def test_a_vat_head_and_an_amount_head_side_by_side_are_two_columns() -> None:
    s = Sheet()
    s.text(380, 70, "Invoice No: INV-20931")
    y = _priced_items(s, ["Description", "Qty", "Unit price", "VAT", "Amount"])
    s.totals([("Subtotal", "370.00"), ("VAT", "62.50"), ("Total", "432.50")], y=y + 40)
    data = extract_pages(s.pages)
    assert [str(line.amount) for line in data.lines] == ["300.00", "50.00", "20.00"]


@pytest.mark.parametrize(
    ("heads", "total_word"),
    [
        (["VAT rate", "Net amount", "VAT amount", "Gross amount"], "Total"),
        (["MwSt-Satz", "Netto", "MwSt", "Brutto"], "Summe"),
    ],
)
def test_heads_of_a_table_by_rate_take_their_totals_from_its_total_row(
    heads: list[str], total_word: str
) -> None:
    s = Sheet()
    s.text(380, 70, "Invoice No: INV-20931")
    y = _priced_items(s, ["Description", "Qty", "Unit price", "VAT", "Amount"]) + 30
    xs = [90, 180, 270, 360]
    rows = [
        heads,
        ["20%", "300.00", "60.00", "360.00"],
        ["5%", "50.00", "2.50", "52.50"],
        ["0%", "20.00", "0.00", "20.00"],
        [total_word, "370.00", "62.50", "432.50"],
    ]
    for i, row in enumerate(rows):
        for x, value in zip(xs, row, strict=True):
            s.right(x, y + 14 * i, value)
    data = extract_pages(s.pages)
    assert _sums(data) == ("370.00", "62.50", "432.50")


@pytest.mark.parametrize(
    "notes",
    [
        ["VAT 20%", "VAT 5%", "Zero rated"],
        ["VAT 20%: 60.00", "VAT 5%: 2.50", "VAT 0%: 0.00"],
        ["VAT @ 20% = 60.00", "VAT @ 5% = 2.50", "Exempt"],
        ["VAT 20% - 300.00", "VAT 5% - 50.00", "Zero rated - 20.00"],
    ],
)
def test_an_items_vat_noted_under_its_row_is_neither_item_nor_description(
    notes: list[str],
) -> None:
    s = Sheet()
    s.text(380, 70, "Invoice No: INV-20931")
    y = 200
    s.text(40, y, "Description")
    for x, head in [(330, "Qty"), (420, "Unit price"), (550, "Amount")]:
        s.right(x, y, head)
    rows = [
        ("Spindle overhaul", "2", "150.00", "300.00"),
        ("Lubricant kit", "4", "12.50", "50.00"),
        ("Safety manual", "1", "20.00", "20.00"),
    ]
    for (text, *values), note in zip(rows, notes, strict=True):
        y += 16
        s.text(40, y, text)
        for x, value in zip([330, 420, 550], values, strict=True):
            s.right(x, y, value)
        y += 12
        s.text(50, y, note, 8)
    s.totals(
        [("Net", "370.00"), ("VAT 20%", "60.00"), ("VAT 5%", "2.50"), ("Total", "432.50")], y=y + 30
    )
    data = extract_pages(s.pages)
    assert [(line.description, str(line.amount)) for line in data.lines] == [
        ("Spindle overhaul", "300.00"),
        ("Lubricant kit", "50.00"),
        ("Safety manual", "20.00"),
    ]
    assert _sums(data) == ("370.00", "62.50", "432.50")


def test_a_vat_line_right_under_a_single_item_is_the_totals() -> None:
    s = Sheet()
    s.text(380, 70, "Invoice No: INV-20931")
    s.text(40, 200, "Description")
    for x, head, value in [
        (330, "Qty", "2"),
        (420, "Unit price", "150.00"),
        (550, "Amount", "300.00"),
    ]:
        s.right(x, 200, head)
        s.right(x, 216, value)
    s.text(40, 216, "Spindle overhaul")
    s.text(40, 228, "VAT 20%: 60.00")
    s.text(40, 240, "Total: 360.00")
    data = extract_pages(s.pages)
    assert _sums(data) == ("300.00", "60.00", "360.00")


@pytest.mark.parametrize("garbled", ["o €", "13"])
def test_a_total_lost_under_a_rate_table_is_its_bases_plus_its_taxes(garbled: str) -> None:
    # A scan: two rates whose bases add up to the net printed under them, and the total's
    # amount unreadable, or read as a fragment under the net. The bases 18,44 and 1.239,25
    # with their sum look like net, tax and total; the table says they are bases, and its
    # sums give the total.
    s, y = _scanned_invoice(
        [("Horas extraordinarias", "1.239,25"), ("Dietas del técnico", "18,44")]
    )
    s.text(110, y, "Base imponible", conf=0.95)
    s.text(230, y, "% IVA", conf=0.95)
    s.text(300, y, "Cuota IVA", conf=0.95)
    for base, rate, tax in [("18,44", "21%", "3,87"), ("1.239,25", "4%", "49,57")]:
        y += 14
        s.right(200, y, base)
        s.text(230, y, rate, conf=0.95)
        s.right(350, y, tax)
    s.text(300, y + 30, "Base imponible", conf=0.95)
    s.right(550, y + 30, "1.257,69 €")
    s.text(300, y + 44, "Total a pagar", conf=0.95)
    s.text(500, y + 44, garbled, conf=0.5)
    data = extract_pages(s.pages, ocr=True)
    assert _sums(data) == ("1257.69", "53.44", "1311.13")


def test_a_zero_rate_read_without_its_decimal_sign_still_makes_a_breakdown_row() -> None:
    # A scan's rate table under garbled heads: "0,00%" read as "000%". With its row, the
    # bases sum to the net the total needs; without it, the net was one base alone.
    s, y = _scanned_invoice([("Revisión de carda", "1.073,49"), ("Material exento", "668,73")])
    s.text(45, y, "Base impofible IVE", conf=0.4)
    for base, rate, tax in [("1073,49€", "21,00%", "225,43 €"), ("668,73€", "000%", "0,00€")]:
        y += 14
        s.text(48, y, base, conf=0.9)
        s.text(110, y, rate, conf=0.9)
        s.text(160, y, tax, conf=0.9)
    s.text(45, y + 16, "Total factura 1967,65 €", conf=0.95)
    data = extract_pages(s.pages, ocr=True)
    assert _sums(data) == ("1742.22", "225.43", "1967.65")
    assert [(r.rate, r.base) for r in data.tax_breakdown] == [
        (Decimal(21), Decimal("1073.49")),
        (Decimal(0), Decimal("668.73")),
    ]


def test_a_tax_head_over_a_stacked_totals_block_is_no_table_by_rate() -> None:
    # Under "IVA": the tax, then the withholding's and the total's lines: one value, no column.
    s = Sheet()
    s.text(380, 70, "Factura nº: R-0358/2022")
    s.text(57, 425, "[ease", conf=0.35)
    s.text(159, 425, "[iva", conf=0.36)
    s.text(64, 441, "2.374,4 EUR", conf=0.55)
    s.text(129, 441, "21,0%", conf=0.86)
    s.text(167, 441, "498,61-EUR", conf=0.75)
    s.text(63, 461, "Retención IRPF 15,0%", conf=0.95)
    s.text(166, 461, "-356,15 EUR", conf=0.9)
    s.text(63, 477, "TOTAL (IVA INCL.)", conf=0.92)
    s.text(161, 477, "2.516,80 EUR", conf=0.93)
    data = extract_pages(s.pages, ocr=True)
    assert (data.tax_total, data.total) == (Decimal("498.61"), Decimal("2516.80"))


def test_a_two_word_head_set_wide_apart_in_one_cell_stays_one_head() -> None:
    # OCR's boxes set "PREU" and "UNIT." wider apart than text's words, in one cell.
    s = Sheet()
    s.text(380, 70, "Factura nº: A-2024-117")
    heads = [("DESCRIPCIÓ", 44, 103), ("PREU", 356, 379), ("UNIT.", 385, 413), ("UNIT.", 423, 451)]
    for text, x0, x1 in [*heads, ("TOTAL", 502, 534)]:
        s.pages[0].words.append(Word(text, x0, 181, x1, 186, 0, 0.9))
    s.text(44, 195, "Rodamiento SKF 6205-2RS", conf=0.9)
    for text, x1 in [("18,01", 413), ("3", 451), ("54,03", 534)]:
        s.right(x1, 195, text)
    data = extract_pages(s.pages, ocr=True)
    assert [(str(ln.quantity), str(ln.unit_price)) for ln in data.lines] == [("3", "18.01")]
