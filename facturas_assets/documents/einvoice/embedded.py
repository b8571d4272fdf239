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
# A catalog's /AF array or reference, or an EmbeddedFiles name tree: only then is pypdf asked
# (a plain PDF pays nothing). A catalog inside a compressed object stream shows neither; pdfium
# still reads its name tree, but files listed only in its /AF are not looked for.
_MAY_HAVE_FILES = re.compile(rb"/AF\s*(\[|\d+\s+\d+\s+R)|/EmbeddedFiles")


def embedded_xml(doc: pdfium.PdfDocument, data: bytes | None = None) -> tuple[str, bytes] | None:
    """(name, bytes) of the e-invoice XML attached to the PDF, or None.

    Looks in the EmbeddedFiles name tree with pdfium (cheap, the document is already open); when
    that gives nothing usable and the file mentions an /AF array or embedded files, asks pypdf,
    which also reads associated files and file specs pdfium cannot read.
    """
    found = _pdfium_attachments(doc)
    if not found and data is not None and _MAY_HAVE_FILES.search(data):
        found = _pypdf_files(data)
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


def _pypdf_files(data: bytes) -> list[tuple[str, bytes]]:
    """XML files of the catalog's /AF array (PDF/A-3) and EmbeddedFiles name tree, via pypdf."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        root = PdfReader(io.BytesIO(data)).trailer["/Root"]
        specs = [("", ref) for ref in (root.get("/AF") or [])]
        names = root.get("/Names")
        if names is not None:
            specs += _name_tree(names.get_object().get("/EmbeddedFiles"))
        result = []  # a spec listed in both places gives the same name: embedded_xml keeps one
        for index, (key, ref) in enumerate(specs):
            spec = ref.get_object()
            # A name object (not a string) reads as "/name.xml": drop the slash.
            name = str(spec.get("/UF") or spec.get("/F") or key).lstrip("/")
            ef = spec.get("/EF")
            if ef is None or (name and not name.lower().endswith(".xml")):
                continue
            blob = (ef.get("/UF") or ef.get("/F")).get_object().get_data()
            named = _xml_name(name, blob, index)
            if named and len(blob) <= MAX_ATTACHMENT_BYTES:
                result.append((named, blob))
        return result
    except (PyPdfError, KeyError, AttributeError, TypeError, ValueError, RecursionError):
        return []


def _name_tree(node: object, depth: int = 0) -> list[tuple[str, object]]:
    """(key, file spec) pairs of a PDF name tree (leaves' /Names, then /Kids, 8 levels at most)."""
    if node is None or depth > 8:
        return []
    node = node.get_object()  # type: ignore[attr-defined]
    pairs = list(node.get("/Names") or [])
    found = [(str(pairs[i]), pairs[i + 1]) for i in range(0, len(pairs) - 1, 2)]
    for kid in node.get("/Kids") or []:
        found += _name_tree(kid, depth + 1)
    return found
