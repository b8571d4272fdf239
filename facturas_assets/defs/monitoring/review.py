"""The drift report's review section, and the same figures sent as metrics."""

import dataclasses

from sqlalchemy.engine import Engine

from facturas_assets.defs.monitoring.window import Window
from facturas_assets.drift.report import DriftReport
from facturas_assets.drift.review_activity import review_activity
from facturas_assets.resources.metrics import MetricsResource


def with_review_activity(
    report: DriftReport, engine: Engine, window: Window, metrics: MetricsResource
) -> DriftReport:
    """The report with the window's review activity; review rate and corrections sent as metrics."""
    activity = review_activity(engine, window.start, window.end)
    for name, value, unit, dimensions in activity.metrics():
        metrics.put_metric(name, value, unit, dimensions or None)
    return dataclasses.replace(report, review=activity.to_dict())
