"""Failure alerts: one per failed run, and a repeating error at most once per quiet period."""

from __future__ import annotations

import dagster as dg

from facturas_assets.defs.etl.alerts import QUIET_SECONDS, error_signature, should_alert


def test_the_same_error_across_batches_alerts_once_per_quiet_period():
    a = error_signature("invoice_etl_job", "batch 20260101-1a2b3c4d5e: connection to 10.0.0.5 lost")
    b = error_signature("invoice_etl_job", "batch 20260102-9f8e7d6c5b: connection to 10.0.0.7 lost")
    other = error_signature("invoice_etl_job", "no champion classifier in the models store")
    assert a == b and a != other

    with dg.instance_for_test() as instance:
        assert should_alert(instance, a, now=1000.0)
        assert not should_alert(instance, b, now=1000.0 + 60)  # the storm is muted
        assert should_alert(instance, other, now=1000.0 + 60)  # a different problem is not
        assert should_alert(instance, a, now=1000.0 + QUIET_SECONDS + 1)
