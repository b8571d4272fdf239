"""SIGTERM to the process running an ETL run (as ECS StopTask sends it) stops the run during OCR:
the interrupted step is not retried and the process exits."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import pytest
import yaml

from facturas_assets.db import migrate
from facturas_assets.defs.batches import ETL_JOB_NAME, batch_partitions
from facturas_assets.resources import build_resources
from facturas_assets_tests.etl.conftest import land_generated

EXIT_WITHIN_S = 30.0
LOTE = "sigterm-lote"


def _step_events(instance: dg.DagsterInstance, run_id: str, step: str) -> list[str]:
    return [
        e.dagster_event.event_type_value
        for e in instance.all_logs(run_id)
        if e.dagster_event is not None and e.dagster_event.step_key == step
    ]


def _wait_for(probe, what: str, timeout: float, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if probe():
            return
        assert process.poll() is None, f"the run process exited early ({process.returncode})"
        time.sleep(0.5)
    raise AssertionError(f"{what}: not within {timeout:.0f} s")


@pytest.mark.slow
def test_sigterm_stops_an_etl_run_during_ocr(
    facturas_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    resources = build_resources()
    migrate.upgrade(resources["database"].engine())
    resources["database"].dispose()
    keys = land_generated(resources["landing_store"], tmp_path, 10, 83, ["scan-pdf"])
    dagster_home = tmp_path / "dagster-home"
    dagster_home.mkdir()
    (dagster_home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    monkeypatch.setenv("DAGSTER_HOME", str(dagster_home))
    config = tmp_path / "run.yaml"
    config.write_text(yaml.safe_dump({"ops": {"raw_invoices": {"config": {"landing_keys": keys}}}}))

    with dg.DagsterInstance.get() as instance:
        instance.add_dynamic_partitions(batch_partitions.name, [LOTE])
        command = [sys.executable, "-m", "dagster", "job", "execute"]
        command += ["-m", "facturas_assets.definitions", "-j", ETL_JOB_NAME, "-c", str(config)]
        command += ["--tags", f'{{"dagster/partition": "{LOTE}"}}']
        log = (tmp_path / "run.log").open("wb")
        process = subprocess.Popen(
            command, env=dict(os.environ), stdout=log, stderr=subprocess.STDOUT
        )
        try:

            def ocr_started() -> bool:
                runs = instance.get_runs()
                return bool(runs) and "STEP_START" in _step_events(
                    instance, runs[0].run_id, "invoice_text"
                )

            _wait_for(ocr_started, "invoice_text started", 300, process)
            time.sleep(3)
            process.send_signal(signal.SIGTERM)
            started = time.monotonic()
            process.wait(timeout=EXIT_WITHIN_S)
            print(f"the run process exited {time.monotonic() - started:.1f} s after SIGTERM")
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
            log.close()

        [run] = instance.get_runs()
        events = _step_events(instance, run.run_id, "invoice_text")
        # Stopped where it was: one attempt, failed, never retried.
        assert events.count("STEP_START") == 1, events
        assert "STEP_UP_FOR_RETRY" not in events and "STEP_SUCCESS" not in events, events
        assert "STEP_FAILURE" in events, events
        assert instance.get_run_by_id(run.run_id).status == dg.DagsterRunStatus.FAILURE
