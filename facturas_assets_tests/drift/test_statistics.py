"""The building blocks: effect sizes, sparse-category pooling, Benjamini-Hochberg."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from facturas_assets.drift.statistics import (
    OTHER,
    benjamini_hochberg,
    categorical_test,
    normed_wasserstein,
    numeric_test,
    pool_sparse,
    psi_numeric,
    robust_scale,
)


def test_normed_wasserstein_measures_a_shift_in_reference_standard_deviations() -> None:
    rng = np.random.default_rng(1)
    reference = rng.normal(100.0, 15.0, 50_000)
    current = rng.normal(100.0 + 0.5 * 15.0, 15.0, 50_000)
    assert normed_wasserstein(reference, current) == pytest.approx(0.5, abs=0.03)
    assert normed_wasserstein(reference, reference) == 0.0


def test_robust_scale_falls_back_when_the_iqr_is_degenerate() -> None:
    rates = np.array([0.21] * 90 + [0.10] * 6 + [0.04] * 4)  # most invoices at 21 % VAT
    assert robust_scale(rates) == pytest.approx(float(np.std(rates)))
    # A spike with cent-rounding noise: the IQR is a sliver of the spread.
    noisy = rates + np.random.default_rng(0).normal(0, 1e-5, rates.size)
    assert robust_scale(noisy) == pytest.approx(float(np.std(noisy)))
    heavy = np.random.default_rng(1).lognormal(3, 1, 10_000)  # heavy tail: the IQR stays
    q75, q25 = np.percentile(heavy, [75, 25])
    assert robust_scale(heavy) == pytest.approx((q75 - q25) / 1.349)
    assert robust_scale(np.full(10, 5.0)) == 5.0  # constant: its own magnitude
    assert robust_scale(np.zeros(10)) == 1.0


def test_psi_is_zero_for_equal_samples_and_grows_with_the_shift() -> None:
    rng = np.random.default_rng(2)
    reference = rng.normal(size=20_000)
    small = psi_numeric(reference, rng.normal(0.1, 1, 20_000))
    large = psi_numeric(reference, rng.normal(0.5, 1, 20_000))
    assert psi_numeric(reference, reference) == pytest.approx(0.0, abs=1e-12)
    assert 0 < small < 0.03 < 0.15 < large


def test_numeric_test_without_enough_values_reports_no_test() -> None:
    result = numeric_test(np.array([1.0, 2.0, 3.0]), np.array([1.0]))
    assert result.p_value is None and result.effect_size is None


def test_pool_sparse_merges_rare_categories_until_the_pool_is_testable() -> None:
    ref = pd.Series({"EUR": 950, "USD": 40, "GBP": 15, "CHF": 3, "SEK": 2})
    cur = pd.Series({"EUR": 95, "USD": 3, "GBP": 1, "JPY": 1})
    pooled_ref, pooled_cur = pool_sparse(ref, cur, min_expected=5.0)
    # Expected counts in the smaller sample: EUR ~95, USD ~4, the rest ~1 or less.
    assert list(pooled_ref.index) == ["EUR", OTHER]
    assert pooled_ref.sum() == ref.sum() and pooled_cur.sum() == cur.sum()
    assert pooled_ref[OTHER] == 60 and pooled_cur[OTHER] == 5


def test_pool_sparse_keeps_categories_that_are_frequent_enough() -> None:
    ref = pd.Series({"text": 600, "ocr": 300, "einvoice": 100})
    cur = pd.Series({"text": 300, "ocr": 150, "einvoice": 50})
    pooled_ref, _ = pool_sparse(ref, cur)
    assert sorted(pooled_ref.index) == ["einvoice", "ocr", "text"]


def test_categorical_test_finds_a_changed_mix_and_not_an_equal_one() -> None:
    rng = np.random.default_rng(3)
    reference = pd.Series(rng.choice(["preventiva", "correctiva"], 5000, p=[0.6, 0.4]))
    same = pd.Series(rng.choice(["preventiva", "correctiva"], 1000, p=[0.6, 0.4]))
    changed = pd.Series(rng.choice(["preventiva", "correctiva"], 1000, p=[0.35, 0.65]))
    calm, moved = categorical_test(reference, same), categorical_test(reference, changed)
    assert calm.p_value > 0.01 and calm.effect_size < 0.01
    assert moved.p_value < 1e-10 and moved.effect_size > 0.1
    assert moved.test == "chi2" and moved.effect_measure == "psi"


def test_categorical_test_counts_missing_values_as_a_category() -> None:
    reference = pd.Series(["EUR"] * 1000)
    current = pd.Series(["EUR"] * 500 + [None] * 500)
    result = categorical_test(reference, current)
    assert result.p_value < 1e-10 and result.effect_size > 1


def test_benjamini_hochberg_matches_the_step_up_procedure() -> None:
    p = [0.01, 0.04, 0.03, 0.005, None]
    adjusted = benjamini_hochberg(p)
    # Sorted: 0.005, 0.01, 0.03, 0.04 -> p * m / rank = 0.02, 0.02, 0.04, 0.04 (monotone).
    assert adjusted[:4] == pytest.approx([0.02, 0.04, 0.04, 0.02])
    assert adjusted[4] is None
    assert benjamini_hochberg([None, None]) == [None, None]
