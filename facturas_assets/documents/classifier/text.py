"""The text the classifier reads from a document, whatever way it was read."""

from __future__ import annotations

from facturas_assets.documents.model import InvoiceData, ReadDocument
from facturas_assets.documents.valid_text import valid_unicode


def einvoice_text(data: InvoiceData) -> str:
    """Parties and line descriptions of a structured e-invoice, as plain text lines."""
    parts = [data.seller.name or "", data.buyer.name or ""]
    parts += [line.description or "" for line in data.lines]
    return "\n".join(p for p in parts if p)


def classifier_text(doc: ReadDocument) -> str:
    """The page text, or for an XML e-invoice without pages the text of its fields (valid
    Unicode whoever built the document: TensorFlow refuses a string it cannot encode)."""
    text = doc.text
    if not text.strip() and doc.einvoice is not None:
        text = einvoice_text(doc.einvoice)
    return valid_unicode(text)
