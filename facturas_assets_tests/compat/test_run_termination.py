"""Terminating an ETL run in the middle of its OCR, on the real dagster-webserver + daemon: the run
ends CANCELED within 30 s, and re-executing it loads the same rows as a run never interrupted."""

from __future__ import annotations

import shutil
import sqlite3
import time
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from facturas_assets.api import queries
from facturas_assets_tests.compat import servers

STOP_WITHIN_S = 30.0
SCANS = 14

_STEP_EVENTS = """
query ($runId: ID!) {
  logsForRun(runId: $runId, limit: 5000) {
    ... on EventConnection { events { __typename ... on MessageEvent { stepKey } } }
  }
}
"""
_REEXECUTE = """
mutation ($parent: String!) {
  launchRunReexecution(reexecutionParams: {parentRunId: $parent, strategy: FROM_FAILURE}) {
    __typename
    ... on LaunchRunSuccess { run { runId } }
    ... on PythonError { message }
  }
}
"""
# Columns that depend on the batch or the clock, not on the document.
_VARYING = {"lote", "loaded_at", "drive_history_file_id", "drive_category_file_id"}


def _status(dagster: servers.DagsterServer, run_id: str) -> str:
    run = servers.graphql(dagster.graphql_url, queries.RUN, {"runId": run_id})["runOrError"]
    return run["status"]


def _step_events(dagster: servers.DagsterServer, run_id: str, step: str) -> set[str]:
    data = servers.graphql(dagster.graphql_url, _STEP_EVENTS, {"runId": run_id})
    return {e["__typename"] for e in data["logsForRun"]["events"] if e.get("stepKey") == step}


def _wait_for(probe, what: str, timeout: float, interval: float = 0.5) -> float:
    """Seconds until probe() was true; fails after timeout."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if probe():
            return time.monotonic() - started
        time.sleep(interval)
    raise AssertionError(f"{what}: not within {timeout:.0f} s")


def _rows(database: Path, lote: str) -> dict[str, list[dict]]:
    """The batch's invoices, their lines and its quarantine, without the columns that depend on
    the batch or the clock."""
    from facturas_assets.db.tables import invoice_lines, invoices, quarantine

    engine = sa.create_engine(f"sqlite:///{database}")
    try:
        with engine.connect() as conn:
            loaded = conn.execute(
                sa.select(invoices).where(invoices.c.lote == lote).order_by(invoices.c.sha256)
            ).mappings()
            lines = conn.execute(
                sa.select(invoice_lines)
                .join(invoices, invoices.c.sha256 == invoice_lines.c.invoice_sha256)
                .where(invoices.c.lote == lote)
                .order_by(invoice_lines.c.invoice_sha256, invoice_lines.c.line_no)
            ).mappings()
            rejected = conn.execute(
                sa.select(quarantine.c.sha256, quarantine.c.source_key, quarantine.c.reason)
                .where(quarantine.c.lote == lote)
                .order_by(quarantine.c.sha256)
            ).mappings()
            return {
                "invoices": [{k: v for k, v in r.items() if k not in _VARYING} for r in loaded],
                "lines": [dict(r) for r in lines],
                "quarantine": [dict(r) for r in rejected],
            }
    finally:
        engine.dispose()


def _copy_database(source: Path, target: Path) -> None:
    """A consistent copy of a SQLite database in WAL mode: the backup API includes the commits
    still in the -wal file, which a copy of the main file alone would miss."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


def _uninterrupted_rows(
    files: list[Path], work: Path, monkeypatch: pytest.MonkeyPatch
) -> dict[str, list[dict]]:
    """The same files through the ETL job in process, in a copy of the environment's database
    and models taken before the interrupted run (extraction reads earlier exact readings)."""
    import dagster as dg

    from facturas_assets.resources import build_resources
    from facturas_assets_tests.etl.conftest import run_batch

    monkeypatch.setenv("FACTURAS_HOME", str(work))
    monkeypatch.setenv("FACTURAS_ENV", "local")
    landing = work / "buckets" / "mes-en-curso"
    landing.mkdir(parents=True)
    for path in files:
        shutil.copyfile(path, landing / path.name)
    resources = build_resources()
    try:
        with dg.instance_for_test() as instance:
            result = run_batch(resources, "control", [p.name for p in files], instance)
        assert result.success
    finally:
        resources["database"].dispose()
    return _rows(work / "textil.sqlite", "control")


@pytest.mark.slow
def test_terminated_etl_run_stops_and_its_batch_reruns_to_the_same_rows(
    api: servers.ApiServer,
    dagster: servers.DagsterServer,
    landing: Path,
    local_home: Path,
    compat_root: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from facturas_dev.synth import generate

    invoices = generate(SCANS, tmp_path / "scans", seed=71, renderings=["scan-pdf", "scan-image"])
    files = [inv.path for inv in invoices]
    control = tmp_path / "control-home"
    (control / "buckets").mkdir(parents=True)
    _copy_database(local_home / "textil.sqlite", control / "textil.sqlite")
    shutil.copytree(
        local_home / "buckets" / "textil-modelos", control / "buckets" / "textil-modelos"
    )
    for path in files:
        shutil.copyfile(path, landing / path.name)

    launched = httpx.post(f"{api.url}/process_invoices", json={}, headers=api.headers, timeout=60)
    assert launched.status_code == 202, launched.text
    run_id, lote = launched.json()["run_id"], launched.json()["partition"]

    # Terminate once the OCR is under way (the step started a few seconds ago).
    _wait_for(
        lambda: "ExecutionStepStartEvent" in _step_events(dagster, run_id, "invoice_text"),
        "invoice_text started",
        timeout=240,
    )
    time.sleep(3)
    answer = servers.graphql(dagster.graphql_url, queries.TERMINATE_RUN, {"runId": run_id})
    assert answer["terminateRun"]["__typename"] == "TerminateRunSuccess", answer
    took = _wait_for(
        lambda: _status(dagster, run_id) == queries.CANCELED, "run CANCELED", STOP_WITHIN_S
    )
    print(f"terminated run {run_id} was CANCELED {took:.1f} s after terminateRun")
    # It really stopped in the middle of reading: the step neither succeeded nor went on.
    assert "ExecutionStepSuccessEvent" not in _step_events(dagster, run_id, "invoice_text")

    again = servers.graphql(dagster.graphql_url, _REEXECUTE, {"parent": run_id})
    result = again["launchRunReexecution"]
    assert result["__typename"] == "LaunchRunSuccess", result
    rerun = result["run"]["runId"]
    _wait_for(
        lambda: _status(dagster, rerun) in queries.TERMINAL_STATUSES, "re-run finished", 600, 2
    )
    assert _status(dagster, rerun) == queries.SUCCESS

    rows = _rows(local_home / "textil.sqlite", lote)
    expected = _uninterrupted_rows(files, control, monkeypatch)
    # Nothing lost or loaded twice, and the same values as the run never interrupted.
    assert len(rows["invoices"]) + len(rows["quarantine"]) == SCANS
    assert len(rows["invoices"]) > 0 and len(rows["lines"]) > 0
    assert rows == expected, _differences(rows, expected)


def _differences(got: dict[str, list[dict]], want: dict[str, list[dict]]) -> str:
    """The rows that differ, table by table, each as (got, want): a readable failure."""
    out = []
    for table in want:
        for mine, theirs in zip(got[table], want[table], strict=False):
            if mine != theirs:
                changed = {
                    k: (mine.get(k), theirs.get(k)) for k in theirs if mine.get(k) != theirs.get(k)
                }
                out.append(f"{table}: {changed}")
        if len(got[table]) != len(want[table]):
            out.append(f"{table}: {len(got[table])} rows against {len(want[table])}")
    return "\n".join(out[:20])
