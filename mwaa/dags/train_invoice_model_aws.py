"""train_invoice_model_aws: on demand, build the training data set and train the classifier.

Runs Dagster's training_job (training_dataset -> invoice_classifier -> feature_baseline); the
champion gate inside it decides whether the new model replaces the current one.
"""

from datetime import timedelta

import pendulum
from airflow import DAG
from airflow.models.param import Param
from facturas_dagster.operator import DagsterJobOperator

with DAG(
    dag_id="train_invoice_model_aws",
    description="On demand: training data set, classifier and feature baseline (training_job).",
    schedule=None,
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    default_args={"owner": "data-platform", "retries": 1, "retry_delay": timedelta(minutes=5)},
    params={
        "epochs": Param(
            None,
            type=["null", "integer"],
            minimum=1,
            maximum=200,
            description="Maximum training epochs (empty: the job's default).",
        )
    },
    tags=["facturas", "dagster", "training"],
) as dag:
    DagsterJobOperator(
        task_id="train_model",
        job_name="training_job",
        config_from_params={"invoice_classifier": ["epochs"]},
        wait_timeout=timedelta(hours=6),
    )
