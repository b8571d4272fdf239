"""E-invoice syntaxes and profiles read by their standard paths: small hand-written documents."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from facturas_assets.documents.cache import ReadCache
from facturas_assets.documents.einvoice import EInvoiceFormat, parse_einvoice
from facturas_assets.documents.model import DocumentRejected, ReadDocument
from facturas_assets.documents.reader import read_document
from facturas_assets.documents.validation import is_blocking, validate
from facturas_assets_tests.documents.test_reading import invoice_pdf
from facturas_dev.synth.einvoices import embed_facturx

CII_NS = (
    'xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100" '
    'xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100" '
    'xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"'
)


def cii(profile: str, type_code: str, lines: str, summation: str, parties: str = "") -> bytes:
    """A CII D16B invoice around the given line items, header summation and parties."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice {CII_NS}>
  <rsm:ExchangedDocumentContext><ram:GuidelineSpecifiedDocumentContextParameter>
    <ram:ID>{profile}</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter>
  </rsm:ExchangedDocumentContext>
  <rsm:ExchangedDocument><ram:ID>AB-2024-17</ram:ID><ram:TypeCode>{type_code}</ram:TypeCode>
    <ram:IssueDateTime><udt:DateTimeString format="102">20240305</udt:DateTimeString>
    </ram:IssueDateTime></rsm:ExchangedDocument>
  <rsm:SupplyChainTradeTransaction>{lines}
    <ram:ApplicableHeaderTradeAgreement>{parties}</ram:ApplicableHeaderTradeAgreement>
    <ram:ApplicableHeaderTradeDelivery/>
    <ram:ApplicableHeaderTradeSettlement>
      <ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>
      <ram:SpecifiedTradeSettlementHeaderMonetarySummation>{summation}
      </ram:SpecifiedTradeSettlementHeaderMonetarySummation>
    </ram:ApplicableHeaderTradeSettlement>
  </rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>""".encode()


CII_LINE = """
    <ram:IncludedSupplyChainTradeLineItem>
      <ram:AssociatedDocumentLineDocument><ram:LineID>1</ram:LineID>
      </ram:AssociatedDocumentLineDocument>
      <ram:SpecifiedTradeProduct><ram:Name>Heald frames, reconditioned</ram:Name>
      </ram:SpecifiedTradeProduct>
      <ram:SpecifiedLineTradeAgreement><ram:NetPriceProductTradePrice>
        <ram:ChargeAmount>250.00</ram:ChargeAmount>
        <ram:BasisQuantity unitCode="C62">10</ram:BasisQuantity>
      </ram:NetPriceProductTradePrice></ram:SpecifiedLineTradeAgreement>
      <ram:SpecifiedLineTradeDelivery>
        <ram:BilledQuantity unitCode="C62">4</ram:BilledQuantity></ram:SpecifiedLineTradeDelivery>
      <ram:SpecifiedLineTradeSettlement>
        <ram:SpecifiedTradeSettlementLineMonetarySummation>
          <ram:LineTotalAmount>100.00</ram:LineTotalAmount>
        </ram:SpecifiedTradeSettlementLineMonetarySummation>
      </ram:SpecifiedLineTradeSettlement>
    </ram:IncludedSupplyChainTradeLineItem>"""

CII_PARTIES = """
      <ram:SellerTradeParty><ram:Name>Tejidos Norte SA</ram:Name>
        <ram:SpecifiedLegalOrganization><ram:ID schemeID="0002">552100554</ram:ID>
        </ram:SpecifiedLegalOrganization>
        <ram:SpecifiedTaxRegistration><ram:ID schemeID="FC">201/113/40209</ram:ID>
        </ram:SpecifiedTaxRegistration>
        <ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">FR32123456789</ram:ID>
        </ram:SpecifiedTaxRegistration>
      </ram:SellerTradeParty>
      <ram:BuyerTradeParty><ram:Name>Hilados Sur SL</ram:Name>
        <ram:SpecifiedLegalOrganization><ram:ID schemeID="0002">778899001</ram:ID>
        </ram:SpecifiedLegalOrganization>
      </ram:BuyerTradeParty>"""


def test_cii_credit_note_with_allowance_charge_prepaid_and_tax_currency() -> None:
    """BT-109 after document allowances/charges, BT-110 in the invoice currency, BT-112 total."""
    summation = """
        <ram:LineTotalAmount>100.00</ram:LineTotalAmount>
        <ram:ChargeTotalAmount>5.00</ram:ChargeTotalAmount>
        <ram:AllowanceTotalAmount>10.00</ram:AllowanceTotalAmount>
        <ram:TaxBasisTotalAmount>95.00</ram:TaxBasisTotalAmount>
        <ram:TaxTotalAmount currencyID="SEK">210.90</ram:TaxTotalAmount>
        <ram:TaxTotalAmount currencyID="EUR">19.95</ram:TaxTotalAmount>
        <ram:GrandTotalAmount>114.95</ram:GrandTotalAmount>
        <ram:TotalPrepaidAmount>50.00</ram:TotalPrepaidAmount>
        <ram:DuePayableAmount>64.95</ram:DuePayableAmount>"""
    fmt, data = parse_einvoice(
        cii("urn:cen.eu:en16931:2017", "381", CII_LINE, summation, CII_PARTIES)
    )
    assert fmt is EInvoiceFormat.CII
    assert (data.invoice_number, data.issue_date, data.currency) == (
        "AB-2024-17",
        date(2024, 3, 5),
        "EUR",
    )
    assert (data.net_total, data.tax_total, data.total) == (
        Decimal("95.00"),
        Decimal("19.95"),
        Decimal("114.95"),
    )
    assert any("credit note" in w for w in data.warnings)
    assert any("prepaid" in w and "50.00" in w for w in data.warnings)
    # The VAT id (BT-31) before the tax number (BT-32); a register id (BT-30/47) is no tax id.
    assert data.seller.tax_id == "FR32123456789"
    assert data.buyer.name == "Hilados Sur SL" and data.buyer.tax_id is None
    (line,) = data.lines
    assert (line.quantity, line.unit_price, line.amount) == (4, Decimal("25"), Decimal("100.00"))


def test_cii_tax_number_when_there_is_no_vat_id() -> None:
    parties = CII_PARTIES.replace(
        '<ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">FR32123456789</ram:ID>\n'
        "        </ram:SpecifiedTaxRegistration>",
        "",
    )
    summation = "<ram:TaxBasisTotalAmount>1</ram:TaxBasisTotalAmount>"
    _, data = parse_einvoice(cii("urn:cen.eu:en16931:2017", "380", "", summation, parties))
    assert data.seller.tax_id == "201/113/40209"


@pytest.mark.parametrize("profile", ["urn:factur-x.eu:1p0:minimum", "urn:factur-x.eu:1p0:basicwl"])
def test_cii_profiles_without_lines(profile: str) -> None:
    """MINIMUM and BASIC WL carry no lines: the totals are read, the line list stays empty."""
    summation = """
        <ram:TaxBasisTotalAmount>990.00</ram:TaxBasisTotalAmount>
        <ram:TaxTotalAmount currencyID="EUR">0.00</ram:TaxTotalAmount>
        <ram:GrandTotalAmount>990.00</ram:GrandTotalAmount>
        <ram:DuePayableAmount>990.00</ram:DuePayableAmount>"""
    _, data = parse_einvoice(cii(profile, "380", "", summation, CII_PARTIES))
    assert (data.net_total, data.tax_total, data.total) == (990, 0, 990)
    assert data.lines == [] and "lines" not in data.confidence
    assert data.confidence["total"] == 1.0


def test_out_of_range_numbers_are_warned_about_not_computed_with() -> None:
    """A price per 1E-999999 units would overflow: such values are refused with a warning."""
    line = CII_LINE.replace("250.00", "9E+999999").replace(">10<", ">1E-999999<")
    summation = "<ram:GrandTotalAmount>1E+40</ram:GrandTotalAmount>"
    _, data = parse_einvoice(cii("urn:cen.eu:en16931:2017", "380", line, summation))
    assert data.total is None and data.lines[0].unit_price is None
    assert data.lines[0].amount == Decimal("100.00")
    assert sum("out of range" in w for w in data.warnings) == 3


ZUGFERD1 = b"""<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryDocument xmlns:rsm="urn:ferd:CrossIndustryDocument:invoice:1p0"
 xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:12"
 xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:15">
  <rsm:SpecifiedExchangedDocumentContext><ram:GuidelineSpecifiedDocumentContextParameter>
    <ram:ID>urn:ferd:CrossIndustryDocument:invoice:1p0:comfort</ram:ID>
  </ram:GuidelineSpecifiedDocumentContextParameter></rsm:SpecifiedExchangedDocumentContext>
  <rsm:HeaderExchangedDocument><ram:ID>RE-5521</ram:ID><ram:TypeCode>380</ram:TypeCode>
    <ram:IssueDateTime><udt:DateTimeString format="102">20150922</udt:DateTimeString>
    </ram:IssueDateTime></rsm:HeaderExchangedDocument>
  <rsm:SpecifiedSupplyChainTradeTransaction>
    <ram:ApplicableSupplyChainTradeAgreement>
      <ram:SellerTradeParty><ram:Name>Webstuhl Service GmbH</ram:Name>
        <ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">DE136695976</ram:ID>
        </ram:SpecifiedTaxRegistration></ram:SellerTradeParty>
      <ram:BuyerTradeParty><ram:Name>Spinnerei Ost KG</ram:Name>
        <ram:SpecifiedTaxRegistration><ram:ID schemeID="FC">123/456/7890</ram:ID>
        </ram:SpecifiedTaxRegistration></ram:BuyerTradeParty>
    </ram:ApplicableSupplyChainTradeAgreement>
    <ram:ApplicableSupplyChainTradeSettlement>
      <ram:InvoiceCurrencyCode>CHF</ram:InvoiceCurrencyCode>
      <ram:SpecifiedTradeSettlementMonetarySummation>
        <ram:LineTotalAmount currencyID="CHF">300.00</ram:LineTotalAmount>
        <ram:ChargeTotalAmount currencyID="CHF">20.00</ram:ChargeTotalAmount>
        <ram:AllowanceTotalAmount currencyID="CHF">0.00</ram:AllowanceTotalAmount>
        <ram:TaxBasisTotalAmount currencyID="CHF">320.00</ram:TaxBasisTotalAmount>
        <ram:TaxTotalAmount currencyID="CHF">25.60</ram:TaxTotalAmount>
        <ram:GrandTotalAmount currencyID="CHF">345.60</ram:GrandTotalAmount>
      </ram:SpecifiedTradeSettlementMonetarySummation>
    </ram:ApplicableSupplyChainTradeSettlement>
    <ram:IncludedSupplyChainTradeLineItem>
      <ram:SpecifiedSupplyChainTradeAgreement><ram:NetPriceProductTradePrice>
        <ram:ChargeAmount currencyID="CHF">150.0000</ram:ChargeAmount>
      </ram:NetPriceProductTradePrice></ram:SpecifiedSupplyChainTradeAgreement>
      <ram:SpecifiedSupplyChainTradeDelivery>
        <ram:BilledQuantity unitCode="HUR">2.0000</ram:BilledQuantity>
      </ram:SpecifiedSupplyChainTradeDelivery>
      <ram:SpecifiedSupplyChainTradeSettlement>
        <ram:SpecifiedTradeSettlementMonetarySummation>
          <ram:LineTotalAmount currencyID="CHF">300.00</ram:LineTotalAmount>
        </ram:SpecifiedTradeSettlementMonetarySummation>
      </ram:SpecifiedSupplyChainTradeSettlement>
      <ram:SpecifiedTradeProduct><ram:Name>Service hours</ram:Name></ram:SpecifiedTradeProduct>
    </ram:IncludedSupplyChainTradeLineItem>
  </rsm:SpecifiedSupplyChainTradeTransaction>
</rsm:CrossIndustryDocument>"""


def test_zugferd1_document_is_read_with_its_own_aggregate_names() -> None:
    fmt, data = parse_einvoice(ZUGFERD1)
    assert fmt is EInvoiceFormat.CII
    assert (data.invoice_number, data.issue_date, data.currency) == (
        "RE-5521",
        date(2015, 9, 22),
        "CHF",
    )
    assert (data.net_total, data.tax_total, data.total) == (
        Decimal("320.00"),
        Decimal("25.60"),
        Decimal("345.60"),
    )
    assert (data.seller.name, data.seller.tax_id) == ("Webstuhl Service GmbH", "DE136695976")
    assert (data.buyer.name, data.buyer.tax_id) == ("Spinnerei Ost KG", "123/456/7890")
    (line,) = data.lines
    assert line.description == "Service hours"
    assert (line.quantity, line.unit_price, line.amount) == (2, 150, Decimal("300.00"))


def test_zugferd1_pdf_is_read_from_its_attachment() -> None:
    pdf = embed_facturx(invoice_pdf(), ZUGFERD1, name="ZUGFeRD-invoice.xml")
    doc = read_document(pdf, "zugferd1.pdf")
    assert doc.method == "einvoice" and not doc.warnings
    assert doc.einvoice is not None and doc.einvoice.total == Decimal("345.60")


UBL_NS = (
    'xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" '
    'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"'
)

UBL_INVOICE = f"""<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" {UBL_NS}>
  <cbc:ID>INV-88</cbc:ID><cbc:IssueDate>2024-06-30</cbc:IssueDate>
  <cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>
  <cbc:DocumentCurrencyCode>USD</cbc:DocumentCurrencyCode>
  <cbc:TaxCurrencyCode>EUR</cbc:TaxCurrencyCode>
  <cac:AccountingSupplierParty><cac:Party>
    <cac:PartyIdentification><cbc:ID schemeID="0088">5790000435968</cbc:ID></cac:PartyIdentification>
    <cac:PartyName><cbc:Name>Loom Spares</cbc:Name></cac:PartyName>
    <cac:PartyTaxScheme><cbc:CompanyID>NL859212683B01</cbc:CompanyID>
      <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>
    <cac:PartyLegalEntity><cbc:RegistrationName>Loom Spares B.V.</cbc:RegistrationName>
      <cbc:CompanyID>34125678</cbc:CompanyID></cac:PartyLegalEntity>
  </cac:Party></cac:AccountingSupplierParty>
  <cac:AccountingCustomerParty><cac:Party>
    <cac:PartyTaxScheme><cbc:CompanyID>ESB65920688</cbc:CompanyID>
      <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>
    <cac:PartyLegalEntity><cbc:RegistrationName>Tintes Levante SL</cbc:RegistrationName>
    </cac:PartyLegalEntity>
  </cac:Party></cac:AccountingCustomerParty>
  <cac:AllowanceCharge><cbc:ChargeIndicator>false</cbc:ChargeIndicator>
    <cbc:Amount currencyID="USD">40.00</cbc:Amount></cac:AllowanceCharge>
  <cac:AllowanceCharge><cbc:ChargeIndicator>true</cbc:ChargeIndicator>
    <cbc:Amount currencyID="USD">15.00</cbc:Amount></cac:AllowanceCharge>
  <cac:TaxTotal><cbc:TaxAmount currencyID="EUR">43.92</cbc:TaxAmount></cac:TaxTotal>
  <cac:TaxTotal><cbc:TaxAmount currencyID="USD">47.25</cbc:TaxAmount>
    <cac:TaxSubtotal><cbc:TaxableAmount currencyID="USD">225.00</cbc:TaxableAmount>
      <cbc:TaxAmount currencyID="USD">47.25</cbc:TaxAmount></cac:TaxSubtotal></cac:TaxTotal>
  <cac:LegalMonetaryTotal>
    <cbc:LineExtensionAmount currencyID="USD">250.00</cbc:LineExtensionAmount>
    <cbc:TaxExclusiveAmount currencyID="USD">225.00</cbc:TaxExclusiveAmount>
    <cbc:TaxInclusiveAmount currencyID="USD">272.25</cbc:TaxInclusiveAmount>
    <cbc:AllowanceTotalAmount currencyID="USD">40.00</cbc:AllowanceTotalAmount>
    <cbc:ChargeTotalAmount currencyID="USD">15.00</cbc:ChargeTotalAmount>
    <cbc:PrepaidAmount currencyID="USD">100.00</cbc:PrepaidAmount>
    <cbc:PayableAmount currencyID="USD">172.25</cbc:PayableAmount>
  </cac:LegalMonetaryTotal>
  <cac:InvoiceLine><cbc:ID>1</cbc:ID>
    <cbc:InvoicedQuantity unitCode="C62">5</cbc:InvoicedQuantity>
    <cbc:LineExtensionAmount currencyID="USD">250.00</cbc:LineExtensionAmount>
    <cac:Item><cbc:Name>Rapier tape</cbc:Name></cac:Item>
    <cac:Price><cbc:PriceAmount currencyID="USD">50.00</cbc:PriceAmount></cac:Price>
  </cac:InvoiceLine>
</Invoice>""".encode()


def test_ubl_invoice_with_allowances_charges_prepaid_and_foreign_currency() -> None:
    fmt, data = parse_einvoice(UBL_INVOICE)
    assert fmt is EInvoiceFormat.UBL
    assert data.currency == "USD"
    assert data.net_total == Decimal("225.00")  # BT-109: after the allowance and the charge
    assert data.tax_total == Decimal("47.25")  # BT-110 in USD, not BT-111 in EUR
    assert data.total == Decimal("272.25")  # BT-112, not the amount still payable
    assert any("prepaid" in w and "100.00" in w for w in data.warnings)
    assert (data.seller.name, data.seller.tax_id) == ("Loom Spares B.V.", "NL859212683B01")
    assert (data.buyer.name, data.buyer.tax_id) == ("Tintes Levante SL", "ESB65920688")
    assert len(data.lines) == 1 and data.lines[0].amount == 250


def test_ubl_credit_note_root_and_lines() -> None:
    xml = (
        UBL_INVOICE.replace(b"Invoice-2", b"CreditNote-2")
        .replace(b"<Invoice ", b"<CreditNote ")
        .replace(b"</Invoice>", b"</CreditNote>")
        .replace(
            b"InvoiceTypeCode>380</cbc:InvoiceTypeCode",
            b"CreditNoteTypeCode>381</cbc:CreditNoteTypeCode",
        )
        .replace(b"cac:InvoiceLine>", b"cac:CreditNoteLine>")
        .replace(b"cbc:InvoicedQuantity", b"cbc:CreditedQuantity")
    )
    fmt, data = parse_einvoice(xml)
    assert fmt is EInvoiceFormat.UBL
    assert (data.net_total, data.tax_total, data.total) == (
        225,
        Decimal("47.25"),
        Decimal("272.25"),
    )
    assert data.lines[0].quantity == 5 and data.lines[0].description == "Rapier tape"
    assert any("credit note" in w for w in data.warnings)


FACTURAE = """<?xml version="1.0" encoding="UTF-8"?>
<fe:Facturae xmlns:fe="{ns}">
  <FileHeader><SchemaVersion>{version}</SchemaVersion><Modality>I</Modality>
    <InvoiceIssuerType>EM</InvoiceIssuerType></FileHeader>
  <Parties>
    <SellerParty><TaxIdentification><PersonTypeCode>J</PersonTypeCode>
      <ResidenceTypeCode>R</ResidenceTypeCode>
      <TaxIdentificationNumber>B65920688</TaxIdentificationNumber></TaxIdentification>
      <LegalEntity><CorporateName>Telares Reparados SL</CorporateName></LegalEntity>
    </SellerParty>
    <BuyerParty><TaxIdentification><PersonTypeCode>F</PersonTypeCode>
      <ResidenceTypeCode>R</ResidenceTypeCode>
      <TaxIdentificationNumber>00000000T</TaxIdentificationNumber></TaxIdentification>
      <Individual><Name>Ana</Name><FirstSurname>Roca</FirstSurname></Individual>
    </BuyerParty>
  </Parties>
  <Invoices><Invoice>
    <InvoiceHeader><InvoiceNumber>77</InvoiceNumber><InvoiceSeriesCode>R24</InvoiceSeriesCode>
      <InvoiceDocumentType>FC</InvoiceDocumentType><InvoiceClass>OO</InvoiceClass>
    </InvoiceHeader>
    <InvoiceIssueData><IssueDate>2024-02-29</IssueDate>
      <InvoiceCurrencyCode>EUR</InvoiceCurrencyCode><TaxCurrencyCode>EUR</TaxCurrencyCode>
    </InvoiceIssueData>
    <TaxesOutputs>
      <Tax><TaxTypeCode>01</TaxTypeCode><TaxRate>21.00</TaxRate>
        <TaxableBase><TotalAmount>200.00</TotalAmount></TaxableBase>
        <TaxAmount><TotalAmount>42.00</TotalAmount></TaxAmount></Tax>
      <Tax><TaxTypeCode>01</TaxTypeCode><TaxRate>10.00</TaxRate>
        <TaxableBase><TotalAmount>50.00</TotalAmount></TaxableBase>
        <TaxAmount><TotalAmount>5.00</TotalAmount></TaxAmount></Tax>
    </TaxesOutputs>
    <TaxesWithheld><Tax><TaxTypeCode>04</TaxTypeCode><TaxRate>15.00</TaxRate>
      <TaxableBase><TotalAmount>250.00</TotalAmount></TaxableBase>
      <TaxAmount><TotalAmount>37.50</TotalAmount></TaxAmount></Tax></TaxesWithheld>
    <InvoiceTotals>
      <TotalGrossAmount>250.00</TotalGrossAmount>
      <TotalGrossAmountBeforeTaxes>250.00</TotalGrossAmountBeforeTaxes>
      {tax_outputs}
      <TotalTaxesWithheld>37.50</TotalTaxesWithheld>
      <InvoiceTotal>259.50</InvoiceTotal>
      <TotalOutstandingAmount>259.50</TotalOutstandingAmount>
      <TotalExecutableAmount>259.50</TotalExecutableAmount>
    </InvoiceTotals>
    <Items>
      <InvoiceLine><ItemDescription>Ajuste de lizos</ItemDescription><Quantity>2</Quantity>
        <UnitPriceWithoutTax>100.00</UnitPriceWithoutTax><TotalCost>200.00</TotalCost>
        <GrossAmount>200.00</GrossAmount></InvoiceLine>
      <InvoiceLine><ItemDescription>Desplazamiento</ItemDescription><Quantity>1</Quantity>
        <UnitPriceWithoutTax>50.00</UnitPriceWithoutTax><TotalCost>50.00</TotalCost>
        <GrossAmount>50.00</GrossAmount></InvoiceLine>
    </Items>
  </Invoice></Invoices>
</fe:Facturae>"""

FACTURAE_VERSIONS = {
    "3.1": "http://www.facturae.es/Facturae/2007/v3.1/Facturae",
    "3.2": "http://www.facturae.es/Facturae/2009/v3.2/Facturae",
    "3.2.1": "http://www.facturae.es/Facturae/2014/v3.2.1/Facturae",
    "3.2.2": "http://www.facturae.gob.es/formato/Versiones/Facturaev3_2_2.xml",
}


@pytest.mark.parametrize("version", sorted(FACTURAE_VERSIONS))
def test_facturae_versions(version: str) -> None:
    """Every version: series + number, output taxes as tax total, InvoiceTotal after IRPF."""
    xml = FACTURAE.format(
        ns=FACTURAE_VERSIONS[version],
        version=version,
        tax_outputs="<TotalTaxOutputs>47.00</TotalTaxOutputs>",
    )
    fmt, data = parse_einvoice(xml.encode())
    assert fmt is EInvoiceFormat.FACTURAE
    assert (data.invoice_number, data.issue_date, data.currency) == (
        "R2477",
        date(2024, 2, 29),
        "EUR",
    )
    assert (data.net_total, data.tax_total, data.total) == (250, 47, Decimal("259.50"))
    assert (data.seller.tax_id, data.buyer.name) == ("B65920688", "Ana Roca")
    assert len(data.lines) == 2
    assert any("withheld" in w and "37.50" in w for w in data.warnings)


def test_facturae_empty_tax_outputs_total_is_summed_from_the_taxes() -> None:
    xml = FACTURAE.format(
        ns=FACTURAE_VERSIONS["3.2.2"], version="3.2.2", tax_outputs="<TotalTaxOutputs/>"
    )
    _, data = parse_einvoice(xml.encode())
    assert data.tax_total == Decimal("47.00")
    assert any("TotalTaxOutputs" in w for w in data.warnings)


def test_facturae_batch_of_several_invoices_is_quarantined_not_cut_to_the_first() -> None:
    xml = FACTURAE.format(
        ns=FACTURAE_VERSIONS["3.2.1"], version="3.2.1", tax_outputs="<TotalTaxOutputs/>"
    )
    invoice = xml[xml.index("<Invoice>") : xml.index("</Invoices>")]
    batch = xml.replace("</Invoices>", invoice + "</Invoices>")
    with pytest.raises(DocumentRejected) as exc:
        read_document(batch.encode(), "lote.xml")
    assert exc.value.reason == "einvoice_batch" and "2 invoices" in exc.value.detail


def _rename_attachment(pdf: bytes, name: str | None, keep_af: bool) -> bytes:
    """The PDF with its attachment's file spec naming it by a PDF name object (or not at all),
    listed in the catalog's /AF array or only in the EmbeddedFiles name tree."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    if not keep_af:
        del writer._root_object[NameObject("/AF")]
    names = writer._root_object["/Names"]["/EmbeddedFiles"]["/Names"]
    spec = names[1].get_object()
    for key in ("/F", "/UF"):
        if name is None:
            spec.pop(NameObject(key), None)
        else:
            spec[NameObject(key)] = NameObject(name)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "keep_af"), [("/factur-x.xml", False), (None, False), (None, True)]
)
def test_facturx_attachment_without_a_string_name_is_read(name: str | None, keep_af: bool) -> None:
    summation = """<ram:TaxBasisTotalAmount>95.00</ram:TaxBasisTotalAmount>
        <ram:TaxTotalAmount currencyID="EUR">19.95</ram:TaxTotalAmount>
        <ram:GrandTotalAmount>114.95</ram:GrandTotalAmount>"""
    xml = cii("urn:cen.eu:en16931:2017", "380", CII_LINE, summation, CII_PARTIES)
    pdf = _rename_attachment(embed_facturx(invoice_pdf(), xml), name, keep_af)
    doc = pdfium.PdfDocument(pdf)
    assert doc.get_attachment(0).get_name() == ""  # what pdfium makes of such a file spec
    doc.close()
    read = read_document(pdf, "name-object.pdf")
    assert read.method == "einvoice"
    assert read.einvoice is not None and read.einvoice.total == Decimal("114.95")


def test_the_einvoice_among_several_xml_attachments_is_chosen() -> None:
    from pypdf import PdfReader, PdfWriter

    summation = "<ram:GrandTotalAmount>114.95</ram:GrandTotalAmount>"
    xml = cii("urn:cen.eu:en16931:2017", "380", "", summation, CII_PARTIES)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(invoice_pdf())))
    writer.add_attachment(
        "a-delivery-note.xml", b"<?xml version='1.0'?><albaran><n>1</n></albaran>"
    )
    writer.add_attachment("b-invoice-data.xml", xml)
    out = io.BytesIO()
    writer.write(out)
    read = read_document(out.getvalue(), "two-attachments.pdf")
    assert read.method == "einvoice"
    assert read.einvoice is not None and read.einvoice.total == Decimal("114.95")


def test_facturae_withholding_keeps_the_totals_consistent(tmp_path: Path) -> None:
    """InvoiceTotal deducts IRPF: such an invoice loads (also from the cache); a wrong one not."""
    xml = FACTURAE.format(
        ns=FACTURAE_VERSIONS["3.2.2"],
        version="3.2.2",
        tax_outputs="<TotalTaxOutputs>47.00</TotalTaxOutputs>",
    ).encode()
    doc = read_document(xml, "irpf.xml")
    assert doc.einvoice is not None and doc.einvoice.withholding_total == Decimal("37.50")
    cache = ReadCache(tmp_path / "cache")
    cache.put(doc.sha256, doc)
    cached = cache.get(doc.sha256, "irpf.xml")
    assert isinstance(cached, ReadDocument) and cached.einvoice is not None
    assert cached.einvoice.withholding_total == Decimal("37.50")
    for data in (doc.einvoice, cached.einvoice):
        assert is_blocking(validate(data)) == []
        assert not any(w.startswith("totals_mismatch") for w in data.warnings)

    wrong = xml.replace(b"<InvoiceTotal>259.50", b"<InvoiceTotal>300.00")
    _, data = parse_einvoice(wrong)
    (reason,) = is_blocking(validate(data))
    assert reason.startswith("totals_mismatch") and "withheld 37.50" in reason


def test_facturae_total_that_leaves_the_withholding_in_is_read_as_written() -> None:
    """Some producers write InvoiceTotal = base + taxes: read as is, consistent, and warned."""
    xml = FACTURAE.format(
        ns=FACTURAE_VERSIONS["3.2.2"],
        version="3.2.2",
        tax_outputs="<TotalTaxOutputs>47.00</TotalTaxOutputs>",
    ).replace("<InvoiceTotal>259.50", "<InvoiceTotal>297.00")
    _, data = parse_einvoice(xml.encode())
    assert data.total == Decimal("297.00") and data.withholding_total == Decimal("37.50")
    assert any("does not deduct" in w for w in data.warnings)
    assert is_blocking(validate(data)) == []
