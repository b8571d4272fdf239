"""The e-invoice XML attached to a PDF (Factur-X / ZUGFeRD / XRechnung hybrid invoices)."""

from __future__ import annotations

import io
import re

import pypdfium2 as pdfium

from facturas_assets.documents.einvoice.cii import is_cii
from facturas_assets.documents.einvoice.facturae import is_facturae
from facturas_assets.documents.einvoice.ubl import is_ubl
from facturas_assets.documents.einvoice.xmlsafe import parse_xml
from facturas_assets.documents.model import DocumentRejected
from facturas_assets.documents.sniff import FileKind, sniff

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
    # Another name (a producer's own, or none readable): the first XML that is an e-invoice,
    # so that a metadata or signature XML attached before it is not taken for the invoice.
    name = next((n for n, blob in xml.items() if _is_einvoice(blob)), next(iter(xml)))
    return name, xml[name]


def _is_einvoice(blob: bytes) -> bool:
    """Whether an attached XML parses safely and its root is a format the reader knows."""
    try:
        root = parse_xml(blob)
    except DocumentRejected:
        return False
    return is_cii(root) or is_ubl(root) or is_facturae(root)


def _pdfium_attachments(doc: pdfium.PdfDocument) -> list[tuple[str, bytes]]:
    """Attachments of the EmbeddedFiles name tree (unreadable ones are skipped)."""
    result = []
    for index in range(doc.count_attachments()):
        try:
            att = doc.get_attachment(index)
            name = att.get_name()
            if name and not name.lower().endswith(".xml"):
                continue
            blob = bytes(att.get_data())
        except pdfium.PdfiumError:
            continue
        named = _xml_name(name, blob, index)
        if named and len(blob) <= MAX_ATTACHMENT_BYTES:
            result.append((named, blob))
    return result


def _xml_name(name: str, blob: bytes, index: int) -> str | None:
    """The attachment's name if it is an XML file, None if it is some other file.

    pdfium gives no name when the file spec writes it as a PDF name object rather than a string
    (real Factur-X producers do): such an attachment is kept when its bytes are XML.
    """
    if name:
        return name if name.lower().endswith(".xml") else None
    return f"attachment-{index + 1}.xml" if sniff(blob) is FileKind.XML else None


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
        for index, ref in enumerate(specs.get_object()):
            spec = ref.get_object()
            # A name object (not a string) reads as "/name.xml": drop the slash.
            name = str(spec.get("/UF") or spec.get("/F") or "").lstrip("/")
            ef = spec.get("/EF")
            if ef is None or (name and not name.lower().endswith(".xml")):
                continue
            blob = (ef.get("/UF") or ef.get("/F")).get_object().get_data()
            named = _xml_name(name, blob, index)
            if named and len(blob) <= MAX_ATTACHMENT_BYTES:
                result.append((named, blob))
        return result
    except (PyPdfError, KeyError, AttributeError, TypeError, ValueError):
        return []
