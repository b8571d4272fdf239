"""The e-invoice XML attached to a PDF (Factur-X / ZUGFeRD / XRechnung hybrid invoices)."""

from __future__ import annotations

import io
import re

import pypdfium2 as pdfium

# Attachment names fixed by the standards, in order of preference.
KNOWN_NAMES = ("factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml", "zugferd.xml")
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
_AF_ARRAY = re.compile(rb"/AF\s*(\[|\d+\s+\d+\s+R)")  # a catalog's /AF array or reference


def embedded_xml(doc: pdfium.PdfDocument, data: bytes | None = None) -> tuple[str, bytes] | None:
    """(name, bytes) of the e-invoice XML attached to the PDF, or None.

    Looks in the EmbeddedFiles name tree with pdfium (cheap, the document is already open); when
    that holds nothing and the file mentions an /AF array, asks pypdf for associated files too.
    """
    found = _pdfium_attachments(doc)
    if not found and data is not None and _AF_ARRAY.search(data):
        found = _pypdf_associated_files(data)
    xml = {name: blob for name, blob in found if name.lower().endswith(".xml")}
    if not xml:
        return None
    by_lower = {name.lower(): name for name in xml}
    for known in KNOWN_NAMES:
        if known in by_lower:
            name = by_lower[known]
            return name, xml[name]
    name = next(iter(xml))
    return name, xml[name]


def _pdfium_attachments(doc: pdfium.PdfDocument) -> list[tuple[str, bytes]]:
    """Attachments of the EmbeddedFiles name tree (unreadable ones are skipped)."""
    result = []
    for index in range(doc.count_attachments()):
        try:
            att = doc.get_attachment(index)
            name = att.get_name()
            if not name.lower().endswith(".xml"):
                continue
            blob = bytes(att.get_data())
        except pdfium.PdfiumError:
            continue
        if len(blob) <= MAX_ATTACHMENT_BYTES:
            result.append((name, blob))
    return result


def _pypdf_associated_files(data: bytes) -> list[tuple[str, bytes]]:
    """Files of the catalog's /AF array (PDF/A-3 associated files), via pypdf."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        specs = reader.trailer["/Root"].get("/AF")
        if specs is None:
            return []
        result = []
        for ref in specs.get_object():
            spec = ref.get_object()
            name = str(spec.get("/UF") or spec.get("/F") or "")
            ef = spec.get("/EF")
            if not name.lower().endswith(".xml") or ef is None:
                continue
            stream = (ef.get("/UF") or ef.get("/F")).get_object()
            blob = stream.get_data()
            if len(blob) <= MAX_ATTACHMENT_BYTES:
                result.append((name, blob))
        return result
    except (PyPdfError, KeyError, AttributeError, TypeError, ValueError):
        return []
