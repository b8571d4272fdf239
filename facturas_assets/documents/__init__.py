"""Pure-Python invoice reading, OCR, extraction, validation, e-invoices and the classifier (no Dagster)."""
