"""Parse untrusted XML without DTDs, entities or network access."""

from __future__ import annotations

import re

from lxml import etree

from facturas_assets.documents.model import DocumentRejected

MAX_XML_BYTES = 50 * 1024 * 1024  # e-invoices are kilobytes; anything this big is not one
_ROOT_TAG = re.compile(rb"<[A-Za-z_]")  # the first start tag ends the prolog


def _parser() -> etree.XMLParser:
    """A parser that never resolves entities, loads DTDs or touches the network."""
    return etree.XMLParser(
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse_xml(data: bytes) -> etree._Element:
    """The root element of an XML document; DOCTYPEs and entities are refused, never resolved."""
    if not data.strip():
        raise DocumentRejected("empty_file", "the XML file is empty")
    if len(data) > MAX_XML_BYTES:
        raise DocumentRejected(
            "malformed_xml", f"the XML is {len(data)} bytes, above the {MAX_XML_BYTES} limit"
        )
    if _declares_dtd(data):
        raise DocumentRejected(
            "xml_forbidden_construct",
            "the XML declares a DOCTYPE/ENTITY (external references and entities are never "
            "resolved; e-invoices do not use DTDs)",
        )
    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as exc:
        # libxml2 reports entity tricks (amplification, undeclared references after a DOCTYPE)
        # as syntax errors; name them as forbidden when the document declares a DTD.
        if b"<!DOCTYPE" in data[:65536] or b"<!ENTITY" in data[:65536]:
            raise DocumentRejected(
                "xml_forbidden_construct",
                f"the XML declares a DTD/entities, which e-invoices never use ({exc})",
            ) from None
        raise DocumentRejected("malformed_xml", f"the XML is not well-formed ({exc})") from None
    except ValueError as exc:  # e.g. an encoding declaration lxml refuses
        raise DocumentRejected("malformed_xml", f"the XML cannot be parsed ({exc})") from None
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise DocumentRejected(
            "xml_forbidden_construct",
            "the XML declares a DOCTYPE (entities / external references are never resolved; "
            "e-invoices do not use DTDs)",
        )
    if _has_entity_refs(root):
        raise DocumentRejected("xml_forbidden_construct", "the XML uses entity references")
    return root


def _declares_dtd(data: bytes) -> bool:
    """Whether the prolog holds a DOCTYPE or ENTITY declaration (checked before parsing)."""
    head = data[:65536]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", "ignore").encode("utf-8", "replace")
    elif head[:4] in (b"\x00<\x00?", b"<\x00?\x00"):  # UTF-16 without a BOM
        head = head.decode("utf-16-be" if head[0] == 0 else "utf-16-le", "ignore").encode()
    root = _ROOT_TAG.search(head)
    prolog = (head[: root.start()] if root else head).upper()
    return b"<!DOCTYPE" in prolog or b"<!ENTITY" in prolog


def _has_entity_refs(root: etree._Element) -> bool:
    """Whether unresolved entity reference nodes survived parsing."""
    return any(isinstance(node, etree._Entity) for node in root.iter(etree.Entity))
