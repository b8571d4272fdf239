"""What a user sees after `make demo`: the Dagster UI in headless Chromium, and a quiet CLI.

`facturas demo` runs once (module fixture) on an empty FACTURAS_HOME, exactly as `make demo`
starts it; then dagster-webserver opens the instance the demo used.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from facturas_assets_tests import services
from facturas_dev.cdp import CHROMIUM, chromium

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
BIN = Path(sys.executable).parent
TRAINING = ("reviewed_corrections", "training_dataset", "invoice_classifier", "feature_baseline")
ALL_ASSETS = (*TRAINING, "raw_invoices", "invoice_text", "classified_invoices", "reading_memory",
              "invoice_tables", "invoice_rows", "drive_archive", "drift_report")  # fmt: skip

ASSETS_QUERY = """{ assetNodes { assetKey { path } dependencyKeys { path }
  assetMaterializations(limit: 1) { runId partition metadataEntries {
    label ... on MarkdownMetadataEntry { mdStr } ... on UrlMetadataEntry { url } } } } }"""
RUNS_QUERY = "{ runsOrError { ... on Runs { results { jobName status } } } }"


def _user_env(home: Path) -> dict[str, str]:
    """A user's shell: the test session's own TensorFlow and Dagster settings left out."""
    env = {k: v for k, v in os.environ.items() if k not in ("DAGSTER_HOME", "TF_CPP_MIN_LOG_LEVEL")}
    return {**env, "FACTURAS_HOME": str(home), "FACTURAS_ENV": "local"}


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An environment after `facturas demo` (a first model, one batch, a drift report)."""
    work = tmp_path_factory.mktemp("demo")
    home = work / "home"
    done = subprocess.run(
        [str(BIN / "facturas"), "demo", "--n", "6"],
        cwd=work, env=_user_env(home), capture_output=True, text=True, timeout=1500,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "drift report: insufficient_data (every feature: not enough data)" in done.stdout
    assert re.search(r"of them waiting for review: \d+\n", done.stdout), done.stdout[-3000:]
    return home


def _graphql(base: str, query: str) -> dict:
    """A GraphQL query against the test's webserver."""
    return services.dagster_graphql(base, query)


@pytest.fixture
def webserver(demo_home: Path) -> Iterator[str]:
    """dagster-webserver over the demo's instance; yields its base URL once the code has loaded."""
    port = services.free_port()
    web = subprocess.Popen(
        [str(BIN / "dagster-webserver"), "-w", str(REPO / "workspace.yaml"),
         "-h", "127.0.0.1", "-p", str(port)],
        env={**_user_env(demo_home), "DAGSTER_HOME": str(demo_home / "dagster")},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        services.wait_for_port("127.0.0.1", port, timeout=180)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:  # the port opens before the code location loads
            try:
                if _graphql(base, ASSETS_QUERY).get("data", {}).get("assetNodes"):
                    break
            except OSError:
                pass
            time.sleep(1)
        _graphql(base, "mutation { setNuxSeen }")  # no first-visit dialog over the page
        yield base
    finally:
        web.terminate()
        web.wait(timeout=60)


def _wait_for_text(page, names: tuple[str, ...], timeout: float = 90) -> str:
    """The page's text once it shows every name and nothing is loading (or at the timeout)."""
    deadline = time.monotonic() + timeout
    while True:
        text = page.text()
        ready = all(n in text for n in names) and "Loading..." not in text
        if ready or time.monotonic() > deadline:
            return text
        time.sleep(1)


def _keep(shot: Path) -> None:
    assert shot.stat().st_size > 20_000, f"{shot.name} is an empty page"
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(shot, ARTIFACTS / f"demo-{shot.name}")
    print(f"screenshot: {shot}")


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (make setup)")
def test_the_ui_after_the_demo_shows_both_lineages_joined_and_what_ran(
    webserver: str, demo_home: Path, tmp_path: Path
) -> None:
    nodes = {
        "/".join(n["assetKey"]["path"]): n
        for n in _graphql(webserver, ASSETS_QUERY)["data"]["assetNodes"]
    }
    assert set(nodes) == set(ALL_ASSETS)
    deps = {k: {"/".join(d["path"]) for d in n["dependencyKeys"]} for k, n in nodes.items()}
    # The lineages join twice: the model classifies the batch, the report reads both.
    assert "invoice_classifier" in deps["classified_invoices"]
    assert deps["drift_report"] == {"feature_baseline", "invoice_rows"}
    for key in ALL_ASSETS:
        assert nodes[key]["assetMaterializations"], f"{key} shows as never materialized"
    assert nodes["invoice_rows"]["assetMaterializations"][0]["partition"]  # the batch

    [report] = nodes["drift_report"]["assetMaterializations"]
    entries = {e["label"]: e for e in report["metadataEntries"]}
    html = entries["report_html"]["url"]
    assert f"[Open the HTML report]({html})" in entries["summary"]["mdStr"]
    assert "not enough data" in entries["summary"]["mdStr"]
    assert "stable" not in entries["summary"]["mdStr"]
    assert (
        "not enough data" in Path(urllib.request.url2pathname(html[len("file://") :])).read_text()
    )

    runs = _graphql(webserver, RUNS_QUERY)["data"]["runsOrError"]["results"]
    assert {(r["jobName"], r["status"]) for r in runs} == {
        ("training_job", "SUCCESS"),
        ("invoice_etl_job", "SUCCESS"),
        ("drift_job", "SUCCESS"),
    }

    with chromium(tmp_path / "profile") as page:
        page.send("Emulation.setDeviceMetricsOverride", width=1800, height=1100,
                  deviceScaleFactor=1, mobile=False)  # fmt: skip
        lineage = (
            f"{webserver}/assets/drift_report?view=lineage&lineageScope=upstream&lineageDepth=10"
        )
        page.navigate(lineage)
        text = _wait_for_text(page, ("raw_invoices", "training_dataset", "ingestion"))
        for group in ("ingestion", "etl", "training", "monitoring"):
            assert group in text, f"group {group} missing from the drift report's lineage"
        for key in ALL_ASSETS:
            if key != "drive_archive":  # downstream of invoice_rows, not upstream of the report
                # Long names are cut in the middle ("revie…_corrections"): both ends stay.
                assert key[:5] in text and key[-5:] in text, f"{key} missing from the lineage"
        time.sleep(2)  # let the graph settle before the picture
        _keep(page.screenshot(tmp_path / "lineage.png"))

        page.navigate(f"{webserver}/assets")
        text = _wait_for_text(page, ("drift_report", "Materialized"))
        assert "Never materialized" not in text
        assert text.count("Materialized") >= 4  # the three training assets and the report
        _keep(page.screenshot(tmp_path / "catalog.png", full_page=False))

        # The report's materialization: every feature "not enough data", a link to its own page.
        page.navigate(f"{webserver}/assets/drift_report?view=events")
        text = _wait_for_text(page, ("feature_status", "report_html", html))
        assert html in text and "not enough data" in text and "stable" not in text
        _keep(page.screenshot(tmp_path / "drift-report.png", full_page=False))


@pytest.mark.slow
def test_classify_with_the_demo_champion_prints_only_its_answer(
    demo_home: Path, tmp_path: Path
) -> None:
    from facturas_dev.synth import generate

    [invoice] = generate(1, tmp_path / "gen", seed=5, renderings=["text-pdf"])
    command = [str(BIN / "facturas"), "classify", str(invoice.path)]
    quiet = subprocess.run(
        command, env=_user_env(demo_home), capture_output=True, text=True, timeout=300
    )
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stderr == "", "TensorFlow's start-up notices reached the terminal"
    assert json.loads(quiet.stdout)["category"] == invoice.truth["category"]

    # --verbose shows them: the quiet run above did load TensorFlow, and kept it quiet.
    verbose = subprocess.run(
        [command[0], "--verbose", *command[1:]],
        env=_user_env(demo_home), capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert verbose.returncode == 0
    assert "oneDNN" in verbose.stderr or "cpu_feature_guard" in verbose.stderr, verbose.stderr
