"""training_automation_sensor: carries out the training assets' automation conditions.

invoice_classifier and feature_baseline follow their upstream asset when it is materialized
without them (training_job builds all three in one run, so its runs start nothing more). A named
sensor rather than Dagster's default one: its runs carry training_job's Fargate size, and it is on
by default like the rest of the platform's automation.
"""

import dagster as dg

from facturas_assets.defs.training.baseline import feature_baseline
from facturas_assets.defs.training.classifier_asset import invoice_classifier
from facturas_assets.defs.training.jobs import TRAINING_TASK_TAGS

training_automation_sensor = dg.AutomationConditionSensorDefinition(
    "training_automation_sensor",
    target=dg.AssetSelection.assets(invoice_classifier, feature_baseline),
    run_tags=TRAINING_TASK_TAGS,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Retrains or rebuilds the baseline when an upstream training asset was "
    "materialized on its own.",
)
