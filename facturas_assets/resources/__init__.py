"""The platform's resources, each an interface with a local and a cloud implementation.

`build_resources()` picks the implementations for FACTURAS_ENV (local by default):

local  everything under FACTURAS_HOME: ``buckets/<bucket>/`` folders, ``textil.sqlite``,
       ``drive/``; notifications and metrics go to the log.
prod   S3 (dagster-aws), MySQL, Google Drive, Slack, CloudWatch, configured by environment:
       AWS_REGION (default us-east-1) and, for tests or S3-compatible stores, AWS_ENDPOINT_URL;
       FACTURAS_DATABASE_URL (else Secrets Manager ``textil/mysql/credentials``);
       FACTURAS_DRIVE_ROOT_FOLDER_ID and FACTURAS_DRIVE_SHARED_DRIVE_ID (optional; credentials
       from ``textil/google/oauth``); FACTURAS_SLACK_WEBHOOK_URL (else ``textil/slack/webhook``).
Secrets are read lazily (at run start), so building the resources never calls AWS.
"""

from __future__ import annotations

import os

import dagster as dg
from dagster_aws.s3 import S3Resource

from facturas_assets import settings
from facturas_assets.resources.batch_tables import batch_table_io_manager
from facturas_assets.resources.database import DatabaseResource, MySQLDatabase, SQLiteDatabase
from facturas_assets.resources.drive import DriveFile, DriveResource, GoogleDrive, LocalDrive
from facturas_assets.resources.metrics import CloudWatchMetrics, LogMetrics, MetricsResource
from facturas_assets.resources.mlflow_tracking import MLflowResource
from facturas_assets.resources.notifications import LogNotifier, NotifierResource, SlackNotifier
from facturas_assets.resources.object_store import (
    LocalObjectStore,
    ObjectNotFoundError,
    ObjectStore,
    S3ObjectStore,
    StoredObject,
)
from facturas_assets.resources.secrets import aws_region
from facturas_assets.settings import Environment

__all__ = [
    "DatabaseResource",
    "DriveFile",
    "DriveResource",
    "GoogleDrive",
    "LocalDrive",
    "LocalObjectStore",
    "LogMetrics",
    "LogNotifier",
    "MLflowResource",
    "MetricsResource",
    "MySQLDatabase",
    "NotifierResource",
    "ObjectNotFoundError",
    "ObjectStore",
    "S3ObjectStore",
    "SQLiteDatabase",
    "SlackNotifier",
    "StoredObject",
    "build_resources",
]

# Resource key -> bucket (the external names of DESIGN.md).
STORE_BUCKETS = {
    "landing_store": settings.LANDING_BUCKET,
    "models_store": settings.MODELS_BUCKET,
    "drift_store": settings.DRIFT_BUCKET,
}
# The IO manager of the batch tables (Parquet beside each batch's manifest in landing_store).
BATCH_IO_MANAGER = "batch_io_manager"
# dagster-aws passes this as botocore's `max_attempts`: retries after the first request.
S3_MAX_ATTEMPTS = 6


def _env_or_none(name: str) -> dg.EnvVar | None:
    """An EnvVar reference (read at run time, hidden in the UI) when the variable is set."""
    return dg.EnvVar(name) if os.environ.get(name) else None


Resources = dict[str, dg.ConfigurableResource | dg.IOManagerDefinition]


def _local_resources() -> Resources:
    home = settings.home()
    stores: dict[str, dg.ConfigurableResource] = {
        key: LocalObjectStore(bucket=bucket, root=str(home / "buckets"))
        for key, bucket in STORE_BUCKETS.items()
    }
    return {
        **stores,
        "database": SQLiteDatabase(path=str(home / "textil.sqlite")),
        "drive": LocalDrive(root=str(home / "drive")),
        "notifier": LogNotifier(),
        "metrics": LogMetrics(),
        "mlflow": MLflowResource(),
        BATCH_IO_MANAGER: batch_table_io_manager,
    }


def _prod_resources() -> Resources:
    region = aws_region()
    s3 = S3Resource(
        region_name=region,
        endpoint_url=os.environ.get("AWS_ENDPOINT_URL") or None,
        max_attempts=S3_MAX_ATTEMPTS,
    )
    stores: dict[str, dg.ConfigurableResource] = {
        key: S3ObjectStore(bucket=bucket, s3=s3) for key, bucket in STORE_BUCKETS.items()
    }
    return {
        **stores,
        "database": MySQLDatabase(url=_env_or_none("FACTURAS_DATABASE_URL"), region_name=region),
        "drive": GoogleDrive(
            root_folder_id=_env_or_none("FACTURAS_DRIVE_ROOT_FOLDER_ID"),
            shared_drive_id=_env_or_none("FACTURAS_DRIVE_SHARED_DRIVE_ID"),
            region_name=region,
        ),
        "notifier": SlackNotifier(
            webhook_url=_env_or_none("FACTURAS_SLACK_WEBHOOK_URL"), region_name=region
        ),
        "metrics": CloudWatchMetrics(region_name=region),
        "mlflow": MLflowResource(),  # MLFLOW_TRACKING_URI, artifacts in textil-mlflow-artifacts
        BATCH_IO_MANAGER: batch_table_io_manager,
    }


def build_resources(env: Environment | None = None) -> Resources:
    """The resources keyed as the assets expect, for env (default: FACTURAS_ENV)."""
    env = env or settings.current_environment()
    if env is Environment.PROD:
        return _prod_resources()
    return _local_resources()
