"""Item tables whose heads are set in two languages or apart from their numbers: alternatives
split by a slash, a second header line under the first, numbers right-aligned under heads set
further left, amounts followed by their currency code."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from facturas_assets.documents.extraction import extract_pages
from facturas_assets.documents.extraction.labels import match_column_labels
from facturas_assets.documents.extraction.table_cells import _assign
from facturas_assets.documents.extraction.table_model import Column
from facturas_assets.documents.model import Word
from facturas_assets_tests.documents.test_extraction import CHAR, Sheet
from facturas_assets_tests.documents.test_table_layouts import _table

Got = list[tuple[str | None, Decimal | None, Decimal | None, Decimal | None]]


def _lines(s: Sheet) -> Got:
    data = extract_pages(s.pages)
    return [(ln.description, ln.quantity, ln.unit_price, ln.amount) for ln in data.lines]


def _d(v: str) -> Decimal:
    return Decimal(v)


ROWS = [
    [(40, "Filtro de aire"), (200, "-1", "r"), (420, "28,17", "r"), (520, "-28,17", "r")],
    [(40, "Cadena de transporte"), (200, "-2", "r"), (420, "189,06", "r"), (520, "-378,12", "r")],
]
EXPECTED = [
    ("Filtro de aire", _d("-1"), _d("28.17"), _d("-28.17")),
    ("Cadena de transporte", _d("-2"), _d("189.06"), _d("-378.12")),
]


def test_two_labels_split_by_a_slash_head_one_column() -> None:
    """'Prezo / Precio ud.', 'Unidades / Cant.': one head in two languages, however wide the
    slash sets them apart; the right one alone would be a column of nothing."""
    s = _table(
        [
            (40, "Concepto"),
            (130, "Unidades / Cant."),
            (330, "Prezo / Precio ud."),
            (480, "Importe"),
        ],
        ROWS,
    )
    assert _lines(s) == EXPECTED


def test_two_labels_of_one_kind_without_a_slash_stay_as_they_were() -> None:
    """Without the slash the right label of the pair is a head of its own, as before: the
    slash, not the kinds alone, joins them."""
    s = _table(
        [
            (40, "Concepto"),
            (130, "Unidades   Cant."),
            (330, "Prezo   Precio ud."),
            (480, "Importe"),
        ],
        ROWS,
    )
    assert _lines(s) != EXPECTED


def test_a_second_header_line_in_another_language_does_not_replace_the_first() -> None:
    """Spanish heads over Basque ones: the lower line names fewer columns the reader knows
    (its price head is unread, run into the quantity's), so the upper one's columns are kept,
    unmixed with the lower's words, and the lower is read as part of the header, no row."""
    s = _table([(40, "Concepto"), (180, "Cant."), (330, "Precio"), (480, "Importe")], ROWS)
    s.pages[0].words = [  # the rows and totals a line further down
        replace(w, y0=w.y0 + 14, y1=w.y1 + 14) if w.y0 > 210 else w for w in s.pages[0].words
    ]
    lower = ((40, "DESKRIBAPENA"), (160, "UNITATE-PREZIOAK KOPURUA"), (480, "ZENBATEKOA"))
    for x, label in lower:
        s.text(x, 212, label)  # right under the first header line (y 200-210)
    assert _lines(s) == EXPECTED


def test_basque_price_and_discount_heads() -> None:
    found = match_column_labels(["UNITATE-PREZIOA", "KOPURUA", "%", "DESK.", "ZENBATEKOA"])
    assert [(m.kind, m.start, m.end) for m in found] == [
        ("unit_price", 0, 1),
        ("quantity", 1, 2),
        ("discount", 2, 4),
        ("amount", 4, 5),
    ]


def _cell(text: str, x0: float) -> list[Word]:
    words, x = [], x0
    for token in text.split():
        words.append(Word(token, x, 100, x + len(token) * CHAR, 110, 0, 1.0))
        x += (len(token) + 1) * CHAR
    return words


def test_a_number_starting_just_left_of_its_head_is_that_columns() -> None:
    """'941,27€' right-aligned under 'E-Preis' starts two points left of the head: placed by
    its middle it is the price, not the end of the description."""
    from facturas_assets.documents.extraction.layout import split_cells

    columns = [
        Column("description", 200, 250, 0, 300),
        Column("unit_price", 436, 470, 300, 500),
        Column("amount", 520, 556, 500, float("inf")),
    ]
    words = [
        *_cell("Replacement of the main bearing", 200),
        *_cell("941,27€", 434),
        *_cell("941,27€", 521),
    ]
    by_kind = _assign(split_cells(words), columns, ",")
    assert [c.text for c in by_kind["unit_price"]] == ["941,27€"]
    assert [c.text for c in by_kind["description"]] == ["Replacement of the main bearing"]


def test_amounts_followed_by_their_currency_code_stay_under_the_total_head() -> None:
    """A page of rows with no discount: '234,04 EUR' right-aligned under 'Total' has its digits
    end left of that head, inside the discount head's span; as printed (code included) it ends
    under 'Total', so it is the amount."""
    headers = [
        (40, "Denominación"),
        (300, "Cantidad"),
        (380, "Precio"),
        (430, "Dto."),
        (525, "Total"),
    ]
    rows = [
        [
            (40, "Guarnición de carda"),
            (345, "4", "r"),
            (440, "58,51 EUR", "r"),
            (540, "234,04 EUR", "r"),
        ],
        [
            (40, "Aceite lubricante"),
            (345, "1", "r"),
            (440, "69,39 EUR", "r"),
            (540, "69,39 EUR", "r"),
        ],
        [
            (40, "Dietas del técnico"),
            (345, "3", "r"),
            (440, "43,60 EUR", "r"),
            (540, "130,80 EUR", "r"),
        ],
    ]
    assert _lines(_table(headers, rows)) == [
        ("Guarnición de carda", _d("4"), _d("58.51"), _d("234.04")),
        ("Aceite lubricante", _d("1"), _d("69.39"), _d("69.39")),
        ("Dietas del técnico", _d("3"), _d("43.60"), _d("130.80")),
    ]


def test_a_column_rule_read_as_a_letter_glued_to_its_head() -> None:
    """OCR reads a table's vertical rule before a head as a "J", "l" or "i" glued to it
    ("Jprezo", "jimporte"): the head is still read; a word that is a head itself is left."""
    kinds = [m.kind for m in match_column_labels(["descricion", "Cantidade", "Jprezo", "jimporte"])]
    assert kinds == ["description", "quantity", "unit_price", "amount"]
    assert [m.kind for m in match_column_labels(["limporte"])] == ["amount"]
    assert match_column_labels(["Jtal"]) == []  # too short to tell a head from a word
    # An elided article is no rule: "l'importo", "l'unité" in a description are no heads.
    assert match_column_labels(["l'importo"]) == []
    assert match_column_labels(["l’unité"]) == []
