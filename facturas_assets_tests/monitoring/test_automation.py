"""The declarative chain training -> baseline -> drift report, evaluated as the daemon would."""

from __future__ import annotations

import dagster as dg

from facturas_assets.definitions import defs
from facturas_assets.defs.batches import batch_partitions


def _materialized(instance: dg.DagsterInstance, key: str, partition: str | None = None) -> None:
    instance.report_runless_asset_event(dg.AssetMaterialization(asset_key=key, partition=partition))


def _requested(result: dg.EvaluateAutomationConditionsResult) -> set[str]:
    return {
        key.to_user_string()
        for key in defs.resolve_asset_graph().get_all_asset_keys()
        if result.get_num_requested(key)
    }


def test_a_new_baseline_brings_a_drift_report_and_a_batch_does_not(
    instance: dg.DagsterInstance,
) -> None:
    first = dg.evaluate_automation_conditions(defs=defs, instance=instance)
    assert _requested(first) == set()  # nothing to build on yet

    _materialized(instance, "training_dataset")  # a data set built on its own, from the UI
    second = dg.evaluate_automation_conditions(defs=defs, instance=instance, cursor=first.cursor)
    assert {"invoice_classifier", "feature_baseline"} <= _requested(second)

    for key in ("invoice_classifier", "feature_baseline", "drift_report"):
        _materialized(instance, key)
    settled = dg.evaluate_automation_conditions(defs=defs, instance=instance, cursor=second.cursor)

    instance.add_dynamic_partitions(batch_partitions.name, ["lote-1"])
    _materialized(instance, "invoice_rows", "lote-1")
    batch = dg.evaluate_automation_conditions(defs=defs, instance=instance, cursor=settled.cursor)
    assert _requested(batch) == set(), "a batch of invoices alone starts no drift report"

    _materialized(instance, "feature_baseline")
    baseline = dg.evaluate_automation_conditions(defs=defs, instance=instance, cursor=batch.cursor)
    assert _requested(baseline) == {"drift_report"}
