"""Which invoices go to review: unsure core fields, failed checks, an unsure category."""

from __future__ import annotations

import pytest

from facturas_assets.documents.model import InvoiceData
from facturas_assets.pipeline.review import reason_code, review_reasons
from facturas_assets.settings import (
    REVIEW_CORE_FIELDS,
    REVIEW_PARTY_FIELDS,
    ConfigError,
    ReviewSettings,
)

SETTINGS = ReviewSettings(min_field_confidence=0.5, category_band=(0.35, 0.65))


def _sure() -> InvoiceData:
    return InvoiceData(confidence=dict.fromkeys((*REVIEW_CORE_FIELDS, *REVIEW_PARTY_FIELDS), 0.9))


def test_a_sure_invoice_is_not_reviewed() -> None:
    assert review_reasons(_sure(), 0.9, SETTINGS) == []


def test_each_kind_of_doubt_is_a_reason() -> None:
    data = _sure()
    data.confidence["total"] = 0.3
    del data.confidence["issue_date"]  # not read at all
    data.warnings.append("lines_mismatch: lines sum 10.00 != net 12.00")
    reasons = review_reasons(data, 0.6, SETTINGS)
    assert [reason_code(r) for r in reasons] == [
        "low_confidence", "low_confidence", "failed_check", "unsure_category",
    ]  # fmt: skip
    assert "issue_date" in reasons[0] and "total" in reasons[1]


def test_notes_of_reading_and_extraction_are_no_reason() -> None:
    data = _sure()
    data.warnings += [
        "page 1 deskewed by 1.00 degrees",
        "descriptions_mended: 7 OCR'd description words replaced by the known words",
        "totals_inferred: tax_total taken from printed amounts by arithmetic",
    ]
    assert review_reasons(data, 0.9, SETTINGS) == []


@pytest.mark.parametrize("probability", [0.34, 0.66, 1.0])
def test_a_probability_outside_the_band_is_sure(probability: float) -> None:
    assert review_reasons(_sure(), probability, SETTINGS) == []


def test_thresholds_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FACTURAS_REVIEW_MIN_FIELD_CONFIDENCE", "0.8")
    monkeypatch.setenv("FACTURAS_REVIEW_CATEGORY_BAND", "0.4,0.6")
    assert ReviewSettings.from_env() == ReviewSettings(0.8, (0.4, 0.6))
    monkeypatch.setenv("FACTURAS_REVIEW_CATEGORY_BAND", "0.6,0.4")
    with pytest.raises(ConfigError, match="low is above high"):
        ReviewSettings.from_env()
    monkeypatch.setenv("FACTURAS_REVIEW_CATEGORY_BAND", "0.4")
    with pytest.raises(ConfigError, match="FACTURAS_REVIEW_CATEGORY_BAND"):
        ReviewSettings.from_env()
    monkeypatch.setenv("FACTURAS_REVIEW_MIN_FIELD_CONFIDENCE", "1.5")
    with pytest.raises(ConfigError, match="within 0..1"):
        ReviewSettings.from_env()


def test_party_fields_send_to_review_only_above_their_own_threshold() -> None:
    data = _sure()
    data.confidence.update({"seller.name": 0.9, "seller.tax_id": 0.9, "buyer.tax_id": 0.9})
    data.confidence["buyer.name"] = 0.4
    assert review_reasons(data, 0.9, SETTINGS) == []  # 0.4 is above the default 0.3
    data.confidence["buyer.name"] = 0.2
    assert [r.split(" read")[0] for r in review_reasons(data, 0.9, SETTINGS)] == [
        "low_confidence: buyer.name"
    ]
    data.confidence["buyer.name"] = 0.4
    strict = ReviewSettings(min_field_confidence=0.5, min_party_confidence=0.6)
    reasons = review_reasons(data, 0.9, strict)
    assert len(reasons) == 1 and "buyer.name" in reasons[0]
    del data.confidence["seller.tax_id"]  # not read at all
    assert [r.split(" read")[0] for r in review_reasons(data, 0.9, strict)] == [
        "low_confidence: seller.tax_id", "low_confidence: buyer.name",
    ]  # fmt: skip


def test_party_threshold_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FACTURAS_REVIEW_MIN_PARTY_CONFIDENCE", "0.7")
    assert ReviewSettings.from_env().min_party_confidence == 0.7
    monkeypatch.setenv("FACTURAS_REVIEW_MIN_PARTY_CONFIDENCE", "high")
    with pytest.raises(ConfigError, match="FACTURAS_REVIEW_MIN_PARTY_CONFIDENCE"):
        ReviewSettings.from_env()
