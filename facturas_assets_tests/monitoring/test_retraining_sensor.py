"""retraining_sensor: one training run per drift verdict, never two, never for a calm report."""

from __future__ import annotations

import dagster as dg

from facturas_assets.defs.monitoring import retraining_sensor
from facturas_assets.defs.monitoring.assets import DRIFT_REPORT_KEY


def _report(instance: dg.DagsterInstance, verdict: str, report_id: str) -> int:
    """Record a drift_report materialization as the asset writes it; returns its storage id."""
    instance.report_runless_asset_event(
        dg.AssetMaterialization(
            asset_key=DRIFT_REPORT_KEY, metadata={"verdict": verdict, "report_id": report_id}
        )
    )
    return instance.fetch_materializations(DRIFT_REPORT_KEY, limit=1).records[0].storage_id


def _tick(instance: dg.DagsterInstance, cursor: str | None):
    return retraining_sensor.evaluate_tick(
        dg.build_sensor_context(instance=instance, cursor=cursor)
    )


def test_a_drift_report_starts_one_training_run_and_only_once(
    instance: dg.DagsterInstance,
) -> None:
    calm = _tick(instance, None)
    assert calm.run_requests == [] and "no new drift report" in calm.skip_message

    storage_id = _report(instance, "drift", "drift/2026-03-01")
    first = _tick(instance, calm.cursor)
    [request] = first.run_requests
    assert request.run_key == f"drift-report-{storage_id}"
    assert request.tags["facturas/trigger"] == "drift_report"
    assert request.tags["facturas/drift_report"] == "drift/2026-03-01"
    assert first.cursor == str(storage_id)

    second = _tick(instance, first.cursor)
    assert second.run_requests == []


def test_no_drift_and_insufficient_data_start_nothing(instance: dg.DagsterInstance) -> None:
    _report(instance, "no_drift", "drift/2026-03-01")
    result = _tick(instance, None)
    assert result.run_requests == [] and "none with verdict drift" in result.skip_message
    _report(instance, "insufficient_data", "drift/2026-03-08")
    assert _tick(instance, result.cursor).run_requests == []


def test_several_reports_between_ticks_retrain_once_on_the_latest_drift(
    instance: dg.DagsterInstance,
) -> None:
    cursor = _tick(instance, None).cursor
    _report(instance, "drift", "drift/2026-03-01")
    latest_drift = _report(instance, "drift", "drift/2026-03-08")
    last = _report(instance, "no_drift", "drift/2026-03-15")
    result = _tick(instance, cursor)
    [request] = result.run_requests
    assert request.run_key == f"drift-report-{latest_drift}"
    assert result.cursor == str(last)


def test_the_first_tick_acts_only_on_the_latest_report(instance: dg.DagsterInstance) -> None:
    # An old drift already superseded by a calm report is not acted on when the sensor starts.
    _report(instance, "drift", "drift/2026-01-04")
    _report(instance, "no_drift", "drift/2026-01-11")
    first = _tick(instance, None)
    assert first.run_requests == []
    latest = _report(instance, "drift", "drift/2026-01-18")
    [request] = _tick(instance, first.cursor).run_requests
    assert request.run_key == f"drift-report-{latest}"
