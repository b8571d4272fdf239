"""process_invoices_etl_aws: every hour, open a batch of the landing files and run the Dagster ETL.

The batch (a new `lote` partition) takes what sits in the landing bucket when its run starts, at
most `max_files` files; files already claimed by another batch are skipped, so this DAG and the
Dagster landing sensor never load a file twice.
"""

from datetime import timedelta

import pendulum
from airflow import DAG
from airflow.models.param import Param
from facturas_dagster.operator import DagsterJobOperator

with DAG(
    dag_id="process_invoices_etl_aws",
    description="Hourly: a new batch of landing invoices through the Dagster ETL (invoice_etl_job).",
    schedule="@hourly",
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    default_args={"owner": "data-platform", "retries": 2, "retry_delay": timedelta(minutes=2)},
    params={
        "max_files": Param(
            500, type="integer", minimum=1, maximum=10_000, description="Most files in the batch."
        )
    },
    tags=["facturas", "dagster", "etl"],
) as dag:
    DagsterJobOperator(
        task_id="process_invoices",
        job_name="invoice_etl_job",
        new_batch=True,
        # Empty landing_keys: the batch lists landing itself when it starts.
        run_config={"ops": {"raw_invoices": {"config": {"landing_keys": []}}}},
        config_from_params={"raw_invoices": ["max_files"]},
        wait_timeout=timedelta(hours=2),
    )
