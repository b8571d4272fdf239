"""Batch processing steps of the invoice ETL, in plain Python (the Dagster assets call these)."""
