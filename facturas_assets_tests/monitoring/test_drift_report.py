"""drift_report materialized with real resources, and the retraining it triggers."""

from __future__ import annotations

import io
import json
import re
import uuid
from pathlib import Path

import boto3
import dagster as dg
import jsonschema
import pandas as pd
import pytest
from dagster_aws.s3 import S3Resource

from facturas_assets.db import migrate
from facturas_assets.defs.monitoring import drift_report, retraining_sensor
from facturas_assets.defs.monitoring.assets import DRIFT_REPORT_KEY
from facturas_assets.drift import FEATURES, Baseline, load_schema
from facturas_assets.resources import build_resources
from facturas_assets.resources.database import MySQLDatabase
from facturas_assets.resources.metrics import LogMetrics
from facturas_assets.resources.notifications import SlackNotifier
from facturas_assets.resources.object_store import LocalObjectStore, ObjectStore, S3ObjectStore
from facturas_assets_tests.drift.synthetic import feature_frame
from facturas_assets_tests.fakes.slack_server import SlackServer
from facturas_assets_tests.monitoring.conftest import load_invoices, store_baseline


def _materialize(resources: dict, instance: dg.DagsterInstance) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        [drift_report], resources=resources, instance=instance, raise_on_error=False
    )


def _metadata(result: dg.ExecuteInProcessResult) -> dict:
    [event] = result.get_asset_materialization_events()
    return {k: v.value for k, v in event.materialization.metadata.items()}


def _stored_report(store: ObjectStore, metadata: dict) -> tuple[dict, str, pd.DataFrame]:
    prefix = metadata["report_id"]
    assert re.fullmatch(r"drift/\d{4}-\d{2}-\d{2}/\d{6}-[0-9a-f]{8}", prefix)
    report = json.loads(store.read_bytes(f"{prefix}/report.json"))
    page = store.read_bytes(f"{prefix}/report.html").decode()
    features = pd.read_parquet(io.BytesIO(store.read_bytes(f"{prefix}/current_features.parquet")))
    return report, page, features


def _evaluate(instance: dg.DagsterInstance, cursor: str | None):
    context = dg.build_sensor_context(instance=instance, cursor=cursor)
    return retraining_sensor.evaluate_tick(context)


@pytest.fixture
def s3_store(aws_env: str) -> callable:
    """Factory of S3 object stores on fresh buckets of the moto server."""

    def make(name: str) -> S3ObjectStore:
        bucket = f"{name}-{uuid.uuid4().hex[:8]}"
        boto3.client("s3").create_bucket(Bucket=bucket)
        return S3ObjectStore(bucket=bucket, s3=S3Resource(endpoint_url=aws_env))

    return make


def test_drift_on_mysql_and_s3_is_reported_posted_and_retrains_once(
    mysql_url: str, s3_store, instance: dg.DagsterInstance
) -> None:
    migrate.upgrade(mysql_url)
    database = MySQLDatabase(url=mysql_url)
    models_store, drift_store = s3_store("textil-modelos"), s3_store("textil-drift-data")
    store_baseline(models_store)
    # Prices up by about 0.7 reference standard deviations of the invoice totals.
    load_invoices(database.engine(), 300, seed=21, lote="lote-1", log_amount_shift=0.8)

    with SlackServer() as slack:
        resources = {
            "database": database,
            "models_store": models_store,
            "drift_store": drift_store,
            "notifier": SlackNotifier(webhook_url=slack.webhook_url),
            "metrics": LogMetrics(),
        }
        result = _materialize(resources, instance)
        assert result.success
        metadata = _metadata(result)
        assert metadata["verdict"] == "drift"
        assert metadata["n_current"] == 300 and metadata["n_reference"] == 2000
        assert "log_total" in metadata["drifted_features"]
        assert metadata["notified"] is True
        assert metadata["report_html"].startswith(f"s3://{drift_store.bucket}/drift/")
        assert "| log_total |" in metadata["summary"]
        [message] = slack.messages
        assert "drift" in message["text"].lower() and "log_total" in json.dumps(message)

    report, page, features = _stored_report(drift_store, metadata)
    jsonschema.Draft202012Validator(load_schema()).validate(report)
    assert report["verdict"] == "drift" and report["n_current"] == 300
    assert report["feature_set"]["hash"] == Baseline.load(models_store).feature_set_hash
    assert page.count("class='feature-plot'") == len(FEATURES)
    assert len(features) == 300 and features["sha256"].nunique() == 300

    # The drift verdict becomes exactly one training run, and only once.
    first = _evaluate(instance, None)
    [request] = first.run_requests
    storage_id = instance.fetch_materializations(DRIFT_REPORT_KEY, limit=1).records[0].storage_id
    assert request.run_key == f"drift-report-{storage_id}"
    assert request.tags["facturas/drift_report"] == metadata["report_id"]
    again = _evaluate(instance, first.cursor)
    assert again.run_requests == [] and again.skip_message

    # The next report starts where this one ended: nothing new, no verdict, no retraining.
    second = _materialize(
        resources | {"notifier": SlackNotifier(webhook_url="http://127.0.0.1:9")}, instance
    )
    assert second.success
    assert _metadata(second)["verdict"] == "insufficient_data"
    assert "notified" not in _metadata(second)
    assert _evaluate(instance, again.cursor).run_requests == []


def test_stable_invoices_on_the_local_environment_are_no_drift(
    facturas_home: Path, instance: dg.DagsterInstance
) -> None:
    resources = build_resources()
    migrate.upgrade(resources["database"].engine())
    store_baseline(resources["models_store"])
    load_invoices(resources["database"].engine(), 400, seed=22, lote="lote-1")

    result = _materialize(resources, instance)
    assert result.success
    metadata = _metadata(result)
    assert metadata["verdict"] == "no_drift", metadata["summary"]
    assert metadata["drifted_features"] == [] and "notified" not in metadata
    assert 0.35 < metadata["domain_classifier_auc"] < 0.6
    report_dir = facturas_home / "buckets" / "textil-drift-data" / metadata["report_id"]
    assert sorted(p.name for p in report_dir.iterdir()) == [
        "current_features.parquet",
        "report.html",
        "report.json",
    ]
    assert metadata["report_json"] == (report_dir / "report.json").as_uri()
    assert _evaluate(instance, None).run_requests == []


def test_a_quiet_week_accumulates_into_the_next_report(
    facturas_home: Path, instance: dg.DagsterInstance
) -> None:
    resources = build_resources()
    engine = resources["database"].engine()
    migrate.upgrade(engine)
    store_baseline(resources["models_store"])
    load_invoices(engine, 50, seed=23, lote="lote-1")
    quiet = _materialize(resources, instance)
    assert _metadata(quiet)["verdict"] == "insufficient_data"
    assert _metadata(quiet)["n_current"] == 50
    statuses = _metadata(quiet)["feature_status"]
    assert len(statuses) == len(FEATURES) and set(statuses.values()) == {"not enough data"}
    assert "stable" not in _metadata(quiet)["summary"]

    load_invoices(engine, 300, seed=24, lote="lote-2")
    # loaded "a day ago" (before the quiet report's end): counted only because a quiet report
    # hands its window start on to the next one.
    busy = _materialize(resources, instance)
    assert _metadata(busy)["n_current"] == 350
    assert _metadata(busy)["window_start"] == _metadata(quiet)["window_start"]


def test_without_a_baseline_the_report_fails_saying_what_to_do(
    facturas_home: Path, instance: dg.DagsterInstance
) -> None:
    resources = build_resources()
    migrate.upgrade(resources["database"].engine())
    result = _materialize(resources, instance)
    assert not result.success
    failure = result.get_step_failure_events()[0].step_failure_data.user_failure_data
    assert "no feature baseline" in failure.description
    assert "feature_baseline" in failure.description


def test_a_baseline_of_another_feature_set_fails_the_report(
    facturas_home: Path, instance: dg.DagsterInstance
) -> None:
    resources = build_resources()
    migrate.upgrade(resources["database"].engine())
    Baseline.from_frame(feature_frame(300, seed=0), version="0").save(resources["models_store"])
    result = _materialize(resources, instance)
    assert not result.success
    failure = result.get_step_failure_events()[0].step_failure_data.user_failure_data
    assert "another feature set" in failure.description
    store = LocalObjectStore(bucket="textil-drift-data", root=str(facturas_home / "buckets"))
    assert list(store.list_objects()) == []  # nothing half-written


def test_two_reports_of_one_day_keep_their_own_files_and_links(
    facturas_home: Path, instance: dg.DagsterInstance
) -> None:
    resources = build_resources()
    migrate.upgrade(resources["database"].engine())
    store_baseline(resources["models_store"])
    load_invoices(resources["database"].engine(), 30, seed=25, lote="lote-1")
    drift_store = resources["drift_store"]

    first, second = (_materialize(resources, instance) for _ in range(2))
    reports = []
    for result in (first, second):
        metadata = _metadata(result)
        report, page, _ = _stored_report(drift_store, metadata)
        # The materialization's own link opens its own report, never a later one.
        assert report["context"]["run_id"] == result.run_id
        assert result.run_id in page
        assert f"[Open the HTML report]({metadata['report_html']})" in metadata["summary"]
        assert metadata["report_html"].endswith(f"{metadata['report_id']}/report.html")
        reports.append(metadata["report_id"])
    assert reports[0] != reports[1] and reports[0][:17] == reports[1][:17]  # same day folder
    day = facturas_home / "buckets" / "textil-drift-data" / reports[0].rsplit("/", 1)[0]
    assert len(list(day.iterdir())) == 2
