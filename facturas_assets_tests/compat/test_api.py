"""The HTTP API on a real uvicorn server in front of real dagster-webservers on loopback."""

from __future__ import annotations

import re
import time
import uuid
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from facturas_assets_tests.compat import servers

LOTE = re.compile(r"^\d{8}-\d{6}-[0-9a-f]{10}$")
PROTECTED = [
    ("POST", "/process_invoices"),
    ("POST", "/train_model"),
    ("POST", "/detect_drift"),
    ("GET", f"/runs/{uuid.uuid4()}"),
]

_RUN = """
query ($runId: ID!) {
  runOrError(runId: $runId) { ... on Run { status jobName runConfigYaml tags { key value } } }
}
"""
_PARTITIONS = """
{ assetNodeOrError(assetKey: {path: ["raw_invoices"]}) { ... on AssetNode { partitionKeys } } }
"""


def test_health_reports_database_and_dagster_without_versions(
    api: servers.ApiServer, dagster: servers.DagsterServer
) -> None:
    answer = httpx.get(f"{api.url}/health", timeout=30)
    assert answer.status_code == 200, answer.text
    assert answer.json() == {
        "status": "ok",
        "database": {"ok": True, "detail": "reachable"},
        "dagster": {"ok": True, "detail": "reachable"},
    }
    # /health is public: it must not tell anyone which Dagster release to attack.
    version = servers.graphql(dagster.graphql_url, "{ version }")["version"]
    assert version not in answer.text and not re.search(r"\d+\.\d+\.\d+", answer.text)


def test_dagster_outage_answers_503_with_a_clear_message(
    api_without_dagster: servers.ApiServer,
) -> None:
    api = api_without_dagster
    health = httpx.get(f"{api.url}/health", timeout=30)
    assert health.status_code == 503
    assert health.json()["dagster"] == {"ok": False, "detail": "not reachable"}
    assert health.json()["database"]["ok"] is True

    for method, path in PROTECTED:
        answer = httpx.request(method, f"{api.url}{path}", headers=api.headers, timeout=30)
        assert answer.status_code == 503, (path, answer.text)
        assert answer.headers["content-type"] == "application/json"
        assert "is not reachable" in answer.json()["detail"]
        assert answer.headers["retry-after"] == "30"


def test_every_endpoint_but_health_needs_the_token(api_queue_only: servers.ApiServer) -> None:
    api = api_queue_only
    for method, path in PROTECTED:
        missing = httpx.request(method, f"{api.url}{path}", timeout=30)
        assert missing.status_code == 401, path
        assert missing.headers["www-authenticate"] == "Bearer"
        wrong = httpx.request(
            method,
            f"{api.url}{path}",
            headers={"Authorization": "Bearer not-the-token"},
            timeout=30,
        )
        assert wrong.status_code == 401, path
        assert wrong.json() == {"detail": "invalid bearer token"}
    assert httpx.get(f"{api.url}/health", timeout=30).status_code == 200


@pytest.mark.parametrize(
    ("path", "body", "field", "kind"),
    [
        ("/process_invoices", {"max_files": 0}, "max_files", "greater_than_equal"),
        ("/process_invoices", {"max_files": 10_001}, "max_files", "less_than_equal"),
        ("/process_invoices", {"landing_keys": ["a.pdf"]}, "landing_keys", "extra_forbidden"),
        ("/train_model", {"epochs": "12"}, "epochs", "int_type"),
        ("/process_invoices", {"max_files": True}, "max_files", "int_type"),
        ("/train_model", {"epochs": 201}, "epochs", "less_than_equal"),
        ("/detect_drift", {"days": 36}, "days", "less_than_equal"),
    ],
)
def test_bad_input_gets_a_clear_422(
    api_queue_only: servers.ApiServer, path: str, body: dict, field: str, kind: str
) -> None:
    api = api_queue_only
    answer = httpx.post(f"{api.url}{path}", json=body, headers=api.headers, timeout=30)
    assert answer.status_code == 422, answer.text
    [error] = answer.json()["detail"]
    assert error["loc"] == ["body", field]
    assert error["type"] == kind


def test_malformed_run_id_gets_422(api_queue_only: servers.ApiServer) -> None:
    api = api_queue_only
    answer = httpx.get(f"{api.url}/runs/not-a-run", headers=api.headers, timeout=30)
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["path", "run_id"]
    unknown = httpx.get(f"{api.url}/runs/{uuid.uuid4()}", headers=api.headers, timeout=30)
    assert unknown.status_code == 404
    assert unknown.json()["detail"] == f"Dagster has no run {unknown.url.path.rsplit('/', 1)[1]}"


def test_launch_endpoints_start_dagster_runs(
    api_queue_only: servers.ApiServer, queue_only_dagster: servers.DagsterServer
) -> None:
    api, dagster = api_queue_only, queue_only_dagster
    cases = [
        ("/process_invoices", {"max_files": 7}, "invoice_etl_job", "max_files: 7"),
        ("/train_model", {"epochs": 3}, "training_job", "epochs: 3"),
        ("/detect_drift", {"days": 14}, "drift_job", "days: 14"),
        ("/train_model", None, "training_job", None),
    ]
    for path, body, job, config_line in cases:
        answer = httpx.post(f"{api.url}{path}", json=body, headers=api.headers, timeout=60)
        assert answer.status_code == 202, answer.text
        launched = answer.json()
        run_id = launched["run_id"]
        assert launched["job_name"] == job
        assert launched["run_url"] == f"{dagster.url}/runs/{run_id}"
        assert launched["status"] == "QUEUED"  # this Dagster has no daemon to start it

        run = servers.graphql(dagster.graphql_url, _RUN, {"runId": run_id})["runOrError"]
        assert run["jobName"] == job
        tags = {t["key"]: t["value"] for t in run["tags"]}
        assert tags["facturas/opened_by"] == "api"
        if config_line:
            assert config_line in run["runConfigYaml"]
        if job == "invoice_etl_job":
            lote = launched["partition"]
            assert LOTE.match(lote) and tags["dagster/partition"] == lote
            keys = servers.graphql(dagster.graphql_url, _PARTITIONS)["assetNodeOrError"]
            assert lote in keys["partitionKeys"]
        else:
            assert launched["partition"] is None

        status = httpx.get(f"{api.url}/runs/{run_id}", headers=api.headers, timeout=30)
        assert status.status_code == 200
        info = status.json()
        assert (info["run_id"], info["status"], info["finished"]) == (run_id, "QUEUED", False)
        assert info["created_at"] is not None and info["errors"] == []


def _wait_finished(api: servers.ApiServer, run_id: str, timeout: float = 240) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        info = httpx.get(f"{api.url}/runs/{run_id}", headers=api.headers, timeout=30).json()
        if info["finished"]:
            return info
        time.sleep(1)
    raise AssertionError(f"run {run_id} not finished after {timeout:.0f} s: {info}")


@pytest.mark.slow
def test_launched_runs_execute_and_report_their_outcome(
    api: servers.ApiServer, landing: Path, local_home: Path, compat_root: Path
) -> None:
    from facturas_dev.synth import generate

    invoices = generate(2, compat_root / "api-landing", seed=33, renderings=["text-pdf"])
    for inv in invoices:
        (landing / inv.path.name).write_bytes(inv.path.read_bytes())

    etl = httpx.post(f"{api.url}/process_invoices", json={}, headers=api.headers, timeout=60)
    drift = httpx.post(f"{api.url}/detect_drift", headers=api.headers, timeout=60)
    assert etl.status_code == drift.status_code == 202, (etl.text, drift.text)

    etl_info = _wait_finished(api, etl.json()["run_id"])
    assert etl_info["status"] == "SUCCESS", etl_info
    assert etl_info["started_at"] and etl_info["ended_at"]
    engine = sa.create_engine(f"sqlite:///{local_home / 'textil.sqlite'}")
    with engine.connect() as conn:
        loaded = conn.execute(
            sa.text("SELECT count(*) FROM invoices WHERE lote = :lote"),
            {"lote": etl_info["partition"]},
        ).scalar()
    engine.dispose()
    assert loaded == len(invoices)

    # No feature baseline exists in this environment: the drift report fails, and says why.
    drift_info = _wait_finished(api, drift.json()["run_id"])
    assert drift_info["status"] == "FAILURE"
    assert any(
        e.startswith("drift_report: ") and "no feature baseline" in e for e in drift_info["errors"]
    ), drift_info["errors"]
