"""The training domain: reviewed_corrections -> training_dataset -> invoice_classifier ->
feature_baseline, its job and sensors."""

import dagster as dg

from facturas_assets.defs.training.automation import training_automation_sensor
from facturas_assets.defs.training.baseline import feature_baseline
from facturas_assets.defs.training.classifier_asset import invoice_classifier
from facturas_assets.defs.training.dataset import training_dataset
from facturas_assets.defs.training.jobs import training_job
from facturas_assets.defs.training.reviewed import reviewed_corrections
from facturas_assets.defs.training.sensors import labelled_data_sensor
from facturas_assets.training.champion import load_champion

defs = dg.Definitions(
    assets=[reviewed_corrections, training_dataset, invoice_classifier, feature_baseline],
    jobs=[training_job],
    sensors=[labelled_data_sensor, training_automation_sensor],
)

__all__ = [
    "defs",
    "feature_baseline",
    "invoice_classifier",
    "labelled_data_sensor",
    "load_champion",
    "reviewed_corrections",
    "training_dataset",
    "training_automation_sensor",
    "training_job",
]
