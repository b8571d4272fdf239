"""The landing bucket's lifecycle in Terraform names exactly the zones the pipeline writes."""

from __future__ import annotations

import re
from pathlib import Path

from facturas_assets.pipeline import keys

STORAGE_MODULE = Path(__file__).resolve().parents[2] / "terraform" / "modules" / "storage"
KEPT_ZONES = ("raw/", "quarantine/", "batches/")  # never expire: originals, rejects, manifests


def _landing_zones() -> dict[str, str]:
    """prefix -> its settings text, from the `landing_zones` map of the storage module."""
    text = (STORAGE_MODULE / "main.tf").read_text()
    block = re.search(r"landing_zones = \{\n(.*?)\n  \}\n", text, re.DOTALL)
    assert block, "modules/storage/main.tf declares no landing_zones map"
    return dict(re.findall(r'^\s*"([^"]*)"\s*=\s*(\{[^}\n]*\})', block.group(1), re.MULTILINE))


def test_every_prefix_of_the_pipeline_has_a_lifecycle_decision() -> None:
    zones = _landing_zones()
    assert set(zones) == set(keys.PLATFORM_PREFIXES)
    for prefix in KEPT_ZONES:
        assert "expire_days = null" in zones[prefix], f"{prefix} must never expire"
