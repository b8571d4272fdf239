"""Drift detection of incoming invoices against a feature baseline (pure Python, no Dagster)."""

from facturas_assets.drift.detect import detect_against_baseline, detect_drift
from facturas_assets.drift.features import (
    FEATURE_SET_VERSION,
    FEATURES,
    Baseline,
    BaselineMismatch,
    FeatureSpec,
    feature_kinds,
    feature_set_hash,
    invoice_features,
)
from facturas_assets.drift.html import render_html
from facturas_assets.drift.report import DriftReport, DriftSettings, load_schema

__all__ = [
    "FEATURES",
    "FEATURE_SET_VERSION",
    "Baseline",
    "BaselineMismatch",
    "DriftReport",
    "DriftSettings",
    "FeatureSpec",
    "detect_against_baseline",
    "detect_drift",
    "feature_kinds",
    "feature_set_hash",
    "invoice_features",
    "load_schema",
    "render_html",
]
