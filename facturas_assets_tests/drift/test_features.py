"""Invoice features from database rows, and the stored baseline."""

from __future__ import annotations

import json
import math
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from facturas_assets.drift import (
    FEATURES,
    Baseline,
    BaselineMismatch,
    detect_against_baseline,
    feature_set_hash,
    invoice_features,
)
from facturas_assets.drift.features import FeatureSpec
from facturas_assets.resources.object_store import LocalObjectStore
from facturas_assets_tests.drift.synthetic import feature_frame

SHA_A = "a" * 64
SHA_B = "b" * 64


def _rows() -> tuple[pd.DataFrame, pd.DataFrame]:
    invoices = pd.DataFrame(
        [
            {
                "sha256": SHA_A,
                "total": Decimal("1210.00"),
                "net_total": Decimal("1000.00"),
                "tax_total": Decimal("210.00"),
                "category": "preventiva",
                "category_confidence": 0.97,
                "read_method": "text",
                "currency": "eur",
                "warnings": ["total redondeado", "NIF no verificado"],
            },
            {
                "sha256": SHA_B,
                "total": Decimal("0.00"),
                "net_total": Decimal("0.00"),
                "tax_total": Decimal("0.00"),
                "category": "correctiva",
                "category_confidence": None,
                "read_method": "ocr",
                "currency": None,
                "warnings": None,
            },
        ]
    )
    lines = pd.DataFrame(
        [
            {"invoice_sha256": SHA_A, "quantity": Decimal("2"), "unit_price": Decimal("300"),
             "amount": Decimal("600.00"), "description": "Revisión del telar"},
            {"invoice_sha256": SHA_A, "quantity": Decimal("1"), "unit_price": Decimal("500"),
             "amount": Decimal("400.00"), "description": "Rodamientos (20 % dto.)"},
        ]
    )  # fmt: skip
    return invoices, lines


def test_invoice_features_from_database_rows() -> None:
    invoices, lines = _rows()
    features = invoice_features(invoices, lines)
    assert list(features.columns) == [f.name for f in FEATURES]
    a, b = features.loc[SHA_A], features.loc[SHA_B]
    assert a["log_total"] == pytest.approx(math.log1p(1210))
    assert a["tax_rate"] == pytest.approx(0.21)
    assert a["line_count"] == 2
    assert a["log_mean_line_amount"] == pytest.approx(math.log1p(500))
    assert a["log_max_line_amount"] == pytest.approx(math.log1p(600))
    assert a["description_chars"] == pytest.approx((18 + 23) / 2)
    assert a["warning_count"] == 2
    assert a["category_confidence"] == pytest.approx(0.97)
    assert a["has_discount"] == "yes"  # 1 x 500 billed as 400
    assert (a["read_method"], a["currency"], a["category"]) == ("text", "EUR", "preventiva")
    # No net: no tax rate; no lines: zero lines and no line statistics.
    assert math.isnan(b["tax_rate"]) and b["line_count"] == 0
    assert math.isnan(b["log_mean_line_amount"]) and b["has_discount"] == "no"
    assert b["currency"] is None and math.isnan(b["category_confidence"])
    assert b["warning_count"] == 0


def test_without_lines_the_line_features_are_unknown_not_zero() -> None:
    invoices, _ = _rows()
    features = invoice_features(invoices)
    assert features["line_count"].isna().all()
    assert features["has_discount"].isna().all()
    assert features.loc[SHA_A, "log_total"] == pytest.approx(math.log1p(1210))


def test_a_global_discount_counts_as_discount() -> None:
    invoices, lines = _rows()
    lines = lines.iloc[:1]  # 600 in lines, net 1000: no; make the net smaller than the lines
    invoices.loc[0, "net_total"] = Decimal("540.00")
    assert invoice_features(invoices, lines).loc[SHA_A, "has_discount"] == "yes"


def test_invoice_features_refuse_incomplete_rows() -> None:
    invoices, lines = _rows()
    with pytest.raises(ValueError, match="category_confidence"):
        invoice_features(invoices.drop(columns=["category_confidence"]), lines)
    with pytest.raises(ValueError, match="amount"):
        invoice_features(invoices, lines.drop(columns=["amount"]))
    with pytest.raises(ValueError, match="duplicate"):
        invoice_features(pd.concat([invoices, invoices]), lines)


def test_baseline_round_trip_through_the_object_store(tmp_path: Path) -> None:
    frame = feature_frame(300, seed=1)
    frame.iloc[0, frame.columns.get_loc("currency")] = None
    baseline = Baseline.from_frame(frame, extra={"model_version": "3"})
    store = LocalObjectStore(bucket="textil-modelos", root=str(tmp_path))
    keys = baseline.save(store)
    assert keys == (
        "baselines/baseline_caracteristicas.npy",
        "baselines/baseline_caracteristicas.json",
    )
    loaded = Baseline.load(store)
    assert loaded.sample_size == 300
    assert loaded.feature_set_hash == feature_set_hash()
    assert loaded.extra == {"model_version": "3"}
    pd.testing.assert_frame_equal(loaded.frame(), frame.reset_index(drop=True))
    loaded.require_compatible()
    meta = json.loads(store.read_bytes(keys[1]))
    assert meta["sample_size"] == 300 and meta["shape"] == [300, len(FEATURES)]
    assert np.load(tmp_path / "textil-modelos" / keys[0]).shape == (300, len(FEATURES))


def test_baseline_round_trip_through_a_folder(tmp_path: Path) -> None:
    baseline = Baseline.from_frame(feature_frame(50, seed=2))
    baseline.save(tmp_path, prefix="")
    assert (tmp_path / "baseline_caracteristicas.npy").is_file()
    assert Baseline.load(tmp_path, prefix="").names == baseline.names
    with pytest.raises(FileNotFoundError):
        Baseline.load(tmp_path / "elsewhere")


def test_a_baseline_from_another_feature_set_is_refused(tmp_path: Path) -> None:
    old_specs = [s for s in FEATURES if s.name != "description_chars"] + [
        FeatureSpec("page_count", "numeric", "pages of the document")
    ]
    old_frame = (
        feature_frame(300, seed=3).drop(columns=["description_chars"]).assign(page_count=1.0)
    )
    Baseline.from_frame(old_frame, old_specs, version="0").save(tmp_path)
    old = Baseline.load(tmp_path)
    with pytest.raises(BaselineMismatch, match=r"missing \['description_chars'\]"):
        old.require_compatible()
    with pytest.raises(BaselineMismatch):
        detect_against_baseline(old, feature_frame(300, seed=4))

    # Same names but another version of the feature computation: refused too.
    relabelled = Baseline.from_frame(feature_frame(300, seed=5), version="0")
    with pytest.raises(BaselineMismatch, match="version"):
        relabelled.require_compatible()

    # Kinds changed under the same names.
    retyped = [FeatureSpec(s.name, "categorical", s.description) if s.name == "line_count"
               else s for s in FEATURES]  # fmt: skip
    with pytest.raises(BaselineMismatch, match="kinds"):
        Baseline.from_frame(feature_frame(100, seed=6), retyped).require_compatible()


def test_a_feature_frame_with_other_columns_cannot_become_a_baseline() -> None:
    with pytest.raises(BaselineMismatch):
        Baseline.from_frame(feature_frame(10, seed=7).drop(columns=["category"]))


def test_a_tampered_baseline_is_a_clear_error(tmp_path: Path) -> None:
    Baseline.from_frame(feature_frame(40, seed=8)).save(tmp_path)
    meta_path = tmp_path / "baselines" / "baseline_caracteristicas.json"
    meta = json.loads(meta_path.read_text())
    meta["shape"] = [41, meta["shape"][1]]
    meta_path.write_text(json.dumps(meta))
    with pytest.raises(ValueError, match="shape"):
        Baseline.load(tmp_path)
    meta["shape"] = [40, meta["shape"][1]]
    meta["features"][0]["name"] = "renamed"
    meta_path.write_text(json.dumps(meta))
    with pytest.raises(BaselineMismatch, match="hash"):
        Baseline.load(tmp_path)
    meta_path.write_text(json.dumps({"format": "something-else"}))
    with pytest.raises(ValueError, match="not a feature baseline"):
        Baseline.load(tmp_path)


def test_against_a_baseline_the_report_names_its_feature_set(tmp_path: Path) -> None:
    baseline = Baseline.from_frame(feature_frame(400, seed=9))
    report = detect_against_baseline(baseline, feature_frame(250, seed=10))
    assert report.feature_set == {"version": "1", "hash": feature_set_hash()}
    assert report.verdict == "no_drift", report.reasons
