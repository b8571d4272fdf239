"""Decide whether current invoices drifted from the reference: the rules behind the verdict.

A feature drifts only when its test is significant after Benjamini-Hochberg correction across
all features AND its effect size reaches a floor; below `min_samples` current (or reference)
invoices nothing is flagged, every feature says "not enough data" and the verdict is
"insufficient_data". Joint drift is flagged when
a domain classifier's cross-validated AUC exceeds `auc_floor` and is significant at `alpha`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd

from facturas_assets.drift.features import KINDS, Baseline, BaselineMismatch
from facturas_assets.drift.multivariate import domain_classifier_auc
from facturas_assets.drift.report import (
    DriftReport,
    DriftSettings,
    FeatureDrift,
    MultivariateDrift,
    Verdict,
    feature_status,
)
from facturas_assets.drift.statistics import (
    TestResult,
    benjamini_hochberg,
    categorical_test,
    numeric_test,
)


def _check_inputs(reference: pd.DataFrame, current: pd.DataFrame, kinds: Mapping[str, str]) -> None:
    """Same feature names on both sides and known kinds, else a clear error."""
    names = list(kinds)
    if not names:
        raise ValueError("no features to compare")
    bad_kinds = {n: k for n, k in kinds.items() if k not in KINDS}
    if bad_kinds:
        raise ValueError(f"unknown feature kinds {bad_kinds} (use {KINDS})")
    for label, frame in (("reference", reference), ("current", current)):
        if set(frame.columns) != set(names):
            missing = [n for n in names if n not in frame.columns]
            extra = [c for c in frame.columns if c not in kinds]
            raise BaselineMismatch(
                f"{label} features differ from the feature set: missing {missing}, "
                f"unexpected {extra}"
            )
    for name, kind in kinds.items():
        if kind != "numeric":
            continue
        for label, frame in (("reference", reference), ("current", current)):
            column = frame[name]
            if not (pd.api.types.is_numeric_dtype(column) or column.isna().all()):
                raise ValueError(f"numeric feature {name!r} holds non-numbers in the {label} data")
            values = column.to_numpy(dtype=float, na_value=np.nan)
            if np.isinf(values).any():
                raise ValueError(f"numeric feature {name!r} holds infinite values ({label})")


def _feature_test(
    name: str, kind: str, reference: pd.Series, current: pd.Series, settings: DriftSettings
) -> tuple[TestResult, int, int]:
    if kind == "numeric":
        ref = reference.to_numpy(dtype=float, na_value=np.nan)
        cur = current.to_numpy(dtype=float, na_value=np.nan)
        ref, cur = ref[~np.isnan(ref)], cur[~np.isnan(cur)]
        return numeric_test(ref, cur), len(ref), len(cur)
    result = categorical_test(reference, current, settings.min_expected_count)
    return result, len(reference), len(current)


def _missing_share(series: pd.Series) -> float:
    return float(series.isna().mean()) if len(series) else 0.0


def detect_drift(
    reference: pd.DataFrame,
    current: pd.DataFrame,
    *,
    kinds: Mapping[str, str],
    alpha: float = 0.05,
    effect_floor: float = 0.1,
    psi_floor: float = 0.02,
    min_samples: int = 200,
    auc_floor: float = 0.6,
    max_domain_samples: int = 5000,
    cv_folds: int = 3,
    seed: int = 0,
    feature_set: Mapping[str, str] | None = None,
    context: Mapping[str, Any] | None = None,
) -> DriftReport:
    """Compare current features with reference features and return the DriftReport.

    kinds maps every feature column to "numeric" or "categorical" (column order of the report).
    effect_floor is the smallest normed Wasserstein distance (in reference standard deviations)
    and psi_floor the smallest PSI that can count as drift. Raises BaselineMismatch when the
    two frames do not hold exactly these features.
    """
    settings = DriftSettings(
        alpha=alpha,
        effect_floor=effect_floor,
        psi_floor=psi_floor,
        min_samples=min_samples,
        auc_floor=auc_floor,
        max_domain_samples=max_domain_samples,
        cv_folds=cv_folds,
        seed=seed,
    )
    _check_inputs(reference, current, kinds)
    enough = len(reference) >= min_samples and len(current) >= min_samples

    tests = {
        name: _feature_test(name, kind, reference[name], current[name], settings)
        for name, kind in kinds.items()
    }
    adjusted = benjamini_hochberg([tests[name][0].p_value for name in kinds])
    features: list[FeatureDrift] = []
    reasons: list[str] = []
    for (name, kind), p_adj in zip(kinds.items(), adjusted, strict=True):
        result, n_ref, n_cur = tests[name]
        floor = effect_floor if kind == "numeric" else psi_floor
        drifted = bool(
            enough
            and p_adj is not None
            and p_adj < alpha
            and result.effect_size is not None
            and result.effect_size >= floor
        )
        if drifted:
            unit = "σ (Wasserstein)" if kind == "numeric" else "PSI"
            reasons.append(
                f"{name}: {result.test} p_adj={p_adj:.2g}, effect {result.effect_size:.3g} {unit} "
                f">= {floor:g}."
            )
        features.append(
            FeatureDrift(
                name=name,
                kind=kind,
                test=result.test,
                statistic=result.statistic,
                p_value=result.p_value,
                p_adjusted=p_adj,
                effect_size=result.effect_size,
                effect_measure=result.effect_measure,
                effect_floor=floor,
                psi=result.psi,
                drifted=drifted,
                n_reference=n_ref,
                n_current=n_cur,
                missing_reference=_missing_share(reference[name]),
                missing_current=_missing_share(current[name]),
                status=feature_status(drifted, enough),
            )
        )

    if enough:
        joint = domain_classifier_auc(
            reference, current, kinds, max_samples=max_domain_samples, folds=cv_folds, seed=seed
        )
        joint_drift = joint.auc > auc_floor and joint.p_value < alpha
        multivariate = MultivariateDrift(
            method="domain_classifier",
            auc=joint.auc,
            threshold=auc_floor,
            p_value=joint.p_value,
            drifted=joint_drift,
            n_reference=joint.n_reference,
            n_current=joint.n_current,
            folds=joint.folds,
        )
        if joint_drift:
            reasons.append(
                f"domain classifier tells current from reference invoices: AUC {joint.auc:.3f} "
                f"> {auc_floor:g} (p={joint.p_value:.2g})."
            )
    else:
        multivariate = MultivariateDrift(
            method="domain_classifier",
            auc=None,
            threshold=auc_floor,
            p_value=None,
            drifted=False,
            n_reference=0,
            n_current=0,
            folds=0,
            skipped_reason=f"fewer than {min_samples} invoices on one side",
        )

    verdict: Verdict
    if not enough:
        verdict = "insufficient_data"
        reasons = [
            f"{len(current)} current and {len(reference)} reference invoices: at least "
            f"{min_samples} on each side are needed to judge drift."
        ]
    elif reasons:
        verdict = "drift"
    else:
        verdict = "no_drift"
    return DriftReport(
        generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
        verdict=verdict,
        n_reference=len(reference),
        n_current=len(current),
        features=features,
        multivariate=multivariate,
        settings=settings,
        reasons=reasons,
        feature_set=dict(feature_set) if feature_set else None,
        context=dict(context or {}),
    )


def detect_against_baseline(
    baseline: Baseline,
    current: pd.DataFrame,
    **options: Any,
) -> DriftReport:
    """detect_drift of current features against a stored baseline of the same feature set."""
    if list(current.columns) != baseline.names:
        raise BaselineMismatch(
            f"current features {list(current.columns)} are not the baseline's {baseline.names}"
        )
    return detect_drift(
        baseline.frame(),
        current,
        kinds=baseline.kind_map,
        feature_set={
            "version": baseline.feature_set_version,
            "hash": baseline.feature_set_hash,
        },
        **options,
    )
