"""A local environment with a real (small) champion classifier, and landing helpers."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest

from facturas_assets.db import migrate
from facturas_assets.defs import etl, ingestion
from facturas_assets.defs.batches import ETL_JOB_NAME, batch_partitions
from facturas_assets.resources import build_resources
from facturas_assets.training.champion import CHAMPION_PREFIX
from facturas_dev.sample import publish_sample_champion
from facturas_dev.synth import HELD_OUT_LAYOUTS, generate


@pytest.fixture(scope="session")
def champion_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small Keras classifier trained once per session on generated invoices, published as
    champion into a models bucket folder that each test copies."""
    from facturas_assets.resources.object_store import LocalObjectStore

    root = tmp_path_factory.mktemp("champion")
    store = LocalObjectStore(bucket="textil-modelos", root=str(root / "buckets"))
    publish_sample_champion(
        store, root / "train", n=160, seed=11, epochs=8, exclude_layouts=HELD_OUT_LAYOUTS
    )
    assert store.exists(f"{CHAMPION_PREFIX}/model.keras")
    return root / "buckets" / "textil-modelos"


@pytest.fixture
def local_resources(facturas_home: Path, champion_dir: Path) -> dict:
    """The local resources of an empty environment that already has a champion model."""
    shutil.copytree(champion_dir, facturas_home / "buckets" / "textil-modelos")
    resources = build_resources()
    migrate.upgrade(resources["database"].engine())
    return resources


def etl_job(resources: dict) -> dg.JobDefinition:
    """The ETL job bound to the given resources."""
    defs = dg.Definitions.merge(ingestion.defs, etl.defs, dg.Definitions(resources=resources))
    return defs.resolve_job_def(ETL_JOB_NAME)


def run_batch(
    resources: dict,
    lote: str,
    landing_keys: list[str],
    instance: dg.DagsterInstance,
    selection: list[str] | None = None,
) -> dg.ExecuteInProcessResult:
    """Run the ETL job (or a selection of its assets) for one batch, in process."""
    if not instance.has_dynamic_partition(batch_partitions.name, lote):
        instance.add_dynamic_partitions(batch_partitions.name, [lote])
    job = etl_job(resources)
    return job.execute_in_process(
        instance=instance,
        partition_key=lote,
        run_config={"ops": {"raw_invoices": {"config": {"landing_keys": landing_keys}}}},
        asset_selection=[dg.AssetKey(a) for a in selection] if selection else None,
        raise_on_error=False,
    )


@pytest.fixture
def instance() -> Iterator[dg.DagsterInstance]:
    with dg.instance_for_test() as inst:
        yield inst


def land_generated(store, tmp: Path, n: int, seed: int, renderings) -> list[str]:
    """Generate invoices and drop them into landing; returns their landing keys."""
    keys = []
    for inv in generate(n, tmp / f"gen-{seed}", seed=seed, renderings=renderings):
        key = f"s{seed}-{inv.path.name}"  # unique across calls with different seeds
        store.write_bytes(key, inv.path.read_bytes())
        keys.append(key)
    return keys
