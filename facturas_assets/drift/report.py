"""The drift report: its fixed JSON shape (drift/report_schema.json), summaries for people.

Schema version 1.1 (1.1 added each feature's `status`); a field is only ever added in a minor
version, and removed or re-typed only in a major one.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from importlib import resources
from typing import Any, Literal

REPORT_VERSION = "1.1"  # 1.1: each feature's optional status, the optional review section
SCHEMA_FILE = "report_schema.json"

Verdict = Literal["no_drift", "drift", "insufficient_data"]
VERDICTS: tuple[Verdict, ...] = ("no_drift", "drift", "insufficient_data")

# One feature's verdict; below the report's minimum sample no feature can be called stable.
FeatureStatus = Literal["drifted", "stable", "not enough data"]
NOT_ENOUGH_DATA: FeatureStatus = "not enough data"


def feature_status(drifted: bool, enough: bool) -> FeatureStatus:
    """What a feature's test says, given whether the sample was large enough to judge."""
    if not enough:
        return NOT_ENOUGH_DATA
    return "drifted" if drifted else "stable"


def _finite(value: float | None) -> float | None:
    """JSON has no NaN or infinity: such values are reported as null."""
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


@dataclass(frozen=True)
class DriftSettings:
    """The thresholds a report was made with (written into the report)."""

    alpha: float = 0.05
    effect_floor: float = 0.1
    psi_floor: float = 0.02
    min_samples: int = 200
    auc_floor: float = 0.6
    max_domain_samples: int = 5000
    cv_folds: int = 3
    min_expected_count: float = 5.0
    seed: int = 0

    def __post_init__(self) -> None:
        if not 0 < self.alpha < 1:
            raise ValueError(f"alpha must be in (0, 1), got {self.alpha}")
        if self.effect_floor < 0 or self.psi_floor < 0:
            raise ValueError("effect floors must not be negative")
        if self.min_samples < 2:
            raise ValueError("min_samples must be at least 2")
        if not 0.5 <= self.auc_floor < 1:
            raise ValueError(f"auc_floor must be in [0.5, 1), got {self.auc_floor}")
        if self.max_domain_samples < 100 or self.cv_folds < 2:
            raise ValueError("max_domain_samples must be >= 100 and cv_folds >= 2")

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able dict."""
        return asdict(self)


@dataclass(frozen=True)
class FeatureDrift:
    """One feature's test, effect size and flag."""

    name: str
    kind: str
    test: str
    statistic: float | None
    p_value: float | None
    p_adjusted: float | None
    effect_size: float | None
    effect_measure: str
    effect_floor: float
    psi: float | None
    drifted: bool
    n_reference: int
    n_current: int
    missing_reference: float
    missing_current: float
    status: FeatureStatus

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able dict (non-finite numbers as null)."""
        out = asdict(self)
        for key in ("statistic", "p_value", "p_adjusted", "effect_size", "psi"):
            out[key] = _finite(out[key])
        return out


@dataclass(frozen=True)
class MultivariateDrift:
    """The domain classifier's verdict on joint drift (auc null when it was not run)."""

    method: str
    auc: float | None
    threshold: float
    p_value: float | None
    drifted: bool
    n_reference: int
    n_current: int
    folds: int
    skipped_reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able dict (non-finite numbers as null)."""
        out = asdict(self)
        out["auc"] = _finite(out["auc"])
        out["p_value"] = _finite(out["p_value"])
        return out


@dataclass(frozen=True)
class DriftReport:
    """Reference vs current invoices: the verdict, per-feature results and the joint check."""

    generated_at: str
    verdict: Verdict
    n_reference: int
    n_current: int
    features: list[FeatureDrift]
    multivariate: MultivariateDrift
    settings: DriftSettings
    reasons: list[str] = field(default_factory=list)
    feature_set: dict[str, str] | None = None
    context: dict[str, Any] = field(default_factory=dict)
    version: str = REPORT_VERSION
    review: dict[str, Any] | None = None  # review activity of the window (review_activity.py)

    @property
    def drifted_features(self) -> list[str]:
        """Names of the features flagged as drifted."""
        return [f.name for f in self.features if f.drifted]

    @property
    def feature_statuses(self) -> dict[str, FeatureStatus]:
        """Each feature's status, in report order."""
        return {f.name: f.status for f in self.features}

    def to_dict(self) -> dict[str, Any]:
        """The report in the schema's shape."""
        return {
            "version": self.version,
            "generated_at": self.generated_at,
            "verdict": self.verdict,
            "n_reference": self.n_reference,
            "n_current": self.n_current,
            "drifted_features": self.drifted_features,
            "reasons": list(self.reasons),
            "features": [f.to_dict() for f in self.features],
            "multivariate": self.multivariate.to_dict(),
            "settings": self.settings.to_dict(),
            "feature_set": dict(self.feature_set) if self.feature_set else None,
            "context": dict(self.context),
            **({"review": self.review} if self.review is not None else {}),
        }

    def to_json(self) -> str:
        """The report as indented JSON (strict: no NaN)."""
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False, allow_nan=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DriftReport:
        """A report read back from its JSON dict."""
        if str(data.get("version", "")).split(".")[0] != REPORT_VERSION.split(".")[0]:
            raise ValueError(f"unsupported drift report version {data.get('version')!r}")
        return cls(
            generated_at=data["generated_at"],
            verdict=data["verdict"],
            n_reference=data["n_reference"],
            n_current=data["n_current"],
            features=[_feature_from_dict(f, data["verdict"]) for f in data["features"]],
            multivariate=MultivariateDrift(**data["multivariate"]),
            settings=DriftSettings(**data["settings"]),
            reasons=list(data.get("reasons", [])),
            feature_set=data.get("feature_set"),
            context=dict(data.get("context") or {}),
            version=data["version"],
            review=data.get("review"),
        )

    def markdown_table(self) -> str:
        """Per-feature results as a Markdown table (for the asset's metadata)."""
        rows = [
            "| feature | kind | test | p (BH) | effect | floor | status |",
            "|---|---|---|---|---|---|---|",
        ]
        for f in self.features:
            rows.append(
                f"| {f.name} | {f.kind} | {f.test} | {_fmt_p(f.p_adjusted)} | "
                f"{_fmt(f.effect_size)} {_MEASURE_LABEL.get(f.effect_measure, '')} | "
                f"{_fmt(f.effect_floor)} | {'**drifted**' if f.drifted else f.status} |"
            )
        m = self.multivariate
        joint = feature_status(m.drifted, m.auc is not None)
        rows.append(
            f"| *all (domain classifier)* | joint | AUC | {_fmt_p(m.p_value)} | "
            f"{_fmt(m.auc)} AUC | {_fmt(m.threshold)} | "
            f"{'**drifted**' if m.drifted else joint} |"
        )
        return "\n".join(rows)

    def summary(self) -> str:
        """One paragraph for people: the verdict and why."""
        head = (
            f"Drift verdict: {self.verdict} ({self.n_current} current vs "
            f"{self.n_reference} reference invoices)."
        )
        return " ".join([head, *self.reasons])


def _feature_from_dict(data: dict[str, Any], verdict: str) -> FeatureDrift:
    """A feature read back; a 1.0 report has no status, which its verdict and flag give."""
    if "status" not in data:
        data = {
            **data,
            "status": feature_status(data["drifted"], verdict != "insufficient_data"),
        }
    return FeatureDrift(**data)


_MEASURE_LABEL = {"wasserstein_normed": "σ (W1)", "psi": "PSI"}


def _fmt(value: float | None) -> str:
    return "–" if value is None or not math.isfinite(value) else f"{value:.3g}"


def _fmt_p(value: float | None) -> str:
    if value is None or not math.isfinite(value):
        return "–"
    return "<1e-12" if value < 1e-12 else f"{value:.2g}"


def load_schema() -> dict[str, Any]:
    """The JSON Schema every report's to_dict() satisfies."""
    text = resources.files("facturas_assets.drift").joinpath(SCHEMA_FILE).read_text("utf-8")
    return json.loads(text)
