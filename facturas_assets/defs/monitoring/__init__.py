"""The monitoring domain: the weekly drift report, its schedule, and retraining on drift.

drift_report compares the invoices loaded since the last report with the feature baseline
(written by feature_baseline in the training domain) and stores report.json / report.html under
`drift/<date>/<time>-<run>/` in the drift bucket (`textil-drift-data`), one folder per report.
drift_schedule runs it on Sundays at 03:00 Europe/Madrid, and drift_automation_sensor after each new
feature baseline. retraining_sensor starts training_job once per report whose verdict is drift;
the champion gate of invoice_classifier then decides whether the new model is promoted.
"""

import dagster as dg

from facturas_assets.defs.monitoring.assets import drift_report
from facturas_assets.defs.monitoring.schedules import drift_job, drift_schedule
from facturas_assets.defs.monitoring.sensors import drift_automation_sensor, retraining_sensor

defs = dg.Definitions(
    assets=[drift_report],
    jobs=[drift_job],
    schedules=[drift_schedule],
    sensors=[retraining_sensor, drift_automation_sensor],
)

__all__ = [
    "defs",
    "drift_automation_sensor",
    "drift_job",
    "drift_report",
    "drift_schedule",
    "retraining_sensor",
]
