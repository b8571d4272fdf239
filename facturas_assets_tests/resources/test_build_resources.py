"""build_resources: the right implementations per environment, usable by a real Dagster run."""

from __future__ import annotations

import hashlib
from pathlib import Path

import boto3
import dagster as dg
import pytest
import sqlalchemy as sa

from facturas_assets import settings
from facturas_assets.resources import (
    CloudWatchMetrics,
    DatabaseResource,
    DriveResource,
    GoogleDrive,
    LocalDrive,
    LocalObjectStore,
    LogMetrics,
    LogNotifier,
    MetricsResource,
    MySQLDatabase,
    NotifierResource,
    ObjectStore,
    S3ObjectStore,
    SlackNotifier,
    SQLiteDatabase,
    build_resources,
)
from facturas_assets.settings import ConfigError, Environment
from facturas_assets_tests.fakes.drive_server import DriveServer
from facturas_assets_tests.fakes.slack_server import SlackServer
from facturas_assets_tests.resources.conftest import google_drive, unique

KEYS = {
    "landing_store", "models_store", "drift_store", "database", "drive", "notifier", "metrics",
    "mlflow", "batch_io_manager",
}  # fmt: skip


@dg.asset
def every_resource(
    landing_store: ObjectStore,
    models_store: ObjectStore,
    drift_store: ObjectStore,
    database: DatabaseResource,
    drive: DriveResource,
    notifier: NotifierResource,
    metrics: MetricsResource,
) -> dict:
    """Touches each resource once, the way the assets will."""
    key = f"probe/{unique('f')}.pdf"
    landing_store.write_bytes(key, b"%PDF probe")
    digest = landing_store.sha256(key)
    models_store.write_bytes(key, b"model")
    drift_store.write_bytes(key, b"drift")
    with database.engine().connect() as conn:
        one = conn.execute(sa.text("SELECT 1")).scalar()
    archived = drive.upload(
        settings.DRIVE_HISTORY_FOLDER, "probe.pdf", b"%PDF probe", "application/pdf", digest
    )
    return {
        "landing": landing_store.list_objects("probe/").__next__().key == key,
        "one": one,
        "archived": archived.path,
        "notified": notifier.notify("probe", title="test"),
        "metric": metrics.put_metric(settings.METRIC_ETL_PROCESSING_TIME, 1.5, "Seconds"),
        "uri": landing_store.uri(key),
    }


def test_local_resources_live_under_facturas_home(facturas_home: Path) -> None:
    resources = build_resources()
    assert set(resources) == KEYS
    assert {resources[k].bucket for k in ("landing_store", "models_store", "drift_store")} == {
        "mes-en-curso",
        "textil-modelos",
        "textil-drift-data",
    }
    assert all(
        isinstance(resources[k], LocalObjectStore)
        for k in ("landing_store", "models_store", "drift_store")
    )
    assert isinstance(resources["database"], SQLiteDatabase)
    assert isinstance(resources["drive"], LocalDrive)
    assert isinstance(resources["notifier"], LogNotifier)
    assert isinstance(resources["metrics"], LogMetrics)

    result = dg.materialize([every_resource], resources=resources)
    out = result.output_for_node("every_resource")
    assert out["landing"] and out["one"] == 1 and out["notified"] and out["metric"]
    assert out["archived"] == "histórico/probe.pdf"
    assert out["uri"].startswith((facturas_home / "buckets" / "mes-en-curso").as_uri())
    assert (facturas_home / "textil.sqlite").exists()
    assert (facturas_home / "drive" / "histórico" / "probe.pdf").exists()


def test_prod_resources_are_the_cloud_implementations(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    monkeypatch.setenv("FACTURAS_DATABASE_URL", "mysql+pymysql://u:p@db/textil")
    monkeypatch.setenv("FACTURAS_DRIVE_ROOT_FOLDER_ID", "folder123")
    monkeypatch.delenv("FACTURAS_SLACK_WEBHOOK_URL", raising=False)
    resources = build_resources(Environment.PROD)
    assert set(resources) == KEYS
    landing = resources["landing_store"]
    assert isinstance(landing, S3ObjectStore) and landing.bucket == "mes-en-curso"
    assert landing.s3.region_name == "eu-west-1"
    assert isinstance(resources["database"], MySQLDatabase)
    assert resources["database"].url() == "mysql+pymysql://u:p@db/textil"
    assert isinstance(resources["drive"], GoogleDrive)
    # Values from the environment stay EnvVar references (Dagster shows the name, not the value).
    assert resources["drive"].root_folder_id == dg.EnvVar("FACTURAS_DRIVE_ROOT_FOLDER_ID")
    assert isinstance(resources["database"].url_, dg.EnvVar)
    assert resources["drive"]._root_id() == "folder123"
    assert isinstance(resources["notifier"], SlackNotifier)
    assert resources["notifier"].secret_name == "textil/slack/webhook"
    assert isinstance(resources["metrics"], CloudWatchMetrics)
    assert resources["metrics"].namespace == settings.METRIC_NAMESPACE
    # Building definitions with them touches no service.
    dg.Definitions.validate_loadable(dg.Definitions(assets=[every_resource], resources=resources))


def test_env_selects_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FACTURAS_ENV", "prod")
    assert isinstance(build_resources()["database"], MySQLDatabase)
    monkeypatch.setenv("FACTURAS_ENV", "staging")
    with pytest.raises(ConfigError, match="FACTURAS_ENV='staging' is not a known environment"):
        build_resources()


def test_prod_run_against_moto_mariadb_and_fakes(
    aws_env: str,
    mysql_url: str,
    drive_server: DriveServer,
    slack_server: SlackServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FACTURAS_DATABASE_URL", mysql_url)
    monkeypatch.setenv("FACTURAS_SLACK_WEBHOOK_URL", slack_server.webhook_url)
    s3 = boto3.client("s3", region_name="us-east-1")
    for bucket in (settings.LANDING_BUCKET, settings.MODELS_BUCKET, settings.DRIFT_BUCKET):
        s3.create_bucket(Bucket=bucket)
    resources = build_resources(Environment.PROD)
    # Drive's endpoint is Google's in prod; here the fake stands in for it.
    resources["drive"] = google_drive(drive_server)

    result = dg.materialize([every_resource], resources=resources)
    out = result.output_for_node("every_resource")
    assert out["landing"] and out["one"] == 1 and out["notified"] and out["metric"]
    assert out["uri"].startswith("s3://mes-en-curso/probe/")
    assert out["archived"] == "histórico/probe.pdf"
    [archived] = [f for f in drive_server.files.values() if f.name == "probe.pdf"]
    assert archived.app_properties["sha256"] == hashlib.sha256(b"%PDF probe").hexdigest()
    assert slack_server.messages[0]["text"] == "test: probe"


def test_prod_run_without_mysql_secret_fails_at_startup_naming_it(
    aws_env: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FACTURAS_DATABASE_URL", raising=False)
    monkeypatch.setenv("AWS_REGION", "ap-southeast-2")  # a region where no test stores secrets
    resources = build_resources(Environment.PROD)

    @dg.asset
    def needs_db(database: DatabaseResource) -> None:
        raise AssertionError("must not run")

    with pytest.raises(dg.DagsterResourceFunctionError) as info:
        dg.materialize([needs_db], resources={"database": resources["database"]})
    assert isinstance(info.value.__cause__, ConfigError)
    assert "secret 'textil/mysql/credentials' does not exist" in str(info.value.__cause__)
