"""The MWAA DAGs in Apache Airflow 2.11: they import, keep the old ids and schedules, and run real
Dagster materializations through a dagster-webserver + dagster-daemon on loopback."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from facturas_assets_tests.compat import servers
from facturas_assets_tests.compat.airflow_cli import AirflowCli

_DAGBAG = """
import json
from airflow.models import DagBag
bag = DagBag(include_examples=False)
print("DAGBAG=" + json.dumps({
    "errors": {k: str(v) for k, v in bag.import_errors.items()},
    "dags": {
        d.dag_id: {
            "schedule": d.timetable.summary,
            "timezone": str(d.timezone.name),
            "tasks": [t.task_id for t in d.tasks],
            "operators": [type(t).__name__ for t in d.tasks],
            "catchup": d.catchup,
        }
        for d in bag.dags.values()
    },
}))
"""

_RUN = """
query ($runId: ID!) {
  runOrError(runId: $runId) {
    ... on Run { status jobName tags { key value } assetMaterializations { assetKey { path } } }
  }
}
"""

ETL_ASSETS = {
    "raw_invoices",
    "reading_memory",
    "invoice_text",
    "classified_invoices",
    "invoice_tables",
    "invoice_rows",
    "drive_archive",
}


def _dagster_run(server: servers.DagsterServer, run_id: str) -> dict:
    return servers.graphql(server.graphql_url, _RUN, {"runId": run_id})["runOrError"]


def test_dagbag_has_the_three_dags_with_their_schedules(airflow: AirflowCli) -> None:
    result = airflow.python(_DAGBAG)
    assert result.returncode == 0, result.stderr[-4000:]
    line = next(x for x in result.stdout.splitlines() if x.startswith("DAGBAG="))
    bag = json.loads(line.removeprefix("DAGBAG="))
    assert bag["errors"] == {}
    dags = bag["dags"]
    assert set(dags) == {
        "process_invoices_etl_aws",
        "train_invoice_model_aws",
        "detect_data_drift_aws",
    }
    assert dags["process_invoices_etl_aws"]["schedule"] in ("@hourly", "0 * * * *")
    assert dags["train_invoice_model_aws"]["schedule"] == "None"
    assert dags["detect_data_drift_aws"]["schedule"] == "0 3 * * 0"
    assert dags["detect_data_drift_aws"]["timezone"] == "Europe/Madrid"
    for dag in dags.values():
        assert dag["operators"] == ["DagsterJobOperator"]
        assert dag["catchup"] is False


@pytest.mark.slow
def test_hourly_dag_runs_a_batch_through_the_dagster_etl(
    airflow: AirflowCli,
    airflow_connection_secret: str,
    dagster: servers.DagsterServer,
    landing: Path,
    local_home: Path,
    compat_root: Path,
) -> None:
    from facturas_dev.synth import generate

    invoices = generate(3, compat_root / "airflow-landing", seed=21, renderings=["text-pdf"])
    for inv in invoices:
        (landing / inv.path.name).write_bytes(inv.path.read_bytes())

    started = time.monotonic()
    result = airflow.run("dags", "test", "process_invoices_etl_aws", "2026-01-05T10:00:00+00:00")
    seconds = time.monotonic() - started
    _record_timing(compat_root, "dags_test_process_invoices_etl_aws_s", seconds)

    assert result.returncode == 0, result.stdout[-6000:]
    found = re.search(r"Dagster run (\S+) succeeded: (http://\S+)", result.stdout)
    assert found, result.stdout[-6000:]
    run_id, url = found.groups()
    assert url == f"{dagster.url}/runs/{run_id}"
    assert re.search(r"opened batch \d{8}-\d{6}-[0-9a-f]{10}", result.stdout)

    run = _dagster_run(dagster, run_id)
    assert run["status"] == "SUCCESS"
    assert run["jobName"] == "invoice_etl_job"
    tags = {t["key"]: t["value"] for t in run["tags"]}
    assert tags["facturas/opened_by"] == "airflow"
    lote = tags["dagster/partition"]
    assert {m["assetKey"]["path"][-1] for m in run["assetMaterializations"]} == ETL_ASSETS

    engine = sa.create_engine(f"sqlite:///{local_home / 'textil.sqlite'}")
    with engine.connect() as conn:
        loaded = conn.execute(
            sa.text("SELECT count(*) FROM invoices WHERE lote = :lote"), {"lote": lote}
        ).scalar()
    engine.dispose()
    assert loaded == len(invoices)
    assert not [p for p in landing.iterdir() if p.is_file()], "the batch took the landing files"


@pytest.mark.slow
def test_failed_dagster_run_fails_the_airflow_task(
    airflow: AirflowCli,
    airflow_connection_secret: str,
    dagster: servers.DagsterServer,
    compat_root: Path,
) -> None:
    # The environment has a champion model but no feature baseline: drift_report fails.
    started = time.monotonic()
    result = airflow.run("dags", "test", "detect_data_drift_aws", "2026-01-04T03:00:00+01:00")
    seconds = time.monotonic() - started
    _record_timing(compat_root, "dags_test_detect_data_drift_aws_s", seconds)

    assert result.returncode != 0, result.stdout[-6000:]
    found = re.search(r"Dagster run (\S+) of drift_job ended FAILURE: (http://\S+)", result.stdout)
    assert found, result.stdout[-6000:]
    run_id, url = found.groups()
    assert url == f"{dagster.url}/runs/{run_id}"
    assert "drift_report: " in result.stdout and "no feature baseline" in result.stdout
    assert _dagster_run(dagster, run_id)["status"] == "FAILURE"
    # A failed Dagster run is final: the task is not retried.
    assert "Marking task as FAILED" in result.stdout
    assert "UP_FOR_RETRY" not in result.stdout


def _record_timing(root: Path, name: str, seconds: float) -> None:
    """Keep the Airflow command timings beside the session's logs (the compat note cites them)."""
    path = root / "timings.json"
    timings = json.loads(path.read_text()) if path.exists() else {}
    timings[name] = round(seconds, 1)
    path.write_text(json.dumps(timings, indent=2))
    print(f"{name}: {seconds:.1f} s")
