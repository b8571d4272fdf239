"""Item rows whose cells the line's word gaps do not tell apart: numbers of neighbouring
columns in one cell, a quantity with its unit and code, rows centred vertically on a
multi-line description, a description broken after a hyphen."""

from __future__ import annotations

from decimal import Decimal

from facturas_assets.documents.extraction import extract_pages
from facturas_assets.documents.textlayer import _line_break
from facturas_assets_tests.documents.test_extraction import CHAR, Sheet
from facturas_assets_tests.documents.test_table_layouts import _table

HEADERS = [(40, "Descripción"), (330, "Cant."), (390, "Precio"), (480, "Importe")]


def _lines(s: Sheet) -> list[tuple[str | None, Decimal | None, Decimal | None, Decimal | None]]:
    data = extract_pages(s.pages)
    return [(ln.description, ln.quantity, ln.unit_price, ln.amount) for ln in data.lines]


def _d(v: str) -> Decimal:
    return Decimal(v)


def test_a_price_and_an_amount_run_into_one_cell_are_two_values() -> None:
    """'54,89€ 137,23€' one word space apart, each under its label: a number in cents ends
    there."""
    headers = [(40, "Descripción"), (330, "Cant."), (390, "Precio"), (445, "Importe")]
    s = _table(
        headers,
        [
            [(40, "Revisión del telar"), (350, "2,5", "r"), (410, "54,89€ 137,23€")],
            [(40, "Rodamiento"), (350, "4", "r"), (440, "12,50€", "r"), (480, "50,00€", "r")],
        ],
    )
    assert _lines(s) == [
        ("Revisión del telar", _d("2.5"), _d("54.89"), _d("137.23")),
        ("Rodamiento", _d("4"), _d("12.50"), _d("50.00")),
    ]


def test_a_quantity_beside_a_price_is_no_thousands_group_across_columns() -> None:
    """'1 285,88' with the 1 under the quantity label and 285,88 under the price's: two
    numbers; the same text under the amount label alone is one amount with spaced thousands."""
    headers = [(40, "Descripción"), (370, "Cant."), (410, "Precio"), (490, "Importe")]
    s = _table(
        headers,
        [
            [(40, "Revisión del telar"), (390, "1 285,88"), (530, "285,88", "r")],
            [(40, "Motor principal"), (395, "1", "r"), (440, "12,50", "r"), (530, "1 285,88", "r")],
        ],
    )
    assert _lines(s) == [
        ("Revisión del telar", _d("1"), _d("285.88"), _d("285.88")),
        ("Motor principal", _d("1"), _d("12.50"), _d("1285.88")),
    ]


def test_a_percent_and_a_negative_amount_in_one_cell_are_two_values() -> None:
    """'0% -€385.24': the VAT rate and a credit line's negative amount."""
    headers = [(40, "Description"), (300, "Qty"), (340, "Price"), (400, "VAT"), (480, "Amount")]
    s = _table(
        headers,
        [
            [(40, "Travel to site"), (315, "-1", "r"), (380, "€385.24", "r"), (440, "0% -€385.24")],
            [(40, "Weft sensor"), (315, "-2", "r"), (380, "€50.00", "r"), (440, "0% -€100.00")],
        ],
    )
    assert _lines(s) == [
        ("Travel to site", _d("-1"), _d("385.24"), _d("-385.24")),
        ("Weft sensor", _d("-2"), _d("50.00"), _d("-100.00")),
    ]


def test_a_unit_word_between_a_rows_numbers_is_set_apart() -> None:
    """'2 forfait 153,69' right of the description: quantity, unit, price."""
    headers = [(40, "Descripción"), (330, "Cant."), (370, "Ud."), (420, "Precio"), (490, "Importe")]
    s = _table(
        headers,
        [
            [(40, "Sensor de trama"), (375, "2 forfait 153,69"), (540, "307,38", "r")],
            [(40, "Rodamiento"), (380, "4", "r"), (455, "12,50", "r"), (540, "50,00", "r")],
        ],
    )
    assert _lines(s) == [
        ("Sensor de trama", _d("2"), _d("153.69"), _d("307.38")),
        ("Rodamiento", _d("4"), _d("12.50"), _d("50.00")),
    ]


def test_a_quantity_with_its_unit_before_the_description_is_read_apart() -> None:
    """'6 pcs Emergency repair': the number is the quantity, the unit no description word."""
    headers = [(40, "Qty"), (110, "Description"), (400, "Price"), (490, "Amount")]
    s = _table(
        headers,
        [
            [(40, "6 pcs Emergency repair of frame"), (440, "59.50", "r"), (540, "357.00", "r")],
            [(40, "1 ea"), (110, "Weft sensor"), (440, "233.53", "r"), (540, "233.53", "r")],
        ],
    )
    assert _lines(s) == [
        ("Emergency repair of frame", _d("6"), _d("59.50"), _d("357.00")),
        ("Weft sensor", _d("1"), _d("233.53"), _d("233.53")),
    ]


def test_description_lines_above_a_centred_rows_numbers_are_that_rows() -> None:
    """Cells centred vertically: a three-line description's first line stands above its
    row's numbers, closer to them than to the row before."""
    s = Sheet()
    s.text(40, 40, "Tejidos Norte S.L.", 16)
    s.text(330, 40, "Factura 2024-118")
    for x, label in HEADERS:
        s.text(x, 200, label)
    s.text(40, 218, "Recargo por salida")
    for x1, text in ((350, "1"), (440, "81,89"), (530, "81,89")):
        s.right(x1, 218, text)
    s.text(40, 236, "Engrase programado de la")
    s.text(40, 247, "carda nº 4: rodamientos,")
    for x1, text in ((350, "5,5"), (440, "47,74"), (530, "262,57")):
        s.right(x1, 247, text)
    s.text(40, 258, "cadenas y guías")
    s.text(40, 276, "Correa dentada")
    for x1, text in ((350, "3"), (440, "75,48"), (530, "226,44")):
        s.right(x1, 276, text)
    assert _lines(s) == [
        ("Recargo por salida", _d("1"), _d("81.89"), _d("81.89")),
        (
            "Engrase programado de la carda nº 4: rodamientos, cadenas y guías",
            _d("5.5"),
            _d("47.74"),
            _d("262.57"),
        ),
        ("Correa dentada", _d("3"), _d("75.48"), _d("226.44")),
    ]


def test_prose_from_the_code_column_into_the_descriptions_is_the_description() -> None:
    """'Descuento comercial 3 %' starting under 'Artículo': no code, one description."""
    headers = [(40, "Artículo"), (110, "Descripción"), (400, "Precio"), (490, "Importe")]
    s = _table(
        headers,
        [
            [
                (40, "SRV-20"),
                (110, "Revisión del telar"),
                (440, "150,00", "r"),
                (540, "150,00", "r"),
            ],
            [(40, "Descuento comercial 3 %"), (540, "-4,50", "r")],
        ],
    )
    assert _lines(s) == [
        ("Revisión del telar", None, _d("150.00"), _d("150.00")),
        ("Descuento comercial 3 %", None, None, _d("-4.50")),
    ]


def test_a_description_broken_after_a_hyphen_joins_without_a_space() -> None:
    """'Rieter SB-' over 'D 50': the browser broke the line after the hyphen."""
    s = _table(
        HEADERS,
        [
            [
                (40, "Revisión del manuar Rieter SB-"),
                (350, "1", "r"),
                (440, "90,00", "r"),
                (530, "90,00", "r"),
            ],
            [(40, "D 50 nº 12")],
        ],
    )
    assert _lines(s) == [
        ("Revisión del manuar Rieter SB-D 50 nº 12", _d("1"), _d("90.00"), _d("90.00"))
    ]


def test_a_text_layer_word_continued_on_the_next_line_is_two_words() -> None:
    """Char boxes (left, bottom, right, top) of 'SB-' ending a line and 'D' opening the next,
    loose boxes overlapping a point: a line break; letters side by side are none."""
    assert _line_break((327, 534, 331, 547), (38, 522, 45, 535))
    assert not _line_break((320, 534, 327, 547), (327, 534, 331, 547))
    assert not _line_break((100, 500, 110, 510), (100, 490, 110, 500))  # set sideways


def test_a_label_wrapped_tight_under_the_header_is_no_description() -> None:
    """'Désignation des' over 'prestations', as close as one cell's lines: the header's."""
    headers = [(40, "Désignation des"), (330, "Qté"), (390, "PU HT"), (480, "Montant")]
    s = _table(
        headers,
        [
            [
                (40, "Analyse vibratoire"),
                (350, "1", "r"),
                (440, "532,38", "r"),
                (530, "532,38", "r"),
            ],
            [(40, "Visserie"), (350, "2", "r"), (440, "4,80", "r"), (530, "9,60", "r")],
        ],
        top=200,
    )
    s.text(40, 210.5, "prestations")
    assert _lines(s) == [
        ("Analyse vibratoire", _d("1"), _d("532.38"), _d("532.38")),
        ("Visserie", _d("2"), _d("4.80"), _d("9.60")),
    ]


def test_a_quantitys_unit_may_be_a_whole_word() -> None:
    """'3 servicio Puesta a punto' before the description column: quantity 3, no unit word."""
    headers = [(40, "Cant."), (130, "Descripción"), (400, "Precio"), (490, "Importe")]
    s = _table(
        headers,
        [
            [(40, "3 servicio Puesta a punto anual"), (440, "54,95", "r"), (540, "164,85", "r")],
            [(40, "1"), (130, "Kit de juntas"), (440, "21,41", "r"), (540, "21,41", "r")],
        ],
    )
    assert _lines(s) == [
        ("Puesta a punto anual", _d("3"), _d("54.95"), _d("164.85")),
        ("Kit de juntas", _d("1"), _d("21.41"), _d("21.41")),
    ]


def test_prices_led_by_a_currency_code_run_into_one_cell_are_two_values() -> None:
    """'EUR 40.69 EUR 203.45': each code leads its own number, neither is a unit word."""
    headers = [(40, "Description"), (330, "Qty"), (390, "Price"), (460, "Amount")]
    s = _table(
        headers,
        [
            [(40, "Gear replacement"), (350, "5.00", "r"), (395, "EUR 40.69 EUR 203.45")],
            [
                (40, "Weft sensor"),
                (350, "1.00", "r"),
                (440, "EUR 21.23", "r"),
                (495, "EUR 21.23", "r"),
            ],
        ],
    )
    assert _lines(s) == [
        ("Gear replacement", _d("5.00"), _d("40.69"), _d("203.45")),
        ("Weft sensor", _d("1.00"), _d("21.23"), _d("21.23")),
    ]


def test_a_quantity_one_space_after_a_long_description_is_the_quantity() -> None:
    """'... de la carde TC 2,00': the last word lines up with the quantities of the other rows
    and the row has no other quantity."""
    s = _table(
        HEADERS,
        [
            [(40, "Rodamiento"), (350, "4,00", "r"), (440, "12,50", "r"), (530, "50,00", "r")],
            [
                (350, "Remplacement du moteur principal de la carde TC 2,00", "r"),
                (440, "58,10", "r"),
                (530, "116,20", "r"),
            ],
            [(40, "Courroie"), (350, "1,00", "r"), (440, "36,34", "r"), (530, "36,34", "r")],
        ],
    )
    assert _lines(s)[1] == (
        "Remplacement du moteur principal de la carde TC",
        _d("2.00"),
        _d("58.10"),
        _d("116.20"),
    )


def test_a_quantity_right_aligned_under_a_left_aligned_head_beside_the_description() -> None:
    """'10 Test item': the quantity ends before the description's head, one space from it."""
    headers = [(40, "Unidades"), (140, "Descripción"), (400, "Precio"), (490, "Importe")]
    s = _table(
        headers,
        [
            [
                (134, "10", "r"),
                (140, "Revisión del telar"),
                (440, "120,00", "r"),
                (540, "1200,00", "r"),
            ],
            [(134, "2", "r"), (140, "Sensor de trama"), (440, "50,00", "r"), (540, "100,00", "r")],
        ],
    )
    assert _lines(s) == [
        ("Revisión del telar", _d("10"), _d("120.00"), _d("1200.00")),
        ("Sensor de trama", _d("2"), _d("50.00"), _d("100.00")),
    ]


def test_a_code_column_whose_head_wraps_and_whose_code_runs_into_the_description() -> None:
    """'Part' / 'no.' wrapped in its head; a row's code one space after a long description."""
    description = "Planned lubrication of the draw frame:"
    code_x = 40 + (len(description) + 1) * CHAR
    s = Sheet()
    s.text(40, 40, "Tejidos Norte S.L.", 16)
    s.text(330, 40, "Factura 2024-118")
    s.text(330, 54, "Fecha: 14/03/2024")
    for x, label in [
        (40, "Details"),
        (code_x, "Part"),
        (400, "Qty"),
        (450, "Price"),
        (510, "Total"),
    ]:
        s.text(x, 200, label)
    s.text(code_x, 212, "no.")
    s.text(40, 230, f"{description} SRV-20")
    s.right(415, 230, "3.5")
    s.right(480, 230, "47.94")
    s.right(550, 230, "167.79")
    s.totals([("Total net", "167.79"), ("VAT 0 %", "0.00"), ("Total", "167.79")], y=300)
    assert _lines(s) == [(description, _d("3.5"), _d("47.94"), _d("167.79"))]


def test_an_amount_with_its_thousands_spaced_off_past_the_last_head_is_whole() -> None:
    """'1 190,00' right of the amount's head: the lone '1' runs on into the number one space
    on, so it is the amount's thousand, not a table frame read as a digit."""
    s = _table(
        [(40, "Descripción"), (300, "Cant."), (370, "Precio"), (440, "Importe")],
        [
            [
                (40, "Revisión del telar"),
                (320, "2", "r"),
                (430, "595,00", "r"),
                (540, "1 190,00", "r"),
            ],
            [(40, "Rodamiento"), (320, "4", "r"), (430, "12,50", "r"), (540, "50,00", "r")],
        ],
    )
    assert _lines(s) == [
        ("Revisión del telar", _d("2"), _d("595.00"), _d("1190.00")),
        ("Rodamiento", _d("4"), _d("12.50"), _d("50.00")),
    ]


def test_a_sign_before_a_currency_code_makes_the_amount_negative() -> None:
    """'-DKK 300,00': the minus stands before the code, and is the amount's."""
    s = _table(
        [(40, "Descripción"), (300, "Cant."), (370, "Precio"), (460, "Importe")],
        [
            [
                (40, "Abono revisión"),
                (320, "-2", "r"),
                (440, "DKK 150,00", "r"),
                (540, "-DKK 300,00", "r"),
            ]
        ],
    )
    assert _lines(s) == [("Abono revisión", _d("-2"), _d("150.00"), _d("-300.00"))]


def test_a_price_with_spaced_thousands_past_the_midpoint_of_the_heads_is_one_number() -> None:
    """'27 000,00' set right under a head set left: its digits cross the midpoint between the
    price's and the amount's heads, yet both groups end before the amount's head starts."""
    s = _table(
        [(40, "Descripción"), (300, "Cant."), (360, "Precio"), (470, "Importe")],
        [[(40, "Telar nuevo"), (320, "1", "r"), (450, "27 000,00", "r"), (540, "27 000,00", "r")]],
    )
    assert _lines(s) == [("Telar nuevo", _d("1"), _d("27000.00"), _d("27000.00"))]


def test_a_quantity_with_spaced_thousands_and_its_unit_is_one_number() -> None:
    """'12 450 u': the three digits after the space are the quantity's thousands, no code."""
    s = _table(
        [(40, "Descripción"), (250, "Cantidad"), (330, "Ud."), (370, "Precio"), (470, "Importe")],
        [[(40, "Consumo bloque A"), (292, "12 450 u"), (430, "0,03", "r"), (540, "373,50", "r")]],
    )
    assert _lines(s) == [("Consumo bloque A", _d("12450"), _d("0.03"), _d("373.50"))]
