"""The evidence and confidence of the seller's and buyer's names."""

from __future__ import annotations

import json

import numpy as np
import pytest

from facturas_assets.documents.extraction import extract_pages
from facturas_assets.documents.extraction.party_confidence import (
    FEATURES,
    WEIGHTS,
    NameEvidence,
    default_model,
    load_model,
    name_features,
    recording,
)
from facturas_assets.documents.extraction.scorer import ScorerFormatError
from facturas_assets_tests.documents.test_extraction import Sheet

_TOTALS = [("Base imponible", "100,00"), ("IVA 21 %", "21,00"), ("Total", "121,00 €")]


def _evidence(sheet: Sheet) -> dict[str, NameEvidence]:
    """The evidence of each party's name as the extractor recorded it."""
    with recording() as rows:
        extract_pages(sheet.pages)
    return {e.role: e for e, _ in rows}


def _labelled(buyer: str = "Tintes del Sur, S.L.") -> Sheet:
    """Both parties under labels, each block with its tax id."""
    s = Sheet()
    s.block(40, 40, ["Emisor:", "Talleres Ebro, S.L.", "C/ Mayor 1", "CIF: B12345674"])
    s.block(300, 40, ["Cliente:", buyer, "Av. del Puerto 8", "NIF: A58818501"])
    s.text(40, 130, "Factura nº: 2024-0117")
    s.text(40, 144, "Fecha: 30/04/2024")
    s.totals(_TOTALS)
    return s


def test_a_labelled_name_with_legal_form_and_tax_id_in_its_block() -> None:
    found = _evidence(_labelled())
    seller, buyer = found["seller"], found["buyer"]
    assert seller.text == "Talleres Ebro, S.L." and buyer.text == "Tintes del Sur, S.L."
    for e in (seller, buyer):
        assert e.source == "label" and e.strength == 1.0
        assert e.legal_form and e.tax_id_inside and e.tax_id_valid
        assert not e.address_like and not e.label_inside and not e.contact
        assert e.run == 0 and e.name_ocr == 1.0
    assert seller.other == buyer.text


def test_letterhead_and_a_buyer_found_over_its_tax_id() -> None:
    s = Sheet()
    s.text(40, 30, "Talleres Ebro", 16)
    s.block(40, 50, ["C/ Mayor 1", "50001 Zaragoza", "CIF: B12345674"])
    s.text(330, 40, "Factura nº: 2024-0117")
    s.text(330, 54, "Fecha: 30/04/2024")
    s.block(40, 130, ["Tintes del Sur", "Av. del Puerto 8", "41001 Sevilla", "NIF: A58818501"])
    s.totals(_TOTALS)
    found = _evidence(s)
    assert found["seller"].source == "letterhead" and not found["seller"].legal_form
    assert found["buyer"].source == "tax_id" and found["buyer"].tax_id_inside


def test_features_of_shape_and_of_the_other_party() -> None:
    base = _evidence(_labelled())["buyer"]
    row = dict(zip(FEATURES, name_features(base), strict=True))
    assert row["source_label"] == 1.0 and row["source_letterhead"] == 0.0
    assert row["same_as_other"] == 0.0 and row["contains_other"] == 0.0
    assert row["words"] == 4 and row["digit_share"] == 0.0
    same = dict(zip(FEATURES, name_features(_replace(base, "Talleres Ebro, S.L.")), strict=True))
    assert same["same_as_other"] == 1.0
    part = dict(zip(FEATURES, name_features(_replace(base, "TALLERES EBRO")), strict=True))
    assert part["contains_other"] == 1.0 and part["upper_share"] == 1.0
    odd = dict(zip(FEATURES, name_features(_replace(base, "Ti»nt€s 2024")), strict=True))
    assert odd["odd_share"] > 0 and odd["digit_share"] > 0


def _replace(e: NameEvidence, text: str) -> NameEvidence:
    from dataclasses import replace

    return replace(e, text=text)


def test_a_name_cut_short_scores_below_the_whole_name() -> None:
    whole = extract_pages(_labelled("Cooperativa Textil de Baza").pages).confidence["buyer.name"]
    s = Sheet()
    s.block(40, 40, ["Emisor:", "Talleres Ebro, S.L.", "C/ Mayor 1", "CIF: B12345674"])
    s.block(300, 40, ["Cliente:", "Cooperativa", "Textil de Baza", "Av. del Puerto 8"])
    s.block(300, 96, ["NIF: A58818501"])
    s.text(40, 130, "Factura nº: 2024-0117")
    s.text(40, 144, "Fecha: 30/04/2024")
    s.totals(_TOTALS)
    cut = extract_pages(s.pages)
    assert cut.buyer.name == "Cooperativa"
    assert cut.confidence["buyer.name"] < whole


def test_a_sure_labelled_name_outscores_an_unsure_bare_address_block() -> None:
    sure = extract_pages(_labelled().pages).confidence["buyer.name"]
    s = Sheet()
    s.text(40, 30, "Talleres Ebro", 16)
    s.block(40, 50, ["C/ Mayor 1", "50001 Zaragoza"])
    s.text(330, 40, "Factura nº: 2024-0117")
    s.text(330, 54, "Fecha: 30/04/2024")
    for i, text in enumerate(["Tintes del Sur", "Av. del Puerto 8", "41001 Sevilla"]):
        s.text(40, 130 + 14 * i, text, conf=0.6)
    s.totals(_TOTALS)
    found = _evidence(s)
    assert found["buyer"].source == "address" and found["buyer"].name_ocr == 0.6
    assert extract_pages(s.pages).confidence["buyer.name"] < sure


def test_committed_weights_load_and_match_the_features() -> None:
    data = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    model = default_model()
    assert model is not None and model.features == FEATURES
    assert data["trained_on"]
    row = np.zeros((1, len(FEATURES)))
    assert 0.0 <= model.probabilities(row)[0] <= 1.0
    data["features"] = data["features"][:-1]
    with pytest.raises(ScorerFormatError):
        load_model(data)


def test_nothing_is_recorded_outside_a_recording() -> None:
    with recording() as rows:
        pass
    extract_pages(_labelled().pages)
    assert rows == []


def test_a_name_with_more_name_like_words_under_it_may_be_cut_short() -> None:
    s = Sheet()
    s.block(40, 40, ["Emisor:", "Talleres Ebro, S.L.", "C/ Mayor 1", "CIF: B12345674"])
    s.block(300, 40, ["Cliente:", "Cooperativa", "Textil de Baza", "Av. del Puerto 8"])
    s.text(40, 130, "Factura nº: 2024-0117")
    s.text(40, 144, "Fecha: 30/04/2024")
    s.totals(_TOTALS)
    found = _evidence(s)
    assert found["buyer"].text == "Cooperativa" and found["buyer"].continues
    assert not found["seller"].continues  # a street and a tax id under it, a label above


def test_a_name_printed_again_and_spelled_by_the_page_domain() -> None:
    s = _labelled()
    s.text(40, 700, "Talleres Ebro, S.L. - Registro Mercantil de Zaragoza, tomo 1234")
    s.text(40, 714, "www.talleresebro.es - admin@talleresebro.es")
    found = _evidence(s)
    seller, buyer = found["seller"], found["buyer"]
    assert seller.echoed and seller.domain_match
    assert not buyer.echoed and not buyer.domain_match
    plain = _evidence(_labelled())["seller"]
    assert not plain.echoed and not plain.domain_match
