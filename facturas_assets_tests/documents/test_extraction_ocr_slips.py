"""Extraction through what OCR does to scans: unreadable labels, specks, glued and misread words."""

from __future__ import annotations

from decimal import Decimal

import pytest

from facturas_assets.documents.extraction import extract_pages
from facturas_assets.documents.layout_text import group_lines
from facturas_assets.documents.model import InvoiceData, InvoiceLine, Word
from facturas_assets_tests.documents.test_extraction import Sheet


def _d(v: str) -> Decimal:
    return Decimal(v)


def _sums(data: InvoiceData) -> tuple[str | None, ...]:
    """Net, tax and total as strings (None where not found)."""
    return tuple(
        None if v is None else str(v) for v in (data.net_total, data.tax_total, data.total)
    )


Cells = list[tuple[float, str]]


def _table(header: Cells, *rows: Cells) -> Sheet:
    """A table from y=200, a line every 14 pt: the first cell of each line starts at its x,
    the others end at theirs."""
    s = Sheet()
    for n, cells in enumerate((header, *rows)):
        (x, text), *rest = cells
        s.text(x, 200 + 14 * n, text)
        for x_right, value in rest:
            s.right(x_right, 200 + 14 * n, value)
    return s


def _first_row(header: Cells, row: Cells) -> InvoiceLine:
    """The first item of a table with one header and one row."""
    return extract_pages(_table(header, row).pages).lines[0]


def items_table(s: Sheet, rows: list[tuple[str, str, str, str]], y: float = 200) -> float:
    """An item table with a header at y; returns the y below its last row."""
    s.text(40, y, "Descripción")
    s.right(380, y, "Cantidad")
    s.right(460, y, "Precio")
    s.right(550, y, "Importe")
    for row in rows:
        y += 14
        item_row(s, y, row)
    return y + 14


def item_row(s: Sheet, y: float, row: tuple[str, str, str, str]) -> None:
    """One row of `items_table`'s columns at y: description, quantity, price, amount."""
    desc, qty, price, amount = row
    s.text(40, y, desc)
    s.right(380, y, qty)
    s.right(460, y, price)
    s.right(550, y, amount)


def test_totals_are_inferred_from_the_totals_block_when_their_labels_are_unreadable() -> None:
    s = Sheet()
    y = items_table(s, [("Pieza A", "2", "50,00", "100,00"), ("Pieza B", "1", "20,00", "20,00")])
    # Right under the items, a stamp over the labels: OCR read garbage where they were.
    s.text(300, y, "wo sREGIBLDO", conf=0.4)
    s.right(550, y, "120,00 €")
    s.text(300, y + 14, "Wait", conf=0.3)
    s.right(550, y + 14, "25,20 €")
    s.text(300, y + 28, "TOTAL A PAGAR")
    s.right(550, y + 28, "145,20 €")
    data = extract_pages(s.pages)
    # The net line is a subtotal, not a third item.
    assert [ln.amount for ln in data.lines] == [_d("100.00"), _d("20.00")]
    assert _sums(data) == ("120.00", "25.20", "145.20")
    inferred = [w for w in data.warnings if w.startswith("totals_inferred")]
    assert inferred and "net_total" in inferred[0] and "tax_total" in inferred[0]
    assert data.confidence["net_total"] <= 0.5


def test_a_zero_tax_is_inferred_only_from_a_net_printed_again_as_the_total() -> None:
    s = Sheet()
    items_table(s, [("Cinghia dentata HTD 8M-1200", "4", "139,73", "558,92")])
    s.text(200, 500, "Imponibilo | Aliquota IVA | Importo IVA _Totale degurzonto", conf=0.5)
    s.text(200, 514, "€ 558,92")
    s.text(290, 514, "0%")
    s.text(340, 514, "€ 0,007.", conf=0.4)  # the zero tax garbled
    s.text(430, 514, "€ 558,92")
    data = extract_pages(s.pages)
    assert _sums(data) == ("558.92", "0.00", "558.92")
    assert any(w.startswith("totals_inferred") for w in data.warnings)

    s = Sheet()
    items_table(s, [("Cinghia dentata HTD 8M-1200", "4", "139,73", "558,92")])
    s.text(200, 514, "€ 558,92")  # printed once: nothing says the tax is zero
    data = extract_pages(s.pages)
    assert data.tax_total is None and data.total is None


def test_tax_label_with_its_rate_glued_on() -> None:
    s = Sheet()
    s.totals(
        [("Base imponible", "661,49 €"), ("IVA21%", "138,91 €"), ("TOTAL A PAGAR", "800,40 €")]
    )
    data = extract_pages(s.pages)
    assert _sums(data) == ("661.49", "138.91", "800.40")
    # Read at its label, not filled in by arithmetic.
    assert data.confidence["tax_total"] > 0.9
    assert not any(w.startswith("totals_inferred") for w in data.warnings)


def test_specks_and_rule_remnants_neither_end_the_table_nor_join_a_description() -> None:
    s = Sheet()
    s.text(40, 200, "Descripción")
    s.right(380, 200, "Cant.")
    s.text(400, 200, "Preciolu")  # "Precio/u" with its slash read as a letter
    s.right(550, 200, "Importe")
    page = s.pages[0]
    # What OCR made of the rule under the header: dashes, dots and unsure short words.
    for text, x, conf in (("—=", 60, 0.7), ("en", 360, 0.4), ("a", 500, 0.7), ("tee", 120, 0.3)):
        page.words.append(Word(text, x, 208, x + 8, 212, 0, conf))
    s.text(40, 220, "Sustitución de rodamiento averiado en el eje")
    s.right(380, 220, "1")
    s.right(460, 220, "204,88")
    s.right(550, 220, "204,88")
    s.text(40, 234, "principal del manuar Rieter")
    page.words.append(Word("1", 349, 234, 353, 242, 0, 0.8))  # a column rule read as "1"
    s.text(40, 248, "Rodamiento SKF 6205-2RS")
    s.right(380, 248, "3")
    s.right(460, 248, "18,49")
    s.right(550, 248, "55,47")
    data = extract_pages(s.pages)
    assert [(ln.description, ln.quantity, ln.unit_price, ln.amount) for ln in data.lines] == [
        (
            "Sustitución de rodamiento averiado en el eje principal del manuar Rieter",
            _d("1"),
            _d("204.88"),
            _d("204.88"),
        ),
        ("Rodamiento SKF 6205-2RS", _d("3"), _d("18.49"), _d("55.47")),
    ]


def test_a_tall_speck_does_not_chain_a_header_row_to_its_values() -> None:
    words = [
        Word("Fecha", 40, 224, 70, 235),
        Word("Factura", 140, 224, 180, 235),
        Word("=", 20, 224, 26, 246, 0, 0.7),  # a box edge spanning both rows
        Word("14/08/2025", 40, 240, 90, 248),
        Word("CPS/25/05478", 140, 240, 200, 248),
    ]
    lines = [[w.text for w in line] for line in group_lines(words)]
    assert ["14/08/2025", "CPS/25/05478"] in lines
    assert not any("Fecha" in line and "14/08/2025" in line for line in lines)


def test_tax_ids_behind_labels_as_ocr_reads_them() -> None:
    s = Sheet()
    s.text(40, 40, "Manutenzioni Tessili Biellesi S.r.l.", 16)
    s.text(40, 62, "Assistenza tecnica filatura e tessitura")
    # The letterhead's address column on the right, its "P.IVA IT..." read as "PAVA 11...".
    s.block(420, 30, ["Via Milano 112", "13900 Biella (BI), Italia", "PAVA 1113302270122"])
    # The customer block without a readable "Spett.le" label; "P.IVA ESB46780235" lost letters.
    s.block(
        300,
        120,
        [
            "Tejeduría Igualada, S.L.",
            "Pol. Ind. Les Comes, C/ Anoia, 5",
            "08700 Igualada (Barcelona)",
            "P.IV SB46780235",
        ],
    )
    data = extract_pages(s.pages)
    assert data.seller.tax_id == "IT13302270122"
    assert data.buyer.tax_id == "B46780235"
    assert data.buyer.name == "Tejeduría Igualada, S.L."


def test_labels_joined_by_a_slash_vouch_for_an_id_with_a_misread_prefix() -> None:
    s = Sheet()
    s.text(40, 40, "Ingeniería de Telares del Norte, S.L.", 16)
    s.text(40, 62, "CIF: B20760906")
    # The customer's "IT" read as "1T".
    s.block(
        300,
        120,
        ["Destinatario", "Lanificio Valle Cervo S.p.A.", "Via Cervo 18", "CIF/NIF: 1T00266850213"],
    )
    data = extract_pages(s.pages)
    assert data.buyer.tax_id == "IT00266850213"
    assert data.seller.tax_id == "B20760906"


def test_a_stamp_over_net_and_tax_leaves_them_to_the_items_and_a_vat_rate() -> None:
    s = Sheet()
    y = items_table(
        s, [("Pieza A", "2", "500,00", "1.000,00"), ("Pieza B", "1", "593,28", "593,28")]
    )
    s.text(300, y + 20, "Base imponible orth, €", conf=0.4)  # the amounts under a stamp
    s.text(300, y + 34, "Cuota IVA (21,00 CO 24 59 €", conf=0.5)
    s.text(300, y + 48, "Total a pagar")
    s.right(550, y + 48, "1.927,87 €")
    data = extract_pages(s.pages)
    assert _sums(data) == ("1593.28", "334.59", "1927.87")
    assert any(w.startswith("totals_inferred") for w in data.warnings)

    # A tax that is no VAT rate of the items' sum is not inferred.
    s = Sheet()
    y = items_table(s, [("Pieza A", "2", "500,00", "1.000,00")])
    s.text(300, y + 20, "Base imponible orth, €", conf=0.4)
    s.text(300, y + 48, "Total a pagar")
    s.right(550, y + 48, "1.234,56 €")
    data = extract_pages(s.pages)
    assert data.tax_total is None


def test_an_amount_left_with_digits_lost_at_an_edge_gives_way_to_the_arithmetic() -> None:
    s = Sheet()
    y = items_table(s, [("Pieza A", "1", "224,00", "224,00")])  # the items do not vouch
    s.totals(
        [("Base imponible", "224,86 €"), ("Cuota IVA (21,00 %)", "47,22 €")]
        + [("Total a pagar", "2,08 €")],  # 272,08 under a stamp
        y=y + 20,
    )
    data = extract_pages(s.pages, ocr=True)
    assert _sums(data) == ("224.86", "47.22", "272.08")
    # A net left with its first digits, tax and total unread: the items and the rate printed.
    s = Sheet()
    y = items_table(
        s, [("Pieza A", "2", "1.000,00", "2.000,00"), ("Pieza B", "1", "155,64", "155,64")]
    )
    s.totals([("Base imponible", "55,64 €")], y=y + 20)
    s.text(300, y + 34, "IVA 10 % Ze “Ens 56€ !", conf=0.4)
    s.text(300, y + 48, "TOTALA] 2. os ,20 €", conf=0.4)
    data = extract_pages(s.pages, ocr=True)
    assert _sums(data) == ("2155.64", "215.56", "2371.20")
    assert any("the 10 % rate printed" in w for w in data.warnings)


def test_a_speck_read_as_a_minus_after_the_total_is_dropped_where_the_sums_then_hold() -> None:
    s = Sheet()
    y = items_table(s, [("Pieza A", "2", "3.726,42", "7.452,84")])
    s.totals(
        [
            ("Base'imponibie", "7.452,84 €"),  # its label garbled
            ("Cuota IVA (21,00 %)", "1.565,10 €"),
            ("Total a pagar", "9.017,94 €-"),
        ],
        y=y + 20,
    )
    data = extract_pages(s.pages, ocr=True)
    assert _sums(data) == ("7452.84", "1565.10", "9017.94")
    assert any("total -9017.94 read with its sign restored" in w for w in data.warnings)
    assert not any("-9017.94" in w for w in data.warnings if w.startswith("totals_inferred"))
    # A credit note: all three negative, as printed.
    s = Sheet()
    y = items_table(s, [("Abono pieza A", "2", "-50,00", "-100,00")])
    s.totals(
        [("Base imponible", "-100,00 €"), ("IVA 21 %", "-21,00 €"), ("Total", "-121,00 €")],
        y=y + 20,
    )
    assert _sums(extract_pages(s.pages, ocr=True)) == ("-100.00", "-21.00", "-121.00")


def test_an_issue_date_misread_into_the_future_takes_the_year_of_the_pages_other_dates() -> None:
    def issue_date(issued: str, due: str) -> tuple[str | None, list[str]]:
        s = Sheet()
        s.text(300, 100, f"Fecha: {issued}")
        s.text(300, 114, f"Vencimiento: {due}")
        items_table(s, [("Pieza A", "1", "10,00", "10,00")])
        data = extract_pages(s.pages, ocr=True)
        return (str(data.issue_date) if data.issue_date else None), data.warnings

    got, warnings = issue_date("10/02/2425", "12/03/2025")
    assert got == "2025-02-10"
    assert any(w.startswith("issue_date_repaired: year 2425 read for 2025") for w in warnings)
    assert issue_date("10/02/2425", "12/03/2425")[0] == "2425-02-10"  # no other year to go by
    assert issue_date("10/02/2024", "12/03/2025")[0] == "2024-02-10"  # a plausible year stays


def test_a_dotted_date_with_a_dot_read_as_a_colon_is_still_the_date() -> None:
    def issue_date(printed: str, ocr: bool = True) -> str | None:
        s = Sheet()
        s.text(300, 100, f"DATA DOC.: {printed}")
        items_table(s, [("Pieza A", "1", "10,00", "10,00")])
        data = extract_pages(s.pages, ocr=ocr)
        return str(data.issue_date) if data.issue_date else None

    assert issue_date("07:07.2022") == "2022-07-07"
    assert issue_date("23.01,2022") == "2022-01-23"
    assert issue_date("07:07:2022") is None  # no dot: nothing says which mark it was
    assert issue_date("07:07.2022", ocr=False) is None  # a text layer holds what was printed


def test_a_net_the_items_vouch_for_gives_the_total_its_label_lost() -> None:
    s = Sheet()
    y = items_table(
        s, [("Pezzo A", "2", "3.000,00", "6.000,00"), ("Pezzo B", "1", "1.411,98", "1.411,98")]
    )
    labels = [("Imponibile", 116, 164), ("Aliquota", 235, 272), ("IVA", 276, 291)]
    labels += [("Importo", 365, 400), ("IVA", 404, 419), ("Totale", 467, 494)]
    labels += [("documento", 497, 548)]
    for text, x0, x1 in labels:
        s.pages[0].words.append(Word(text, x0, y + 20, x1, y + 27, 0, 0.9))
    # A dark row of values: the net and the rate garbled, the total's "€" glued to a quote.
    values = [("erase}.", 118, 202, 0.2), ("Om", 238, 298, 0.2), ("0.00", 401, 419, 0.9)]
    values += [("“€7.411,98", 492, 547, 0.3)]
    for text, x0, x1, conf in values:
        s.pages[0].words.append(Word(text, x0, y + 36, x1, y + 50, 0, conf))
    data = extract_pages(s.pages, ocr=True)
    assert _sums(data) == ("7411.98", "0.00", "7411.98")
    assert any(w.startswith("totals_inferred: net_total, total") for w in data.warnings)


def test_a_total_with_one_digit_misread_is_net_plus_tax_where_the_tax_is_the_rate_printed() -> None:
    def sums(tax: str, total: str = "12.483,81 €") -> tuple[str | None, ...]:
        s = Sheet()
        y = items_table(s, [("Pieza A", "1", "10.000,00", "10.000,00")])  # a row lost: no sum
        s.totals(
            [
                ("Base imponible", "10.325,46 €"),
                ("Cuota IVA (21,00 %)", tax),
                ("Total a pagar", total),  # 12.493,81 with a 9 read as 8
            ],
            y=y + 20,
        )
        return _sums(extract_pages(s.pages, ocr=True))

    assert sums("2.168,35 €") == ("10325.46", "2168.35", "12493.81")
    # A tax that is not the rate printed of the net read (10 %) vouches for nothing: as read.
    assert sums("1.032,55 €", "11.348,01 €")[2] == "11348.01"


def test_a_stamp_over_tax_and_total_leaves_them_to_the_net_and_the_rate_printed() -> None:
    def sheet(net: str, rate: str, tax: str = "3; 90€") -> Sheet:
        s = Sheet()
        y = items_table(
            s, [("Pieza A", "2", "500,00", "1.000,00"), ("Pieza B", "1", "61,44", "61,44")]
        )
        s.text(300, y + 20, "Base imponible")
        s.right(550, y + 20, net)
        s.text(300, y + 34, f"IVA {rate} {tax}", conf=0.5)  # the amounts under a stamp
        s.text(300, y + 48, "TOTAL A PAGAR jJ4 €", conf=0.4)
        return s

    data = extract_pages(sheet("1.061,44 €", "21 %").pages, ocr=True)
    assert _sums(data) == ("1061.44", "222.90", "1284.34")
    assert any("the 21 % rate printed" in w for w in data.warnings)
    # A net the items do not vouch for, or no single rate printed: nothing is made up.
    for net, rate in (("1.061,45 €", "21 %"), ("1.061,44 €", "21 % 10 %"), ("1.061,44 €", "")):
        data = extract_pages(sheet(net, rate).pages, ocr=True)
        assert (data.tax_total, data.total) == (None, None), (net, rate)
    # Nor over a tax read whole that the rate read does not give ("(10,00 9%)" for 10 %): the
    # tax, a VAT rate of the net, gives the total.
    data = extract_pages(sheet("1.061,44 €", "(10,00 9%)", "106,14 €").pages, ocr=True)
    assert _sums(data) == ("1061.44", "106.14", "1167.58")
    # A total read without its decimal sign agrees with what the rate gives.
    s = sheet("1.061,44 €", "21 %")
    s.right(550, 420, "128434 €")
    s.text(300, 420, "Total")
    assert _sums(extract_pages(s.pages, ocr=True)) == ("1061.44", "222.90", "1284.34")
    # An exempt invoice: a 0 % rate printed, tax and total lost.
    data = extract_pages(sheet("1.061,44 €", "(0,00 %)").pages, ocr=True)
    assert _sums(data) == ("1061.44", "0.00", "1061.44")


def test_a_decimal_comma_read_as_a_semicolon_and_a_speck_after_the_currency_sign() -> None:
    from facturas_assets.documents.extraction.numbers import find_amounts

    assert [a.value for a in find_amounts("Total a pagar 2.272;20 €")] == [_d("2272.20")]
    # A speck between the currency sign and the amount read as a dot.
    assert [a.value for a in find_amounts("€ 473,30 | 0% | €.0,00 €.473,30")] == [
        _d("473.30"),
        _d("0.00"),
        _d("473.30"),
    ]
    # Only a semicolon followed by exactly two digits is a decimal sign.
    assert _d("12.345") not in [a.value for a in find_amounts("ref. 12;345")]


def test_a_value_under_its_label_is_found_past_lines_of_specks() -> None:
    s = Sheet()
    s.text(120, 220, "Fecha")
    s.text(227, 220, "Nº Factura")
    s.text(340, 220, "Vencimiento")
    page = s.pages[0]
    # The rule under the header row read as three lines of near-zero-confidence words.
    for y, text, x, conf in (
        (237, "a", 76, 0.31),
        (238, "non", 232, 0.0),
        (239, "dahon", 330, 0.0),
    ):
        page.words.append(Word(text, x, y, x + 20, y + 1, 0, conf))
    s.text(109, 244, "07/01/2023")
    s.text(220, 244, "CPS/23/05922")
    s.text(342, 244, "06/02/2023")
    data = extract_pages(s.pages)
    assert data.invoice_number == "CPS/23/05922"
    assert str(data.issue_date) == "2023-01-07"


def test_a_zero_tax_needs_a_printed_zero_rate_and_items_read_with_their_cents() -> None:
    s = Sheet()
    # One item amount lost its decimal comma: its sum is no evidence of anything.
    items_table(s, [("Riparazione", "1", "492,11", "49211"), ("Cinghia", "4", "70,57", "282,28")])
    s.text(200, 500, "Imponibile Aliquota IVA Importo IVA Totale documento", conf=0.5)
    s.text(320, 514, "€ 0,00")  # under "Importo IVA"
    data = extract_pages(s.pages)
    assert data.total is None
    assert not any(w.startswith("totals_inferred") for w in data.warnings)


def test_the_ordinal_sign_of_numero_misread_by_ocr_is_restored_in_ocr_text_only() -> None:
    from facturas_assets.documents.extraction.layout import build_lines
    from facturas_assets.documents.model import Page

    words = [
        Word("Telar", 40, 100, 70, 110, 0, 0.9),
        Word("n*", 75, 100, 85, 110, 0, 0.8),
        Word("12", 90, 100, 100, 110, 0, 0.9),
        Word("n®3", 105, 100, 120, 110, 0, 0.7),
        Word("n°", 125, 100, 135, 110, 0, 0.9),  # a spelling some invoices use: left alone
        Word("n*", 40, 130, 50, 140, 0, 1.0),  # a text layer is never rewritten
    ]
    lines = build_lines([Page(0, 595, 842, words)])
    assert [ln.text for ln in lines] == ["Telar nº 12 nº3 n°", "n*"]


def test_a_totals_label_ends_the_table_whatever_column_its_numbers_fall_in() -> None:
    # A header whose last label OCR lost ("Importe"): amounts fall in the price column.
    s = _table(
        [(40, "Descripción"), (380, "Cant."), (550, "Precio")],
        [(40, "Pieza A"), (380, "2"), (550, "100,00")],
        [(40, "Pieza B"), (380, "1"), (550, "20,00")],
    )
    s.totals(
        [("Base imponible", "120,00 e"), ("IVA 21 %", "25,20 €"), ("Total a pagar", "145,20 €")],
        y=242,
    )
    data = extract_pages(s.pages)
    assert [ln.amount for ln in data.lines] == [_d("100.00"), _d("20.00")]
    assert _sums(data) == ("120.00", "25.20", "145.20")


def test_a_garbled_tall_word_is_no_letterhead_and_takes_no_tax_id() -> None:
    s = Sheet()
    s.text(40, 23, "Manutenzioni Tessili Biellesi S.r.l.")
    s.text(40, 800, "Pagina 1 di 1")
    page = s.pages[0]
    page.words.append(Word("ra", 41, 112, 51, 137, 0, 0.34))  # "Fattura n." under a dark band
    page.words.append(Word("n.", 55, 120, 62, 127, 0, 0.71))
    s.text(305, 120, "Josep Riera Vilanova")
    s.text(305, 134, "C/ Major, 40")
    s.text(305, 148, "08500 Vic (Barcelona)")
    s.text(305, 162, "P.IVA ES77448740N")
    data = extract_pages(s.pages)
    assert data.seller.name == "Manutenzioni Tessili Biellesi S.r.l."
    assert data.buyer.tax_id == "ES77448740N"
    assert data.seller.tax_id is None


def _code_table(header: list[tuple[float, str]], across: Word | None = None) -> InvoiceData:
    s = Sheet()
    for x, label in header:
        s.text(x, 200, label)
    if across is not None:
        s.pages[0].words.append(across)
    s.right(380, 200, "Cantidad")
    s.right(460, 200, "Precio")
    s.right(550, 200, "Importe")
    s.text(40, 214, "- LAN-CIN")  # a speck before the code, left of the column rule
    s.text(100, 214, "Cinta de lanza")
    s.right(380, 214, "2")
    s.right(460, 214, "10,00")
    s.right(550, 214, "20,00")
    return extract_pages(s.pages)


def test_code_column_apart_from_descriptions_whatever_ocr_put_between_their_labels() -> None:
    for header in (
        [(40, "Artículo"), (100, "Descripción")],
        [(40, "Artículo"), (92, "-"), (100, "Descripción")],  # a rule read as a dash
        [(40, "Articulo"), (100, "Descripcién")],  # accents misread
    ):
        data = _code_table(header)
        assert [ln.description for ln in data.lines] == ["Cinta de lanza"], header
    # Garble lying across both labels (a rule, the line above) widens neither column.
    for x0, x1 in ((20, 150), (45, 110), (60, 160), (20, 300)):
        across = Word("[rico", x0, 198, x1, 214, 0, 0.47)
        data = _code_table([(40, "Artículo"), (100, "Descripción")], across)
        assert [ln.description for ln in data.lines] == ["Cinta de lanza"], (x0, x1)


def test_bullets_and_specks_before_a_description_are_dropped() -> None:
    s = Sheet()
    items_table(
        s, [("! Escobillas de carbón", "1", "5,00", "5,00"), ("¡ - Filtro", "2", "1,00", "2,00")]
    )
    assert [ln.description for ln in extract_pages(s.pages).lines] == [
        "Escobillas de carbón",
        "Filtro",
    ]


def test_a_misread_quantity_label_still_names_the_quantity_column() -> None:
    line = _first_row(
        [(40, "Descrizione"), (380, "qui"), (460, "Prezzo unit."), (550, "Importo")],  # "Q.tà"
        [(40, "Cuscinetto SKF 6205-2RS"), (380, "4"), (460, "21,00"), (550, "84,00")],
    )
    assert (line.quantity, line.unit_price, line.amount) == (_d("4"), _d("21.00"), _d("84.00"))


def test_a_long_description_runs_past_the_midpoint_between_headers() -> None:
    s = Sheet()
    items_table(s, [("Taratura semestrale dei sensori", "2", "58,95", "117,90")])
    # OCR left a wide gap before the last words, which lie right of the header midpoint.
    s.text(230, 214, "Benninger Ben-Direct")
    s.text(40, 228, "n. 7: compresi controllo dei giochi")
    s.text(250, 228, "serraggio")
    lines = extract_pages(s.pages).lines
    assert [ln.description for ln in lines] == [
        "Taratura semestrale dei sensori Benninger Ben-Direct "
        "n. 7: compresi controllo dei giochi serraggio"
    ]


def test_a_stamp_over_the_amounts_neither_ends_the_table_nor_loses_its_rows() -> None:
    s = Sheet()
    y = items_table(s, [("Manutenzione preventiva", "1", "366,13", "366,13")])
    s.text(486, y, "14/09/29,")  # the stamp's date over the amount column
    s.right(550, y + 14, "2")  # and a digit of it, alone
    s.text(40, y + 28, "Lubrificazione programmata")
    s.right(380, y + 28, "2")
    s.right(460, y + 28, "54,83")
    s.text(513, y + 28, "P09. 66")  # the amount under the stamp, garbled
    s.text(40, y + 42, "Cuscinetto SKF 6205-2RS")
    s.right(380, y + 42, "6")
    s.right(460, y + 42, "8,13")
    s.right(550, y + 42, "48,78")
    rows = [(ln.description, ln.amount) for ln in extract_pages(s.pages).lines]
    assert rows[0] == ("Manutenzione preventiva", _d("366.13"))
    assert rows[1][0] == "Lubrificazione programmata"
    assert rows[2] == ("Cuscinetto SKF 6205-2RS", _d("48.78"))


def test_a_stamp_read_as_many_overlapping_lines_counts_once_before_the_rows_after_it() -> None:
    s = Sheet()
    y = items_table(s, [("Rodamiento SKF", "1", "25,48", "25,48")])
    s.text(40, y, "Correa dentada")
    s.right(380, y, "4")
    s.text(422, y, "poe", conf=0.3)  # price and amount under the stamp
    words = s.pages[0].words
    words.append(Word("Loo", 480, y + 8, 500, y + 40, 0, 0.3))  # the stamp's ring, tall
    for n, (x, text) in enumerate(
        [(61, "A"), (424, "bol"), (483, "02/02"), (300, "Whe"), (250, "ps")]
    ):
        words.append(Word(text, x, y + 16 + 2 * n, x + 5 * len(text), y + 19 + 2 * n, 0, 0.4))
    s.text(40, y + 22, "Variador de frecuencia")
    s.right(380, y + 22, "1")
    for n, (desc, amount) in enumerate([("Filtro de aire", "41,64"), ("Kit de juntas", "58,49")]):
        s.text(40, y + 50 + 14 * n, desc)
        s.right(380, y + 50 + 14 * n, "1")
        s.right(460, y + 50 + 14 * n, amount)
        s.right(550, y + 50 + 14 * n, amount)
    rows = [(ln.description, ln.amount) for ln in extract_pages(s.pages, ocr=True).lines]
    assert rows[-2:] == [("Filtro de aire", _d("41.64")), ("Kit de juntas", _d("58.49"))]


def test_a_speck_read_as_a_digit_after_a_cells_amount_is_no_amount() -> None:
    s = Sheet()
    items_table(s, [("Rodamiento SKF", "5", "33,92€1", "169,60"), ("Filtro", "2", "2", "4")])
    lines = extract_pages(s.pages, ocr=True).lines
    assert [(ln.unit_price, ln.amount) for ln in lines] == [
        (_d("33.92"), _d("169.60")),
        (_d("2"), _d("4")),  # a lone whole number is the cell's number
    ]


def test_a_repeated_header_read_with_fewer_labels_keeps_the_first_ones_columns() -> None:
    s = Sheet()
    items_table(s, [("Pieza A", "2", "50,00", "100,00")])
    s.new_page()
    s.text(40, 100, "Descripción")
    s.right(380, 100, "Cantidad")
    s.right(460, 100, "Precio")
    s.right(550, 100, "mporte")  # "Importe" with its first letter lost
    s.text(40, 114, "Pieza B")
    s.right(380, 114, "3")
    s.right(460, 114, "10,00")
    s.right(550, 114, "30,00")
    lines = extract_pages(s.pages).lines
    assert [(ln.quantity, ln.unit_price, ln.amount) for ln in lines][1] == (
        _d("3"),
        _d("10.00"),
        _d("30.00"),
    )


def test_article_codes_heading_most_rows_are_a_column_of_their_own() -> None:
    s = Sheet()
    items_table(
        s,
        [
            ("ESC-CB      Escobillas de carbón", "1", "5,00", "5,00"),
            ("SRV-27      Puesta a punto anual", "2", "10,00", "20,00"),
            ("Desplazamiento", "1", "30,00", "30,00"),
            ("'GUA-ML     Guarnición de carda", "1", "8,00", "8,00"),  # a speck glued on
            ("KM          Kilometraje a Vic", "80", "0,40", "32,00"),  # short codes go with them
        ],
    )
    s.text(20, 228, "!")  # a rule's speck before a code
    assert [ln.description for ln in extract_pages(s.pages).lines] == [
        "Escobillas de carbón",
        "Puesta a punto anual",
        "Desplazamiento",
        "Guarnición de carda",
        "Kilometraje a Vic",
    ]
    s = Sheet()  # one code among plain descriptions is part of its description
    items_table(
        s, [("SKF-6205    Rodamiento", "1", "5,00", "5,00"), ("Grasa", "1", "2,00", "2,00")]
    )
    assert extract_pages(s.pages).lines[0].description == "SKF-6205 Rodamiento"
    s = Sheet()  # nor do short capitals apart from the text without dashed codes beside them
    items_table(
        s,
        [("KM          Kilometraje", "1", "5,00", "5,00"), ("DIET    Dietas", "1", "2,00", "2,00")],
    )
    assert extract_pages(s.pages).lines[0].description == "KM Kilometraje"


def test_codes_with_a_speck_glued_before_or_a_curly_quote_after_still_make_a_column() -> None:
    s = Sheet()
    items_table(
        s,
        [
            ("I SRV-73    Reparación de cortocircuito", "1", "5,00", "5,00"),  # a rule's speck
            ("SRV-90      Reparación de fuga", "1", "8,00", "8,00"),
            ("KM          Kilometraje a Vic", "80", "0,40", "32,00"),
            ("MO-URG      Horas extraordinarias", "2", "10,00", "20,00"),
            ("MO-ESP’     Mano de obra", "1", "30,00", "30,00"),
        ],
    )
    assert [ln.description for ln in extract_pages(s.pages).lines] == [
        "Reparación de cortocircuito",
        "Reparación de fuga",
        "Kilometraje a Vic",
        "Horas extraordinarias",
        "Mano de obra",
    ]


def test_the_left_frame_read_as_a_one_or_an_i_beside_wrapped_lines_is_no_word() -> None:
    s = Sheet()
    y = items_table(s, [("Lubrificazione programmata n. 32:", "1", "410,64", "410,64")])
    s.text(40, y, "cuscinetti, catene e guide")
    s.text(33, y, "1")  # the table's left rule, left of where any description begins
    item_row(s, y + 14, ("Pulizia tecnica n. 6", "6", "64,76", "388,56"))
    s.text(33, y + 28, "i")
    s.text(40, y + 28, "(rapportino n. 25802)")
    assert [ln.description for ln in extract_pages(s.pages, ocr=True).lines] == [
        "Lubrificazione programmata n. 32: cuscinetti, catene e guide",
        "Pulizia tecnica n. 6 (rapportino n. 25802)",
    ]
    # A text layer draws no frame as words: a "1" there is the document's own.
    assert extract_pages(s.pages).lines[0].description.endswith("32: 1 cuscinetti, catene e guide")


def test_a_header_whose_first_labels_are_unreadable_still_opens_the_table() -> None:
    line = _first_row(
        # "Descripción" and "Cant." as OCR read them
        [(40, "hn"), (380, "Cart,"), (460, "Preciolu"), (500, "%DtO"), (560, "Importe.")],
        [(40, "Filtro de aire para cuadro eléctrico"), (380, "4"), (460, "40,71"), (560, "162,84")],
    )
    assert (line.description, line.quantity, line.unit_price, line.amount) == (
        "Filtro de aire para cuadro eléctrico",
        _d("4"),
        _d("40.71"),
        _d("162.84"),
    )


def test_a_header_with_its_percent_sign_read_as_digits_is_still_a_header() -> None:
    line = _first_row(
        [(40, "Descripción"), (380, "Cant."), (440, "Precio/u"), (480, "96 Dto"), (560, "Importe")],
        [(40, "Cinta de lanza para telar"), (380, "1"), (440, "76,25"), (560, "76,25")],
    )
    assert (line.description, line.amount) == ("Cinta de lanza para telar", _d("76.25"))


def test_a_description_label_read_as_specks_beside_a_read_quantity_label() -> None:
    line = _first_row(
        [(40, "lio co"), (380, "Cant."), (460, "Precio/u"), (560, "Importe")],
        [(40, "Reparación tras avería del motor"), (380, "1"), (460, "528,94"), (560, "528,94")],
    )
    assert (line.description, line.quantity) == ("Reparación tras avería del motor", _d("1"))


def test_a_misread_last_label_right_of_the_others_names_the_amount() -> None:
    line = _first_row(
        [(40, "Descrizione"), (380, "Q.ta"), (460, "Prezzo"), (500, "Sconto"), (560, "Impo1")],
        [(40, "Sensore fotoelettrico di trama"), (380, "2"), (460, "113,25"), (560, "226,50")],
    )
    assert (line.quantity, line.unit_price, line.amount) == (_d("2"), _d("113.25"), _d("226.50"))
    header = [(40, "Descrizione"), (380, "Q.ta"), (460, "Prezzo"), (500, "Sconto")]
    row = [(40, "Sensore fotoelettrico di trama"), (380, "2"), (460, "113,25"), (560, "226,50")]
    s = _table(header, row)
    s.pages[0].words.append(Word("oD", 530, 200, 560, 210, 0, 0.3))  # as wide as a label
    line = extract_pages(s.pages).lines[0]
    assert line.amount == _d("226.50")
    line = _first_row([*header, (560, "oD")], row)  # a speck's two narrow letters: no label
    assert line.amount != _d("226.50")
    # Beside a misread label of three letters or more, two wide letters are no label.
    s = Sheet()
    for text, x0, x1 in [("Descripción", 46, 98), ("cart.", 360, 382), ("Precio", 405, 439)]:
        s.pages[0].words.append(Word(text, x0, 288, x1, 295, 0, 0.9))
    for text, x0, x1 in [("%", 459, 467), ("Dt", 470, 484), ("inporte", 509, 541)]:
        s.pages[0].words.append(Word(text, x0, 288, x1, 295, 0, 0.3))
    for text, x0, x1 in [("Grasa", 48, 93), ("10", 373, 381), ("8,95", 420, 440)]:
        s.pages[0].words.append(Word(text, x0, 312, x1, 319, 0, 0.9))
    s.pages[0].words.append(Word("89,50", 527, 312, 549, 319, 0, 0.9))
    assert extract_pages(s.pages).lines[0].amount == _d("89.50")


def test_a_short_header_label_with_a_look_alike_misread_is_matched() -> None:
    from facturas_assets.documents.extraction.labels import match_column_labels

    assert [m.kind for m in match_column_labels(["Preclo", "Importe"])] == ["unit_price", "amount"]
    assert match_column_labels(["Precxo"]) == []  # any other letter is no slip at that length


def test_a_stamps_words_over_a_row_stay_out_of_its_description_on_scans_only() -> None:
    s = Sheet()
    items_table(s, [("Filtro de aire para cuadro", "3", "29,01", "87,03")])
    s.text(250, 210, "PAGADO", size=26)  # the stamp's letters, over the row
    # A speck under a word stretches its box downwards, not its letters: still the row's word.
    s.pages[0].words.append(Word("eléctrico", 180, 214, 216, 236, 0, 0.9))
    scanned = extract_pages(s.pages, ocr=True).lines[0]
    assert scanned.description == "Filtro de aire para cuadro eléctrico"
    assert "PAGADO" in extract_pages(s.pages).lines[0].description  # text layers have no stamps


def test_a_rule_remnant_opening_a_continued_description_is_dropped() -> None:
    s = Sheet()
    items_table(s, [("Mantenimiento preventivo (plan anual, visita 4", "1", "775,95", "775,95")])
    s.text(40, 228, "de 4)")
    s.pages[0].words.append(Word("1", 35, 228, 36, 238, 0, 0.8))  # a point wide: the rule
    line = extract_pages(s.pages, ocr=True).lines[0]
    assert line.description == "Mantenimiento preventivo (plan anual, visita 4 de 4)"


def test_a_page_number_under_the_rows_ends_them_and_the_table_goes_on_next_page() -> None:
    for page_number in ("Página 1 de 2", "Pagina 1:de 2"):  # as printed, and as OCR read it
        s = Sheet()
        y = items_table(s, [("Pieza A", "2", "50,00", "100,00")])
        s.text(500, y, page_number)
        s.text(200, y + 10, "R.M. de Gipuzkoa, Tomo 2.541, Folio 88")
        s.new_page()
        items_table(s, [("Pieza B", "1", "20,00", "20,00")], y=100)
        lines = extract_pages(s.pages).lines
        assert [(ln.description, ln.amount) for ln in lines] == [
            ("Pieza A", _d("100.00")),
            ("Pieza B", _d("20.00")),
        ]


def test_a_total_read_with_digits_lost_or_added_at_an_edge_is_told_by_net_plus_tax() -> None:
    def sums(total: str, net: str = "2.097,34 €") -> InvoiceData:
        s = Sheet()
        s.totals([("Base imponible", net), ("IVA 21 %", "440,44 €"), ("TOTAL A PAGAR", total)])
        return extract_pages(s.pages)

    for garbled in ("537,78 €", "25,377,86"):  # lost under a stamp, € read as 6
        data = sums(garbled)
        assert _sums(data) == ("2097.34", "440.44", "2537.78"), garbled
        assert any(w.startswith("amount_repaired: total") for w in data.warnings)
    assert _sums(sums("2:537,78 €")) == ("2097.34", "440.44", "2537.78")  # a colon for the dot
    # Two digits off anywhere but an edge, or too few kept: the total stays as read.
    assert sums("2.573,78 €").total == _d("2573.78")
    assert sums("78 €", net="2.099,34 €").total == _d("78.00")


def test_specks_in_a_number_column_beside_a_wrapped_description_do_not_end_the_table() -> None:
    s = Sheet()
    y = items_table(s, [("Reposición de filtros y juntas", "1", "201,33", "201,33")])
    s.text(40, y, "de la continua de hilar")
    s.text(370, y, "Av)", conf=0.34)  # a stamp's remnant under the quantity header
    s.text(40, y + 14, "realizados en la nave 4")
    item_row(s, y + 28, ("Grasa de litio EP2", "3", "10,57", "31,71"))
    s.text(40, y + 42, "Descuento comercial 5 %")
    s.text(520, y + 42, "TUE", conf=0.17)  # an unreadable amount: no wrapped text
    lines = extract_pages(s.pages, ocr=True).lines
    assert [ln.description for ln in lines] == [
        "Reposición de filtros y juntas de la continua de hilar realizados en la nave 4",
        "Grasa de litio EP2",
    ]


def test_an_invoice_label_split_in_two_and_a_speck_before_its_value() -> None:
    for label in (["“Ne", "Fac", "tura"], ["NS", "Factur", "a"]):
        s = Sheet()
        s.text(40, 40, "Fecha")
        x = 140.0
        for part in label:  # OCR split the word: no space was printed inside it
            s.text(x, 40, part, conf=0.7)
            x += len(part) * 6 + 2
        s.text(40, 54, "26/10/2022")
        s.text(128, 54, "y", conf=0.6)  # a speck before the value
        s.text(140, 54, "CPS/22/06954")
        assert extract_pages(s.pages).invoice_number == "CPS/22/06954", label


def test_an_amount_with_cents_beyond_a_garbled_rate_or_speck_right_of_its_label() -> None:
    s = Sheet()
    s.totals([("Base imponible", "2.617,10 €"), ("Cuota IVA", "549,59 €"), ("Total a pagar", "")])
    s.text(360, 414, "(2£, 6", conf=0.7)  # "(21,00 %)" as OCR read it
    s.text(380, 428, "04!", conf=0.5)  # a stamp's remnant
    s.right(550, 428, "3.166,69 €")
    assert _sums(extract_pages(s.pages)) == ("2617.10", "549.59", "3166.69")


def test_the_tables_right_frame_read_as_a_lone_digit_is_no_amount() -> None:
    s = Sheet()
    y = items_table(s, [("Cambio olio programmato", "6", "46,68", "280,08")])
    s.text(40, y, "nel riduttore")
    for row_y in (y - 14, y, y + 14):  # the frame right of the amounts, on every line
        s.pages[0].words.append(Word("1", 556, row_y, 557, row_y + 10, 0, 0.95))
    s.text(40, y + 28, "Pulizia tecnica")
    s.right(380, y + 28, "1")
    s.right(460, y + 28, "257,27")
    s.right(550, y + 28, "257,27")
    rows = [(ln.description, ln.amount) for ln in extract_pages(s.pages, ocr=True).lines]
    assert rows == [
        ("Cambio olio programmato nel riduttore", _d("280.08")),
        ("Pulizia tecnica", _d("257.27")),
    ]


def test_a_header_split_into_two_lines_on_a_skewed_page_keeps_its_description() -> None:
    s = Sheet()
    s.text(40, 192, "Artículo")
    s.text(100, 192, "Descripción")  # on a skewed scan, a little below the numeric labels
    s.right(380, 184, "Cantidad")
    s.right(460, 184, "Precio")
    s.right(550, 184, "Importe")
    s.text(40, 214, "SRV-13")
    s.text(100, 214, "Puesta a punto anual")
    s.right(380, 214, "3")
    s.right(460, 214, "47,06")
    s.right(550, 214, "141,18")
    line = extract_pages(s.pages, ocr=True).lines[0]
    assert (line.description, line.quantity, line.amount) == (
        "Puesta a punto anual",
        _d("3"),
        _d("141.18"),
    )


def _coded_table_header() -> Sheet:
    """A sheet with an item table header at y=200: code, description, quantity, price, amount."""
    s = Sheet()
    s.text(40, 200, "Artículo")
    s.text(100, 200, "Descripción")
    s.right(380, 200, "Cantidad")
    s.right(460, 200, "Precio")
    s.right(550, 200, "Importe")
    return s


def test_a_code_and_its_description_read_as_one_cell_are_split_at_the_column() -> None:
    s = _coded_table_header()
    s.text(40, 214, "VAR-AUX Tornillería y material auxiliar")  # no column gap read between
    s.right(380, 214, "1")
    s.right(460, 214, "25,06")
    s.right(550, 214, "25,06")
    line = extract_pages(s.pages, ocr=True).lines[0]
    assert (line.description, line.amount) == ("Tornillería y material auxiliar", _d("25.06"))


def test_numbers_wrapped_to_a_line_of_their_own_stay_in_the_description() -> None:
    s = _coded_table_header()
    for k, number in enumerate(("18", "21", "30")):
        y = 214 + 28 * k
        s.text(40, y, f"SRV-{k}9")
        s.text(100, y, "Revisión de la carda Marzoli C701 nº")
        s.right(380, y, "1")
        s.right(460, y, "851,36")
        s.right(550, y, "851,36")
        s.text(100, y + 14, f"{number}      4")  # wrapped: the machine number, a "4" apart
    lines = extract_pages(s.pages, ocr=True).lines
    # Numbers under the description line up with no column of numbers: the code's is none.
    assert [ln.description for ln in lines] == [
        f"Revisión de la carda Marzoli C701 nº {n} 4" for n in ("18", "21", "30")
    ]


def _band_header_table(conf: float, garbled: tuple[tuple[int, str], ...] | None = None) -> Sheet:
    """An item table whose header reads "Descrizione" and then words read with `conf`."""
    s = Sheet()
    s.text(40, 200, "Descrizione")
    default = ((336, "1%"), (405, "mora"), (457, "Deis"), (514, "costa"))
    for x, word in default if garbled is None else garbled:
        s.text(x, 200, word, conf=conf)
    _band_rows(s, 214)
    return s


def _band_rows(s: Sheet, y: float) -> None:
    """Three item rows (description, quantity, price, discount, amount) from `y` down."""
    rows = [("Revisione periodica", "1", "895,35", "15%", "761,05")]
    rows += [("Pulizia tecnica", "6", "50,97", "15%", "259,95")]
    rows += [("Trasferta a Crevillent", "1", "324,94", "", "324,94")]
    for n, (desc, qty, price, discount, amount) in enumerate(rows):
        s.text(40, y + 14 * n, desc)
        s.right(380, y + 14 * n, qty)
        s.right(440, y + 14 * n, price)
        s.right(490, y + 14 * n, discount)
        s.right(550, y + 14 * n, amount)


def test_a_header_band_the_scan_destroyed_gets_its_columns_from_the_numbers_under_it() -> None:
    # "Q.tà Prezzo Sconto Importo" as OCR read them in a dark band: little, and unsure.
    lines = extract_pages(_band_header_table(conf=0.35).pages, ocr=True).lines
    assert [(ln.description, ln.quantity, ln.unit_price, ln.amount) for ln in lines] == [
        ("Revisione periodica", _d("1"), _d("895.35"), _d("761.05")),
        ("Pulizia tecnica", _d("6"), _d("50.97"), _d("259.95")),
        ("Trasferta a Crevillent", _d("1"), _d("324.94"), _d("324.94")),
    ]
    # Words read surely beside a description label are no unread labels: no header is made up.
    assert extract_pages(_band_header_table(conf=0.95).pages, ocr=True).lines == []
    # A band all but gone ("Ca" where the quantity label was), or gone, still heads the first
    # table.
    for garbled in (((327, "Ca"),), ()):
        band = _band_header_table(conf=0.3, garbled=garbled)
        assert [ln.amount for ln in extract_pages(band.pages, ocr=True).lines] == [
            _d("761.05"),
            _d("259.95"),
            _d("324.94"),
        ]
    # Nor is a wrapped description line that starts with a label word ("trabajo OT-71182").
    s = Sheet()
    items_table(s, [("Revisión según orden de", "1", "581,20", "581,20")])
    s.text(40, 214 + 14, "trabajo")
    s.text(80, 214 + 14, "OT-71182 58l,", conf=0.4)
    for n in range(3):
        s.text(40, 256 + 14 * n, f"Pieza {n}")
        s.right(380, 256 + 14 * n, "2")
        s.right(460, 256 + 14 * n, "10,00")
        s.right(550, 256 + 14 * n, "20,00")
    lines = extract_pages(s.pages, ocr=True).lines
    assert lines[0].description.startswith("Revisión según orden de trabajo")
    assert [ln.description for ln in lines[1:]] == ["Pieza 0", "Pieza 1", "Pieza 2"]


def _rows_under_a_band(band: list[tuple[int, str]], gap: float = 14) -> Sheet:
    """Three item rows under a line of words read unsure at y=200 (a header band), no label."""
    s = Sheet()
    for x, word in band:
        s.text(x, 200, word, conf=0.2)
    _band_rows(s, 200 + gap)
    return s


def test_a_header_band_destroyed_with_its_description_label_still_heads_the_first_table() -> None:
    lines = extract_pages(_rows_under_a_band([(38, "pomn"), (530, "mo,")]).pages, ocr=True).lines
    assert [(ln.description, ln.quantity, ln.amount) for ln in lines] == [
        ("Revisione periodica", _d("1"), _d("761.05")),
        ("Pulizia tecnica", _d("6"), _d("259.95")),
        ("Trasferta a Crevillent", _d("1"), _d("324.94")),
    ]
    # Unsure words that do not span the rows, or stand far above them, head nothing.
    far_right = [(300, "pomn"), (530, "mo,")]
    for band, gap in (
        ([(38, "pomn")], 14.0),
        (far_right, 14.0),
        ([(38, "pomn"), (530, "mo,")], 60.0),
    ):
        assert extract_pages(_rows_under_a_band(band, gap).pages, ocr=True).lines == []


def test_an_unread_price_label_between_quantity_and_discount_still_heads_the_prices() -> None:
    s = _table(
        [(40, "Descrizione"), (380, "Q.ta"), (420, "tae"), (440, "t"), (490, "Sconto")]
        + [(550, "Importo")],  # "Prezzo unit." read as "tae t"
        [(40, "Cuscinetto SKF"), (380, "6"), (440, "26,04"), (550, "156,24")],
        [(40, "Minuteria"), (380, "1"), (440, "38,84"), (490, "10%"), (550, "34,96")],
    )
    lines = extract_pages(s.pages, ocr=True).lines
    assert [(ln.quantity, ln.unit_price, ln.amount) for ln in lines] == [
        (_d("6"), _d("26.04"), _d("156.24")),
        (_d("1"), _d("38.84"), _d("34.96")),
    ]


def test_percentages_under_a_misread_discount_label_are_still_the_rows_discount() -> None:
    s = _table(
        [(40, "Descripción"), (380, "Cant"), (440, "Precio/u"), (485, "%VDto"), (550, "Importe")],
        [(40, "Filtro de aire"), (380, "4"), (440, "29,42"), (485, "20,00%"), (550, "94,14")],
        [(40, "Rodamiento SKF"), (380, "3"), (440, "2365"), (485, "5,00%"), (550, "67,40")],
        [(40, "Descuento comercial 5 %"), (550, "-8,08")],
    )
    lines = extract_pages(s.pages, ocr=True).lines
    assert [(ln.description, ln.unit_price, ln.amount) for ln in lines] == [
        ("Filtro de aire", _d("29.42"), _d("94.14")),
        ("Rodamiento SKF", _d("23.65"), _d("67.40")),  # its separator put back: 3 x 23,65 - 5 %
        ("Descuento comercial 5 %", None, _d("-8.08")),
    ]


@pytest.mark.parametrize(
    ("read", "on_scans"),
    [
        ("Sl-040432", "SI-040432"),  # an l among a series' capitals
        ("1NV/2024/01/4206", "INV/2024/01/4206"),  # a 1 opening them
        ("SLI-040432", "SLI-040432"),
        ("AB1-2024", "AB1-2024"),  # a 1 after capitals may be the series' own digit
    ],
)
@pytest.mark.parametrize("ocr", [True, False])
def test_an_l_or_a_leading_1_ocr_read_in_a_series_of_capitals_is_an_i_on_scans_only(
    read: str, on_scans: str, ocr: bool
) -> None:
    s = Sheet()
    s.text(380, 70, f"Invoice No: {read}", conf=0.95)
    s.text(380, 84, "Date: 12/03/2024", conf=0.95)
    s.totals([("Subtotal", "100.00"), ("VAT 20%", "20.00"), ("Total", "120.00")])
    assert extract_pages(s.pages, ocr=ocr).invoice_number == (on_scans if ocr else read)


@pytest.mark.parametrize(
    ("net", "total", "expected"),
    [
        ("€ 2139.06", "-€ 2139.06", "-2139.06"),  # the net's minus lost to OCR
        ("€ 2139.06", "€ 2139.06", "2139.06"),  # a credit note printed without minus signs
    ],
)
def test_a_credit_notes_amount_that_lost_its_minus_is_read_negative(
    net: str, total: str, expected: str
) -> None:
    s = Sheet()
    s.text(200, 44, "CREDIT NOTE No. INV/2023/06/2978", conf=0.95)
    s.text(200, 60, "Issue Date Jun 8, 2023", conf=0.95)
    s.totals([("Net total", net), ("Tax 0.00%", "€ 0.00"), ("Balance due", total)], conf=0.9)
    data = extract_pages(s.pages, ocr=True)
    assert (str(data.net_total), str(data.total)) == (expected, expected)


def test_a_lone_digit_ocr_gives_no_credit_before_a_totals_label_does_not_keep_the_table_open() -> (
    None
):
    s = Sheet()
    s.text(380, 70, "Fattura Nr. 001877/24", conf=0.95)
    s.text(380, 84, "Data doc. 18/07/2024", conf=0.95)
    items = [["Cambio olio", "1", "228,78", "228,78"], ["Trasferta", "1", "445,60", "445,60"]]
    s.table("Descrizione", ["Qtà", "Prezzo", "Imponibile"], [280, 450, 550], items, conf=0.95)
    s.text(275, 260, "0", conf=0.0)  # a speck under the quantities, read as a zero
    totals = [("Totale netto:", "674,38"), ("IVA 0 %:", "0,00"), ("Totale fattura:", "674,38")]
    s.totals(totals, y=260, conf=0.9)
    data = extract_pages(s.pages, ocr=True)
    assert len(data.lines) == 2
    assert _sums(data) == ("674.38", "0.00", "674.38")


def test_the_account_a_payment_goes_to_makes_no_credit_note_of_an_invoice() -> None:
    # "Cuenta de abono" names the seller's account: a speck before the total is still a speck.
    s = Sheet()
    y = items_table(s, [("Pieza A", "2", "3.726,42", "7.452,84")])
    totals = [("Base imponible", "7.452,84 €"), ("Cuota IVA (21,00 %)", "1.565,10 €")]
    s.totals([*totals, ("Total a pagar", "9.017,94 €-")], y=y + 20)
    s.text(40, y + 80, "Cuenta de abono: ES91 2100 0418 4502 0005 1332", conf=0.9)
    assert _sums(extract_pages(s.pages, ocr=True)) == ("7452.84", "1565.10", "9017.94")
