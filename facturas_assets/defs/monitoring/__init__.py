"""The monitoring domain: the weekly drift report, its schedule, and retraining on drift.

drift_report compares the invoices loaded since the last report with the feature baseline
(written by feature_baseline in the training domain) and stores report.json / report.html under
`drift/<date>/` in the drift bucket (`textil-drift-data`). drift_schedule runs it on Sundays at
03:00 Europe/Madrid. retraining_sensor starts training_job once per report whose verdict is drift;
the champion gate of invoice_classifier then decides whether the new model is promoted.
"""

import dagster as dg

from facturas_assets.defs.monitoring.assets import drift_report
from facturas_assets.defs.monitoring.schedules import drift_job, drift_schedule
from facturas_assets.defs.monitoring.sensors import retraining_sensor

defs = dg.Definitions(
    assets=[drift_report],
    jobs=[drift_job],
    schedules=[drift_schedule],
    sensors=[retraining_sensor],
)

__all__ = ["defs", "drift_job", "drift_report", "drift_schedule", "retraining_sensor"]
