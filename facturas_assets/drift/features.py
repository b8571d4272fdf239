"""Per-invoice features watched for drift, and the stored baseline they are compared against.

The feature set is versioned: `FEATURE_SET_VERSION` changes whenever a feature is added, removed or
computed differently, and its hash (names + kinds + version) is written into every baseline, so a
baseline built from another feature set is refused (`BaselineMismatch`) instead of compared.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, Protocol

import numpy as np
import pandas as pd

FeatureKind = Literal["numeric", "categorical"]
KINDS: tuple[FeatureKind, ...] = ("numeric", "categorical")

FEATURE_SET_VERSION = "1"
"""Bump when a feature is added, removed or computed differently."""

BASELINE_PREFIX = "baselines"
BASELINE_NAME = "baseline_caracteristicas"
"""Stem of the stored baseline files (the old design's `baseline_caracteristicas.npy`)."""

BASELINE_FORMAT = "facturas-feature-baseline"
BASELINE_FORMAT_VERSION = 1


class BaselineMismatch(ValueError):
    """The baseline was built from another feature set than the one being compared."""


@dataclass(frozen=True)
class FeatureSpec:
    """One watched feature: its column name, kind and meaning."""

    name: str
    kind: FeatureKind
    description: str


FEATURES: tuple[FeatureSpec, ...] = (
    FeatureSpec("log_total", "numeric", "sign(total) * log1p(|total|)"),
    FeatureSpec("log_net_total", "numeric", "sign(net) * log1p(|net|)"),
    FeatureSpec("log_tax_total", "numeric", "sign(tax) * log1p(|tax|)"),
    FeatureSpec("tax_rate", "numeric", "tax_total / net_total to 3 decimals (null if net <= 0)"),
    FeatureSpec("line_count", "numeric", "number of line items"),
    FeatureSpec("log_mean_line_amount", "numeric", "signed log1p of the mean line amount"),
    FeatureSpec("log_max_line_amount", "numeric", "signed log1p of the largest line amount"),
    FeatureSpec("description_chars", "numeric", "mean length of the line descriptions"),
    FeatureSpec("warning_count", "numeric", "extraction/validation warnings on the invoice"),
    FeatureSpec("category_confidence", "numeric", "the classifier's score for its category"),
    FeatureSpec("has_discount", "categorical", "yes when a line is discounted or negative"),
    FeatureSpec("read_method", "categorical", "einvoice / text / ocr"),
    FeatureSpec("currency", "categorical", "ISO 4217 currency code"),
    FeatureSpec("category", "categorical", "preventiva / correctiva"),
)
"""The platform's drift features, in column order."""

INVOICE_COLUMNS = (
    "sha256",
    "total",
    "net_total",
    "tax_total",
    "category",
    "category_confidence",
    "read_method",
    "currency",
)
LINE_COLUMNS = ("invoice_sha256", "quantity", "unit_price", "amount", "description")

# A line is discounted when its amount is below quantity x unit price by more than rounding.
_DISCOUNT_ABS_TOLERANCE = 0.01
_DISCOUNT_REL_TOLERANCE = 0.001


def feature_kinds(specs: Sequence[FeatureSpec] = FEATURES) -> dict[str, FeatureKind]:
    """Feature name -> kind, in column order."""
    return {spec.name: spec.kind for spec in specs}


def feature_set_hash(
    specs: Sequence[FeatureSpec] | Mapping[str, str] = FEATURES,
    version: str = FEATURE_SET_VERSION,
) -> str:
    """Short stable hash of a feature set (ordered names and kinds, plus its version)."""
    kinds = dict(specs) if isinstance(specs, Mapping) else feature_kinds(specs)
    payload = json.dumps({"version": version, "features": list(kinds.items())}, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def _numeric(series: pd.Series) -> pd.Series:
    """Amounts as float (DECIMAL arrives as Decimal objects); unreadable values become null."""
    return pd.to_numeric(series, errors="coerce").astype("float64")


def _signed_log(values: pd.Series) -> pd.Series:
    return np.sign(values) * np.log1p(values.abs())


def _warning_count(value: Any) -> float:
    """Number of warnings in a JSON list (as stored) or its text; null when unknown."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return 0.0
    if isinstance(value, str | bytes):
        try:
            value = json.loads(value)
        except ValueError:
            return np.nan
    if isinstance(value, list | tuple):
        return float(len(value))
    return np.nan


def _categorical(series: pd.Series) -> pd.Series:
    """Strings, stripped; missing and empty values become None."""
    out = series.astype("object").where(series.notna(), None)
    out = out.map(lambda v: None if v is None else (str(v).strip() or None))
    return out.astype("object")


def _line_features(lines: pd.DataFrame, net_total: pd.Series) -> pd.DataFrame:
    """Aggregates of the line items per invoice sha256."""
    missing = [c for c in LINE_COLUMNS if c not in lines.columns]
    if missing:
        raise ValueError(f"invoice lines lack the columns {missing}")
    amount = _numeric(lines["amount"])
    gross = _numeric(lines["quantity"]) * _numeric(lines["unit_price"])
    tolerance = np.maximum(_DISCOUNT_ABS_TOLERANCE, _DISCOUNT_REL_TOLERANCE * gross.abs())
    discounted = (amount < 0) | ((gross - amount) > tolerance)
    frame = pd.DataFrame(
        {
            "key": lines["invoice_sha256"].astype(str).to_numpy(),
            "amount": amount.to_numpy(),
            "discounted": discounted.fillna(False).to_numpy(),
            "chars": lines["description"].fillna("").astype(str).str.strip().str.len().to_numpy(),
        }
    )
    frame.loc[frame["chars"] == 0, "chars"] = np.nan
    grouped = frame.groupby("key", sort=False)
    agg = pd.DataFrame(
        {
            "line_count": grouped.size().astype("float64"),
            "mean_amount": grouped["amount"].mean(),
            "max_amount": grouped["amount"].max(),
            "sum_amount": grouped["amount"].sum(min_count=1),
            "any_discount": grouped["discounted"].any(),
            "description_chars": grouped["chars"].mean(),
        }
    )
    return agg


def invoice_features(invoices: pd.DataFrame, lines: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row of FEATURES per invoice (indexed by sha256) from `invoices` / `invoice_lines` rows.

    Without `lines`, the line-based features are null (not zero): absence of data is not an
    invoice without lines.
    """
    missing = [c for c in INVOICE_COLUMNS if c not in invoices.columns]
    if missing:
        raise ValueError(f"invoices lack the columns {missing}")
    keys = invoices["sha256"].astype(str)
    if keys.duplicated().any():
        raise ValueError("invoices hold duplicate sha256 values")
    total = _numeric(invoices["total"]).set_axis(keys)
    net = _numeric(invoices["net_total"]).set_axis(keys)
    tax = _numeric(invoices["tax_total"]).set_axis(keys)

    out = pd.DataFrame(index=pd.Index(keys, name="sha256"))
    out["log_total"] = _signed_log(total)
    out["log_net_total"] = _signed_log(net)
    out["log_tax_total"] = _signed_log(tax)
    # Rounded to 0.1 percentage point: cent rounding of the tax is noise, not a rate change.
    out["tax_rate"] = (tax / net.where(net > 0)).round(3).astype("float64")

    if lines is None:
        for name in ("line_count", "log_mean_line_amount", "log_max_line_amount"):
            out[name] = np.nan
        out["description_chars"] = np.nan
        has_discount = pd.Series(None, index=out.index, dtype="object")
    else:
        agg = _line_features(lines, net).reindex(out.index)
        out["line_count"] = agg["line_count"].fillna(0.0)
        out["log_mean_line_amount"] = _signed_log(agg["mean_amount"])
        out["log_max_line_amount"] = _signed_log(agg["max_amount"])
        out["description_chars"] = agg["description_chars"]
        # A global discount shows as lines summing above the net total.
        global_discount = (agg["sum_amount"] - net) > _DISCOUNT_ABS_TOLERANCE
        any_line = agg["any_discount"].astype("boolean").fillna(False).astype(bool)
        discounted = any_line | global_discount
        has_discount = discounted.map({True: "yes", False: "no"}).astype("object")

    warnings = invoices["warnings"] if "warnings" in invoices.columns else None
    out["warning_count"] = (
        np.nan if warnings is None else warnings.map(_warning_count).to_numpy(dtype="float64")
    )
    out["category_confidence"] = _numeric(invoices["category_confidence"]).to_numpy()
    out["has_discount"] = has_discount.to_numpy()
    out["read_method"] = _categorical(invoices["read_method"]).to_numpy()
    out["currency"] = _categorical(invoices["currency"]).str.upper().to_numpy()
    out["category"] = _categorical(invoices["category"]).to_numpy()
    return out[[spec.name for spec in FEATURES]]


class BlobStore(Protocol):
    """What a baseline needs of an object store (the platform's ObjectStore resource fits)."""

    def read_bytes(self, key: str) -> bytes: ...

    def write_bytes(self, key: str, data: bytes, content_type: str | None = None) -> None: ...


def _write(target: BlobStore | Path | str, key: str, data: bytes, content_type: str) -> str:
    if isinstance(target, str | Path):
        path = Path(target) / key
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return str(path)
    target.write_bytes(key, data, content_type=content_type)
    return key


def _read(source: BlobStore | Path | str, key: str) -> bytes:
    if isinstance(source, str | Path):
        path = Path(source) / key
        if not path.is_file():
            raise FileNotFoundError(f"no baseline file {path}")
        return path.read_bytes()
    return source.read_bytes(key)


@dataclass
class Baseline:
    """Reference feature matrix (categoricals as integer codes) with names, kinds and sample size."""

    matrix: np.ndarray
    names: list[str]
    kinds: list[FeatureKind]
    categories: dict[str, list[str]]
    feature_set_version: str = FEATURE_SET_VERSION
    feature_set_hash: str = ""
    created_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat())
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.matrix.ndim != 2 or self.matrix.shape[1] != len(self.names):
            raise ValueError(
                f"matrix shape {self.matrix.shape} does not fit {len(self.names)} names"
            )
        if len(self.kinds) != len(self.names) or any(k not in KINDS for k in self.kinds):
            raise ValueError("every feature needs a kind, numeric or categorical")
        if not self.feature_set_hash:
            self.feature_set_hash = feature_set_hash(
                dict(zip(self.names, self.kinds, strict=True)), self.feature_set_version
            )

    @property
    def sample_size(self) -> int:
        """Number of reference invoices."""
        return int(self.matrix.shape[0])

    @property
    def kind_map(self) -> dict[str, FeatureKind]:
        """Feature name -> kind, in column order."""
        return dict(zip(self.names, self.kinds, strict=True))

    @classmethod
    def from_frame(
        cls,
        frame: pd.DataFrame,
        specs: Sequence[FeatureSpec] = FEATURES,
        *,
        version: str = FEATURE_SET_VERSION,
        extra: Mapping[str, Any] | None = None,
    ) -> Baseline:
        """A baseline from a feature frame whose columns are exactly the given feature set."""
        names = [s.name for s in specs]
        if list(frame.columns) != names:
            raise BaselineMismatch(
                f"feature frame columns {list(frame.columns)} are not the feature set {names}"
            )
        matrix = np.empty((len(frame), len(names)), dtype="float64")
        categories: dict[str, list[str]] = {}
        for j, spec in enumerate(specs):
            column = frame[spec.name]
            if spec.kind == "numeric":
                matrix[:, j] = pd.to_numeric(column, errors="raise").astype("float64")
            else:
                values = column.astype("object").where(column.notna(), None)
                levels = sorted({str(v) for v in values if v is not None})
                codes = {level: i for i, level in enumerate(levels)}
                matrix[:, j] = [np.nan if v is None else codes[str(v)] for v in values]
                categories[spec.name] = levels
        return cls(
            matrix=matrix,
            names=names,
            kinds=[s.kind for s in specs],
            categories=categories,
            feature_set_version=version,
            extra=dict(extra or {}),
        )

    def frame(self) -> pd.DataFrame:
        """The reference features as a DataFrame (categoricals decoded back to strings)."""
        data: dict[str, Any] = {}
        for j, (name, kind) in enumerate(zip(self.names, self.kinds, strict=True)):
            column = self.matrix[:, j]
            if kind == "numeric":
                data[name] = column
            else:
                levels = np.array(self.categories.get(name, []), dtype="object")
                decoded = np.full(column.shape, None, dtype="object")
                present = ~np.isnan(column)
                decoded[present] = levels[column[present].astype(int)]
                data[name] = decoded
        return pd.DataFrame(data, columns=self.names)

    def require_compatible(
        self, specs: Sequence[FeatureSpec] = FEATURES, version: str = FEATURE_SET_VERSION
    ) -> None:
        """Raise BaselineMismatch unless this baseline was built from exactly this feature set."""
        expected = feature_kinds(specs)
        problems = []
        if self.names != list(expected):
            missing = [n for n in expected if n not in self.names]
            extra = [n for n in self.names if n not in expected]
            problems.append(
                f"features differ (missing {missing}, unexpected {extra})"
                if missing or extra
                else "features are in another order"
            )
        elif self.kind_map != expected:
            problems.append("feature kinds differ")
        if self.feature_set_version != version:
            problems.append(f"feature set version {self.feature_set_version!r} is not {version!r}")
        if not problems and self.feature_set_hash != feature_set_hash(specs, version):
            problems.append("feature set hash differs")
        if problems:
            raise BaselineMismatch(
                "the baseline was built from another feature set: "
                + "; ".join(problems)
                + " (materialize feature_baseline again)"
            )

    def _metadata(self) -> dict[str, Any]:
        return {
            "format": BASELINE_FORMAT,
            "format_version": BASELINE_FORMAT_VERSION,
            "feature_set_version": self.feature_set_version,
            "feature_set_hash": self.feature_set_hash,
            "features": [
                {"name": n, "kind": k, "categories": self.categories.get(n)}
                for n, k in zip(self.names, self.kinds, strict=True)
            ],
            "sample_size": self.sample_size,
            "shape": list(self.matrix.shape),
            "dtype": "float64",
            "created_at": self.created_at,
            "extra": self.extra,
        }

    def save(
        self, target: BlobStore | Path | str, prefix: str = BASELINE_PREFIX
    ) -> tuple[str, str]:
        """Write `<prefix>/baseline_caracteristicas.npy` and `.json`; returns both keys/paths."""
        buffer = io.BytesIO()
        np.save(buffer, self.matrix, allow_pickle=False)
        stem = f"{prefix.strip('/')}/{BASELINE_NAME}" if prefix.strip("/") else BASELINE_NAME
        npy = _write(target, f"{stem}.npy", buffer.getvalue(), "application/octet-stream")
        meta = json.dumps(self._metadata(), indent=2, ensure_ascii=False).encode()
        meta_key = _write(target, f"{stem}.json", meta, "application/json")
        return npy, meta_key

    @classmethod
    def load(cls, source: BlobStore | Path | str, prefix: str = BASELINE_PREFIX) -> Baseline:
        """Read a baseline written by save(); a malformed one is a ValueError naming the problem."""
        stem = f"{prefix.strip('/')}/{BASELINE_NAME}" if prefix.strip("/") else BASELINE_NAME
        meta = json.loads(_read(source, f"{stem}.json"))
        if meta.get("format") != BASELINE_FORMAT:
            raise ValueError(
                f"{stem}.json is not a feature baseline (format {meta.get('format')!r})"
            )
        matrix = np.load(io.BytesIO(_read(source, f"{stem}.npy")), allow_pickle=False)
        features = meta["features"]
        if list(matrix.shape) != meta["shape"]:
            raise ValueError(
                f"{stem}.npy has shape {list(matrix.shape)}, its metadata says {meta['shape']}"
            )
        baseline = cls(
            matrix=matrix.astype("float64", copy=False),
            names=[f["name"] for f in features],
            kinds=[f["kind"] for f in features],
            categories={f["name"]: f["categories"] for f in features if f.get("categories")},
            feature_set_version=str(meta["feature_set_version"]),
            feature_set_hash=str(meta["feature_set_hash"]),
            created_at=str(meta.get("created_at", "")),
            extra=dict(meta.get("extra") or {}),
        )
        recomputed = feature_set_hash(baseline.kind_map, baseline.feature_set_version)
        if recomputed != baseline.feature_set_hash:
            raise BaselineMismatch(f"{stem}.json names a feature set hash its features do not have")
        return baseline
