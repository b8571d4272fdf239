"""The joint choice of net, tax, recargo, withholding and total (totals_options, totals_choice)."""

from __future__ import annotations

from decimal import Decimal

from facturas_assets.documents.extraction import extract_pages
from facturas_assets.documents.extraction.fields import Candidate
from facturas_assets.documents.extraction.layout import build_lines
from facturas_assets.documents.extraction.tax_extras import TaxExtras
from facturas_assets.documents.extraction.totals_choice import Evidence, TotalsChoice, choose_totals
from facturas_assets.documents.extraction.totals_options import Option, total_options
from facturas_assets.documents.model import TaxBreakdown
from facturas_assets.documents.validation import failed_checks, is_blocking, validate
from facturas_assets_tests.documents.test_extraction import Sheet
from facturas_assets_tests.documents.test_extraction_ocr_slips import items_table

D = Decimal


def _cand(kind: str, value: str, line: int, score: float = 1.0) -> Candidate:
    return Candidate(kind, D(value), score, line, 0, 400.0 + 14 * line, False)


def _choose(
    cands: list[Candidate], evidence: Evidence | None = None, extras: TaxExtras | None = None
) -> TotalsChoice:
    options = total_options(cands, [], None, extras or TaxExtras(), None)
    return choose_totals(options, evidence or Evidence())


def _values(choice: TotalsChoice) -> tuple[str | None, ...]:
    return tuple(None if o is None else f"{o.value:f}" for o in choice.picked.values())


def test_the_joint_choice_beats_the_best_scored_amount_of_each_field() -> None:
    """A better-scored net that does not add up loses to the one that does."""
    cands = [
        _cand("net_total", "110.00", 0, 1.0),
        _cand("net_total", "100.00", 1, 0.9),
        _cand("tax_total", "21.00", 2),
        _cand("total", "121.00", 3),
    ]
    choice = _choose(cands)
    assert _values(choice) == ("100.00", "21.00", "121.00") and choice.consistent


def test_withholding_makes_the_total_after_it_add_up() -> None:
    cands = [
        _cand("net_total", "1000.00", 0),
        _cand("tax_total", "210.00", 1),
        _cand("total", "1100.00", 3, 0.9),  # no reading makes this one add up
        _cand("total", "1060.00", 4, 0.8),
    ]
    choice = _choose(cands, Evidence(withholding=D("150.00")))
    assert _values(choice) == ("1000.00", "210.00", "1060.00") and choice.consistent
    # Without the withholding read, nothing adds up: the best-scored reading, not consistent.
    assert not _choose(cands).consistent


def test_recargo_is_added_to_the_total() -> None:
    cands = [
        _cand("net_total", "1000.00", 0),
        _cand("tax_total", "210.00", 1),
        _cand("total", "1262.00", 3),
    ]
    assert _choose(cands, Evidence(recargo=D("52.00"))).consistent
    assert not _choose(cands, Evidence(recargo=D("50.00"))).consistent


def test_two_vat_rates_give_net_and_tax_as_the_sums_of_the_breakdown() -> None:
    """Tax lines per rate summed, or the breakdown rows' sums where no net was labelled."""
    cands = [
        _cand("tax_total", "210.00", 1),
        _cand("tax_total", "20.00", 3),
        _cand("total", "1430.00", 5),
    ]
    rows = [
        TaxBreakdown(D("21"), D("1000.00"), D("210.00")),
        TaxBreakdown(D("10"), D("200.00"), D("20.00")),
    ]
    choice = _choose(cands, extras=TaxExtras(breakdown=rows))
    assert _values(choice) == ("1200.00", "230.00", "1430.00") and choice.consistent
    assert choice.picked["net_total"].origin == "rows"  # type: ignore[union-attr]


def test_two_vat_rates_on_a_page() -> None:
    s = Sheet()
    s.text(40, 40, "Instalaciones Ribera S.L.", 16)
    s.text(350, 40, "Factura nº: R-2031")
    s.totals(
        [
            ("Base imponible 21 %", "1.000,00"),
            ("IVA 21 %", "210,00"),
            ("Base imponible 10 %", "200,00"),
            ("IVA 10 %", "20,00"),
            ("TOTAL", "1.430,00 €"),
        ]
    )
    data = validate(extract_pages(s.pages))
    assert (data.net_total, data.tax_total, data.total) == (D("1200.00"), D("230.00"), D("1430.00"))
    assert len(data.tax_breakdown) == 2 and failed_checks(data) == []


def test_an_unlabelled_total_is_taken_where_the_sums_agree_with_a_low_confidence() -> None:
    s = Sheet()
    s.text(350, 40, "Factura nº: R-2031")
    s.totals([("Base imponible", "1.000,00 €"), ("IVA 21 %", "210,00 €")])
    s.text(300, 440, "T0T4L :", conf=0.3)  # its label unreadable
    s.right(550, 440, "1.210,00 €")
    data = extract_pages(s.pages, ocr=True)
    assert data.total == D("1210.00")
    assert any(w.startswith("totals_inferred: total") for w in data.warnings)
    assert data.confidence["total"] <= 0.5 < data.confidence["net_total"]

    # An unlabelled amount that adds up with nothing is never taken as the total (nor is one
    # derived: the tax read is no VAT rate of the net).
    s = Sheet()
    s.text(350, 40, "Factura nº: R-2031")
    s.totals([("Base imponible", "1.000,00 €"), ("IVA", "205,00 €")])
    s.text(300, 440, "T0T4L :", conf=0.3)
    s.right(550, 440, "1.215,00 €")
    data = extract_pages(s.pages, ocr=True)
    assert data.total is None
    assert not any(w.startswith("totals_inferred") for w in data.warnings)


def test_a_credit_note_is_negative_throughout() -> None:
    cands = [
        _cand("net_total", "-100.00", 0),
        _cand("tax_total", "-21.00", 1),
        _cand("total", "-121.00", 2),
    ]
    choice = _choose(cands)
    assert _values(choice) == ("-100.00", "-21.00", "-121.00") and choice.consistent
    assert not any(o.repaired for o in choice.picked.values() if o is not None)
    # A credit note returns its withholding: the total is less negative.
    cands = [
        _cand("net_total", "-1000.00", 0),
        _cand("tax_total", "-210.00", 1),
        _cand("total", "-1060.00", 2),
    ]
    choice = _choose(cands, Evidence(withholding=D("150.00")))
    assert _values(choice) == ("-1000.00", "-210.00", "-1060.00") and choice.consistent
    assert not any(o.repaired for o in choice.picked.values() if o is not None)


def test_an_ocr_slip_is_repaired_only_when_the_sums_then_agree() -> None:
    """A total read without its decimal sign is taken as repaired only where net + tax give it."""
    cands = [
        _cand("net_total", "680.07", 0),
        _cand("tax_total", "142.81", 1),
        _cand("total", "82288", 2),  # 822,88 with its comma lost
    ]
    choice = _choose(cands)
    total = choice.picked["total"]
    assert total is not None and total.value == D("822.88") and total.repaired == "decimal sign"
    assert choice.consistent
    # Two cents off: no reading adds up, the total stays as read, unrepaired.
    cands[1] = _cand("tax_total", "142.83", 1)
    choice = _choose(cands)
    total = choice.picked["total"]
    assert total is not None and total.value == D("82288") and not total.repaired
    assert not choice.consistent


def test_a_repaired_total_on_a_page_warns_and_is_less_sure() -> None:
    s = Sheet()
    s.text(350, 40, "Factura nº: R-2031")
    s.text(350, 54, "Fecha: 12/06/2025")
    s.totals([("Base imponible", "680,07 €"), ("IVA 21 %", "142,81 €"), ("Total", "82288 €")])
    data = validate(extract_pages(s.pages, ocr=True))
    assert data.total == D("822.88")
    assert any(w.startswith("amount_repaired: total 82288") for w in data.warnings)
    assert data.confidence["total"] < data.confidence["net_total"]
    assert is_blocking(data) == []


def test_a_withholding_at_a_usual_irpf_rate_decides_between_two_consistent_readings() -> None:
    """With a total before and one after the withholding, both add up; the IRPF rate of the net
    (15 %) vouches for the withholding, and so for the total after it, printed first here."""

    def total(after: str, withheld: str) -> str | None:
        cands = [
            _cand("net_total", "1000.00", 0),
            _cand("tax_total", "210.00", 1),
            _cand("total", after, 2, 0.9),
            _cand("total", "1210.00", 4, 0.9),
        ]
        return _values(_choose(cands, Evidence(withholding=D(withheld))))[2]

    assert total("1060.00", "150.00") == "1060.00"
    # A withholding that is no usual rate of the net vouches for nothing: the later line wins.
    assert total("1057.00", "153.00") == "1210.00"


def test_an_unprinted_zero_tax_needs_a_zero_rate_or_the_items() -> None:
    cands = [_cand("net_total", "558.92", 0), _cand("total", "558.92", 2)]
    assert _values(_choose(cands, Evidence(zero_rate=True)))[1] == "0.00"
    items = D("558.92")
    assert _values(_choose(cands, Evidence(items=items, exact_items=items)))[1] == "0.00"
    other = D("500.00")
    assert _values(_choose(cands, Evidence(items=other, exact_items=other)))[1] is None


def test_tax_and_total_under_a_stamp_come_from_the_items_net_and_the_rate_printed() -> None:
    net = D("1061.44")
    options = total_options([_cand("net_total", "1061.44", 0)], [], None, TaxExtras(), net)
    choice = choose_totals(options, Evidence(items=net, exact_items=net, rate=D("21")))
    assert _values(choice) == ("1061.44", "222.90", "1284.34")
    assert "21 % rate printed" in choice.derived
    assert not choice.consistent  # derived values add up by construction: no vouching
    # Without a rate printed nothing is made up.
    choice = choose_totals(options, Evidence(items=net, exact_items=net))
    assert _values(choice) == ("1061.44", None, None)


def test_a_net_read_surely_stays_even_where_the_items_disagree() -> None:
    """The items' sum stands in for a net read unsurely; one read surely is the invoice's, and
    figures that disagree are then validation's to report."""

    def sheet(conf: float) -> Sheet:
        s = Sheet()
        s.text(350, 40, "Factura nº: R-2031")
        s.text(350, 54, "Fecha: 12/06/2025")
        y = items_table(s, [("Pieza A", "2", "500,00", "1.000,00")])
        s.text(300, y + 20, "Base imponible", conf=conf)
        s.right(550, y + 20, "150,00 €")  # no slip of 1.000,00 reads so
        s.totals([("IVA 21 %", "210,00 €"), ("Total", "1.210,00 €")], y=y + 34)
        return s

    data = validate(extract_pages(sheet(1.0).pages))
    assert (data.net_total, data.tax_total, data.total) == (D("150.00"), D("210.00"), D("1210.00"))
    assert is_blocking(data)  # the invoice's own figures disagree
    data = validate(extract_pages(sheet(0.4).pages, ocr=True))
    assert data.net_total == D("1000.00") and is_blocking(data) == []
    assert any(w.startswith("totals_inferred: net_total") for w in data.warnings)


def test_an_amount_read_under_another_roles_label_is_still_an_unlabelled_option() -> None:
    """A garbled "Total (IVA incl.)" reads as a tax label: its amount, unlabelled, may still be
    the total where the sums agree (and no rate is printed to derive one from)."""
    s = Sheet()
    s.totals([("Base", "1.000,00"), ("IVA", "210,00"), ("Total IVA inel.", "1.210,00")])
    lines = build_lines(s.pages)
    cands = [
        _cand("net_total", "1000.00", 0),
        _cand("tax_total", "210.00", 1),
        _cand("tax_total", "1210.00", 2, 0.9),
    ]
    choice = choose_totals(total_options(cands, lines, None, TaxExtras(), None), Evidence())
    assert _values(choice) == ("1000.00", "210.00", "1210.00") and choice.consistent
    assert choice.picked["total"].origin == "block"  # type: ignore[union-attr]
    # ... but never the net's own printing, read again as the total with no tax.
    cands = [_cand("net_total", "1000.00", 0)]
    choice = choose_totals(total_options(cands, lines[:1], None, TaxExtras(), None), Evidence())
    assert _values(choice) == ("1000.00", None, None)


def test_a_total_nobody_read_is_net_plus_tax_plus_the_recargo_read() -> None:
    cands = [_cand("net_total", "1384.35", 0), _cand("tax_total", "290.71", 1)]
    choice = _choose(cands, Evidence(rate=D("21"), recargo=D("71.99")))
    assert _values(choice) == ("1384.35", "290.71", "1747.05")
    assert choice.picked["total"].origin == "derived"  # type: ignore[union-attr]
    # Less a withholding read; and never a tax derived past a recargo.
    choice = _choose(cands, Evidence(rate=D("21"), withholding=D("207.65")))
    assert _values(choice) == ("1384.35", "290.71", "1467.41")
    net_and_total = [_cand("net_total", "1384.35", 0), _cand("total", "1747.05", 2)]
    choice = _choose(net_and_total, Evidence(rate=D("21"), recargo=D("71.99")))
    assert _values(choice)[1] is None


def test_no_zero_tax_beside_a_breakdown_that_taxes_its_bases() -> None:
    # The base read as the net (the breakdown's sums) and again, unlabelled, as a total.
    rows = [TaxBreakdown(D("21"), D("1384.35"), D("290.71"))]
    options = total_options([], [], None, TaxExtras(breakdown=rows), None)
    options["total"].append(Option(D("1384.35"), 0.17, 32, "block"))
    evidence = Evidence(rate=D("21"), rows=(D("1384.35"), D("290.71")))
    assert _values(choose_totals(options, evidence))[1] == "290.71"


def test_totals_on_the_first_page_and_the_items_on_the_next() -> None:
    """Page 1 states the totals (items' sum, a discount and a charge on the whole invoice, the
    net, the VAT at its rate, the gross, a prepaid amount, the amount due); page 2 lists the
    items: the totals are read where they are printed, not after the items. The tax's label is
    one the lexicon does not know: its rate, printed in the block, vouches for it."""
    s = Sheet()
    s.text(40, 40, "Apex Solutions Ltd.", 16)
    s.text(40, 62, "VAT: GB987654321")
    s.text(340, 100, "Rechnungsnummer: INV-2023-00789")
    s.text(340, 114, "Rechnungsdatum: 01.10.2023")
    s.totals(
        [
            ("Summe der Positionen", "135,00 €"),
            ("Nachlass: Treuerabatt", "- 14,00 €"),
            ("Zuschlag: Versand", "0,50 €"),
            ("Gesamtbetrag Netto", "121,50 €"),
            ("Abgabe (19,00 %)", "23,09 €"),
            ("Gesamtbetrag Brutto", "144,59 €"),
            ("Rundungsbetrag", "0,01 €"),
            ("Vorausbezahlter Betrag", "10,00 €"),
            ("Offener Betrag", "134,60 €"),
        ],
        y=300,
    )
    s.new_page()
    s.text(40, 75, "Pos. Produkt")
    s.text(258, 75, "Menge")
    s.text(308, 75, "Einzelpreis")
    s.text(497, 75, "Gesamtpreis")
    for y, (pos, name, qty, price, amount) in zip(
        (100, 130),
        [
            ("1", "Industrial fasteners", "5", "18,00 €", "90,00 €"),
            ("2", "Filters", "3", "15,00 €", "45,00 €"),
        ],
        strict=True,
    ):
        s.text(76, y, pos)
        s.text(98, y, name)
        s.text(270, y, qty)
        s.right(360, y, price)
        s.right(550, y, amount)
        s.text(98, y + 10, "Produktbeschreibung: stainless steel")
    data = validate(extract_pages(s.pages))
    assert [ln.amount for ln in data.lines] == [Decimal("90.00"), Decimal("45.00")]
    assert (data.net_total, data.tax_total, data.total) == (
        Decimal("121.50"),
        Decimal("23.09"),
        Decimal("144.59"),
    )
