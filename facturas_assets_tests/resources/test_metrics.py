"""Metrics: the log one, and CloudWatch against moto (through the fault proxy for retries)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import boto3
import pytest

from facturas_assets import settings
from facturas_assets.resources.metrics import CloudWatchMetrics, LogMetrics, MetricsResource
from facturas_assets_tests.fakes.fault_proxy import FaultProxy
from facturas_assets_tests.resources.conftest import unique
from facturas_assets_tests.services import free_port


@pytest.fixture(params=["log", "cloudwatch"])
def metrics(request: pytest.FixtureRequest) -> MetricsResource:
    if request.param == "log":
        return LogMetrics()
    request.getfixturevalue("aws_env")
    return CloudWatchMetrics(namespace=unique("Textil/Test"))


def test_put_metric_contract(metrics: MetricsResource) -> None:
    assert metrics.put_metric(settings.METRIC_TRAINING_ACCURACY, 0.93, "Percent") is True
    assert metrics.put_metric("ETLProcessingTime", 12.5, "Seconds", {"lote": "2024-06"}) is True


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("", 1.0), "1-255 characters"),
        (("X", 1.0, "Furlongs"), "not a CloudWatch unit"),
        (("X", float("nan")), "not a finite number"),
        (("X", 1.0, "None", {"": "v"}), "empty dimension"),
    ],
)
def test_bad_metrics_are_refused(metrics: MetricsResource, args: tuple, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        metrics.put_metric(*args)


def test_log_metrics_writes_the_point(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO):
        LogMetrics().put_metric("TrainingLoss", 0.25, dimensions={"model": "v3"})
    assert "metric TrainingLoss=0.25 None model=v3" in caplog.text


def test_cloudwatch_stores_value_unit_and_dimensions(aws_env: str) -> None:
    namespace = unique("Textil/Test")
    CloudWatchMetrics(namespace=namespace).put_metric(
        settings.METRIC_ETL_PROCESSING_TIME, 42.0, "Seconds", {"lote": "L1"}
    )
    cloudwatch = boto3.client("cloudwatch", region_name="us-east-1")
    [metric] = cloudwatch.list_metrics(Namespace=namespace)["Metrics"]
    assert metric["MetricName"] == "ETLProcessingTime"
    assert metric["Dimensions"] == [{"Name": "lote", "Value": "L1"}]
    now = datetime.now(UTC)
    stats = cloudwatch.get_metric_statistics(
        Namespace=namespace,
        MetricName="ETLProcessingTime",
        Dimensions=[{"Name": "lote", "Value": "L1"}],
        StartTime=now - timedelta(minutes=5),
        EndTime=now + timedelta(minutes=5),
        Period=60,
        Statistics=["Maximum"],
        Unit="Seconds",
    )
    assert [p["Maximum"] for p in stats["Datapoints"]] == [42.0]


def test_cloudwatch_retries_throttling(
    aws_env: str, moto_endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with FaultProxy(moto_endpoint) as proxy:
        monkeypatch.setenv("AWS_ENDPOINT_URL", proxy.url)
        proxy.fail_next(2, 503)
        assert CloudWatchMetrics(namespace=unique("Textil/Test")).put_metric("X", 1.0)
        assert [r.status for r in proxy.requests] == [503, 503, 200]


def test_cloudwatch_outage_warns_and_returns_false(
    aws_env: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{free_port()}")
    with caplog.at_level(logging.WARNING):
        assert CloudWatchMetrics(max_attempts=1).put_metric("TrainingLoss", 0.1) is False
    assert "metric TrainingLoss not sent to CloudWatch" in caplog.text
