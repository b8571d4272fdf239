"""Jobs with the production run tags of the real jobs, for launching through EcsRunLauncher."""

import dagster as dg


@dg.op
def noop() -> int:
    """Does nothing: the run is launched, never executed, in these tests."""
    return 1


@dg.job(tags={"ecs/cpu": "8192", "ecs/memory": "32768"})
def training_job() -> None:
    """Stands for the 8 vCPU / 32 GB training job."""
    noop()


@dg.job(tags={"facturas/ocr": "heavy", "ecs/cpu": "2048", "ecs/memory": "8192"})
def invoice_etl_job() -> None:
    """Stands for the OCR-heavy per-batch ETL job."""
    noop()


@dg.job
def drift_job() -> None:
    """Stands for a job without resource tags (it gets the launcher's run_resources)."""
    noop()


defs = dg.Definitions(jobs=[training_job, invoice_etl_job, drift_job])
