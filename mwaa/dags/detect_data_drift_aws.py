"""detect_data_drift_aws: Sundays at 03:00 (Madrid time), the weekly drift report in Dagster.

Runs Dagster's drift_job (drift_report against the feature baseline). Dagster's own
drift_schedule does the same: keep one of the two switched on.
"""

from datetime import timedelta

import pendulum
from airflow import DAG
from facturas_dagster.operator import DagsterJobOperator

with DAG(
    dag_id="detect_data_drift_aws",
    description="Sundays 03:00: the drift report of the invoices loaded since the last one.",
    schedule="0 3 * * 0",
    start_date=pendulum.datetime(2024, 1, 7, tz="Europe/Madrid"),
    catchup=False,
    max_active_runs=1,
    default_args={"owner": "data-platform", "retries": 1, "retry_delay": timedelta(minutes=10)},
    tags=["facturas", "dagster", "monitoring"],
) as dag:
    DagsterJobOperator(
        task_id="detect_drift",
        job_name="drift_job",
        wait_timeout=timedelta(hours=1),
    )
