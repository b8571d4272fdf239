"""invoice_classifier also works with dagster-mlflow's `mlflow_tracking` resource under `mlflow`."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import mlflow
import pytest
from dagster_mlflow import mlflow_tracking

from facturas_assets.defs.training import invoice_classifier, training_dataset
from facturas_assets_tests.training import corpus


@pytest.mark.slow
def test_dagster_mlflow_resource_is_accepted(facturas_home: Path, aws_env: str, mysql_url: str):
    resources = corpus.training_resources(facturas_home, corpus.s3_models_store(aws_env), mysql_url)
    uri = f"sqlite:///{facturas_home / 'dagster-mlflow.db'}"
    resources["mlflow"] = mlflow_tracking.configured(
        {"experiment_name": "facturas-dagster-mlflow", "mlflow_tracking_uri": uri}
    )
    corpus.populate(Path(resources["drive"].root), n_train=60, n_test=30)
    result = dg.materialize(
        [training_dataset, invoice_classifier],
        resources=resources,
        run_config={"ops": {"invoice_classifier": {"config": {"epochs": 4}}}},
    )
    (event,) = result.asset_materializations_for_node("invoice_classifier")
    run_id = event.metadata["mlflow_run_id"].value
    client = mlflow.MlflowClient(tracking_uri=uri, registry_uri=uri)
    run = client.get_run(run_id)
    assert run.info.status == "FINISHED"  # closed by the asset, not left running
    assert run.data.tags["dagster_run_id"] == result.run_id
    assert "test_accuracy" in run.data.metrics
    versions = client.search_model_versions("name='invoice_classifier'")
    assert [str(v.version) for v in versions] == [event.metadata["model_version"].value]
