"""The ETL domain: per-batch assets from text to MySQL and Drive, their checks, the ETL job."""

import dagster as dg

from facturas_assets.defs.batches import ETL_JOB_NAME, ETL_RUN_TAGS, batch_partitions
from facturas_assets.defs.etl.alerts import failure_alert_sensor
from facturas_assets.defs.etl.assets import etl_assets

invoice_etl_job = dg.define_asset_job(
    ETL_JOB_NAME,
    selection=dg.AssetSelection.groups("ingestion", "etl"),
    partitions_def=batch_partitions,
    tags=ETL_RUN_TAGS,
    # A straight chain of steps: one process per run (each its own ECS task in prod) instead of
    # a process per step that imports TensorFlow again.
    executor_def=dg.in_process_executor,
    description="One batch (lote) from landing to MySQL and Drive.",
)

defs = dg.Definitions(assets=etl_assets, jobs=[invoice_etl_job], sensors=[failure_alert_sensor])
