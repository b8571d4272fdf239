"""Joint drift: can a classifier tell current invoices from reference ones?

Per-feature tests miss changes in how features move together (a correlation that flips while
every marginal stays put). A gradient-boosted domain classifier sees them: its cross-validated
ROC AUC is 0.5 when the two samples are alike and grows with any separable difference.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from threadpoolctl import threadpool_limits

from facturas_assets.drift.statistics import MISSING

_MAX_CATEGORY_CODES = 250  # HistGradientBoosting needs categorical codes below max_bins (255)
_REFERENCE_PER_CURRENT = 2  # reference rows drawn per current row: steadier AUC, bounded cost


@dataclass(frozen=True)
class DomainClassifierResult:
    """Cross-validated AUC of the reference-vs-current classifier and its one-sided p-value."""

    auc: float
    p_value: float
    n_reference: int
    n_current: int
    folds: int


def _subsample(frame: pd.DataFrame, n: int, rng: np.random.Generator) -> pd.DataFrame:
    if len(frame) <= n:
        return frame
    return frame.iloc[np.sort(rng.choice(len(frame), size=n, replace=False))]


def encode(
    reference: pd.DataFrame, current: pd.DataFrame, kinds: Mapping[str, str]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Both samples as float matrices (categoricals as shared integer codes) and the category mask."""
    ref_cols, cur_cols, mask = [], [], []
    for name, kind in kinds.items():
        if kind == "numeric":
            ref_cols.append(pd.to_numeric(reference[name], errors="raise").to_numpy(float))
            cur_cols.append(pd.to_numeric(current[name], errors="raise").to_numpy(float))
            mask.append(False)
            continue
        ref = reference[name].fillna(MISSING).astype(str)
        cur = current[name].fillna(MISSING).astype(str)
        counts = pd.concat([ref, cur]).value_counts()
        levels = counts.index[: _MAX_CATEGORY_CODES - 1].tolist()
        codes = {level: i for i, level in enumerate(levels)}
        other = float(len(levels))  # the rarest levels share one code
        ref_cols.append(ref.map(codes).astype(float).fillna(other).to_numpy())
        cur_cols.append(cur.map(codes).astype(float).fillna(other).to_numpy())
        mask.append(True)
    return np.column_stack(ref_cols), np.column_stack(cur_cols), np.array(mask, dtype=bool)


def auc_p_value(auc: float, n_reference: int, n_current: int) -> float:
    """One-sided p-value of AUC > 0.5 from the Mann-Whitney normal approximation."""
    sd = math.sqrt((n_reference + n_current + 1) / (12.0 * n_reference * n_current))
    return float(stats.norm.sf((auc - 0.5) / sd))


def domain_classifier_auc(
    reference: pd.DataFrame,
    current: pd.DataFrame,
    kinds: Mapping[str, str],
    *,
    max_samples: int = 5000,
    folds: int = 3,
    seed: int = 0,
) -> DomainClassifierResult:
    """Out-of-fold AUC of a HistGradientBoosting classifier separating current from reference.

    Large inputs are subsampled (at most max_samples current rows and twice as many reference
    rows, capped at max_samples too): the AUC's precision is set by the smaller side.
    """
    rng = np.random.default_rng(seed)
    cur = _subsample(current, max_samples, rng)
    ref = _subsample(reference, min(max_samples, max(_REFERENCE_PER_CURRENT * len(cur), 1000)), rng)
    x_ref, x_cur, mask = encode(ref, cur, kinds)
    x = np.vstack([x_ref, x_cur])
    y = np.concatenate([np.zeros(len(x_ref), dtype=int), np.ones(len(x_cur), dtype=int)])
    folds = max(2, min(folds, len(x_ref), len(x_cur)))
    model = HistGradientBoostingClassifier(
        max_iter=100,
        learning_rate=0.1,
        max_leaf_nodes=15,
        min_samples_leaf=20,
        l2_regularization=1.0,
        categorical_features=mask if mask.any() else None,
        early_stopping=False,
        random_state=seed,
    )
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    # One OpenMP thread: on a shared machine more threads than free cores make the boosting
    # spin-wait tens of times slower, and at these sizes one thread is fast enough.
    with threadpool_limits(limits=1, user_api="openmp"):
        scores = cross_val_predict(model, x, y, cv=splitter, method="predict_proba")[:, 1]
    auc = float(roc_auc_score(y, scores))
    return DomainClassifierResult(
        auc=auc,
        p_value=auc_p_value(auc, len(x_ref), len(x_cur)),
        n_reference=len(x_ref),
        n_current=len(x_cur),
        folds=folds,
    )
