"""Item quantities and prices garbled by OCR, restored only where the row's amount allows one."""

from __future__ import annotations

from decimal import Decimal

from facturas_assets.documents.extraction.line_numbers import restore_line_numbers
from facturas_assets.documents.model import InvoiceLine


def _line(qty: str | None, price: str | None, amount: str) -> InvoiceLine:
    return InvoiceLine(
        "Pieza",
        None if qty is None else Decimal(qty),
        None if price is None else Decimal(price),
        Decimal(amount),
    )


def _numbers(line: InvoiceLine) -> tuple[str | None, str | None]:
    return (
        None if line.quantity is None else str(line.quantity),
        None if line.unit_price is None else str(line.unit_price),
    )


def test_a_lost_decimal_separator_is_restored_and_reported() -> None:
    lines = [_line("45", "84.89", "382.01"), _line("4", "3643", "145.72")]
    warnings = restore_line_numbers(lines)
    assert [_numbers(ln) for ln in lines] == [("4.5", "84.89"), ("4", "36.43")]
    assert len(warnings) == 1 and warnings[0].startswith("line_numbers_restored: line 1 45 x")
    assert "line 2 4 x 3643 read as 4 x 36.43" in warnings[0]


def test_a_missing_quantity_or_price_is_derived_only_when_the_division_is_exact() -> None:
    lines = [
        _line("2.00", "10.00", "20.00"),
        _line(None, "22.79", "68.37"),  # 3 units, printed like the others: 3.00
        _line("3.00", None, "130.59"),
        _line(None, "7.00", "10.00"),  # 10 / 7 is no quantity anyone printed
    ]
    restore_line_numbers(lines)
    assert [_numbers(ln) for ln in lines] == [
        ("2.00", "10.00"),
        ("3.00", "22.79"),
        ("3.00", "43.53"),
        (None, "7.00"),
    ]


def test_rows_that_add_up_or_allow_several_readings_stay_as_read() -> None:
    lines = [_line("45", "10.00", "450.00"), _line("10", "100", "1.00")]
    assert restore_line_numbers(lines) == []  # right as read; 0.1 x 10 and 10 x 0.1 both fit
    assert [_numbers(ln) for ln in lines] == [("45", "10.00"), ("10", "100")]


def test_a_discount_column_is_part_of_the_product() -> None:
    lines = [_line("45", "10.00", "40.50"), _line(None, "21.00", "75.60")]
    restore_line_numbers(lines, [Decimal(10), Decimal(10)])
    assert [_numbers(ln) for ln in lines] == [("4.5", "10.00"), ("4", "21.00")]
    untouched = [_line("45", "10.00", "40.50")]
    assert restore_line_numbers(untouched, [None]) == []  # no discount read: 4.05 x 10 fits no


def test_a_minus_from_a_rule_and_digits_lost_or_added_at_a_cell_edge() -> None:
    lines = [
        _line("-4.5", "41.28", "185.76"),  # a rule read as a minus
        _line("4", "26", "106.84"),  # "26,71" cut at its comma
        _line("4", "55", "230.20"),  # "57,55" with its first digits lost
        _line("41", "50.55", "202.20"),  # "4" with a speck read as "1" after it
        _line("2", "159.7", "319.40"),  # the same price, its last zero lost
        _line("1", "32.70", "32.7"),  # and an amount
    ]
    warnings = restore_line_numbers(lines)
    assert [_numbers(ln) for ln in lines] == [
        ("4.5", "41.28"),
        ("4", "26.71"),
        ("4", "57.55"),
        ("4", "50.55"),
        ("2", "159.70"),
        ("1", "32.70"),
    ]
    assert str(lines[-1].amount) == "32.70"
    assert warnings[0].count("read as") == 4


def test_digits_are_not_guessed_where_an_unread_discount_may_explain_the_amount() -> None:
    lines = [_line("5", "43.00", "193.50")]  # 5 x 43 less 10 % (unread), not 4.5 x 43
    assert restore_line_numbers(lines, [None]) == []
    assert _numbers(lines[0]) == ("5", "43.00")


def test_a_discount_row_that_lost_its_minus_is_told_by_the_net() -> None:
    from facturas_assets.documents.extraction.line_numbers import restore_lost_minus

    lines = [_line("2", "50.00", "100.00"), InvoiceLine("Descuento comercial 3 %", None, None)]
    lines[1].amount = Decimal("3.00")
    warnings = restore_lost_minus(lines, Decimal("97.00"))
    assert lines[1].amount == Decimal("-3.00") and warnings[0].startswith("amount_sign_restored")
    untouched = [_line("2", "50.00", "100.00"), _line("1", "3.00", "3.00")]
    assert restore_lost_minus(untouched, Decimal("97.00")) == []  # priced 1 x 3.00: positive
    assert restore_lost_minus(lines, None) == []


def test_an_amount_without_the_cents_every_other_amount_has_lost_its_separator() -> None:
    lines = [_line("1", "10.00", "10.00"), _line("2", "5.50", "11.00"), _line("1", "7.25", "7.25")]
    lines.append(_line("4", "4646", "18584"))
    warnings = restore_line_numbers(lines)
    assert (_numbers(lines[3]), lines[3].amount) == (("4", "46.46"), Decimal("185.84"))
    assert "amount 18584 read as 185.84" in warnings[0]


def test_a_price_with_one_digit_too_many_or_a_speck_before_a_quantity() -> None:
    lines = [_line("4", "11.553", "46.12"), _line("26", "40.89", "245.34")]
    restore_line_numbers(lines)
    assert [_numbers(ln) for ln in lines] == [("4", "11.53"), ("6", "40.89")]


def test_garbled_or_lost_amounts_are_taken_from_the_row_only_when_the_lines_then_add_up() -> None:
    from facturas_assets.documents.extraction.line_numbers import restore_amounts_from_net

    def rows() -> list[InvoiceLine]:
        lines = [_line("3", "22.91", "1"), _line("1", "27.34", "-27.34"), _line("2", "10", "20")]
        lines.append(InvoiceLine("Kit de juntas", Decimal("2"), Decimal("24.81"), None))
        return lines

    lines = rows()
    warnings = restore_amounts_from_net(lines, None, Decimal("165.69"))
    assert [str(ln.amount) for ln in lines] == ["68.73", "27.34", "20", "49.62"]
    assert warnings[0].startswith("amount_restored: line 1 amount 1 read as 68.73")
    for net in (Decimal("165.70"), None):  # the lines would not add up: nothing is guessed
        untouched = rows()
        assert restore_amounts_from_net(untouched, None, net) == []
        assert [str(ln.amount) for ln in untouched] == ["1", "-27.34", "20", "None"]
    discounted = [_line("2", "50.00", "1"), _line("1", "10.00", "10.00")]
    assert restore_amounts_from_net(discounted, [None, Decimal(0)], Decimal("100.00")) == []
    restore_amounts_from_net(discounted, [Decimal(10), Decimal(0)], Decimal("100.00"))
    assert discounted[0].amount == Decimal("90.00")  # 2 x 50 less its 10 %


def test_a_price_or_amount_with_one_decimal_too_many_is_cut_where_the_row_then_adds_up() -> None:
    lines = [_line("2", "10.00", "20.00"), _line("1", "7.25", "7.25")] * 5  # the table's cents
    lines += [_line("5", "17.131", "85.65"), _line("1.5", "54.74", "82.111")]
    lines.append(_line("3", "10.00", "30.001"))  # "€" read as a 1
    lines.append(_line("3", "10.00", "31.001"))  # cut, 31.00 is still not 3 x 10.00: as read
    warnings = restore_line_numbers(lines)
    assert [(str(ln.unit_price), str(ln.amount)) for ln in lines[10:]] == [
        ("17.13", "85.65"),
        ("54.74", "82.11"),
        ("10.00", "30.00"),
        ("10.00", "31.001"),
    ]
    assert "5 x 17.131 = 85.65 read as 5 x 17.13 = 85.65" in warnings[0]


def test_a_minus_read_on_the_wrong_row_is_put_back_on_the_discount() -> None:
    from facturas_assets.documents.extraction.line_numbers import restore_amounts_from_net

    lines = [_line("1", "289.26", "-231.41"), _line("2", "10.00", "20.00")]
    discount = InvoiceLine("Sconto commerciale 10 %", None, None, Decimal("113.51"))
    lines.append(discount)
    warnings = restore_amounts_from_net(
        lines, [Decimal(20), Decimal(0), Decimal(0)], Decimal("137.90")
    )
    assert [str(ln.amount) for ln in lines] == ["231.41", "20.00", "-113.51"]
    assert "line 3 amount 113.51 read as -113.51" in warnings[0]
    # A speck's row beside them counts as read: it does not stop the minus being put back.
    lines = [_line("1", "289.26", "-231.41"), _line("2", "10.00", "20.00"), discount]
    discount.amount = Decimal("113.51")
    lines.append(InvoiceLine("·", None, None, Decimal(5)))
    restore_amounts_from_net(
        lines, [Decimal(20), Decimal(0), Decimal(0), Decimal(0)], Decimal("142.90")
    )
    assert [str(ln.amount) for ln in lines] == ["231.41", "20.00", "-113.51", "5"]


def test_a_missing_quantity_is_derived_from_a_price_read_with_a_minus() -> None:
    lines = [_line(None, "-20.00", "90.00"), _line(None, "2000", "90.00")]
    warnings = restore_line_numbers(lines)
    # "2000" may be 0.45 x 200,0 as well as 4.5 x 20,00: two readings, left as read.
    assert [_numbers(ln) for ln in lines] == [("4.5", "20.00"), (None, "2000")]
    assert "quantity 4.5 derived from 90.00 / 20.00 (price -20.00 read as 20.00)" in warnings[0]


def test_a_missing_quantity_under_a_discount_is_the_whole_number_the_rounded_amount_gives() -> None:
    lines = [_line(None, "61.67", "52.42"), _line(None, "3.33", "2.83")]
    restore_line_numbers(lines, [Decimal(15), Decimal(15)])
    # 52,42 / (61,67 x 0,85) is 1.00002: one; 2,83 / (3,33 x 0,85) is 0.9998: one too.
    assert [_numbers(ln) for ln in lines] == [("1", "61.67"), ("1", "3.33")]
    unrelated = [_line(None, "61.67", "40.00")]  # 0.763: no quantity a row would have
    assert restore_line_numbers(unrelated, [Decimal(15)]) == []


def test_a_price_read_without_its_separator_and_with_its_euro_sign_as_a_digit() -> None:
    lines = [_line("5", "26480", "132.40"), _line("2", "10.00", "20.00")]  # 26,48€
    restore_line_numbers(lines)
    assert [_numbers(ln) for ln in lines] == [("5", "26.48"), ("2", "10.00")]


def test_a_whole_quantity_that_lost_a_digit_at_an_edge() -> None:
    lines = [_line("1", "12.63", "138.93"), _line("1", "0.43", "49.02"), _line("1", "3.00", "4.50")]
    restore_line_numbers(lines)
    # 11 and 114 units; 1,5 is no whole quantity, and "1" is no edge of "15" lost: kept as read.
    assert [_numbers(ln) for ln in lines] == [("11", "12.63"), ("114", "0.43"), ("1", "3.00")]


def test_quantity_and_price_read_in_each_others_columns_are_put_back() -> None:
    lines = [
        _line("170.20", "5", "851.00"),
        *(_line("2", f"1{n}.00", f"2{n}.00") for n in range(4)),
    ]
    warnings = restore_line_numbers(lines)
    assert _numbers(lines[0]) == ("5", "170.20")
    assert "170.20 x 5 read as 5 x 170.20" in warnings[0]
    # The price alone, read in the quantity's column: the quantity is the amount's.
    lone = [
        _line("170.20", None, "851.00"),
        *(_line("2", f"1{n}.00", f"2{n}.00") for n in range(4)),
    ]
    warnings = restore_line_numbers(lone)
    assert _numbers(lone[0]) == ("5", "170.20")
    assert "170.20 read in the quantity column is the unit price, quantity 5" in warnings[0]
    # Quantities printed with two decimals too: the table's own style, left as read.
    kept = [
        _line("1.50", "40", "60.00"),
        *(_line("2.00", f"1{n}.00", f"2{n}.00") for n in range(4)),
    ]
    restore_line_numbers(kept)
    assert _numbers(kept[0]) == ("1.50", "40.00")


def test_an_amount_that_lost_digits_at_an_edge_is_quantity_times_price() -> None:
    lines = [_line("1", "110.43", "43"), _line("2", "22.72", "1546"), _line("3", "10.00", "0")]
    warnings = restore_line_numbers(lines, [Decimal(0), Decimal(0), Decimal(0)])
    # "1546" is no edge of 45,44, and a single digit tells too little: both left as read.
    assert [ln.amount for ln in lines] == [Decimal("110.43"), Decimal("1546"), Decimal("0")]
    assert "amount 43 read as 110.43" in warnings[0]
    unread = [_line("1", "110.43", "43")]  # an unread discount may explain it: left as read
    assert restore_line_numbers(unread, [None]) == []


def test_an_amount_with_a_digit_more_at_its_left_edge_is_quantity_times_price() -> None:
    lines = [_line("1", "35.19", "429.91"), _line("2", "226.25", "1452.50")]
    lines += [_line("3", "10.00", "80.00")]
    warnings = restore_line_numbers(lines, [Decimal(15), None, Decimal(0)])
    # 35,19 less 15 % is 29,91; 2 x 226,25 is 452,50 with no discount, the table's only.
    assert [ln.amount for ln in lines[:2]] == [Decimal("29.91"), Decimal("452.50")]
    assert "amount 429.91 read as 29.91" in warnings[0]
    assert lines[2].amount == Decimal("80.00")  # a digit misread, not one more: left
    # Or the price lost that digit: 2 x 13,49, 1 x 435,19. Left as read.
    price_cut = [_line("2", "3.49", "26.98"), _line("1", "35.19", "435.19")]
    restore_line_numbers(price_cut, [Decimal(0), Decimal(0)])
    assert [ln.amount for ln in price_cut] == [Decimal("26.98"), Decimal("435.19")]


def test_a_lost_amount_or_one_with_its_euro_sign_read_as_a_digit() -> None:
    lines = [_line("2", "23.73", "47460"), _line("1", "48.94", "1")]
    lines += [_line("3", f"1{n}.10", f"{3 * (10 + n)}.30") for n in range(3)]
    lines[1].amount = None  # lost under a stamp
    warnings = restore_line_numbers(lines, [Decimal(0)] * 5)
    assert [ln.amount for ln in lines[:2]] == [Decimal("47.46"), Decimal("48.94")]
    assert "amount unread, taken as 48.94 (1 x 48.94)" in warnings[0]
    unread = [_line("1", "48.94", "1")]
    unread[0].amount = None  # and its discount cell unread too: left unknown
    assert restore_line_numbers(unread, [None]) == []
    lost = [_line("8", "5645", "1"), *lines[2:]]  # a price that lost its separator: unknown
    lost[0].amount = None
    restore_line_numbers(lost, [Decimal(0)] * 4)
    assert lost[0].amount is None


def test_a_price_with_one_digit_misread_where_the_quantity_is_above_one() -> None:
    lines = [
        _line("4", "15.52", "222.08"),
        _line("12", "7.17", "93.24"),
        _line("1", "103.41", "103.47"),
    ]
    restore_line_numbers(lines)
    # 1 x 103,41 = 103,47: the price or the amount may be the misread one; left as read.
    assert [_numbers(ln) for ln in lines] == [("4", "55.52"), ("12", "7.77"), ("1", "103.41")]


def test_a_speck_beside_a_quantity_under_a_discount_whose_rounding_left_a_fraction() -> None:
    lines = [
        _line("11", "916.71", "825.04")
    ]  # a rule read as a 1: 825,04 / (916,71 x 0,9) is 1.000001
    restore_line_numbers(lines, [Decimal(10)])
    assert _numbers(lines[0]) == ("1", "916.71")


def test_a_price_that_lost_its_separator_is_read_with_the_decimals_the_table_prints() -> None:
    lines = [_line("1", "10.00", "10.00"), _line("2", "5.50", "11.00"), _line("1", "7.25", "7.25")]
    lines += [_line(None, "6249", "187.47"), _line("-1", "-547.80", "547.80")]
    warnings = restore_line_numbers(lines)
    # 6249 may be 0,03 x 6249 or 0,3 x 624,9 too: only 62,49 has the cents the table prints.
    assert [_numbers(ln) for ln in lines[3:]] == [("3", "62.49"), ("1", "547.80")]
    assert "quantity 3 derived from 187.47 / 62.49 (price 6249 read as 62.49)" in warnings[0]
    assert "-1 x -547.80 read as 1 x 547.80" in warnings[0]


def test_an_unread_discount_may_be_one_the_table_gives_elsewhere() -> None:
    lines = [_line("1", "181.49", "172.42"), _line("6", "1443", "82.25"), _line("5", "43", "215")]
    restore_line_numbers(lines, [Decimal(5), None, None])
    # 6 x 14,43 less the 5 % another row has; 5 x 43 is right as read (no discount).
    assert [_numbers(ln) for ln in lines[1:]] == [("6", "14.43"), ("5", "43")]


def test_a_minus_before_the_amount_of_a_priced_row_is_a_rule() -> None:
    lines = [_line("1", "10.00", "10.00"), _line("2", "5.50", "11.00")]
    lines += [_line("4", "6680", "-267.20"), _line("6", "157.85", "-947.10")]
    lines.append(_line(None, None, "-26.83"))  # a discount row keeps its minus
    warnings = restore_line_numbers(lines)
    assert [(_numbers(ln), str(ln.amount)) for ln in lines[2:]] == [
        (("4", "66.80"), "267.20"),
        (("6", "157.85"), "947.10"),
        ((None, None), "-26.83"),
    ]
    assert "line 4 6 x 157.85, amount -947.10 read as 947.10" in warnings[0]


def test_a_phantom_row_and_unread_discounts_are_told_by_the_net() -> None:
    from facturas_assets.documents.extraction.line_numbers import restore_amounts_from_net

    def rows() -> list[InvoiceLine]:
        lines = [_line("3", "44.74", "1"), _line("1", "100.00", "95.00")]
        lines.append(InvoiceLine(None, None, None, Decimal("90")))  # a stamp's remnant
        lines.append(InvoiceLine("Aceite", Decimal(3), Decimal("71.21"), None))
        lines.append(InvoiceLine("Descuento comercial 5 %", None, None, Decimal("-10.00")))
        return lines

    lines = rows()
    # 134,22 + 95,00 + 213,63 (no discount: its cell unread) - 10,00 = 432,85.
    warnings = restore_amounts_from_net(
        lines, [Decimal(0), Decimal(5), None, None, None], Decimal("432.85")
    )
    assert [str(ln.amount) for ln in lines] == ["134.22", "95.00", "213.63", "-10.00"]
    assert warnings[0].startswith("amount_restored: line 1 amount 1 read as 134.22")
    assert warnings[1].startswith("phantom_rows_dropped: line 3 (no words, 90)")
    # The unread discount may be the table's 5 % as well: 202,95 then makes another total.
    lines = rows()
    restore_amounts_from_net(lines, [Decimal(0), Decimal(5), None, None, None], Decimal("422.17"))
    assert [str(ln.amount) for ln in lines] == ["134.22", "95.00", "202.95", "-10.00"]
    # No choice of readings adds up: nothing is changed, nothing dropped.
    untouched = rows()
    assert restore_amounts_from_net(untouched, None, Decimal("1000.00")) == []
    assert len(untouched) == 5 and str(untouched[0].amount) == "1"
    # Two choices add up (either of two like phantoms dropped): nothing is changed either.
    twins = [_line("1", "100.00", "100.00")] + [InvoiceLine("·", None, None, Decimal(5))] * 2
    assert restore_amounts_from_net(twins, None, Decimal("105.00")) == [] and len(twins) == 3
