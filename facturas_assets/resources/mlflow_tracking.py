"""MLflow tracking and model registry: a thin resource around the MLflow client.

local  ``sqlite:///<FACTURAS_HOME>/mlflow/mlflow.db``, artifacts under ``<FACTURAS_HOME>/mlflow/artifacts``
prod   MLFLOW_TRACKING_URI (an MLflow server ``http(s)://...`` or a ``mysql+pymysql://`` store),
       artifacts in ``s3://textil-mlflow-artifacts/<experiment>``.

dagster-mlflow's ``end_mlflow_on_run_finished`` hook ends MLflow runs when the first asset step of a
job finishes, so runs here are opened and closed around the work itself (``tracking_run``). A user
who configures dagster-mlflow's ``mlflow_tracking`` resource under the same key still works: its
already-active run is used and closed when the training asset is done.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dagster as dg
from pydantic import Field

from facturas_assets import settings
from facturas_assets.settings import Environment

REGISTERED_MODEL_NAME = "invoice_classifier"
DEFAULT_EXPERIMENT = "invoice_classifier"


def local_mlflow_dir() -> Path:
    """The local MLflow folder (store and artifacts) under FACTURAS_HOME."""
    return settings.home() / "mlflow"


@dataclass(frozen=True)
class TrackingRun:
    """An active MLflow run: its ids, the client to use and the registered model name."""

    run_id: str
    experiment_id: str
    tracking_uri: str
    registered_model_name: str
    client: Any  # mlflow.MlflowClient
    ui_url: str | None = None

    @property
    def link(self) -> str:
        """A URL of the run in the MLflow UI when there is one, else its runs:/ URI."""
        if self.ui_url:
            base = self.ui_url.rstrip("/")
            return f"{base}/#/experiments/{self.experiment_id}/runs/{self.run_id}"
        return f"runs:/{self.run_id}"


class MLflowResource(dg.ConfigurableResource):
    """MLflow tracking + registry for the invoice classifier (local SQLite store or a server)."""

    tracking_uri: str | None = Field(
        default=None,
        description="Tracking store; default MLFLOW_TRACKING_URI, else the local SQLite store.",
    )
    registry_uri: str | None = Field(
        default=None, description="Model registry store; default the tracking store."
    )
    artifact_location: str | None = Field(
        default=None,
        description="Artifact root of a new experiment; default local folder / s3 bucket.",
    )
    experiment_name: str = Field(default=DEFAULT_EXPERIMENT, description="MLflow experiment.")
    registered_model_name: str = Field(
        default=REGISTERED_MODEL_NAME, description="Registered model holding the versions."
    )
    ui_url: str | None = Field(
        default=None, description="Base URL of the MLflow UI for run links (default: http store)."
    )

    def resolved_tracking_uri(self) -> str:
        """The tracking URI in effect (configured, environment, or the local SQLite store)."""
        if self.tracking_uri:
            return self.tracking_uri
        if os.environ.get("MLFLOW_TRACKING_URI"):
            return os.environ["MLFLOW_TRACKING_URI"]
        if settings.current_environment() is Environment.PROD:
            raise settings.ConfigError(
                "MLFLOW_TRACKING_URI is not set (the MLflow server or mysql+pymysql:// store)"
            )
        folder = local_mlflow_dir()
        folder.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{folder / 'mlflow.db'}"

    def resolved_artifact_location(self) -> str:
        """Where a new experiment keeps its artifacts."""
        if self.artifact_location:
            return self.artifact_location
        if settings.current_environment() is Environment.PROD:
            return f"s3://{settings.MLFLOW_ARTIFACTS_BUCKET}/{self.experiment_name}"
        folder = local_mlflow_dir() / "artifacts"
        folder.mkdir(parents=True, exist_ok=True)
        return folder.resolve().as_uri()

    def _ui_url(self, tracking_uri: str) -> str | None:
        if self.ui_url:
            return self.ui_url
        return tracking_uri if tracking_uri.startswith(("http://", "https://")) else None

    def client(self) -> Any:
        """An MlflowClient on the configured stores (also sets them for the fluent API)."""
        import mlflow

        uri = self.resolved_tracking_uri()
        mlflow.set_tracking_uri(uri)
        mlflow.set_registry_uri(self.registry_uri or uri)
        return mlflow.MlflowClient(tracking_uri=uri, registry_uri=self.registry_uri or uri)

    def experiment_id(self) -> str:
        """The experiment's id, creating it (with its artifact location) on first use."""
        client = self.client()
        found = client.get_experiment_by_name(self.experiment_name)
        if found is not None:
            return found.experiment_id
        return client.create_experiment(
            self.experiment_name, artifact_location=self.resolved_artifact_location()
        )

    @contextlib.contextmanager
    def start_run(
        self, run_name: str, tags: Mapping[str, str] | None = None
    ) -> Iterator[TrackingRun]:
        """Open a run (the active fluent run too) and close it: FINISHED, or FAILED on error."""
        import mlflow

        experiment_id = self.experiment_id()
        client = self.client()
        with mlflow.start_run(
            experiment_id=experiment_id, run_name=run_name, tags=dict(tags or {})
        ) as run:
            yield TrackingRun(
                run_id=run.info.run_id,
                experiment_id=experiment_id,
                tracking_uri=self.resolved_tracking_uri(),
                registered_model_name=self.registered_model_name,
                client=client,
                ui_url=self._ui_url(self.resolved_tracking_uri()),
            )


def _is_dagster_mlflow(resource: Any) -> bool:
    """dagster-mlflow's MlFlow object (the `mlflow_tracking` resource)."""
    return hasattr(resource, "tracking_client") and hasattr(resource, "experiment_name")


@contextlib.contextmanager
def tracking_run(
    resource: Any, run_name: str, tags: Mapping[str, str] | None = None
) -> Iterator[TrackingRun]:
    """An MLflow run from either MLflowResource or dagster-mlflow's `mlflow_tracking` resource."""
    if isinstance(resource, MLflowResource):
        with resource.start_run(run_name, tags) as run:
            yield run
        return
    if not _is_dagster_mlflow(resource):
        raise TypeError(
            f"the 'mlflow' resource is a {type(resource).__name__}: use MLflowResource or "
            "dagster-mlflow's mlflow_tracking"
        )
    import mlflow

    active = mlflow.active_run() or mlflow.start_run(
        experiment_id=resource.experiment.experiment_id, run_name=run_name
    )
    mlflow.set_tags(dict(tags or {}))
    uri = mlflow.get_tracking_uri()
    # dagster-mlflow configures one store: the registry lives there too.
    mlflow.set_registry_uri(uri)
    try:
        yield TrackingRun(
            run_id=active.info.run_id,
            experiment_id=active.info.experiment_id,
            tracking_uri=uri,
            registered_model_name=REGISTERED_MODEL_NAME,
            client=mlflow.MlflowClient(tracking_uri=uri, registry_uri=uri),
            ui_url=uri if uri.startswith(("http://", "https://")) else None,
        )
    except BaseException:
        mlflow.end_run(status="FAILED")
        raise
    # Closed here: dagster-mlflow's own hook may not run (or run too early) on asset jobs.
    mlflow.end_run(status="FINISHED")
