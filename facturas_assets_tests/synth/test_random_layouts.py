"""Randomized layouts: one layout per seed, wide variety, truth printed, `random:N` usable by name."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pypdfium2 as pdfium
import pytest

from facturas_dev.synth.formats import format_date
from facturas_dev.synth.generator import build, generate, make_invoice, render
from facturas_dev.synth.layouts import is_random_name, layout_named, resolve_layouts
from facturas_dev.synth.random_fit import fits
from facturas_dev.synth.random_layouts import (
    _random_layout,
    random_layout,
    random_layout_names,
    recase,
    wording_language,
)
from facturas_dev.synth.random_wordings import CONTENT_LANGUAGE, WORDINGS

SEEDS = range(200)
OPTIONS = (
    "letterhead",
    "title_pos",
    "meta_style",
    "meta_side",
    "buyer_style",
    "buyer_side",
    "table_rules",
    "totals_style",
    "date_style",
    "page_number_pos",
    "carry_forward",
    "percent_places",
)


def pdf_text(pdf: bytes) -> str:
    """Every page's text layer joined, whitespace collapsed."""
    doc = pdfium.PdfDocument(pdf)
    try:
        pages = [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
    finally:
        doc.close()
    return " ".join(" ".join(pages).split())


def test_the_same_seed_draws_the_same_layout() -> None:
    first = [random_layout(s) for s in range(30)]
    _random_layout.cache_clear()  # drawn again, not taken from the cache
    assert [random_layout(s) for s in range(30)] == first
    assert random_layout(3).name == "random:3"


def test_different_seeds_draw_different_layouts() -> None:
    layouts = [random_layout(s) for s in SEEDS]
    combos = {tuple(getattr(lay, o) for o in OPTIONS) for lay in layouts}
    assert len(combos) > 190
    for option in ("letterhead", "meta_style", "table_rules", "totals_style", "date_style"):
        assert len({getattr(lay, option) for lay in layouts}) >= 4, option
    assert {wording_language(lay) for lay in layouts} == set(WORDINGS)
    assert len({lay.columns for lay in layouts}) >= 10
    assert len({lay.number_format for lay in layouts}) >= 12
    assert len({lay.fonts for lay in layouts}) == 9
    assert any(lay.title_number for lay in layouts) and not all(lay.title_number for lay in layouts)
    spanish = [lay for lay in layouts if wording_language(lay) == "es"]
    assert len({lay.labels["number"] for lay in spanish}) >= 10
    assert len({lay.labels["total"] for lay in spanish}) >= 6
    # Case variants and colons are drawn too.
    assert any(lay.labels["description"].isupper() for lay in layouts)
    assert any(lay.labels["date"].endswith(":") for lay in layouts)


def test_the_wordings_cover_every_label_in_every_language() -> None:
    keys = set(WORDINGS["es"])
    for language, pools in WORDINGS.items():
        assert set(pools) == keys, language
        assert all(pools[key] for key in keys), language
        assert all("{rate}" in w for w in pools["tax"]), language
        assert CONTENT_LANGUAGE[language] in ("es", "en", "pt", "fr", "it")


def test_recase_leaves_placeholders_alone() -> None:
    assert recase("Cuota IVA {rate}", "upper") == "CUOTA IVA {rate}"
    assert recase("page {p} of {n}", "title") == "Page {p} Of {n}"


def test_every_drawn_layout_fits_and_an_overlong_label_does_not() -> None:
    layout = random_layout(11)
    assert fits(layout)
    long_label = "Fecha de emisión de la presente factura comercial ordinaria"
    wide = replace(layout, meta_style="band", labels={**layout.labels, "date": long_label})
    assert not fits(wide)


@pytest.mark.parametrize("seed", range(0, 48, 2))
def test_the_pdf_text_holds_the_truth(seed: int) -> None:
    name = f"random:{seed}"
    layout = random_layout(seed)
    inv, pdf, _ = build(seed * 1009 + 7, name, "preventiva" if seed % 4 else "correctiva")
    text = pdf_text(pdf)
    assert inv.number in text
    assert format_date(inv.issue_date, layout.date_style, wording_language(layout)) in text
    total = layout.numbers.amount(inv.total)
    assert total in text, (total, layout.numbers)
    assert inv.buyer.name in text


def test_long_dates_in_the_added_languages() -> None:
    assert format_date(date(2024, 4, 2), "long", "ca") == "2 d'abril de 2024"
    assert format_date(date(2024, 3, 2), "long", "ca") == "2 de març de 2024"
    assert format_date(date(2024, 7, 9), "long", "gl") == "9 de xullo de 2024"
    assert format_date(date(2024, 3, 1), "long", "de") == "1. März 2024"


def test_random_names_resolve() -> None:
    assert is_random_name("random:42") and not is_random_name("random:x")
    assert not is_random_name("valles_banner")
    assert layout_named("random:42") == random_layout(42)
    assert resolve_layouts(["random:42", "valles_banner"]) == ["random:42", "valles_banner"]
    with pytest.raises(ValueError):
        resolve_layouts(["random:abc"])
    names = random_layout_names(5, seed=1)
    assert len(set(names)) == 5 and names == random_layout_names(5, seed=1)
    assert names != random_layout_names(5, seed=2)


def test_generate_and_render_with_random_layouts(tmp_path) -> None:
    names = ["random:5", "random:6"]
    made = generate(4, tmp_path, seed=3, layouts=names, renderings=["text-pdf"])
    assert {m.truth["layout"] for m in made} == set(names)
    for item in made:
        assert render(item.truth) == item.path.read_bytes()
    truth = make_invoice(99, "random:5", category="correctiva")
    assert Decimal(truth["total"]) == Decimal(truth["total"]).quantize(Decimal("0.01"))
