"""MLflowResource: where it tracks by environment, and which resources tracking_run accepts."""

from __future__ import annotations

from pathlib import Path

import pytest

from facturas_assets.resources.mlflow_tracking import MLflowResource, tracking_run
from facturas_assets.settings import ConfigError


def test_local_defaults_live_under_facturas_home(facturas_home: Path, monkeypatch):
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    resource = MLflowResource()
    assert resource.resolved_tracking_uri() == f"sqlite:///{facturas_home / 'mlflow' / 'mlflow.db'}"
    assert (
        resource.resolved_artifact_location() == (facturas_home / "mlflow" / "artifacts").as_uri()
    )
    assert resource.registered_model_name == "invoice_classifier"


def test_prod_needs_a_tracking_uri_and_uses_the_artifacts_bucket(facturas_home, monkeypatch):
    monkeypatch.setenv("FACTURAS_ENV", "prod")
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    resource = MLflowResource()
    with pytest.raises(ConfigError, match="MLFLOW_TRACKING_URI"):
        resource.resolved_tracking_uri()
    assert (
        resource.resolved_artifact_location() == "s3://textil-mlflow-artifacts/invoice_classifier"
    )
    monkeypatch.setenv("MLFLOW_TRACKING_URI", "http://mlflow.internal:5000")
    assert resource.resolved_tracking_uri() == "http://mlflow.internal:5000"


def test_runs_are_opened_and_closed(facturas_home: Path, monkeypatch):
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    resource = MLflowResource(experiment_name="resource-test")
    with tracking_run(resource, "a run", {"data_hash": "abc"}) as run:
        run.client.log_metric(run.run_id, "accuracy", 0.5)
    stored = run.client.get_run(run.run_id)
    assert stored.info.status == "FINISHED"
    assert stored.data.tags["data_hash"] == "abc"
    assert stored.data.metrics["accuracy"] == 0.5
    assert run.link == f"runs:/{run.run_id}"

    with pytest.raises(RuntimeError, match="boom"), tracking_run(resource, "failing") as failed:
        raise RuntimeError("boom")
    assert run.client.get_run(failed.run_id).info.status == "FAILED"


def test_other_resources_are_refused():
    with (
        pytest.raises(TypeError, match="MLflowResource or dagster-mlflow"),
        tracking_run(object(), "x"),
    ):
        pass
