"""The one Definitions object: what a user sees in the UI, pinned down (names are contracts)."""

from __future__ import annotations

import difflib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import dagster as dg

from facturas_assets.definitions import defs
from facturas_assets_tests.definitions_snapshot import (
    SNAPSHOT_PATH,
    UPDATE_ENV,
    definitions_snapshot,
    render,
)

REPO_ROOT = Path(__file__).resolve().parents[1]

ASSET_GROUPS = {
    "raw_invoices": "ingestion",
    "invoice_text": "etl",
    "classified_invoices": "etl",
    "reading_memory": "etl",
    "invoice_tables": "etl",
    "invoice_rows": "etl",
    "drive_archive": "etl",
    "reviewed_corrections": "training",
    "training_dataset": "training",
    "invoice_classifier": "training",
    "feature_baseline": "training",
    "drift_report": "monitoring",
}


def _graph() -> dict[str, dg.AssetSpec]:
    return {spec.key.to_user_string(): spec for spec in defs.resolve_all_asset_specs()}


def test_asset_graph_and_groups():
    specs = _graph()
    assert {k: s.group_name for k, s in specs.items()} == ASSET_GROUPS
    chain = ["raw_invoices", "invoice_text", "classified_invoices", "invoice_tables",
             "invoice_rows", "drive_archive"]  # fmt: skip
    for upstream, downstream in zip(chain, chain[1:], strict=False):
        deps = {d.asset_key.to_user_string() for d in specs[downstream].deps}
        assert upstream in deps, f"{downstream} should depend on {upstream}"


def test_every_asset_is_documented_and_owned():
    for key, spec in _graph().items():
        assert spec.description and "\n" not in spec.description.strip(), key
        assert spec.owners, f"{key} has no owner"
        assert spec.kinds, f"{key} has no kinds"
        assert spec.metadata.get("dagster/code_references"), f"{key} has no code reference"


def test_batch_assets_share_the_lote_partitions():
    specs = _graph()
    for key, group in ASSET_GROUPS.items():
        if group in ("ingestion", "etl"):
            assert specs[key].partitions_def.name == "lote", key


def test_jobs_schedules_and_sensors():
    repo = defs.get_repository_def()
    assert {"invoice_etl_job", "training_job", "drift_job"} <= set(repo.job_names)
    schedules = {s.name: s for s in repo.schedule_defs}
    assert schedules["landing_schedule"].cron_schedule == "0 * * * *"
    assert schedules["drift_schedule"].cron_schedule == "0 3 * * 0"
    sensors = {s.name for s in repo.sensor_defs}
    assert {"landing_sensor", "labelled_data_sensor", "retraining_sensor",
            "failure_alert_sensor"} <= sensors  # fmt: skip
    etl = defs.resolve_job_def("invoice_etl_job")
    assert etl.tags["facturas/ocr"] == "heavy"
    assert defs.resolve_job_def("training_job").tags["ecs/memory"] == "32768"


def test_dagster_validates_the_code_location(tmp_path: Path):
    cli = Path(sys.executable).with_name("dagster")
    done = subprocess.run(
        [str(cli), "definitions", "validate", "-m", "facturas_assets.definitions"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_dg_check_defs_passes(tmp_path: Path):
    cli = Path(sys.executable).with_name("dg")
    # dg reads [tool.dg] from the project root; a scratch DAGSTER_HOME keeps the repo's prod
    # dagster.yaml (MySQL run storage) out of the check.
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "DAGSTER_HOME": str(tmp_path)}
    done = subprocess.run(
        [str(cli), "check", "defs"],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "All definitions loaded successfully" in done.stdout + done.stderr


def test_definitions_match_the_committed_snapshot():
    current = render(definitions_snapshot(defs))
    if os.environ.get(UPDATE_ENV):
        SNAPSHOT_PATH.parent.mkdir(parents=True, exist_ok=True)
        SNAPSHOT_PATH.write_text(current, encoding="utf-8")
    committed = SNAPSHOT_PATH.read_text(encoding="utf-8") if SNAPSHOT_PATH.exists() else ""
    diff = "".join(
        difflib.unified_diff(
            committed.splitlines(keepends=True),
            current.splitlines(keepends=True),
            fromfile=f"committed {SNAPSHOT_PATH.name}",
            tofile="current definitions",
        )
    )
    assert not diff, f"the asset graph changed; if intended, rerun with {UPDATE_ENV}=1\n{diff}"


def test_an_installed_package_loads_without_its_project_file(tmp_path: Path):
    # The Docker image installs the package into site-packages: no pyproject.toml above it.
    site = tmp_path / "site"
    shutil.copytree(
        REPO_ROOT / "facturas_assets",
        site / "facturas_assets",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    code = (
        "import json; from facturas_assets.definitions import defs; "
        "print(json.dumps(sorted(s.key.to_user_string() for s in defs.resolve_all_asset_specs())))"
    )
    env = {
        **os.environ,
        "PYTHONPATH": str(site),
        "DAGSTER_HOME": str(tmp_path),
        "FACTURAS_HOME": str(tmp_path / "home"),
    }
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, env=env,
        timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-1]) == sorted(definitions_snapshot(defs)["assets"])
