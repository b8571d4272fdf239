"""Template-free field extraction from positioned words: header fields, parties and line items."""

from __future__ import annotations

from facturas_assets.documents.extraction.extract import extract_invoice, extract_pages

__all__ = ["extract_invoice", "extract_pages"]
