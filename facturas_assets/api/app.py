"""The FastAPI application: `uvicorn facturas_assets.api.app:app`.

Every endpoint but /health (and the OpenAPI pages) needs `Authorization: Bearer <token>`, checked
before the body is read; bodies are limited to MAX_BODY_BYTES and must be strict JSON (no NaN or
Infinity). Work is never done here: each
POST launches a Dagster run through the webserver's GraphQL API and answers 202 with its id and
URL; GET /runs/{run_id} follows it. The review pages under /review (api/review.py) are HTML for
browsers, which authenticate with the same token held in a session cookie.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Annotated, Any

import httpx
from fastapi import Depends, FastAPI, Path, Request
from fastapi.responses import JSONResponse

from facturas_assets.api import launches
from facturas_assets.api.auth import TokenSource, require_token
from facturas_assets.api.dagster_client import (
    DagsterClient,
    DagsterError,
    DagsterUnavailable,
    RunNotFound,
    RunState,
)
from facturas_assets.api.gate import TokenGate, misconfigured_response
from facturas_assets.api.health import health
from facturas_assets.api.review import ReviewServices
from facturas_assets.api.review import router as review_router
from facturas_assets.api.schemas import (
    RUN_ID_PATTERN,
    DetectDriftRequest,
    ErrorBody,
    Health,
    LaunchedRun,
    ProcessInvoicesRequest,
    RunInfo,
    TrainModelRequest,
)
from facturas_assets.api.session import LOGIN_PATH
from facturas_assets.api.settings import ApiSettings
from facturas_assets.api.strict_json import StrictJsonRoute
from facturas_assets.settings import ConfigError

log = logging.getLogger(__name__)

# The largest request body read: the API's bodies are a few small numbers.
MAX_BODY_BYTES = 64 * 1024

_AUTH_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "Missing or invalid bearer token."},
}
_BODY_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "The body could not be parsed (not UTF-8 JSON)."},
    # Plain text when a Content-Length over the limit is refused up front, JSON otherwise.
    413: {"description": f"The body is larger than {MAX_BODY_BYTES} bytes."},
}
_DAGSTER_ERRORS: dict[int | str, dict[str, Any]] = {
    502: {"model": ErrorBody, "description": "Dagster answered but refused the request."},
    503: {"model": ErrorBody, "description": "Dagster (or the token store) is not reachable."},
}


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Read the configuration and the token once at start-up: a bad one stops the service."""
    from facturas_assets.resources import build_resources

    settings = ApiSettings.from_env()
    tokens = TokenSource()
    tokens.current()
    dagster = DagsterClient(
        settings.dagster_graphql_url,
        ui_url=settings.dagster_ui_url,
        token=settings.dagster_token,
        timeout=httpx.Timeout(
            settings.dagster_timeout_s, connect=min(5.0, settings.dagster_timeout_s)
        ),
    )
    resources = build_resources()
    database = resources["database"]
    app.state.settings, app.state.tokens = settings, tokens
    app.state.dagster, app.state.database = dagster, database
    # The review pages' services, unless whoever serves the app already provided them.
    if not isinstance(getattr(app.state, "review", None), ReviewServices):
        app.state.review = ReviewServices.from_resources(resources)
    log.info("facturas API: Dagster at %s", settings.dagster_graphql_url)
    try:
        yield
    finally:
        await dagster.aclose()
        database.dispose()


app = FastAPI(
    title="facturas API",
    version="1.0.0",
    description=(
        "Starts and follows the invoice platform's work in Dagster: ETL batches, classifier "
        "training and drift reports. Bearer token on every endpoint but /health."
    ),
    lifespan=lifespan,
    # Counted as the body streams in (chunked bodies too): 413 once past it, nothing more read.
    max_body_size=MAX_BODY_BYTES,
)
app.router.route_class = StrictJsonRoute  # before the routes below are declared
app.add_middleware(
    TokenGate,
    public_paths=[
        path
        for path in (
            "/health",
            LOGIN_PATH,
            app.openapi_url,
            app.docs_url,
            app.redoc_url,
            app.swagger_ui_oauth2_redirect_url,
        )
        if path
    ],
)


app.include_router(review_router)


@app.exception_handler(DagsterUnavailable)
async def _dagster_unavailable(request: Request, exc: DagsterUnavailable) -> JSONResponse:
    log.warning("%s %s: %s", request.method, request.url.path, exc)
    return JSONResponse(
        status_code=503, content={"detail": str(exc)}, headers={"Retry-After": "30"}
    )


@app.exception_handler(RunNotFound)
async def _run_not_found(request: Request, exc: RunNotFound) -> JSONResponse:
    return JSONResponse(status_code=404, content={"detail": str(exc)})


@app.exception_handler(DagsterError)
async def _dagster_error(request: Request, exc: DagsterError) -> JSONResponse:
    log.error("%s %s: %s", request.method, request.url.path, exc)
    return JSONResponse(status_code=502, content={"detail": str(exc)})


@app.exception_handler(ConfigError)
async def _config_error(request: Request, exc: ConfigError) -> JSONResponse:
    log.error("%s %s: %s", request.method, request.url.path, exc)
    return misconfigured_response(exc)


def _dagster(request: Request) -> DagsterClient:
    return request.app.state.dagster


def _launched(dagster: DagsterClient, run: RunState) -> LaunchedRun:
    return LaunchedRun(
        run_id=run.run_id,
        run_url=dagster.run_url(run.run_id),
        job_name=run.job_name,
        status=run.status,
        partition=run.partition,
    )


def _when(timestamp: float | None) -> datetime | None:
    return None if timestamp is None else datetime.fromtimestamp(timestamp, UTC)


@app.get(
    "/health",
    response_model=Health,
    responses={503: {"model": Health, "description": "The database or Dagster is unreachable."}},
    summary="Database and Dagster reachable",
)
async def get_health(request: Request) -> JSONResponse:
    """200 when the database and Dagster answer, 503 with the failing check otherwise."""
    result = await health(request.app.state.database, _dagster(request))
    return JSONResponse(
        status_code=200 if result.status == "ok" else 503, content=result.model_dump(mode="json")
    )


Authenticated = Depends(require_token)


def _run_config(request: Request, job_config: dict) -> dict:
    """The job's run config over the one every launched run gets (DAGSTER_RUN_CONFIG)."""
    return launches.deep_merge(request.app.state.settings.run_config, job_config)


@app.post(
    "/process_invoices",
    status_code=202,
    response_model=LaunchedRun,
    responses={**_BODY_ERRORS, **_AUTH_ERRORS, **_DAGSTER_ERRORS},
    dependencies=[Authenticated],
    summary="Open a batch of the landing invoices and run the ETL on it",
)
async def process_invoices(
    request: Request, body: ProcessInvoicesRequest | None = None
) -> LaunchedRun:
    """A new batch (lote) that takes up to max_files landing files when its run starts."""
    dagster = _dagster(request)
    run_config = _run_config(request, launches.etl_run_config(body or ProcessInvoicesRequest()))
    run = await dagster.launch_batch(launches.ETL_JOB_NAME, run_config, launches.API_TAGS)
    return _launched(dagster, run)


@app.post(
    "/train_model",
    status_code=202,
    response_model=LaunchedRun,
    responses={**_BODY_ERRORS, **_AUTH_ERRORS, **_DAGSTER_ERRORS},
    dependencies=[Authenticated],
    summary="Train the invoice classifier (training data set, model, feature baseline)",
)
async def train_model(request: Request, body: TrainModelRequest | None = None) -> LaunchedRun:
    """A run of training_job; the champion gate decides whether the new model is promoted."""
    dagster = _dagster(request)
    run_config = _run_config(request, launches.training_run_config(body or TrainModelRequest()))
    run = await dagster.launch_run(launches.TRAINING_JOB_NAME, run_config, launches.API_TAGS)
    return _launched(dagster, run)


@app.post(
    "/detect_drift",
    status_code=202,
    response_model=LaunchedRun,
    responses={**_BODY_ERRORS, **_AUTH_ERRORS, **_DAGSTER_ERRORS},
    dependencies=[Authenticated],
    summary="Build a drift report of the recent invoices against the feature baseline",
)
async def detect_drift(request: Request, body: DetectDriftRequest | None = None) -> LaunchedRun:
    """A run of drift_job."""
    dagster = _dagster(request)
    run_config = _run_config(request, launches.drift_run_config(body or DetectDriftRequest()))
    run = await dagster.launch_run(launches.DRIFT_JOB_NAME, run_config, launches.API_TAGS)
    return _launched(dagster, run)


@app.get(
    "/runs/{run_id}",
    response_model=RunInfo,
    responses={
        **_AUTH_ERRORS,
        404: {"model": ErrorBody, "description": "Dagster has no run with this id."},
        **_DAGSTER_ERRORS,
    },
    dependencies=[Authenticated],
    summary="Status of a Dagster run",
)
async def get_run(
    request: Request,
    run_id: Annotated[str, Path(pattern=RUN_ID_PATTERN, description="A Dagster run id (UUID).")],
) -> RunInfo:
    """The run's status and times; for a failed run, the failed steps and their errors."""
    dagster = _dagster(request)
    run = await dagster.run_state(run_id)
    errors = await dagster.failure_messages(run_id) if run.status == "FAILURE" else []
    return RunInfo(
        **_launched(dagster, run).model_dump(),
        finished=run.finished,
        created_at=_when(run.creation_time),
        started_at=_when(run.start_time),
        ended_at=_when(run.end_time),
        errors=errors,
    )
