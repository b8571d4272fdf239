"""training_job: reviewed invoices, data set, classifier and feature baseline in one run (the old
training task size)."""

import dagster as dg

from facturas_assets.defs.training.baseline import feature_baseline
from facturas_assets.defs.training.classifier_asset import invoice_classifier
from facturas_assets.defs.training.dataset import training_dataset
from facturas_assets.defs.training.reviewed import reviewed_corrections

# The old ECS training task: 8 vCPU, 32 GB (read by the EcsRunLauncher in prod).
TRAINING_TASK_TAGS = {"ecs/cpu": "8192", "ecs/memory": "32768"}

training_job = dg.define_asset_job(
    "training_job",
    selection=dg.AssetSelection.assets(
        reviewed_corrections, training_dataset, invoice_classifier, feature_baseline
    ),
    tags=TRAINING_TASK_TAGS,
    executor_def=dg.in_process_executor,  # a chain of four steps: one process, one TF import
    description=(
        "Gather the reviewed invoices, read the labelled ones, train and gate the classifier, "
        "rebuild the baseline."
    ),
)
