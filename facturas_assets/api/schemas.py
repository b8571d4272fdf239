"""Request and response bodies of the API (validated by pydantic, documented in OpenAPI)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

RUN_ID_PATTERN = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"


def _json_integer(value: Any) -> Any:
    """JSON Schema's integer: 5 and 5.0 yes; true and "5" are client mistakes, not numbers."""
    if isinstance(value, bool | str):
        raise PydanticCustomError("int_type", "Input should be a valid integer")
    return value


def json_int(minimum: int, maximum: int) -> Any:
    """An integer field type within [minimum, maximum] (bounds shown in the OpenAPI schema)."""
    # The bounds come before the validator, so the JSON schema shows them as minimum/maximum.
    return Annotated[int, Field(ge=minimum, le=maximum), BeforeValidator(_json_integer)]


class _Request(BaseModel):
    # An unknown field is a client mistake worth a clear 422, not something to ignore.
    model_config = ConfigDict(extra="forbid")


class ProcessInvoicesRequest(_Request):
    """Options of a new batch of landing invoices."""

    max_files: json_int(1, 10_000) = Field(  # type: ignore[valid-type]
        default=500, description="Most landing files the batch takes."
    )


class TrainModelRequest(_Request):
    """Options of a training run."""

    epochs: json_int(1, 200) | None = Field(  # type: ignore[valid-type]
        default=None, description="Maximum epochs (the job's default when unset)."
    )


class DetectDriftRequest(_Request):
    """Options of a drift report."""

    days: json_int(1, 35) | None = Field(  # type: ignore[valid-type]
        default=None,
        description="Compare the last `days` days (default: everything since the last report).",
    )


class LaunchedRun(BaseModel):
    """A Dagster run the API started."""

    run_id: str = Field(description="The Dagster run id.")
    run_url: str = Field(description="The run's page in the Dagster UI.")
    job_name: str
    status: str = Field(description="Dagster run status, e.g. QUEUED, STARTED, SUCCESS, FAILURE.")
    partition: str | None = Field(default=None, description="The batch (lote) of an ETL run.")


class RunInfo(LaunchedRun):
    """A Dagster run's status, times and, for a failed run, why it failed."""

    finished: bool
    created_at: datetime | None = None
    started_at: datetime | None = None
    ended_at: datetime | None = None
    errors: list[str] = Field(default_factory=list, description="Failed steps and their errors.")


class Check(BaseModel):
    """One dependency of the service."""

    ok: bool
    detail: str


class Health(BaseModel):
    """Whether the service can do its work: database and Dagster reachable."""

    status: Literal["ok", "unavailable"]
    database: Check
    dagster: Check


class ErrorBody(BaseModel):
    """An error the client can read."""

    detail: str
