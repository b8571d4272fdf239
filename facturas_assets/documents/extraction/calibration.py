"""Calibrated field confidence: the extractor's raw score per field mapped to how often it is right.

A map is fitted per reading method and field ("ocr/total") by isotonic regression on (raw score,
read right?) pairs from held-out documents, then shrunk towards one half by one right and one wrong
reading per step of the map (so a step seen with few documents, or never wrong, is not certain).
`calibration.json` beside this module is the default the extractor applies; `bench/bench_review.py
--fit` writes it again.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from facturas_assets.documents.model import InvoiceData

DEFAULT_FILE = Path(__file__).with_name("calibration.json")
FORMAT = 1
MIN_SAMPLES = 20  # fewer pairs than this for a field: its raw score is kept as is


@dataclass(frozen=True, slots=True)
class FieldMap:
    """A non-decreasing step map from raw score to the chance the field is right."""

    raw: tuple[float, ...]
    calibrated: tuple[float, ...]
    samples: int

    def __call__(self, score: float) -> float:
        """The calibrated confidence of one raw score (linear between the fitted points)."""
        return float(np.interp(score, self.raw, self.calibrated))


@dataclass(frozen=True, slots=True)
class Calibration:
    """Field maps keyed "method/field"; a field without a map keeps its raw score."""

    maps: dict[str, FieldMap]

    def apply(self, data: InvoiceData, method: str) -> None:
        """Replace the raw confidences of an invoice read with `method` by calibrated ones."""
        for name, score in data.confidence.items():
            field_map = self.maps.get(f"{method}/{name}")
            if field_map is not None:
                data.confidence[name] = round(field_map(score), 3)

    def to_json(self) -> str:
        """The maps as canonical JSON (the committed artifact)."""
        body = {
            "format": FORMAT,
            "maps": {
                key: {"raw": list(m.raw), "calibrated": list(m.calibrated), "samples": m.samples}
                for key, m in sorted(self.maps.items())
            },
        }
        return json.dumps(body, indent=1) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Calibration:
        """Maps from their JSON; a wrong format or a decreasing map is a ValueError."""
        body: dict[str, Any] = json.loads(text)
        if body.get("format") != FORMAT:
            raise ValueError(f"calibration format {body.get('format')!r}, expected {FORMAT}")
        maps = {}
        for key, m in body["maps"].items():
            raw, calibrated = tuple(m["raw"]), tuple(m["calibrated"])
            if len(raw) != len(calibrated) or not raw:
                raise ValueError(f"calibration map {key}: raw and calibrated points differ")
            if any(b < a for a, b in zip(raw, raw[1:], strict=False)) or any(
                b < a for a, b in zip(calibrated, calibrated[1:], strict=False)
            ):
                raise ValueError(f"calibration map {key} is not non-decreasing")
            maps[key] = FieldMap(raw, calibrated, int(m["samples"]))
        return cls(maps)


def fit_map(scores: list[float], right: list[bool]) -> FieldMap:
    """Isotonic fit of right/wrong on raw score, each step shrunk by one right and one wrong."""
    from sklearn.isotonic import IsotonicRegression

    x = np.asarray(scores, dtype=float)
    y = np.asarray(right, dtype=float)
    iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(x, y)
    fitted = iso.predict(x)
    # Each step of the fit is a run of equal outputs: shrink it by its own count.
    steps: dict[float, list[float]] = defaultdict(list)
    for value, score in zip(fitted, x, strict=True):
        steps[round(float(value), 12)].append(score)
    raw: list[float] = []
    calibrated: list[float] = []
    for value in sorted(steps):
        members = steps[value]
        n = len(members)
        shrunk = (value * n + 1.0) / (n + 2.0)
        # The step's two ends, so interpolation is flat within a step and linear between steps.
        for point in sorted({min(members), max(members)}):
            raw.append(round(point, 6))
            calibrated.append(round(shrunk, 4))
    # Shrinking can make a small high step fall below a large lower one: keep the map monotone.
    calibrated = list(np.maximum.accumulate(calibrated))
    return FieldMap(tuple(raw), tuple(calibrated), len(x))


def fit(pairs: Iterable[tuple[str, float, bool]], min_samples: int = MIN_SAMPLES) -> Calibration:
    """A Calibration from ("method/field", raw score, right?) pairs."""
    by_key: dict[str, tuple[list[float], list[bool]]] = defaultdict(lambda: ([], []))
    for key, score, right in pairs:
        by_key[key][0].append(score)
        by_key[key][1].append(right)
    return Calibration(
        {
            key: fit_map(scores, right)
            for key, (scores, right) in sorted(by_key.items())
            if len(scores) >= min_samples
        }
    )


@lru_cache(maxsize=1)
def default_calibration() -> Calibration:
    """The committed calibration the extractor applies."""
    return Calibration.from_json(DEFAULT_FILE.read_text(encoding="utf-8"))


def expected_calibration_error(confidence: list[float], right: list[bool], bins: int = 10) -> float:
    """ECE: the count-weighted mean gap between confidence and accuracy over equal-width bins."""
    if not confidence:
        return 0.0
    c = np.asarray(confidence, dtype=float)
    y = np.asarray(right, dtype=float)
    index = np.minimum((c * bins).astype(int), bins - 1)
    gap = 0.0
    for b in range(bins):
        member = index == b
        if member.any():
            gap += member.sum() * abs(c[member].mean() - y[member].mean())
    return float(gap / len(c))


def reliability_curve(
    confidence: list[float], right: list[bool], bins: int = 10
) -> list[tuple[float, float, int]]:
    """(mean confidence, accuracy, count) of each non-empty equal-width bin."""
    c = np.asarray(confidence, dtype=float)
    y = np.asarray(right, dtype=float)
    index = np.minimum((c * bins).astype(int), bins - 1)
    return [
        (float(c[index == b].mean()), float(y[index == b].mean()), int((index == b).sum()))
        for b in range(bins)
        if (index == b).any()
    ]
