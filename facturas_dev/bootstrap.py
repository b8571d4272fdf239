"""First run: make sure a champion classifier exists (the CLI's main job calls ensure_champion).

With no champion in the models store, labelled invoices are generated into the Drive training
folders (unless labelled data is already there) and training_job runs once, on the instance given
(the demo's local one, so the UI shows the model it trained). The model still has to pass the
gate's floor to become champion.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import dagster as dg

from facturas_assets.defs.training import defs as training_domain
from facturas_assets.defs.training.jobs import training_job
from facturas_assets.resources.mlflow_tracking import MLflowResource
from facturas_assets.training.champion import champion_info
from facturas_assets.training.labelled_files import SPLIT_FOLDERS
from facturas_dev.sample import seed_labelled_data

DEFAULT_INVOICES = 300
# Text PDFs read in milliseconds; scans would make the first run wait on OCR.
DEFAULT_RENDERINGS = ("text-pdf",)


@dataclass(frozen=True)
class BootstrapResult:
    """What ensure_champion did."""

    created: bool  # True when this call trained a model
    champion_version: str | None
    generated: int = 0
    run_id: str | None = None
    gate: str | None = None


def ensure_champion(
    resources: Mapping[str, Any],
    *,
    n: int = DEFAULT_INVOICES,
    seed: int = 0,
    instance: dg.DagsterInstance | None = None,
    renderings: Sequence[str] | None = DEFAULT_RENDERINGS,
    run_config: Mapping[str, Any] | None = None,
) -> BootstrapResult:
    """Train a first classifier when the models store has no champion; a no-op otherwise."""
    resources = dict(resources)
    resources.setdefault("mlflow", MLflowResource())
    store, drive = resources["models_store"], resources["drive"]
    info = champion_info(store)
    if info is not None:
        return BootstrapResult(created=False, champion_version=str(info.get("version")))
    has_data = any(drive.list_files(folder, True) for folder in SPLIT_FOLDERS.values())
    generated = 0 if has_data else seed_labelled_data(drive, n, seed, renderings)
    job = dg.Definitions(
        # The training domain's own assets, so the job's selection always resolves.
        assets=list(training_domain.assets or []),
        jobs=[training_job],
        resources=resources,
    ).resolve_job_def(training_job.name)
    result = job.execute_in_process(
        instance=instance, run_config=dict(run_config or {}), raise_on_error=False
    )
    info = champion_info(store)
    gate = None
    for event in result.get_asset_materialization_events():
        if event.asset_key == dg.AssetKey("invoice_classifier"):
            gate = str(event.materialization.metadata["gate"].value)
    if not result.success and info is None:
        raise RuntimeError(
            f"bootstrap training run {result.run_id} failed and no champion exists; "
            "see the run's logs"
        )
    return BootstrapResult(
        created=True,
        champion_version=None if info is None else str(info.get("version")),
        generated=generated,
        run_id=result.run_id,
        gate=gate,
    )
