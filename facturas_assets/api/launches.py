"""Which Dagster job each endpoint starts, with which run config and tags."""

from __future__ import annotations

from typing import Any

from facturas_assets.api.queries import deep_merge
from facturas_assets.api.schemas import (
    DetectDriftRequest,
    ProcessInvoicesRequest,
    TrainModelRequest,
)
from facturas_assets.defs.batches import ETL_JOB_NAME

__all__ = [
    "API_TAGS",
    "DRIFT_JOB_NAME",
    "ETL_JOB_NAME",
    "TRAINING_JOB_NAME",
    "deep_merge",
    "drift_run_config",
    "etl_run_config",
    "training_run_config",
]

TRAINING_JOB_NAME = "training_job"
DRIFT_JOB_NAME = "drift_job"
API_TAGS = {"facturas/opened_by": "api"}


def etl_run_config(request: ProcessInvoicesRequest) -> dict[str, Any]:
    """A batch that lists landing itself when it starts (no landing keys given)."""
    config = {"landing_keys": [], "max_files": request.max_files}
    return {"ops": {"raw_invoices": {"config": config}}}


def training_run_config(request: TrainModelRequest) -> dict[str, Any]:
    """The classifier's hyper-parameters that were given."""
    if request.epochs is None:
        return {}
    return {"ops": {"invoice_classifier": {"config": {"epochs": request.epochs}}}}


def drift_run_config(request: DetectDriftRequest) -> dict[str, Any]:
    """A fixed window of the last `days` days, when given."""
    if request.days is None:
        return {}
    config = {"days": request.days, "since_last_report": False}
    return {"ops": {"drift_report": {"config": config}}}
