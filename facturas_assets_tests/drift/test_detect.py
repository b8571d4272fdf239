"""The drift verdict on synthetic invoices: quiet when stable, loud when it matters."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from facturas_assets.drift import BaselineMismatch, detect_drift, feature_kinds
from facturas_assets_tests.drift.synthetic import feature_frame

KINDS = feature_kinds()


@pytest.fixture(scope="module")
def reference() -> pd.DataFrame:
    """Features of 5,000 reference invoices."""
    return feature_frame(5000, seed=0)


def _shifted(frame: pd.DataFrame, column: str, sigmas: float, scale: float) -> pd.DataFrame:
    out = frame.copy()
    out[column] = out[column] + sigmas * scale
    return out


@pytest.mark.slow
def test_a_year_of_stable_weeks_raises_at_most_three_alarms(reference: pd.DataFrame) -> None:
    verdicts = []
    for week in range(52):
        report = detect_drift(reference, feature_frame(500, seed=1000 + week), kinds=KINDS)
        verdicts.append(report.verdict)
    assert set(verdicts) <= {"no_drift", "drift"}
    assert verdicts.count("drift") <= 3, verdicts


def _price_shift(reference: pd.DataFrame, sigmas: float) -> float:
    """Log-price shift that moves log_total by `sigmas` reference standard deviations.

    All prices move together (amounts keep adding up): shifting one column alone would break
    total = net + tax, a joint change the domain classifier rightly flags.
    """
    return sigmas * float(reference["log_total"].std())


def test_a_tiny_shift_on_a_huge_sample_is_significant_but_not_drift() -> None:
    reference = feature_frame(100_000, seed=1)
    current = feature_frame(100_000, seed=2, log_amount_shift=_price_shift(reference, 0.03))
    report = detect_drift(reference, current, kinds=KINDS)
    log_total = next(f for f in report.features if f.name == "log_total")
    # The KS test alone would call it drift; the effect floor is what keeps it quiet.
    assert log_total.p_adjusted < 0.05
    assert log_total.effect_size < report.settings.effect_floor
    assert not log_total.drifted
    assert report.multivariate.auc < 0.55 and not report.multivariate.drifted
    assert report.verdict == "no_drift", report.reasons


def test_half_a_sigma_shift_in_a_week_of_500_invoices_is_drift(reference: pd.DataFrame) -> None:
    current = feature_frame(500, seed=3, log_amount_shift=_price_shift(reference, 0.5))
    shift = current["log_total"].mean() - reference["log_total"].mean()
    assert shift / reference["log_total"].std() == pytest.approx(0.5, abs=0.1)
    report = detect_drift(reference, current, kinds=KINDS)
    assert report.verdict == "drift"
    assert "log_total" in report.drifted_features
    assert any(r.startswith("log_total:") for r in report.reasons)
    # Only the amounts moved.
    assert {"category", "read_method", "currency", "category_confidence"}.isdisjoint(
        report.drifted_features
    )


def test_a_changed_category_mix_is_drift(reference: pd.DataFrame) -> None:
    current = feature_frame(500, seed=4)
    rng = np.random.default_rng(4)
    current["category"] = rng.choice(["preventiva", "correctiva"], len(current), p=[0.3, 0.7])
    report = detect_drift(reference, current, kinds=KINDS)
    assert report.verdict == "drift"
    assert "category" in report.drifted_features


def _correlated(n: int, rho: float, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    z1, z2 = rng.normal(size=n), rng.normal(size=n)
    return pd.DataFrame(
        {
            "hours": z1,
            "parts_cost": rho * z1 + np.sqrt(1 - rho**2) * z2,
            "travel": rng.normal(size=n),
            "read_method": rng.choice(["text", "ocr", "einvoice"], n, p=[0.6, 0.3, 0.1]),
        }
    )


def test_a_correlation_flip_with_unchanged_marginals_is_caught_jointly() -> None:
    kinds = {"hours": "numeric", "parts_cost": "numeric", "travel": "numeric",
             "read_method": "categorical"}  # fmt: skip
    reference = _correlated(5000, rho=0.7, seed=5)
    current = _correlated(1000, rho=-0.7, seed=6)
    report = detect_drift(reference, current, kinds=kinds)
    assert report.drifted_features == []  # every marginal is the same distribution
    assert report.multivariate.drifted
    assert report.multivariate.auc > 0.7
    assert report.verdict == "drift"

    calm = detect_drift(reference, _correlated(1000, rho=0.7, seed=17), kinds=kinds)
    assert not calm.multivariate.drifted and calm.verdict == "no_drift"


def test_a_week_of_20_invoices_is_insufficient_data(reference: pd.DataFrame) -> None:
    current = feature_frame(20, seed=8)
    current = _shifted(current, "log_total", 3.0, reference["log_total"].std())
    report = detect_drift(reference, current, kinds=KINDS)
    assert report.verdict == "insufficient_data"
    assert report.drifted_features == []
    assert report.multivariate.auc is None and report.multivariate.skipped_reason
    assert "20 current" in report.reasons[0]
    assert {f.status for f in report.features} == {"not enough data"}


def test_an_empty_week_is_insufficient_data(reference: pd.DataFrame) -> None:
    empty = reference.iloc[:0]
    report = detect_drift(reference, empty, kinds=KINDS)
    assert report.verdict == "insufficient_data"
    assert all(f.p_value is None for f in report.features)


def test_features_other_than_the_reference_ones_are_refused(reference: pd.DataFrame) -> None:
    current = feature_frame(300, seed=9).drop(columns=["tax_rate"])
    with pytest.raises(BaselineMismatch, match="tax_rate"):
        detect_drift(reference, current, kinds=KINDS)
    renamed = feature_frame(300, seed=9).rename(columns={"log_total": "log_gross"})
    with pytest.raises(BaselineMismatch, match="log_gross"):
        detect_drift(reference, renamed, kinds=KINDS)


def test_bad_values_are_clear_errors(reference: pd.DataFrame) -> None:
    current = feature_frame(300, seed=10)
    broken = current.assign(line_count=current["line_count"].astype(str))
    with pytest.raises(ValueError, match="line_count"):
        detect_drift(reference, broken, kinds=KINDS)
    infinite = current.assign(tax_rate=np.inf)
    with pytest.raises(ValueError, match="infinite"):
        detect_drift(reference, infinite, kinds=KINDS)
    with pytest.raises(ValueError, match="unknown feature kinds"):
        detect_drift(reference, current, kinds={**KINDS, "tax_rate": "ordinal"})
    with pytest.raises(ValueError, match="alpha"):
        detect_drift(reference, current, kinds=KINDS, alpha=0)


def test_the_same_inputs_give_the_same_report(reference: pd.DataFrame) -> None:
    current = feature_frame(400, seed=11)
    first = detect_drift(reference, current, kinds=KINDS, seed=3).to_dict()
    second = detect_drift(reference, current, kinds=KINDS, seed=3).to_dict()
    first.pop("generated_at"), second.pop("generated_at")
    assert first == second
