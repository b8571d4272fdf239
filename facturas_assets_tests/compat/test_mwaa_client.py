"""The DAGs' own Dagster client (mwaa/dags/facturas_dagster, requests only) against a real
dagster-webserver whose runs stay queued."""

from __future__ import annotations

import sys

import pytest

from facturas_assets_tests.compat import servers

sys.path.insert(0, str(servers.REPO / "mwaa" / "dags"))

from facturas_dagster.client import (  # noqa: E402
    DagsterClient,
    DagsterUnavailable,
    RunNotFound,
    base_url_of,
    deep_merge,
)


def test_base_url_from_an_airflow_connection() -> None:
    assert base_url_of("127.0.0.1", 3000, None) == "http://127.0.0.1:3000"
    assert (
        base_url_of("dagster.internal", 443, "https", "/dagster/")
        == "https://dagster.internal:443/dagster"
    )
    assert (
        base_url_of("https://d.example.com:8443/ui", 3000, "http")
        == "https://d.example.com:8443/ui"
    )
    with pytest.raises(ValueError, match="no host"):
        base_url_of("  ", 3000, None)


def test_deep_merge_keeps_both_sides() -> None:
    base = {"execution": {"config": {"in_process": {}}}, "ops": {"a": {"config": {"x": 1}}}}
    own = {"ops": {"a": {"config": {"y": 2}}, "b": {}}}
    assert deep_merge(base, own) == {
        "execution": {"config": {"in_process": {}}},
        "ops": {"a": {"config": {"x": 1, "y": 2}}, "b": {}},
    }


def test_batch_launch_follow_and_terminate(queue_only_dagster: servers.DagsterServer) -> None:
    client = DagsterClient(queue_only_dagster.url)
    tags = {"facturas/airflow_request": "dag/task/manual__1", "facturas/opened_by": "airflow"}
    lote, run_id = client.launch_batch("invoice_etl_job", {"ops": {}}, tags)
    state = client.run_state(run_id)
    assert (state.status, state.partition, state.job_name) == ("QUEUED", lote, "invoice_etl_job")
    assert [r.run_id for r in client.runs_with_tags(tags)] == [run_id]
    with pytest.raises(TimeoutError, match=f"still QUEUED .*{client.run_url(run_id)}"):
        client.wait(run_id, timeout_s=1.5, poll_s=0.5)
    assert client.terminate(run_id) == "TerminateRunSuccess"
    assert client.wait(run_id, timeout_s=30, poll_s=0.5).status == "CANCELED"
    with pytest.raises(RunNotFound):
        client.run_state("00000000-0000-4000-8000-000000000000")


def test_unreachable_webserver_is_reported() -> None:
    client = DagsterClient(f"http://127.0.0.1:{servers.free_port()}", connect_timeout=2)
    with pytest.raises(DagsterUnavailable, match="not reachable"):
        client.version()
    with pytest.raises(DagsterUnavailable):
        client.wait(
            "00000000-0000-4000-8000-000000000000", timeout_s=5, poll_s=0.2, max_unreachable_s=0.5
        )
