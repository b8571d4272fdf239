"""The Dagster UI in a real browser: headless Chromium shows the asset graph and a batch."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import pytest

from facturas_assets_tests import services
from facturas_assets_tests.etl.conftest import land_generated, run_batch

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
LOTE = "20260103-000000-ui"


def _chromium(tmp: Path, url: str, *args: str) -> str:
    command = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={tmp / 'chromium-profile'}", "--window-size=1600,1000",
        "--virtual-time-budget=30000", *args, url,
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)
    return done.stdout


def _graphql(base: str, query: str) -> dict:
    """A GraphQL query against the test's webserver."""
    return services.dagster_graphql(base, query)


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (make setup)")
def test_ui_shows_the_asset_graph_and_a_materialized_batch(
    local_resources, tmp_path, monkeypatch, facturas_home
):
    dagster_home = tmp_path / "dagster-home"
    dagster_home.mkdir()
    monkeypatch.setenv("DAGSTER_HOME", str(dagster_home))
    store = local_resources["landing_store"]
    names = land_generated(store, tmp_path, 3, seed=41, renderings=["text-pdf"])
    with dg.DagsterInstance.get() as instance:
        assert run_batch(local_resources, LOTE, names, instance).success

    port = services.free_port()
    web = subprocess.Popen(
        [str(Path(sys.executable).with_name("dagster-webserver")), "-w",
         str(REPO / "workspace.yaml"), "-h", "127.0.0.1", "-p", str(port)],
        env={**os.environ, "DAGSTER_HOME": str(dagster_home)},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        services.wait_for_port("127.0.0.1", port, timeout=120)
        base = f"http://127.0.0.1:{port}"
        for _ in range(120):  # the port opens before the code location has loaded
            try:
                if _graphql(base, "{ version }").get("data"):
                    break
            except OSError:
                time.sleep(1)
        _graphql(base, "mutation { setNuxSeen }")  # no first-visit dialog over the page

        graph = _chromium(tmp_path, f"{base}/locations/facturas/asset-groups/etl", "--dump-dom")
        for asset in ("invoice_text", "classified_invoices", "invoice_tables", "invoice_rows"):
            assert asset in graph, f"{asset} missing from the asset graph page"
        batch_url = f"{base}/assets/invoice_rows?view=partitions&partition={LOTE}"
        assert LOTE in _chromium(tmp_path, batch_url, "--dump-dom")

        ARTIFACTS.mkdir(exist_ok=True)
        for name, url in (
            ("asset-graph.png", f"{base}/locations/facturas/asset-groups/etl"),
            ("batch.png", batch_url),
            # the batch's metadata: summary, per-stage seconds and per-category tables
            ("batch-metadata.png", f"{base}/assets/drive_archive?view=partitions&partition={LOTE}"),
        ):
            shot = ARTIFACTS / name
            shot.unlink(missing_ok=True)
            _chromium(tmp_path, url, f"--screenshot={shot}")
            assert shot.stat().st_size > 10_000  # a rendered page, not an empty canvas
    finally:
        web.terminate()
        web.wait(timeout=30)
