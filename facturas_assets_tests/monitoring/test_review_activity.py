"""Review rate and corrections per field per week: in the drift report (MariaDB) and CloudWatch (moto)."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

import boto3
import dagster as dg
import jsonschema
import pytest

from facturas_assets.db import migrate, review
from facturas_assets.db.engine import create_engine
from facturas_assets.db.load import load_batch
from facturas_assets.defs.monitoring import drift_report
from facturas_assets.drift import load_schema
from facturas_assets.drift.review_activity import review_activity
from facturas_assets.resources.database import MySQLDatabase
from facturas_assets.resources.metrics import CloudWatchMetrics
from facturas_assets.resources.notifications import LogNotifier
from facturas_assets.resources.object_store import LocalObjectStore
from facturas_assets_tests.db.factories import invoice
from facturas_assets_tests.monitoring.conftest import store_baseline

MONDAY = datetime(2026, 11, 23, 9, 0)  # ISO week 2026-W48
REASON = ["low_confidence: total read with confidence 0.40 (< 0.90)"]


def _load(engine, label: str, when: datetime, pending: bool) -> str:
    fields = {"status": "pending_review", "review_reasons": REASON} if pending else {}
    head, lines = invoice(label, **fields)
    load_batch(engine, f"lote-{label}", [head], lines, loaded_at=when)
    return head["sha256"]


def _week_of_reviews(engine, start: datetime) -> None:
    """Four invoices loaded in one week, one of them to review; it is corrected the next day."""
    pending = _load(engine, f"p{start:%W}", start, pending=True)
    for i in range(3):
        _load(engine, f"s{start:%W}{i}", start + timedelta(hours=i + 1), pending=False)
    item = review.review_item(engine, pending)
    lines = [{k: str(v) for k, v in ln.items() if k in review.LINE_FIELDS} for ln in item["lines"]]
    lines[0]["amount"] = "1.00"
    review.save_review(
        engine,
        pending,
        reviewer="ana",
        fields={"total": "1.00", "seller_tax_id": "B99286320"},
        lines=lines,
        at=start + timedelta(days=1),
    )


@pytest.fixture
def mysql_engine(mysql_url: str):
    engine = create_engine(mysql_url)
    migrate.upgrade(engine)
    yield engine
    engine.dispose()


def test_weeks_count_loaded_sent_to_review_and_corrections_per_field(mysql_engine) -> None:
    _week_of_reviews(mysql_engine, MONDAY)
    _load(mysql_engine, "next-week", MONDAY + timedelta(days=7), pending=True)  # 2026-W49

    activity = review_activity(mysql_engine, MONDAY, MONDAY + timedelta(days=14))
    first, second = activity.weeks
    assert (first.week, first.loaded, first.sent_to_review, first.reviewed) == ("2026-W48", 4, 1, 1)
    assert first.review_rate == 0.25
    assert first.corrections == {"total": 1, "seller_tax_id": 1, "lines.amount": 1}
    assert (second.week, second.loaded, second.sent_to_review, second.review_rate) == (
        "2026-W49",
        1,
        1,
        1.0,
    )
    assert second.corrections == {} and activity.review_rate == 2 / 5
    # A window that ends before the review counts the load, not the correction.
    early = review_activity(mysql_engine, MONDAY, MONDAY + timedelta(hours=12))
    assert early.weeks[0].sent_to_review == 1 and early.corrections() == {}


def test_drift_report_shows_review_and_sends_it_to_cloudwatch(
    mysql_url: str, aws_env: str, tmp_path
) -> None:
    migrate.upgrade(mysql_url)
    database = MySQLDatabase(url=mysql_url)
    now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    _week_of_reviews(database.engine(), now - timedelta(days=3))
    models_store = LocalObjectStore(bucket="textil-modelos", root=str(tmp_path))
    drift_store = LocalObjectStore(bucket="textil-drift-data", root=str(tmp_path))
    store_baseline(models_store)
    namespace = f"Textil/Test-{uuid.uuid4().hex[:8]}"

    with dg.instance_for_test() as instance:
        result = dg.materialize(
            [drift_report],
            instance=instance,
            resources={
                "database": database,
                "models_store": models_store,
                "drift_store": drift_store,
                "notifier": LogNotifier(),
                "metrics": CloudWatchMetrics(namespace=namespace),
            },
        )
    [event] = result.get_asset_materialization_events()
    metadata = {k: v.value for k, v in event.materialization.metadata.items()}
    assert metadata["review"]["review_rate"] == 0.25
    report = json.loads(drift_store.read_bytes(f"{metadata['report_id']}/report.json"))
    jsonschema.Draft202012Validator(load_schema()).validate(report)
    assert report["review"]["corrections"] == {
        "lines.amount": 1,
        "seller_tax_id": 1,
        "total": 1,
    }
    page = drift_store.read_bytes(f"{metadata['report_id']}/report.html").decode()
    assert "<h2>Review</h2>" in page and "25.0%" in page

    cloudwatch = boto3.client("cloudwatch", region_name="us-east-1")
    listed = cloudwatch.list_metrics(Namespace=namespace)["Metrics"]
    seen = {(m["MetricName"], tuple(d["Value"] for d in m.get("Dimensions", []))) for m in listed}
    assert seen == {
        ("ReviewRate", ()),
        ("ReviewCorrections", ("lines.amount",)),
        ("ReviewCorrections", ("seller_tax_id",)),
        ("ReviewCorrections", ("total",)),
    }
    stats = cloudwatch.get_metric_statistics(
        Namespace=namespace,
        MetricName="ReviewRate",
        StartTime=datetime.now(UTC) - timedelta(minutes=10),
        EndTime=datetime.now(UTC) + timedelta(minutes=10),
        Period=60,
        Statistics=["Maximum"],
        Unit="Percent",
    )
    assert [p["Maximum"] for p in stats["Datapoints"]] == [25.0]
