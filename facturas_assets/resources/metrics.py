"""Operational metrics: the log locally, CloudWatch put_metric_data in prod."""

from __future__ import annotations

from abc import abstractmethod
from datetime import UTC, datetime
from typing import Any

import boto3
import dagster as dg
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from pydantic import Field, PrivateAttr

from facturas_assets import settings
from facturas_assets.resources.secrets import aws_region

# Units CloudWatch accepts (anything else is rejected by the API, so refuse it up front).
CLOUDWATCH_UNITS = frozenset(
    {
        "Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes",
        "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits",
        "Percent", "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second",
        "Gigabytes/Second", "Terabytes/Second", "Bits/Second", "Kilobits/Second",
        "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second", "None",
    }
)  # fmt: skip
_MAX_DIMENSIONS = 30


def _logger() -> Any:
    return dg.get_dagster_logger("facturas.metrics")


def _check_metric(name: str, value: float, unit: str, dimensions: dict[str, str] | None) -> None:
    """Reject what CloudWatch would reject, with a message naming the problem."""
    if not name or len(name) > 255:
        raise ValueError(f"metric name {name!r} must be 1-255 characters")
    if unit not in CLOUDWATCH_UNITS:
        raise ValueError(f"metric unit {unit!r} is not a CloudWatch unit")
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"metric {name!r} value {value!r} is not a finite number")
    if dimensions and len(dimensions) > _MAX_DIMENSIONS:
        raise ValueError(f"metric {name!r} has more than {_MAX_DIMENSIONS} dimensions")
    for key, val in (dimensions or {}).items():
        if not key or not str(val):
            raise ValueError(f"metric {name!r} has an empty dimension name or value")


class MetricsResource(dg.ConfigurableResource):
    """Records numeric metrics (training accuracy/loss, ETL processing time)."""

    @abstractmethod
    def put_metric(
        self,
        name: str,
        value: float,
        unit: str = "None",
        dimensions: dict[str, str] | None = None,
    ) -> bool:
        """Record one data point; True when stored. Bad input raises ValueError."""


class LogMetrics(MetricsResource):
    """Writes metrics to the Dagster/standard log."""

    def put_metric(
        self,
        name: str,
        value: float,
        unit: str = "None",
        dimensions: dict[str, str] | None = None,
    ) -> bool:
        """Log the data point."""
        _check_metric(name, float(value), unit, dimensions)
        dims = " ".join(f"{k}={v}" for k, v in (dimensions or {}).items())
        _logger().info("metric %s=%s %s %s", name, value, unit, dims)
        return True


class CloudWatchMetrics(MetricsResource):
    """CloudWatch custom metrics via boto3 put_metric_data (retried with backoff).

    A CloudWatch outage is logged as a warning and never fails the run that reports.
    """

    namespace: str = Field(default=settings.METRIC_NAMESPACE, description="Metric namespace.")
    region_name: str | None = Field(
        default=None, description="AWS region (AWS_REGION / AWS_DEFAULT_REGION when unset)."
    )
    max_attempts: int = Field(default=5, description="Attempts per call (standard retry mode).")

    _client: Any = PrivateAttr(default=None)

    def _cloudwatch(self) -> Any:
        if self._client is None:
            self._client = boto3.client(
                "cloudwatch",
                region_name=aws_region(self.region_name),
                config=Config(
                    retries={"mode": "standard", "max_attempts": self.max_attempts},
                    connect_timeout=5,
                    read_timeout=15,
                ),
            )
        return self._client

    def put_metric(
        self,
        name: str,
        value: float,
        unit: str = "None",
        dimensions: dict[str, str] | None = None,
    ) -> bool:
        """Send one data point, timestamped now; False (and a warning) if CloudWatch fails."""
        _check_metric(name, float(value), unit, dimensions)
        datum: dict[str, Any] = {
            "MetricName": name,
            "Value": float(value),
            "Unit": unit,
            "Timestamp": datetime.now(UTC),
        }
        if dimensions:
            datum["Dimensions"] = [{"Name": k, "Value": str(v)} for k, v in dimensions.items()]
        try:
            self._cloudwatch().put_metric_data(Namespace=self.namespace, MetricData=[datum])
        except (ClientError, BotoCoreError) as exc:
            _logger().warning("metric %s not sent to CloudWatch: %s", name, exc)
            return False
        return True
