"""What every batch-partitioned asset shares: the `lote` partitions, owner and run tags."""

import dagster as dg

batch_partitions = dg.DynamicPartitionsDefinition(name="lote")

OWNER = "team:data-platform"
ETL_JOB_NAME = "invoice_etl_job"

# Run tags of a batch: queue limits for OCR-heavy runs, and the Fargate size of each run.
ETL_RUN_TAGS = {"facturas/ocr": "heavy", "ecs/cpu": "2048", "ecs/memory": "8192"}
