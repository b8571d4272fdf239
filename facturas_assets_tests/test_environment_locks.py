"""Every environment installs from a complete lock, and the check names any drift from it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CHECK = REPO / "scripts" / "check_env.py"


def _check(lock: Path) -> subprocess.CompletedProcess[str]:
    """The environment check run by this interpreter's environment (.venv) against `lock`."""
    return subprocess.run(
        [sys.executable, str(CHECK), str(lock)], capture_output=True, text=True, check=False
    )


def _pins(lock: Path) -> list[str]:
    return [line for line in lock.read_text().splitlines() if "==" in line]


def test_the_test_environment_matches_its_lock() -> None:
    result = _check(REPO / "requirements.lock")
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (lambda pins: ["six==0.0.1" if p.startswith("six==") else p for p in pins], "six "),
        (lambda pins: [p for p in pins if not p.startswith("six==")], "not in the lock: six=="),
        (lambda pins: [*pins, "left-pad-never-installed==1.0"], "missing: left-pad"),
    ],
    ids=["other-version", "unpinned", "missing"],
)
def test_one_package_off_its_lock_fails_with_one_line_naming_it(
    tmp_path: Path, change, named: str
) -> None:
    lock = tmp_path / "requirements.lock"
    lock.write_text("\n".join(change(_pins(REPO / "requirements.lock"))) + "\n")
    result = _check(lock)
    assert result.returncode == 1
    assert len(result.stdout.strip().splitlines()) == 1
    assert named in result.stdout


@pytest.mark.parametrize(
    "lock", ["requirements.lock", "requirements-checkov.lock", "requirements-airflow.lock"]
)
def test_every_lock_pins_each_distribution_and_the_installer_tools(lock: str) -> None:
    pins = _pins(REPO / lock)
    assert pins and all(re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[^=\s]+", p) for p in pins)
    names = {p.split("==")[0].lower() for p in pins}
    assert {"pip", "setuptools"} <= names


def test_the_airflow_environment_is_the_mwaa_version_terraform_deploys() -> None:
    wanted = re.search(
        r'variable "airflow_version".*?default\s*=\s*"([^"]+)"',
        (REPO / "terraform" / "variables.tf").read_text(),
        re.S,
    )
    assert wanted, "terraform/variables.tf declares no airflow_version default"
    pinned = {
        p.split("==")[0].lower(): p.split("==")[1]
        for p in _pins(REPO / "requirements-airflow.lock")
    }
    assert pinned["apache-airflow"] == wanted.group(1)
    for requirement in _pins(REPO / "mwaa" / "requirements.txt"):
        name, version = requirement.split("==")
        assert pinned[name.lower()] == version, f"{name}: MWAA installs {version}"
