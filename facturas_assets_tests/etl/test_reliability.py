"""A batch on the cloud implementations while they fail: S3 answering 500/503, Google Drive
answering 429/500, and the MySQL connection dying in the middle of the load."""

from __future__ import annotations

import boto3
import pytest
import sqlalchemy as sa

from facturas_assets.db import migrate
from facturas_assets.db.tables import invoice_lines, invoices, quarantine
from facturas_assets.pipeline.manifest import load_manifest
from facturas_assets.resources.database import MySQLDatabase
from facturas_assets.resources.object_store import LocalObjectStore
from facturas_assets.settings import DRIVE_HISTORY_FOLDER
from facturas_assets_tests import services
from facturas_assets_tests.etl.conftest import land_generated, run_batch
from facturas_assets_tests.fakes.drive_server import DriveServer
from facturas_assets_tests.fakes.fault_proxy import FaultProxy
from facturas_assets_tests.fakes.tcp_proxy import CuttingProxy
from facturas_assets_tests.resources.conftest import google_drive, s3_store, unique

LOTE = "20260102-000000-cloud"


@pytest.fixture
def drive_server():
    with DriveServer() as server:
        yield server


@pytest.fixture
def mysql_proxy() -> CuttingProxy:
    services.ensure_mariadb()
    proxy = CuttingProxy(services.MYSQL_HOST, services.MYSQL_PORT)
    yield proxy
    proxy.close()


def _counts(engine) -> tuple[int, int, int]:
    with engine.connect() as conn:
        return tuple(
            conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
            for t in (invoices, invoice_lines, quarantine)
        )


def test_batch_survives_failing_services(
    local_resources, instance, tmp_path, aws_env, moto_endpoint, mysql_url, mysql_proxy,
    drive_server,
):  # fmt: skip
    bucket = unique("mes-en-curso")
    boto3.client("s3").create_bucket(Bucket=bucket)
    with FaultProxy(moto_endpoint) as s3_faults:
        landing = s3_store(bucket, s3_faults.url, max_attempts=6)
        database = MySQLDatabase(
            url=mysql_url.replace(
                f"{services.MYSQL_HOST}:{services.MYSQL_PORT}", f"127.0.0.1:{mysql_proxy.port}"
            )
        )
        engine = database.engine()
        migrate.upgrade(engine)
        drive = google_drive(drive_server)
        resources = {
            **local_resources,
            "landing_store": landing,
            "database": database,
            "drive": drive,
        }

        local = LocalObjectStore(bucket="staging", root=str(tmp_path / "staging"))
        names = land_generated(local, tmp_path, 6, seed=31, renderings=["text-pdf"])
        for name in names:
            landing.write_bytes(name, local.read_bytes(name))

        # S3 fails (500 and 503) at the start of intake: retried with backoff, nothing lost.
        s3_faults.fail_next(3, 500)
        s3_faults.fail_next(2, 503)
        upstream = ["raw_invoices", "invoice_text", "classified_invoices", "reading_memory",
                    "invoice_tables"]  # fmt: skip
        first = run_batch(resources, LOTE, names, instance, selection=upstream)
        assert first.success
        manifest = load_manifest(landing, LOTE)
        assert sorted(i.landing_key for i in manifest.items) == sorted(names)
        assert all(landing.exists(i.raw_key) for i in manifest.items)

        # The database connection dies after a few KB of the load; Drive throttles.
        mysql_proxy.cut_after(4096)
        drive_server.fail_next(2, 429)
        drive_server.fail_next(1, 500)
        second = run_batch(
            resources, LOTE, names, instance, selection=["invoice_rows", "drive_archive"]
        )
        assert second.success
        assert mysql_proxy.cuts == 1  # the connection really died mid-step
        retried = [e for e in second.all_events if e.event_type_value == "STEP_RESTARTED"]
        assert retried, "invoice_rows was not retried after the connection died"

        loaded, lines, quarantined = _counts(engine)
        assert loaded + quarantined == len(names)
        assert loaded >= 5
        history = drive.list_files(DRIVE_HISTORY_FOLDER)
        assert len(history) == len(names)

        # After recovery, a re-run gives exactly the same rows and uploads nothing twice.
        third = run_batch(resources, LOTE, names, instance)
        assert third.success
        assert _counts(engine) == (loaded, lines, quarantined)
        assert len(drive.list_files(DRIVE_HISTORY_FOLDER)) == len(names)
