"""The learned scorer of invoice-number and issue-date candidates (inference in numpy only).

Weights live in field_scorer.json beside this module, written by `bench/bench_scorer.py --fit`:
per field, the feature names they were fitted on and a model, either a logistic regression
(standardisation, coefficients, intercept) or boosted regression trees on the log-odds.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from facturas_assets.documents.extraction.candidates import FieldCandidate
from facturas_assets.documents.extraction.features import FEATURES, Context, feature_matrix

WEIGHTS = Path(__file__).with_name("field_scorer.json")
FORMAT_VERSION = 1


class ScorerFormatError(ValueError):
    """The weights file does not fit this code (format version or feature list)."""


@dataclass(frozen=True, slots=True)
class FieldModel:
    """One field's fitted model."""

    features: tuple[str, ...]
    spec: dict[str, Any]

    def log_odds(self, x: np.ndarray) -> np.ndarray:
        """The model's log-odds for each row of x."""
        if self.spec["type"] == "logistic":
            mean = np.asarray(self.spec["mean"])
            scale = np.asarray(self.spec["scale"])
            coef = np.asarray(self.spec["coef"])
            return ((x - mean) / scale) @ coef + float(self.spec["intercept"])
        if self.spec["type"] == "trees":
            out = np.full(len(x), float(self.spec["init"]))
            rate = float(self.spec["learning_rate"])
            for tree in self.spec["trees"]:
                out += rate * _tree_values(tree, x)
            return out
        raise ScorerFormatError(f"unknown model type {self.spec['type']!r}")

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        """The probability that each row is the field's value."""
        return 1.0 / (1.0 + np.exp(-self.log_odds(x)))


def _tree_values(tree: dict[str, list], x: np.ndarray) -> np.ndarray:
    """A regression tree's leaf value for each row (arrays in scikit-learn's tree_ layout),
    all rows walked down together one level at a time."""
    feature, threshold = np.asarray(tree["feature"]), np.asarray(tree["threshold"])
    left, right = np.asarray(tree["left"]), np.asarray(tree["right"])
    node = np.zeros(len(x), dtype=int)
    rows = np.arange(len(x))
    while True:
        inner = left[node] != -1
        if not inner.any():
            return np.asarray(tree["value"])[node]
        go_left = x[rows, np.maximum(feature[node], 0)] <= threshold[node]
        node = np.where(inner, np.where(go_left, left[node], right[node]), node)


@dataclass(frozen=True, slots=True)
class FieldScorer:
    """The models of both fields and what they were trained on."""

    models: dict[str, FieldModel]
    trained_on: str

    def score(self, field: str, cands: list[FieldCandidate], ctx: Context) -> np.ndarray:
        """The probability of each candidate being the field's value."""
        if not cands:
            return np.zeros(0)
        return self.models[field].probabilities(feature_matrix(cands, ctx, field))

    def pick(
        self, field: str, cands: list[FieldCandidate], ctx: Context
    ) -> tuple[FieldCandidate, float] | None:
        """The most probable candidate and its probability (None without candidates)."""
        probs = self.score(field, cands, ctx)
        if not len(probs):
            return None
        best = int(np.argmax(probs))
        return cands[best], float(probs[best])


def load_scorer(data: dict[str, Any]) -> FieldScorer:
    """A scorer from the weights file's content; raises ScorerFormatError when it does not fit."""
    if data.get("format_version") != FORMAT_VERSION:
        raise ScorerFormatError(
            f"format version {data.get('format_version')}, want {FORMAT_VERSION}"
        )
    models = {}
    for field, names in FEATURES.items():
        spec = data["fields"][field]
        if tuple(spec["features"]) != names:
            raise ScorerFormatError(f"{field}: weights fitted on other features; refit them")
        models[field] = FieldModel(names, spec["model"])
    return FieldScorer(models, str(data.get("trained_on", "")))


@lru_cache(maxsize=1)
def default_scorer() -> FieldScorer:
    """The scorer of the committed weights (loaded once)."""
    return load_scorer(json.loads(WEIGHTS.read_text(encoding="utf-8")))
