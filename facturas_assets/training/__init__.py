"""Classifier training domain code (pure Python, no Dagster): dataset store, gate, champion, registry."""
