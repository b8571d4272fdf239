"""Schemathesis over the API's OpenAPI document, against the live server (launches are real runs
on a Dagster that keeps them queued): no 5xx, and every answer conforms to the document."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from facturas_assets_tests.compat import servers

MAX_EXAMPLES = 10


@pytest.mark.slow
def test_schemathesis_finds_no_server_error_or_schema_violation(
    api_queue_only: servers.ApiServer, compat_root: Path
) -> None:
    api = api_queue_only
    report = compat_root / "schemathesis"
    result = subprocess.run(
        [
            str(servers.BIN / "st"),
            "run",
            f"{api.url}/openapi.json",
            "--header",
            f"Authorization: Bearer {api.token}",
            "--checks",
            "all",
            "--max-examples",
            str(MAX_EXAMPLES),
            "--seed",
            "7",
            "--workers",
            "1",
            "--request-timeout",
            "30",
            "--generation-database",
            "none",
            "--no-color",
            "--report",
            "junit",
            "--report-dir",
            str(report),
        ],
        cwd=compat_root,  # schemathesis keeps its caches in the working directory
        capture_output=True,
        text=True,
        timeout=600,
    )
    summary = result.stdout[-3000:]
    print(summary)
    (compat_root / "schemathesis-summary.txt").write_text(result.stdout)
    assert result.returncode == 0, summary + result.stderr[-2000:]
    found = re.search(r"(\d+) generated, (\d+) passed", result.stdout)
    assert found and int(found[1]) > 0 and found[1] == found[2], summary
    assert "No issues found" in result.stdout, summary
