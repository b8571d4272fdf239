"""Temperature scaling and calibration measures (ECE, Brier) for a binary classifier."""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize_scalar
from scipy.special import expit

# Bounds of the temperature search: outside them the validation set is too small to say anything.
MIN_TEMPERATURE = 0.05
MAX_TEMPERATURE = 50.0
ECE_BINS = 10
_EPS = 1e-7


def sigmoid(z: np.ndarray) -> np.ndarray:
    """Numerically stable logistic function."""
    return expit(np.asarray(z, dtype=np.float64))


def log_loss(p1: np.ndarray, y: np.ndarray) -> float:
    """Mean binary cross-entropy of probabilities of class 1 against (possibly soft) labels."""
    p = np.clip(np.asarray(p1, dtype=np.float64), _EPS, 1 - _EPS)
    y = np.asarray(y, dtype=np.float64)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def smoothed_targets(y: np.ndarray) -> np.ndarray:
    """Platt's targets (N+ + 1) / (N+ + 2) and 1 / (N- + 2) instead of 1 and 0.

    A validation set with no errors would otherwise push the temperature to zero and every
    probability to 1.0; these targets keep confidence in line with how much validation data there is.
    """
    y = np.asarray(y, dtype=np.float64)
    n_pos, n_neg = float(y.sum()), float(len(y) - y.sum())
    return np.where(y == 1, (n_pos + 1) / (n_pos + 2), 1 / (n_neg + 2))


def fit_temperature(logits: np.ndarray, y: np.ndarray) -> float:
    """The temperature T minimising validation log loss of sigmoid(logit / T) (smoothed targets)."""
    logits = np.asarray(logits, dtype=np.float64).ravel()
    if logits.size == 0:
        raise ValueError("cannot calibrate on an empty validation set")
    y = smoothed_targets(np.asarray(y, dtype=np.float64).ravel())

    def nll(log_t: float) -> float:
        return log_loss(sigmoid(logits / np.exp(log_t)), y)

    result = minimize_scalar(
        nll, bounds=(np.log(MIN_TEMPERATURE), np.log(MAX_TEMPERATURE)), method="bounded"
    )
    return float(np.exp(result.x))


def expected_calibration_error(p1: np.ndarray, y: np.ndarray, bins: int = ECE_BINS) -> float:
    """ECE of the predicted label's confidence, over equal-width confidence bins."""
    p1 = np.asarray(p1, dtype=np.float64).ravel()
    y = np.asarray(y).ravel()
    if p1.size == 0:
        return 0.0
    predicted = (p1 >= 0.5).astype(int)
    confidence = np.where(predicted == 1, p1, 1 - p1)
    correct = (predicted == y).astype(np.float64)
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(confidence, edges[1:-1], right=True), 0, bins - 1)
    ece = 0.0
    for b in range(bins):
        mask = which == b
        if mask.any():
            ece += mask.mean() * abs(correct[mask].mean() - confidence[mask].mean())
    return float(ece)


def brier_score(p1: np.ndarray, y: np.ndarray) -> float:
    """Mean squared error of the probability of class 1."""
    p1 = np.asarray(p1, dtype=np.float64).ravel()
    return float(np.mean((p1 - np.asarray(y, dtype=np.float64).ravel()) ** 2))
