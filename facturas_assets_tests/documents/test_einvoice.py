"""E-invoices: written from ground truth, read back exactly; hostile XML refused."""

from __future__ import annotations

import copy
import io
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest

from facturas_assets.documents.einvoice import EInvoiceFormat, parse_einvoice
from facturas_assets.documents.model import DocumentRejected, invoice_to_json
from facturas_assets.documents.reader import read_document
from facturas_assets_tests.documents.test_reading import invoice_pdf
from facturas_dev.synth import LAYOUTS, make_invoice
from facturas_dev.synth.einvoices import embed_facturx, to_cii, to_facturae, to_ubl

TRUTH: dict[str, Any] = {
    "invoice_number": "FV/2024/000381",
    "issue_date": "2024-11-05",
    "currency": "EUR",
    "net_total": "1580.40",
    "tax_total": "331.88",
    "total": "1912.28",
    "seller": {"name": "Mantenimientos Textiles del Vallès, S.L.", "tax_id": "ESB12345674"},
    "buyer": {"name": "Hilaturas & Tintes <Ebro> S.A.", "tax_id": "A58818501"},
    "lines": [
        {
            "description": "Revisión preventiva trimestral telar Picanol OMNIplus",
            "quantity": "3",
            "unit_price": "310.00",
            "amount": "930.00",
        },
        {
            "description": "Sustitución rodamientos 6205-2RS",
            "quantity": "12.5",
            "unit_price": "52.0320",
            "amount": "650.40",
        },
    ],
}

INVOICE_KEYS = (
    "invoice_number", "issue_date", "currency", "net_total", "tax_total", "total",
    "seller", "buyer", "lines",
)  # fmt: skip

WRITERS = {
    EInvoiceFormat.UBL: to_ubl,
    EInvoiceFormat.CII: to_cii,
    EInvoiceFormat.FACTURAE: to_facturae,
}


def core(fields: dict[str, Any]) -> dict[str, Any]:
    """The invoice keys the writers take from the truth (the tax breakdown they derive)."""
    return {k: fields[k] for k in INVOICE_KEYS}


def _with_category(truth: dict[str, Any]) -> dict[str, Any]:
    """Ground truth as the generator writes it (with the category, which e-invoices omit)."""
    return {**copy.deepcopy(truth), "category": "preventiva"}


@pytest.mark.parametrize("fmt", list(WRITERS))
def test_round_trip_gives_identical_fields(fmt: EInvoiceFormat) -> None:
    xml = WRITERS[fmt](_with_category(TRUTH))
    got_fmt, data = parse_einvoice(xml)
    assert got_fmt is fmt
    assert core(invoice_to_json(data)) == TRUTH
    assert data.issue_date == date(2024, 11, 5) and data.total == Decimal("1912.28")
    assert set(data.confidence.values()) == {1.0}
    assert {"invoice_number", "total", "seller.tax_id", "lines"} <= set(data.confidence)
    assert data.warnings == []


@pytest.mark.parametrize("fmt", list(WRITERS))
def test_read_document_on_xml_file(fmt: EInvoiceFormat, tmp_path: Path) -> None:
    path = tmp_path / f"invoice-{fmt.value}.xml"
    path.write_bytes(WRITERS[fmt](TRUTH))
    doc = read_document(path)
    assert doc.method == "einvoice" and doc.source == str(path)
    assert core(invoice_to_json(doc.einvoice)) == TRUTH


def test_partial_truth_round_trips_with_nulls() -> None:
    truth = copy.deepcopy(TRUTH)
    truth["buyer"] = {"name": "Particular", "tax_id": None}
    truth["lines"] = [{"description": "Reparación urgente", "quantity": None,
                       "unit_price": None, "amount": "1580.40"}]  # fmt: skip
    for writer in WRITERS.values():
        assert core(invoice_to_json(parse_einvoice(writer(truth))[1])) == truth


def test_facturx_pdf_is_read_from_its_attachment_never_ocr() -> None:
    pdf = embed_facturx(invoice_pdf(number="FV/2024/000381"), to_cii(TRUTH))
    doc = read_document(pdf, "facturx.pdf")
    assert doc.method == "einvoice"
    assert core(invoice_to_json(doc.einvoice)) == TRUTH
    assert "FV/2024/000381" in {w.text for w in doc.pages[0].words}  # text layer kept too
    assert doc.warnings == []


def test_facturx_with_broken_attachment_falls_back_to_text_layer() -> None:
    pdf = embed_facturx(invoice_pdf(number="FAC-77"), b"<rsm:CrossIndustryInvoice><oops>")
    doc = read_document(pdf, "broken-facturx.pdf")
    assert doc.method == "text" and doc.einvoice is None
    assert any("malformed_xml" in w for w in doc.warnings)


def test_facturx_with_hostile_attachment_is_quarantined(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-MARKER")
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret}">]>'
        "<rsm:CrossIndustryInvoice xmlns:rsm="
        '"urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100">&x;'
        "</rsm:CrossIndustryInvoice>"
    ).encode()
    pdf = embed_facturx(invoice_pdf(), xml)
    with pytest.raises(DocumentRejected) as exc:
        read_document(pdf, "hostile.pdf")
    assert exc.value.reason == "xml_forbidden_construct"
    assert "TOP-SECRET-MARKER" not in str(exc.value)


UBL_CREDIT_NOTE = b"""<?xml version="1.0" encoding="UTF-8"?>
<CreditNote xmlns="urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
 xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
 xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:ID>AB-12</cbc:ID><cbc:IssueDate>2024-02-01</cbc:IssueDate>
  <cbc:DocumentCurrencyCode>GBP</cbc:DocumentCurrencyCode>
  <cac:AccountingSupplierParty><cac:Party>
    <cac:PartyName><cbc:Name>Loom Parts Ltd</cbc:Name></cac:PartyName>
    <cac:PartyTaxScheme><cbc:CompanyID>GB123456789</cbc:CompanyID>
      <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>
    <cac:PartyLegalEntity><cbc:RegistrationName>Loom Parts Limited</cbc:RegistrationName>
      <cbc:CompanyID>01234567</cbc:CompanyID></cac:PartyLegalEntity>
  </cac:Party></cac:AccountingSupplierParty>
  <cac:AccountingCustomerParty><cac:Party>
    <cac:PartyIdentification><cbc:ID>7300010000001</cbc:ID></cac:PartyIdentification>
    <cac:PartyName><cbc:Name>Hilaturas Ebro</cbc:Name></cac:PartyName>
    <cac:PartyLegalEntity><cbc:RegistrationName>Hilaturas Ebro</cbc:RegistrationName>
      <cbc:CompanyID>B99286320</cbc:CompanyID></cac:PartyLegalEntity>
  </cac:Party></cac:AccountingCustomerParty>
  <cac:TaxTotal><cbc:TaxAmount currencyID="EUR">23.00</cbc:TaxAmount></cac:TaxTotal>
  <cac:TaxTotal><cbc:TaxAmount currencyID="GBP">20.00</cbc:TaxAmount></cac:TaxTotal>
  <cac:LegalMonetaryTotal>
    <cbc:TaxExclusiveAmount currencyID="GBP">100.00</cbc:TaxExclusiveAmount>
    <cbc:TaxInclusiveAmount currencyID="GBP">120.00</cbc:TaxInclusiveAmount>
    <cbc:PayableAmount currencyID="GBP">70.00</cbc:PayableAmount>
  </cac:LegalMonetaryTotal>
  <cac:CreditNoteLine><cbc:ID>1</cbc:ID>
    <cbc:CreditedQuantity unitCode="C62">10</cbc:CreditedQuantity>
    <cbc:LineExtensionAmount currencyID="GBP">100.00</cbc:LineExtensionAmount>
    <cac:Item><cbc:Name>Shuttle returned</cbc:Name></cac:Item>
    <cac:Price><cbc:PriceAmount currencyID="GBP">50.00</cbc:PriceAmount>
      <cbc:BaseQuantity>5</cbc:BaseQuantity></cac:Price>
  </cac:CreditNoteLine>
</CreditNote>"""


def test_ubl_credit_note_details() -> None:
    fmt, data = parse_einvoice(UBL_CREDIT_NOTE)
    assert fmt is EInvoiceFormat.UBL
    assert data.seller.name == "Loom Parts Limited" and data.seller.tax_id == "GB123456789"
    # Register (BT-30) and party ids (BT-29) are not tax ids: only PartyTaxScheme is read.
    assert data.buyer.name == "Hilaturas Ebro" and data.buyer.tax_id is None
    assert data.tax_total == Decimal("20.00")  # the TaxTotal in the document currency
    assert data.total == Decimal("120.00")  # invoice total, not the amount still payable
    line = data.lines[0]
    assert line.quantity == 10 and line.unit_price == Decimal("10") and line.amount == 100
    assert any("credit note" in w for w in data.warnings)
    assert "buyer.tax_id" not in data.confidence


def test_facturae_321_with_series_individual_and_withholding() -> None:
    xml = to_facturae(TRUTH).replace(
        b"http://www.facturae.gob.es/formato/Versiones/Facturaev3_2_2.xml",
        b"http://www.facturae.es/Facturae/2014/v3.2.1/Facturae",
    )
    xml = xml.replace(
        b"<InvoiceNumber>FV/2024/000381</InvoiceNumber>",
        b"<InvoiceNumber>000381</InvoiceNumber><InvoiceSeriesCode>FV/2024/</InvoiceSeriesCode>",
    )
    xml = xml.replace(
        b"<LegalEntity>\n        <CorporateName>Hilaturas &amp; Tintes &lt;Ebro&gt; S.A.</CorporateName>"
        b"\n      </LegalEntity>",
        b"<Individual><Name>Marta</Name><FirstSurname>Puig</FirstSurname>"
        b"<SecondSurname>Soler</SecondSurname></Individual>",
    )
    xml = xml.replace(
        b"<TotalTaxesWithheld>0.00</TotalTaxesWithheld>",
        b"<TotalTaxesWithheld>237.06</TotalTaxesWithheld>",
    )
    fmt, data = parse_einvoice(xml)
    assert fmt is EInvoiceFormat.FACTURAE
    assert data.invoice_number == "FV/2024/000381"
    assert data.buyer.name == "Marta Puig Soler"
    assert data.tax_total == Decimal("331.88")
    assert any("withheld" in w and "237.06" in w for w in data.warnings)


def test_utf16_xml_is_read() -> None:
    xml = to_ubl(TRUTH).decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')
    doc = read_document(xml.encode("utf-16"), "utf16.xml")
    assert core(invoice_to_json(doc.einvoice)) == TRUTH


def test_unknown_xml_is_unsupported() -> None:
    with pytest.raises(DocumentRejected) as exc:
        read_document(b"<?xml version='1.0'?><pedido><id>1</id></pedido>", "pedido.xml")
    assert exc.value.reason == "unsupported_xml"
    assert "pedido" in exc.value.detail


@pytest.mark.parametrize("layout", sorted(LAYOUTS)[:6])
def test_generated_invoices_round_trip_in_every_format(layout: str) -> None:
    truth = make_invoice(1000 + len(layout), layout)
    expected = {k: truth[k] for k in INVOICE_KEYS}
    for fmt, writer in WRITERS.items():
        got_fmt, data = parse_einvoice(writer(truth))
        assert got_fmt is fmt
        assert core(invoice_to_json(data)) == expected, (layout, fmt)


def test_facturx_found_through_the_associated_files_array() -> None:
    """Some producers list the XML only in the catalog's /AF (PDF/A-3), not in /Names."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    pdf = embed_facturx(invoice_pdf(), to_cii(TRUTH))
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    del writer._root_object[NameObject("/Names")]
    out = io.BytesIO()
    writer.write(out)
    assert pdfium.PdfDocument(out.getvalue()).count_attachments() == 0  # not in /Names
    doc = read_document(out.getvalue(), "af-only.pdf")
    assert doc.method == "einvoice"
    assert core(invoice_to_json(doc.einvoice)) == TRUTH
