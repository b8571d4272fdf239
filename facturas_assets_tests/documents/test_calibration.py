"""Calibrated field confidence: fitted maps, the committed default, and the extractor applying it."""

from __future__ import annotations

import random

import pytest

from facturas_assets.documents.extraction.calibration import (
    Calibration,
    default_calibration,
    expected_calibration_error,
    fit,
    fit_map,
    reliability_curve,
)
from facturas_assets.documents.model import InvoiceData
from facturas_assets.settings import REVIEW_CORE_FIELDS


def _pairs(n: int, seed: int) -> tuple[list[float], list[bool]]:
    """Raw scores whose true chance of being right is score squared (overconfident raw)."""
    rng = random.Random(seed)
    scores = [rng.random() for _ in range(n)]
    return scores, [rng.random() < s * s for s in scores]


def test_a_fitted_map_is_monotone_and_better_calibrated_on_new_pairs() -> None:
    scores, right = _pairs(4000, seed=1)
    field_map = fit_map(scores, right)
    assert list(field_map.raw) == sorted(field_map.raw)
    assert list(field_map.calibrated) == sorted(field_map.calibrated)
    new_scores, new_right = _pairs(4000, seed=2)
    raw_ece = expected_calibration_error(new_scores, new_right)
    calibrated_ece = expected_calibration_error([field_map(s) for s in new_scores], new_right)
    assert raw_ece > 0.1 and calibrated_ece < 0.03
    assert field_map(0.5) == pytest.approx(0.25, abs=0.06)


def test_a_field_never_seen_wrong_is_not_made_certain() -> None:
    field_map = fit_map([0.6, 0.7, 0.8, 0.9] * 10, [True] * 40)
    assert field_map(0.9) == pytest.approx(41 / 42, abs=1e-3)  # one right, one wrong added
    assert field_map(0.9) < 1.0


def test_fit_keys_by_method_and_field_and_skips_thin_fields() -> None:
    scores, right = _pairs(100, seed=3)
    pairs = [("ocr/total", s, r) for s, r in zip(scores, right, strict=True)]
    pairs += [("text/total", 0.9, True)] * 5
    calibration = fit(pairs, min_samples=20)
    assert set(calibration.maps) == {"ocr/total"}
    data = InvoiceData()
    data.confidence = {"total": 0.5, "currency": 0.5}
    calibration.apply(data, "ocr")
    assert data.confidence["total"] == round(calibration.maps["ocr/total"](0.5), 3)
    assert data.confidence["currency"] == 0.5  # no map: the raw score stays
    again = Calibration.from_json(calibration.to_json())
    assert again == calibration


def test_a_broken_calibration_file_is_refused() -> None:
    decreasing = '{"format": 1, "maps": {"ocr/total": {"raw": [0, 1], "calibrated": [0.9, 0.1], "samples": 9}}}'
    with pytest.raises(ValueError, match="not non-decreasing"):
        Calibration.from_json(decreasing)
    with pytest.raises(ValueError, match="format"):
        Calibration.from_json('{"format": 99, "maps": {}}')


def test_the_committed_calibration_covers_the_review_fields_of_both_readers() -> None:
    maps = default_calibration().maps
    for method in ("text", "ocr"):
        for name in REVIEW_CORE_FIELDS:
            assert f"{method}/{name}" in maps
            assert maps[f"{method}/{name}"].samples >= 100


def test_reliability_curve_bins() -> None:
    curve = reliability_curve([0.05, 0.05, 0.95, 0.95], [False, True, True, True], bins=10)
    assert curve == [(0.05, 0.5, 2), (0.95, 1.0, 2)]
    assert expected_calibration_error([0.05, 0.05, 0.95, 0.95], [False, True, True, True]) == (
        pytest.approx((2 * 0.45 + 2 * 0.05) / 4)
    )


def test_extraction_applies_the_committed_calibration(tmp_path) -> None:
    from facturas_assets.documents.extraction import extract_invoice
    from facturas_assets.documents.reader import read_documents
    from facturas_dev.synth.generator import generate

    [made] = generate(1, tmp_path, seed=5, renderings=["text-pdf"])
    [doc] = list(read_documents([(str(made.path), made.path)], workers=1))
    raw = extract_invoice(doc, calibrated=False)
    calibrated = extract_invoice(doc)
    expected = InvoiceData(confidence=dict(raw.confidence))
    default_calibration().apply(expected, "text")
    assert calibrated.confidence == expected.confidence
    assert calibrated.confidence != raw.confidence
    assert calibrated.total == raw.total  # calibration changes confidences, never values
