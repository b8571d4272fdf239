"""The report's JSON schema and its HTML rendering."""

from __future__ import annotations

import base64
import copy
import json
import re

import jsonschema
import numpy as np
import pandas as pd
import pytest

from facturas_assets.drift import DriftReport, detect_drift, feature_kinds, load_schema, render_html
from facturas_assets_tests.drift.synthetic import feature_frame

KINDS = feature_kinds()


def _validator() -> jsonschema.Validator:
    schema = load_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


@pytest.fixture(scope="module")
def reports() -> dict[str, DriftReport]:
    """One report of each verdict."""
    reference = feature_frame(2000, seed=0)
    moved = feature_frame(400, seed=1, log_amount_shift=0.8)
    return {
        "no_drift": detect_drift(reference, feature_frame(400, seed=2), kinds=KINDS),
        "drift": detect_drift(reference, moved, kinds=KINDS, context={"window_days": 7}),
        "insufficient_data": detect_drift(reference, feature_frame(20, seed=3), kinds=KINDS),
    }


@pytest.mark.parametrize("verdict", ["no_drift", "drift", "insufficient_data"])
def test_every_report_validates_against_the_schema(
    reports: dict[str, DriftReport], verdict: str
) -> None:
    report = reports[verdict]
    assert report.verdict == verdict
    data = json.loads(report.to_json())
    _validator().validate(data)
    assert DriftReport.from_dict(data).to_dict() == data


def test_the_schema_rejects_reports_that_break_it(reports: dict[str, DriftReport]) -> None:
    validator = _validator()
    good = json.loads(reports["drift"].to_json())
    broken = []
    for mutate in (
        lambda d: d.update(verdict="maybe"),
        lambda d: d.pop("multivariate"),
        lambda d: d["features"][0].update(p_adjusted=1.5),
        lambda d: d["features"][0].pop("effect_size"),
        lambda d: d.update(surprise=True),
        lambda d: d.update(version="2.0"),
        lambda d: d["settings"].update(alpha=0),
    ):
        data = copy.deepcopy(good)
        mutate(data)
        broken.append(list(validator.iter_errors(data)))
    assert all(errors for errors in broken)


def test_the_json_has_no_nan(reports: dict[str, DriftReport]) -> None:
    text = reports["insufficient_data"].to_json()
    json.loads(text, parse_constant=lambda name: pytest.fail(f"{name} in report JSON"))


def test_the_markdown_summary_lists_every_feature(reports: dict[str, DriftReport]) -> None:
    table = reports["drift"].markdown_table()
    for name in KINDS:
        assert f"| {name} |" in table
    assert "domain classifier" in table
    assert "**drifted**" in table and "| stable |" in table


def _twenty_features(n: int, seed: int, shift: float = 0.0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    data: dict[str, object] = {}
    for i in range(15):
        data[f"num_{i:02d}"] = (
            rng.lognormal(3, 1, n) if i % 3 else rng.normal(shift * (i == 0), 1, n)
        )
    for i in range(5):
        data[f"cat_{i}"] = rng.choice([f"v{j}" for j in range(3 + 6 * i)], n)
    return pd.DataFrame(data)


def test_the_html_of_20_features_has_one_plot_each_and_stays_under_1_mb() -> None:
    kinds = {f"num_{i:02d}": "numeric" for i in range(15)} | {
        f"cat_{i}": "categorical" for i in range(5)
    }
    reference, current = _twenty_features(5000, 1), _twenty_features(5000, 2, shift=0.5)
    report = detect_drift(reference, current, kinds=kinds)
    page = render_html(report, reference, current)
    assert len(page.encode()) < 1_000_000
    plots = re.findall(
        r"<img class='feature-plot' data-feature='([^']+)'[^>]*src='data:image/png;base64,([^']+)'",
        page,
    )
    assert [name for name, _ in plots] == list(kinds)
    for _, data in plots:
        assert base64.b64decode(data).startswith(b"\x89PNG\r\n\x1a\n")
    assert report.verdict in page and "num_00" in report.drifted_features
    assert page.count('class="drifted"') == len(report.drifted_features)


def test_below_the_minimum_sample_no_feature_is_called_stable(
    reports: dict[str, DriftReport],
) -> None:
    report = reports["insufficient_data"]
    data = json.loads(report.to_json())
    assert {f["status"] for f in data["features"]} == {"not enough data"}
    assert set(report.feature_statuses.values()) == {"not enough data"}
    table = report.markdown_table()
    assert "stable" not in table and table.count("not enough data") == len(KINDS) + 1
    page = render_html(report, feature_frame(2000, seed=0), feature_frame(20, seed=3))
    assert "stable" not in page
    assert page.count("(not enough data)") == len(KINDS)  # every plot's heading
    assert page.count('class="not-enough-data"') == len(KINDS)  # every table row


def test_a_judged_report_says_stable_or_drifted_per_feature(
    reports: dict[str, DriftReport],
) -> None:
    statuses = reports["drift"].feature_statuses
    assert set(statuses.values()) == {"drifted", "stable"}
    assert [n for n, s in statuses.items() if s == "drifted"] == reports["drift"].drifted_features


def test_a_version_1_0_report_reads_back_with_statuses(reports: dict[str, DriftReport]) -> None:
    for verdict, expected in (("insufficient_data", {"not enough data"}), ("no_drift", {"stable"})):
        data = json.loads(reports[verdict].to_json())
        data["version"] = "1.0"
        for feature in data["features"]:
            del feature["status"]
        _validator().validate(data)  # 1.0 documents still satisfy the 1.x schema
        assert set(DriftReport.from_dict(data).feature_statuses.values()) == expected


def test_the_html_escapes_what_it_shows() -> None:
    kinds = {"<script>": "categorical", "x": "numeric"}
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"<script>": rng.choice(["<b>", "a&b"], 300), "x": rng.normal(size=300)})
    page = render_html(detect_drift(frame, frame, kinds=kinds), frame, frame)
    assert "<script>" not in page and "&lt;script&gt;" in page
