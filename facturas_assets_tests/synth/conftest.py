"""A shared generated set: 200 invoices, mostly text PDFs plus a few scans (scans are slow)."""

from __future__ import annotations

from pathlib import Path

import pytest

from facturas_dev.synth import GeneratedInvoice, generate

SEED = 20240315
MIX = {"text-pdf": 0.95, "scan-image": 0.025, "scan-pdf": 0.025}


@pytest.fixture(scope="package")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[GeneratedInvoice]]:
    """200 invoices with a fixed seed in a temporary folder."""
    out = tmp_path_factory.mktemp("synth200")
    return out, generate(200, out, seed=SEED, renderings=MIX, workers=2)
