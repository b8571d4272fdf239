"""Two-sample tests and effect sizes for one feature, and the multiple-testing correction.

Significance alone is not drift: with 100,000 invoices a KS test finds any harmless wobble.
Each test therefore comes with an effect size on a fixed scale (a Wasserstein distance in
reference standard deviations for numbers, the population stability index for categories).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

OTHER = "(other)"
"""Label of the pooled sparse categories."""

MISSING = "(missing)"
"""Label of a missing categorical value (a shift in missingness is a shift)."""

_IQR_TO_SIGMA = 1.349  # IQR of a normal distribution in standard deviations
_MIN_IQR_SHARE = 0.1  # below this share of the std, the IQR describes a spike, not the spread
_PSI_SMOOTHING = 0.5  # pseudo-count per bin, so an empty bin gives a finite PSI
_EXACT_KS_MAX = 10_000  # above this, the asymptotic KS p-value is exact enough and much faster


@dataclass(frozen=True)
class TestResult:
    """Outcome of one two-sample test with its effect sizes."""

    test: str
    statistic: float | None
    p_value: float | None
    effect_size: float | None
    effect_measure: str
    psi: float | None


def robust_scale(reference: np.ndarray) -> float:
    """Spread of the reference in standard-deviation units: IQR/1.349, else std, else magnitude.

    The IQR ignores the heavy tails of amounts. When a spike holds the middle half of the values
    (most invoices at 21 % VAT, a saturated model score) the IQR is zero or a sliver of the
    spread, and any wobble would look huge in its units: then the standard deviation is used,
    and for a constant reference its own magnitude.
    """
    q75, q25 = np.percentile(reference, [75, 25])
    iqr_sigma = float((q75 - q25) / _IQR_TO_SIGMA)
    std = float(np.std(reference))
    if iqr_sigma > 0 and iqr_sigma >= _MIN_IQR_SHARE * std:
        return iqr_sigma
    if std > 0:
        return std
    return max(abs(float(np.mean(reference))), 1.0)


def normed_wasserstein(reference: np.ndarray, current: np.ndarray) -> float:
    """Earth mover's distance between the samples, in units of robust_scale(reference)."""
    return float(stats.wasserstein_distance(reference, current) / robust_scale(reference))


def ks_test(reference: np.ndarray, current: np.ndarray) -> tuple[float, float]:
    """Two-sample Kolmogorov-Smirnov statistic and p-value."""
    method = "asymp" if max(len(reference), len(current)) > _EXACT_KS_MAX else "auto"
    result = stats.ks_2samp(reference, current, method=method)
    return float(result.statistic), float(result.pvalue)


def _psi(ref_counts: np.ndarray, cur_counts: np.ndarray) -> float:
    ref = (ref_counts + _PSI_SMOOTHING) / (ref_counts.sum() + _PSI_SMOOTHING * len(ref_counts))
    cur = (cur_counts + _PSI_SMOOTHING) / (cur_counts.sum() + _PSI_SMOOTHING * len(cur_counts))
    return float(np.sum((cur - ref) * np.log(cur / ref)))


def psi_numeric(reference: np.ndarray, current: np.ndarray, bins: int = 10) -> float:
    """Population stability index over the reference's quantile bins (deciles by default)."""
    edges = np.unique(np.quantile(reference, np.linspace(0, 1, bins + 1)[1:-1]))
    ref_counts = np.bincount(
        np.searchsorted(edges, reference, side="right"), minlength=len(edges) + 1
    )
    cur_counts = np.bincount(
        np.searchsorted(edges, current, side="right"), minlength=len(edges) + 1
    )
    return _psi(ref_counts.astype(float), cur_counts.astype(float))


def numeric_test(reference: np.ndarray, current: np.ndarray) -> TestResult:
    """KS test, normed Wasserstein effect and PSI of two numeric samples (nulls already dropped)."""
    if len(reference) < 2 or len(current) < 2:
        return TestResult("ks", None, None, None, "wasserstein_normed", None)
    statistic, p_value = ks_test(reference, current)
    return TestResult(
        test="ks",
        statistic=statistic,
        p_value=p_value,
        effect_size=normed_wasserstein(reference, current),
        effect_measure="wasserstein_normed",
        psi=psi_numeric(reference, current),
    )


def pool_sparse(
    ref_counts: pd.Series, cur_counts: pd.Series, min_expected: float = 5.0
) -> tuple[pd.Series, pd.Series]:
    """Align two category counts and pool categories too sparse for a chi-square test.

    A category is pooled into OTHER when its expected count in either sample (under the null of
    one shared distribution) is below min_expected; if the pooled bucket is itself too sparse it
    absorbs the next-smallest category until it is not (or only it is left).
    """
    table = pd.concat([ref_counts, cur_counts], axis=1, keys=["ref", "cur"]).fillna(0.0)
    total = table.sum(axis=1)
    n_ref, n_cur = table["ref"].sum(), table["cur"].sum()
    grand = n_ref + n_cur
    # Expected count in the smaller sample is the binding one.
    expected = total * (min(n_ref, n_cur) / grand) if grand else total
    order = expected.sort_values(kind="stable").index.tolist()
    sparse = [c for c in order if expected[c] < min_expected]
    if not sparse:
        return table["ref"], table["cur"]
    kept = [c for c in order if expected[c] >= min_expected]
    pooled_expected = float(expected[sparse].sum())
    while pooled_expected < min_expected and kept:
        nxt = kept.pop(0)
        sparse.append(nxt)
        pooled_expected += float(expected[nxt])
    pooled = table.loc[kept].copy()
    pooled.loc[OTHER] = table.loc[sparse].sum()
    return pooled["ref"], pooled["cur"]


def categorical_test(
    reference: pd.Series, current: pd.Series, min_expected: float = 5.0
) -> TestResult:
    """Chi-square test of homogeneity (sparse categories pooled) and PSI of two label samples."""
    ref_counts = reference.fillna(MISSING).astype(str).value_counts()
    cur_counts = current.fillna(MISSING).astype(str).value_counts()
    if ref_counts.sum() < 2 or cur_counts.sum() < 2:
        return TestResult("chi2", None, None, None, "psi", None)
    ref, cur = pool_sparse(ref_counts, cur_counts, min_expected)
    psi = _psi(ref.to_numpy(float), cur.to_numpy(float))
    if len(ref) < 2:
        # One category only on both sides: nothing can differ.
        return TestResult("chi2", 0.0, 1.0, psi, "psi", psi)
    table = np.vstack([ref.to_numpy(float), cur.to_numpy(float)])
    result = stats.chi2_contingency(table, correction=False)
    return TestResult(
        test="chi2",
        statistic=float(result.statistic),
        p_value=float(result.pvalue),
        effect_size=psi,
        effect_measure="psi",
        psi=psi,
    )


def benjamini_hochberg(p_values: Sequence[float | None]) -> list[float | None]:
    """Benjamini-Hochberg adjusted p-values (None stays None and does not count as a test)."""
    present = [i for i, p in enumerate(p_values) if p is not None]
    adjusted: list[float | None] = [None] * len(p_values)
    if not present:
        return adjusted
    values = stats.false_discovery_control([p_values[i] for i in present], method="bh")
    for i, value in zip(present, values, strict=True):
        adjusted[i] = float(value)
    return adjusted
