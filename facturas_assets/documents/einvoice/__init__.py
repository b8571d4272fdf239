"""Structured e-invoices read exactly: UBL 2.1 / Peppol, CII (Factur-X, ZUGFeRD 1/2), Facturae 3.x."""

from __future__ import annotations

from enum import StrEnum

from lxml import etree

from facturas_assets.documents.einvoice.cii import is_cii, parse_cii
from facturas_assets.documents.einvoice.embedded import embedded_xml
from facturas_assets.documents.einvoice.facturae import is_facturae, parse_facturae
from facturas_assets.documents.einvoice.ubl import is_ubl, parse_ubl
from facturas_assets.documents.einvoice.xmlsafe import parse_xml
from facturas_assets.documents.model import DocumentRejected, InvoiceData

__all__ = [
    "EInvoiceFormat",
    "detect_format",
    "embedded_xml",
    "parse_einvoice",
    "parse_einvoice_root",
    "parse_xml",
]


class EInvoiceFormat(StrEnum):
    """The structured formats the reader understands."""

    UBL = "ubl"
    CII = "cii"
    FACTURAE = "facturae"


def detect_format(root: etree._Element) -> EInvoiceFormat | None:
    """Which e-invoice format a parsed root element is, or None."""
    if is_ubl(root):
        return EInvoiceFormat.UBL
    if is_cii(root):
        return EInvoiceFormat.CII
    if is_facturae(root):
        return EInvoiceFormat.FACTURAE
    return None


_PARSERS = {
    EInvoiceFormat.UBL: parse_ubl,
    EInvoiceFormat.CII: parse_cii,
    EInvoiceFormat.FACTURAE: parse_facturae,
}


def parse_einvoice_root(root: etree._Element) -> tuple[EInvoiceFormat, InvoiceData]:
    """Format and fields of an already safely parsed e-invoice root."""
    fmt = detect_format(root)
    if fmt is None:
        qname = etree.QName(root)
        raise DocumentRejected(
            "unsupported_xml",
            f"XML root <{qname.localname}> in namespace {qname.namespace or '(none)'} is not "
            "UBL 2.1, CII (Factur-X / ZUGFeRD) or Facturae 3.x",
        )
    return fmt, _PARSERS[fmt](root)


def parse_einvoice(xml: bytes) -> tuple[EInvoiceFormat, InvoiceData]:
    """Format and fields of an e-invoice XML, every stated field with confidence 1.0."""
    return parse_einvoice_root(parse_xml(xml))
