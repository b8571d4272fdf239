"""Item tables in layouts and wordings the reader was not written for: column labels cut short,
a unit word that qualifies a price, one label read as two columns."""

from __future__ import annotations

from decimal import Decimal

from facturas_assets.documents.extraction import extract_pages
from facturas_assets.documents.extraction.labels import match_column_labels
from facturas_assets.documents.model import Word
from facturas_assets_tests.documents.test_extraction import Sheet

Row = tuple[str, str, str, str]


def _table(
    headers: list[tuple[float, str]],
    rows: list[tuple[float, str] | tuple[float, str, str]],
    top: float = 200,
) -> Sheet:
    """A page with an invoice header, an item table and its totals. `headers` are (x, label)
    pairs; each row is a list of (x, text) cells, or (x1, text, "r") for a right-aligned one."""
    s = Sheet()
    s.text(40, 40, "Tejidos Norte S.L.", 16)
    s.text(330, 40, "Factura 2024-118")
    s.text(330, 54, "Fecha: 14/03/2024")
    for x, label in headers:
        s.text(x, top, label)
    y = top + 16
    for row in rows:
        for cell in row:
            if len(cell) == 3:
                s.right(cell[0], y, cell[1])
            else:
                s.text(cell[0], y, cell[1])
        y += 14
    return s


def _lines(s: Sheet) -> list[tuple[str | None, Decimal | None, Decimal | None, Decimal | None]]:
    data = extract_pages(s.pages)
    return [(ln.description, ln.quantity, ln.unit_price, ln.amount) for ln in data.lines]


def _d(v: str) -> Decimal:
    return Decimal(v)


def _rows(items: list[Row], xs: tuple[float, float, float, float]) -> list:
    """Rows of (description, quantity, price, amount) at the description's x and the right
    edges of the three numbers."""
    return [[(xs[0], d), (xs[1], q, "r"), (xs[2], p, "r"), (xs[3], a, "r")] for d, q, p, a in items]


ITEMS: list[Row] = [
    ("Revisión del telar nº 4", "2", "150,00", "300,00"),
    ("Rodamiento de bolas", "4", "12,50", "50,00"),
]
EXPECTED = [
    ("Revisión del telar nº 4", _d("2"), _d("150.00"), _d("300.00")),
    ("Rodamiento de bolas", _d("4"), _d("12.50"), _d("50.00")),
]


def test_a_unit_word_after_a_cut_short_price_word_names_the_unit_price() -> None:
    """'Pr. unidad', 'P. unitari', 'Importe unit.': money per unit, not a column of units
    (whose numbers would be lost)."""
    for label in ("Pr. unidad", "P. unitari", "Importe unit.", "Valor unit."):
        s = _table(
            [(40, "Concepto"), (300, "Cant."), (370, "Pr. x"), (480, "Importe")],
            _rows(ITEMS, (40, 320, 430, 540)),
        )
        s.pages[0].words = [w for w in s.pages[0].words if w.text not in ("Pr.", "x")]
        s.text(370, 200, label)
        assert _lines(s) == EXPECTED, label


def test_a_later_word_of_a_column_phrase_is_not_cut_as_a_glued_unit() -> None:
    """'Preu unitari': 'unitari' is the phrase's own word, not 'unita' with letters glued on."""
    found = match_column_labels(["Preu", "unitari"])
    assert [(m.kind, m.start, m.end) for m in found] == [("unit_price", 0, 2)]
    s = _table(
        [(40, "Concepte"), (300, "Quant."), (370, "Preu unitari"), (480, "Import")],
        _rows(ITEMS, (40, 320, 430, 540)),
    )
    assert _lines(s) == EXPECTED


def test_a_lone_unit_label_stands_for_the_missing_quantity_or_price() -> None:
    """'Unit.' over the counts (the table has no quantity label), or over the prices right of
    the quantity (no price label)."""
    s = _table(
        [(40, "Unit."), (100, "Concepto"), (370, "Precio"), (480, "Importe")],
        [[(60, q, "r"), (100, d), (430, p, "r"), (540, a, "r")] for d, q, p, a in ITEMS],
    )
    assert _lines(s) == EXPECTED
    s = _table(
        [(40, "Concepto"), (300, "Cant."), (390, "Unit"), (480, "Importe")],
        _rows(ITEMS, (40, 320, 430, 540)),
    )
    assert _lines(s) == EXPECTED


def test_two_description_labels_over_rows_of_prose_are_one_column() -> None:
    """'Descripción  del trabajo' spaced wide, or 'Artículo  Servicio': the left label would be
    a code column, yet the rows' text runs on from under it, in one cell, from a word of prose:
    nothing of the description is cut off as a code."""
    for left, right in (("Descripción", "del trabajo"), ("Artículo", "Servicio")):
        s = _table(
            [(40, left), (110, right), (300, "Cant."), (370, "Precio"), (480, "Importe")],
            _rows(ITEMS, (40, 320, 430, 540)),
        )
        assert _lines(s) == EXPECTED, left


def test_a_code_column_over_codes_stays_apart() -> None:
    s = _table(
        [(40, "Código"), (110, "Concepto"), (300, "Cant."), (370, "Precio"), (480, "Importe")],
        [
            [(40, code), (110, d), (320, q, "r"), (430, p, "r"), (540, a, "r")]
            for code, (d, q, p, a) in zip(("SRV-12", "ROD-6204"), ITEMS, strict=True)
        ],
    )
    assert _lines(s) == EXPECTED


def test_a_colon_set_apart_in_a_text_layer_stays_in_the_description() -> None:
    """French spacing ("technicien : A. Ferrer"): the text layer's lone colon is the text's,
    not a speck."""
    items: list[Row] = [("Révision (technicien : A. Ferrer)", "1", "80,00", "80,00")]
    s = _table(
        [(40, "Désignation"), (300, "Qté"), (370, "Prix unitaire"), (480, "Montant")],
        _rows(items, (40, 320, 430, 540)),
    )
    assert _lines(s) == [("Révision (technicien : A. Ferrer)", _d("1"), _d("80.00"), _d("80.00"))]


def test_a_short_word_wrapped_under_the_last_row_of_a_text_layer_is_kept() -> None:
    """'(caja de 100' / 'ud.)', 'Stoll CMS 530' / 'HP': a text layer has no specks."""
    s = _table(
        [(40, "Concepto"), (300, "Cant."), (370, "Precio"), (480, "Importe")],
        [*_rows(ITEMS[:1], (40, 320, 430, 540)), [(40, "HP")]],
    )
    assert _lines(s) == [("Revisión del telar nº 4 HP", _d("2"), _d("150.00"), _d("300.00"))]


def test_a_quantity_set_close_before_its_description_is_split_off() -> None:
    """'Qty. Particulars': the quantity column left of the description, its numbers one word
    space from the text ("1.00 Replacement of ..."): one cell, yet two columns."""
    s = _table(
        [(40, "Qty."), (70, "Particulars"), (370, "Rate"), (480, "Amount")],
        [[(40, f"{q} {d}"), (430, p, "r"), (540, a, "r")] for d, q, p, a in ITEMS],
    )
    assert _lines(s) == EXPECTED


def test_a_label_of_unknown_use_over_the_start_of_the_descriptions_is_theirs() -> None:
    """'Ref. | Cant. | Artículo  Servicio': beside a code column, the left of the two description
    labels is one of unknown use; the rows' text starts under it and belongs to the
    description."""
    s = _table(
        [(40, "Ref."), (90, "Cant."), (150, "Artículo"), (210, "Servicio"), (370, "Precio")],
        [
            [(40, code), (120, q, "r"), (150, d), (430, p, "r"), (540, a, "r")]
            for code, (d, q, p, a) in zip(("SRV-12", "ROD-6204"), ITEMS, strict=True)
        ],
    )
    s.text(480, 200, "Importe")
    assert _lines(s) == EXPECTED


def test_a_running_sum_closing_a_page_is_carried_not_the_end_of_the_items() -> None:
    """'Balance c/f 350,00' under the rows of page 1, the table going on on page 2: the sum is
    left out and the rows after it are kept (a sum with nothing after it would be the net)."""
    headers = [(40, "Concepto"), (300, "Cant."), (370, "Precio"), (480, "Importe")]
    s = _table(headers, _rows(ITEMS, (40, 320, 430, 540)))
    s.text(380, 250, "Balance c/f")
    s.right(540, 250, "350,00")
    s.new_page()
    for x, label in headers:
        s.text(x, 80, label)
    s.text(40, 96, "Correa dentada")
    s.right(320, 96, "1")
    s.right(430, 96, "20,00")
    s.right(540, 96, "20,00")
    s.text(300, 140, "Base imponible")
    s.right(540, 140, "370,00")
    s.text(300, 154, "IVA 21 %")
    s.right(540, 154, "77,70")
    s.text(300, 168, "Total")
    s.right(540, 168, "447,70")
    assert _lines(s) == [*EXPECTED, ("Correa dentada", _d("1"), _d("20.00"), _d("20.00"))]


def test_codes_under_the_description_label_and_text_under_a_code_label_swap() -> None:
    """Three labels of the description's words ('Concepto | Servicio | Artículo'): the
    rightmost is taken for the description, yet its rows hold codes and the text stands under
    the first. The rows decide which column is which."""
    s = _table(
        [(40, "Concepto"), (110, "Servicio"), (250, "Artículo"), (300, "Cant.")],
        [
            [(40, d), (250, code), (330, q, "r"), (430, p, "r"), (540, a, "r")]
            for code, (d, q, p, a) in zip(("SRV-12", "ROD-6204"), ITEMS, strict=True)
        ],
    )
    s.text(370, 200, "Precio")
    s.text(480, 200, "Importe")
    assert _lines(s) == EXPECTED


def test_a_short_piece_of_sideways_margin_text_joins_no_row() -> None:
    """A registry note set sideways in the margin ('COOP.', 'S.', 'MECANOTEX,' read upwards):
    its two-letter piece, too short to tell as sideways by itself, stands in the column of the
    others and is no word of the row beside it."""
    s = _table(
        [(40, "Concepto"), (300, "Cant."), (370, "Precio"), (480, "Importe")],
        _rows(ITEMS, (40, 320, 430, 540)),
    )
    words = s.pages[0].words
    words.append(Word("COOP.", 8, 180, 17, 210))
    words.append(Word("S.", 8, 214, 17, 226))  # beside the first row (y 216)
    words.append(Word("MECANOTEX,", 8, 232, 17, 292))
    s.totals([("Base imponible", "350,00"), ("IVA 21 %", "73,50"), ("Total", "423,50")], y=270)
    assert _lines(s) == EXPECTED


def test_an_unread_label_left_of_every_other_heads_a_column_of_its_own() -> None:
    """'Clave | Artículo  Servicio | ...': the unread leftmost label, a cell of its own, no
    longer widens the next label's column over the start of the descriptions."""
    s = _table(
        [(40, "Clave"), (100, "Artículo"), (160, "Servicio"), (300, "Cant."), (370, "Precio")],
        [
            [(40, code), (100, d), (320, q, "r"), (430, p, "r"), (540, a, "r")]
            for code, (d, q, p, a) in zip(("SRV-12", "ROD-6204"), ITEMS, strict=True)
        ],
    )
    s.text(480, 200, "Importe")
    assert _lines(s) == EXPECTED


def test_a_page_count_without_its_page_word_is_no_item() -> None:
    """'1 of 2' at the foot of the page, right of the descriptions: no row with an amount of 2
    (the footer after it joins no description either); '1 di 4)' ending a wrapped description
    stays in it."""
    headers = [(40, "Description"), (300, "Qty"), (370, "Price"), (480, "Amount")]
    s = _table(
        headers, [[(40, "Loom service (visit 1 of 4)"), *_rows(ITEMS, (40, 320, 430, 540))[0][1:]]]
    )
    s.right(510, 790, "1 of 2")
    s.text(150, 810, "Telares Norte Ltd Reg. 25617")
    s.new_page()
    for x, label in headers:
        s.text(x, 80, label)
    s.text(40, 96, "Timing belt")
    s.right(320, 96, "1")
    s.right(430, 96, "20.00")
    s.right(540, 96, "20.00")
    s.totals([("Net", "320.00"), ("VAT 20%", "64.00"), ("Total", "384.00")], y=140)
    s.right(510, 790, "2 of 2")
    assert _lines(s) == [
        ("Loom service (visit 1 of 4)", _d("2"), _d("150.00"), _d("300.00")),
        ("Timing belt", _d("1"), _d("20.00"), _d("20.00")),
    ]


def test_a_quantity_close_before_text_under_a_code_label_is_split_off() -> None:
    """'Unidades | Artículo  Servicio': the quantity set one word space before the text, and the
    text starting under the code label ('Artículo'): the label is the description's, and the
    quantity is split off it."""
    s = _table(
        [(60, "Unidades"), (110, "Artículo"), (170, "Servicio"), (370, "Precio")],
        [
            [(110 - 5 * (len(q) + 1), f"{q} {d}"), (430, p, "r"), (540, a, "r")]
            for d, q, p, a in ITEMS
        ],
    )
    s.text(480, 200, "Importe")
    assert _lines(s) == EXPECTED


def test_desc_names_the_discount_after_the_prices_and_the_description_before_them() -> None:
    """'Desc.' cut short from 'Descuento' right of the price: a discount column of its own, not
    a widening of the price column that would pair the prices with the percentages and push
    the prices into the descriptions. Heading the table, 'Desc.' is the description's."""
    s = _table(
        [(40, "Unid."), (80, "Concepto"), (370, "P. unitario"), (445, "Desc."), (490, "Importe")],
        [
            [(60, "2", "r"), (80, "Revisión del telar nº 4"), (430, "150,00", "r")]
            + [(470, "10 %", "r"), (540, "270,00", "r")],
            [(60, "4", "r"), (80, "Rodamiento de bolas"), (430, "12,50", "r"), (540, "50,00", "r")],
        ],
    )
    assert _lines(s) == [
        ("Revisión del telar nº 4", _d("2"), _d("150.00"), _d("270.00")),
        ("Rodamiento de bolas", _d("4"), _d("12.50"), _d("50.00")),
    ]
    s = _table(
        [(40, "Desc."), (300, "Cant."), (370, "Precio"), (480, "Importe")],
        _rows(ITEMS, (40, 320, 430, 540)),
    )
    assert _lines(s) == EXPECTED


def test_a_totals_line_of_unknown_wording_under_the_rows_joins_no_description() -> None:
    """'Goods  €350.00' on the left under the rows, its label unknown: a sum of money in a
    cell of its own is no wrapped description's words."""
    s = _table(
        [(40, "Description"), (300, "Qty"), (370, "Price"), (480, "Amount")],
        _rows(ITEMS, (40, 320, 430, 540)),
    )
    s.text(40, 260, "Goods")
    s.text(200, 260, "€350,00")
    assert _lines(s) == EXPECTED


def test_a_sideways_margin_note_with_short_words_joins_no_description() -> None:
    """'ROSSI & FERRI SRL' set sideways in the margin beside the last rows: its short words
    ('&', 'SRL'), too short to tell as sideways by themselves, are read with the others, and
    the run of sideways words is no wrapped description."""
    s = _table(
        [(40, "Concepto"), (300, "Cant."), (370, "Precio"), (480, "Importe")],
        _rows(ITEMS, (40, 320, 430, 540)),
    )
    words = s.pages[0].words
    words.append(Word("ROSSI", 6, 266, 17, 297))
    words.append(Word("&", 6, 256, 17, 263))
    words.append(Word("FERRI", 6, 224, 17, 254))
    words.append(Word("SRL", 6, 202, 17, 222))
    s.totals([("Base imponible", "350,00"), ("IVA 21 %", "73,50"), ("Total", "423,50")], y=320)
    assert _lines(s) == EXPECTED


def test_an_amount_with_a_currency_code_the_reader_does_not_know_is_a_number() -> None:
    """'DKK 800.00': the code of any currency before or after an amount in cents; without it
    read as a number the prices fell into the descriptions. A code and a number ('SRV 84')
    stay text."""
    s = _table(
        [(40, "Qty"), (80, "Description"), (410, "Price"), (480, "Amount")],
        [
            [(55, "2", "r"), (80, "Paper subscription"), (435, "DKK 400.00", "r")]
            + [(540, "DKK 800.00", "r")],
            [(55, "1", "r"), (80, "Binding SRV 84"), (435, "DKK 50.00", "r")]
            + [(540, "DKK 50.00", "r")],
        ],
    )
    assert _lines(s) == [
        ("Paper subscription", _d("2"), _d("400.00"), _d("800.00")),
        ("Binding SRV 84", _d("1"), _d("50.00"), _d("50.00")),
    ]


def test_a_quantity_with_many_decimals_is_read() -> None:
    """'1,00000000' (an e-invoice's quantity printed as stored): no amount of money, yet the
    row's quantity, not words of its description."""
    s = _table(
        [(40, "Concepto"), (300, "Cant."), (370, "Precio"), (480, "Importe")],
        [
            [(40, "Subcontrata de obra"), (345, "1,00000000", "r"), (430, "2.500,00", "r")]
            + [(540, "2.500,00", "r")]
        ],
    )
    assert _lines(s) == [("Subcontrata de obra", _d("1.00000000"), _d("2500.00"), _d("2500.00"))]


def test_short_descriptions_under_the_first_of_two_description_labels_are_kept() -> None:
    """'Artigo  Serviço' read as two labels, the first a code column: short descriptions
    ('Tekst') standing under it alone, nothing under the second, are the descriptions."""
    s = _table(
        [(40, "Artigo"), (110, "Serviço"), (300, "Qtd."), (370, "Preço"), (480, "Valor")],
        [
            [(40, "Tekst"), (320, "2", "r"), (430, "150,00", "r"), (540, "300,00", "r")],
            [(40, "Bolas"), (320, "4", "r"), (430, "12,50", "r"), (540, "50,00", "r")],
        ],
    )
    assert [ln[0] for ln in _lines(s)] == ["Tekst", "Bolas"]


def test_a_price_and_amount_with_many_decimals_and_a_currency_sign_are_read() -> None:
    s = _table(
        [(40, "Concepto"), (300, "Cant."), (370, "Precio"), (480, "Importe")],
        [
            [(40, "Flores secas"), (320, "2", "r"), (440, "13,000000 €", "r")]
            + [(550, "26,000000 €", "r")]
        ],
    )
    assert _lines(s) == [("Flores secas", _d("2"), _d("13.000000"), _d("26.000000"))]


def test_a_description_headed_by_a_word_of_capitals_is_not_cut_as_a_code() -> None:
    """'Artículo  Servicio' over 'PARIS Guest Chair, black' in one cell of a text layer: the
    capitals begin the description, they are no code standing apart from it."""
    s = _table(
        [(40, "Artículo"), (100, "Servicio"), (300, "Cant."), (370, "Precio"), (480, "Importe")],
        [
            [(40, "PARIS Guest Chair, black"), (320, "1", "r"), (430, "125,10", "r")]
            + [(540, "125,10", "r")],
            [(40, "ATHENS Mobile Pedestal"), (320, "1", "r"), (430, "267,33", "r")]
            + [(540, "267,33", "r")],
        ],
    )
    assert [ln[0] for ln in _lines(s)] == ["PARIS Guest Chair, black", "ATHENS Mobile Pedestal"]


def test_numbers_right_of_left_set_heads_stay_in_their_own_columns() -> None:
    """Heads set left in wide columns, numbers set right in them: a price ends nearer the
    amount's head than its own, yet before the amount's head starts, so it is the price."""
    items: list[Row] = [("Revisión del telar nº 4", "2", "150,00", "300,00")]
    s = _table(
        [(40, "Concepto"), (270, "Cant."), (330, "Precio"), (450, "Importe")],
        _rows(items, (40, 320, 442, 540)),
    )
    assert _lines(s) == EXPECTED[:1]


def test_a_quantity_run_into_its_unit_right_of_the_description_is_read() -> None:
    """'5,00 ud' one cell under the quantity and unit heads: the number is the quantity (its
    right edge lines up with the other quantities'), the word its unit."""
    s = _table(
        [(40, "Concepto"), (250, "Cantidad"), (345, "Ud."), (380, "Precio"), (470, "Importe")],
        [[(40, d), (318, f"{q},00 ud"), (459, p, "r"), (541, a, "r")] for d, q, p, a in ITEMS],
    )
    assert _lines(s) == [(d, q.quantize(_d("0.01")), p, a) for d, q, p, a in EXPECTED]


def test_a_quantity_starting_in_its_own_zone_is_cut_from_the_description() -> None:
    """A narrow quantity column left of the description, its head set left and the number set
    right, close to the description ("2 Revisión ..."): the number starts past the midpoint
    between the heads, yet ends before the description's head."""
    s = _table(
        [(38, "Cant."), (86, "Concepto"), (340, "Precio"), (440, "Importe")],
        [[(79, q, "r"), (85, d), (430, p, "r"), (540, a, "r")] for d, q, p, a in ITEMS],
    )
    assert _lines(s) == EXPECTED


def test_a_quantity_run_into_its_unit_left_of_the_description_is_read() -> None:
    """'2 ud' set right in a wide quantity column left of the unit and the description: the
    number sits nearer the unit's head, yet ends before it starts, so it is the quantity."""
    s = _table(
        [(40, "Cantidad"), (150, "Ud."), (200, "Concepto"), (370, "Precio"), (470, "Importe")],
        [[(133, f"{q} ud"), (200, d), (430, p, "r"), (540, a, "r")] for d, q, p, a in ITEMS],
    )
    assert _lines(s) == EXPECTED


def test_a_price_with_its_currency_code_is_no_quantity_with_a_unit() -> None:
    """'90,00 SGD' beside '1 000,00 SGD': the code is the currency's, so the number keeps the
    right edge its column's numbers share."""
    items = [("Revisión del telar", "10", "90,00 SGD", "900,00 SGD")]
    items += [("Rodamiento de bolas", "20", "1 000,00 SGD", "20 000,00 SGD")]
    s = _table(
        [(40, "Concepto"), (170, "Cant."), (200, "Precio"), (300, "Dto."), (440, "Importe")],
        [[(40, d), (194, q, "r"), (294, p, "r"), (540, a, "r")] for d, q, p, a in items],
    )
    assert _lines(s) == [
        ("Revisión del telar", _d("10"), _d("90.00"), _d("900.00")),
        ("Rodamiento de bolas", _d("20"), _d("1000.00"), _d("20000.00")),
    ]


def test_a_quantity_against_the_description_is_cut_off_beside_a_code_column() -> None:
    """'2 Revisión ...' one cell after the row's code: the code ends left of the quantity's
    zone, so it is no quantity of its own and the number before the description is."""
    s = _table(
        [(40, "Código"), (100, "Cant."), (160, "Concepto"), (370, "Precio"), (480, "Importe")],
        [
            [(40, code), (155, q, "r"), (160, d), (430, p, "r"), (540, a, "r")]
            for code, (d, q, p, a) in zip(("SRV-12", "ROD-6204"), ITEMS, strict=True)
        ],
    )
    assert _lines(s) == EXPECTED


def test_a_wrapped_line_starting_with_a_totals_word_before_a_row_stays_a_description() -> None:
    """'Base imponible anterior' close under a row, with no price and another item row after
    it: the description's second line, not the totals block ending the table."""
    s = _table(
        [(40, "Concepto"), (300, "Cant."), (370, "Precio"), (480, "Importe")],
        [
            [(40, "Ajuste de la"), (320, "1", "r"), (430, "100,00", "r"), (540, "100,00", "r")],
            [(40, "Base imponible anterior")],
            [
                (40, "Rodamiento de bolas"),
                (320, "4", "r"),
                (430, "12,50", "r"),
                (540, "50,00", "r"),
            ],
        ],
    )
    assert _lines(s) == [
        ("Ajuste de la Base imponible anterior", _d("1"), _d("100.00"), _d("100.00")),
        EXPECTED[1],
    ]


def test_a_totals_word_inside_a_description_does_not_stop_placing_the_columns() -> None:
    """'Canon sobre IVA': a totals word further on in an item's description; only a line that
    starts with one opens the totals, so the row's numbers still place the columns."""
    s = _table(
        [(40, "Concepto"), (300, "Cant."), (360, "Precio"), (470, "Importe")],
        [
            [
                (40, "Canon sobre IVA"),
                (345, "1", "r"),
                (450, "2.500,00", "r"),
                (540, "2.500,00", "r"),
            ]
        ],
    )
    assert _lines(s) == [("Canon sobre IVA", _d("1"), _d("2500.00"), _d("2500.00"))]


def test_a_german_unit_abbreviation_heads_a_column_of_its_own() -> None:
    """'ME' (Mengeneinheit) over the units: a column apart, so the unit word is no part of the
    description beside it."""
    s = _table(
        [(40, "Anz."), (100, "ME"), (140, "Beschreibung"), (370, "Preis"), (480, "Gesamt")],
        [
            [(75, q, "r"), (100, "Stk"), (140, d), (430, p, "r"), (540, a, "r")]
            for d, q, p, a in ITEMS
        ],
    )
    assert _lines(s) == EXPECTED


_PADDED_HEAD = [(40, "Descripción"), (330, "Cantidad"), (410, "Precio"), (490, "Importe")]
_WRAPPED = "Revisión del telar nº 4 en las instalaciones"
_WRAP_END = "del cliente, sección de tejeduría"


def _padded_table(body: list[tuple[str, str | Row]]) -> Sheet:
    """A page whose item table pads its cells: a cell's wrapped lines 11 points apart (a 1 point
    gap), a row's first line 8 points under the one before. `body` holds ("row", item),
    ("wrap", text) and ("text", text) entries: an item, a line wrapped in the cell above, a
    row of text alone."""
    s = Sheet()
    s.text(40, 40, "Tejidos Norte S.L.", 16)
    s.text(330, 40, "Factura 2024-118")
    s.text(330, 54, "Fecha: 14/03/2024")
    for x, label in _PADDED_HEAD:
        s.text(x, 200, label)
    y = 210.0
    for kind, entry in body:
        y += 1 if kind == "wrap" else 8
        if isinstance(entry, tuple):
            for cell in _rows([entry], (40, 380, 450, 540))[0]:
                s.right(cell[0], y, cell[1]) if len(cell) == 3 else s.text(cell[0], y, cell[1])
        else:
            s.text(40, y, entry)
        y += 10
    s.totals([("Base imponible", "350,00"), ("IVA 21 %", "73,50"), ("Total", "423,50")], y=y + 30)
    return s


_PADDED_ITEMS: list[Row] = [
    (_WRAPPED, "2", "150,00", "300,00"),
    ("Rodamiento de bolas", "4", "12,50", "50,00"),
]
_PADDED_EXPECTED = [
    (f"{_WRAPPED} {_WRAP_END}", _d("2"), _d("150.00"), _d("300.00")),
    ("Rodamiento de bolas", _d("4"), _d("12.50"), _d("50.00")),
]


def test_a_delivery_note_heading_among_padded_rows_belongs_to_no_item() -> None:
    s = _padded_table(
        [
            ("text", "Albarán 670 de 16.07.2024"),
            ("row", _PADDED_ITEMS[0]),
            ("wrap", _WRAP_END),
            ("text", "Albarán 688 de 19.07.2024"),
            ("row", _PADDED_ITEMS[1]),
        ]
    )
    assert _lines(s) == _PADDED_EXPECTED


def test_a_remark_row_after_a_wrapped_item_is_no_part_of_its_description() -> None:
    s = _padded_table(
        [
            ("row", _PADDED_ITEMS[0]),
            ("wrap", _WRAP_END),
            ("text", "Work carried out on site."),
            ("row", _PADDED_ITEMS[1]),
        ]
    )
    assert _lines(s) == _PADDED_EXPECTED


def test_a_remark_row_after_the_last_item_is_no_part_of_its_description() -> None:
    s = _padded_table(
        [
            ("row", _PADDED_ITEMS[0]),
            ("wrap", _WRAP_END),
            ("row", _PADDED_ITEMS[1]),
            ("text", "Trabajos realizados en sus instalaciones."),
        ]
    )
    assert _lines(s) == _PADDED_EXPECTED


def test_without_padding_a_text_line_under_a_row_is_still_its_wrapped_description() -> None:
    rows = _rows(_PADDED_ITEMS, (40, 380, 450, 540))
    s = _table(_PADDED_HEAD, [rows[0], [(40, _WRAP_END)], rows[1]])
    s.totals([("Base imponible", "350,00"), ("IVA 21 %", "73,50"), ("Total", "423,50")])
    assert _lines(s) == _PADDED_EXPECTED


def test_a_remark_wrapped_in_its_own_row_is_no_part_of_any_description() -> None:
    s = _padded_table(
        [
            ("row", _PADDED_ITEMS[0]),
            ("wrap", _WRAP_END),
            ("text", "Trabajos realizados en sus instalaciones"),
            ("wrap", "según el parte de trabajo firmado."),
            ("row", _PADDED_ITEMS[1]),
        ]
    )
    assert _lines(s) == _PADDED_EXPECTED


def test_a_catalan_unit_abbreviation_heads_a_column_of_its_own() -> None:
    head = [(40, "Unitats"), (90, "Ut."), (120, "Descripció"), (430, "Preu"), (500, "Import")]
    rows = [
        [(80, "2,50", "r"), (90, "u"), (120, "Revisió del teler núm. 4"), (460, "120,00", "r")]
        + [(540, "300,00", "r")],
        [(80, "4", "r"), (90, "u"), (120, "Rodament de boles"), (460, "12,50", "r")]
        + [(540, "50,00", "r")],
    ]
    s = _table(head, rows)
    s.totals([("Base imposable", "350,00"), ("IVA 21 %", "73,50"), ("Total", "423,50")])
    assert [ln[0] for ln in _lines(s)] == ["Revisió del teler núm. 4", "Rodament de boles"]


def test_a_description_wrapped_over_many_lines_beside_a_tall_code_cell_goes_on() -> None:
    """A row's code set in a cell as tall as two lines (its own line of the page, no amount),
    then its description wrapped over seven lines: the rows after it are still the table's."""
    wrapped = [
        "en la caja de engranajes",
        "de la rama Monforts",
        "Montex 6500 nº 29,",
        "incluida comprobación",
        "de holguras, reapriete",
        "de tornillería y prueba",
        "de funcionamiento",
    ]
    s = _table(
        [(40, "Código"), (110, "Descripción"), (330, "Cant."), (420, "Precio"), (500, "Importe")],
        [
            [
                (110, "Cambio de aceite"),
                (350, "1", "r"),
                (450, "515,23", "r"),
                (530, "515,23", "r"),
            ],
            *[[(110, text)] for text in wrapped],
            [(110, "Desplazamiento"), (350, "1", "r"), (450, "55,00", "r"), (530, "55,00", "r")],
            [(110, "Rodamiento"), (350, "2", "r"), (450, "10,00", "r"), (530, "20,00", "r")],
        ],
    )
    s.pages[0].words.append(Word("SRV-38", 40, 216, 75, 237.5, 0, 1.0))
    s.totals([("Base imponible", "590,23"), ("IVA 21 %", "123,95"), ("Total", "714,18 €")], y=400)
    assert [amount for *_, amount in _lines(s)] == [_d("515.23"), _d("55.00"), _d("20.00")]
