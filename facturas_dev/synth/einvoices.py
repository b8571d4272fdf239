"""E-invoice writers (UBL 2.1, Facturae 3.2.2, CII / Factur-X) from a ground-truth invoice dict.

The dict has the `invoice_to_json` shape (decimals as strings); values are written verbatim so
that reading the e-invoice back gives identical fields.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from lxml import etree

NS_UBL_INV = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
NS_CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
NS_CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
NS_RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
NS_RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
NS_UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
NS_FACTURAE = "http://www.facturae.gob.es/formato/Versiones/Facturaev3_2_2.xml"

PEPPOL_CUSTOMIZATION = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PEPPOL_PROFILE = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
FACTURX_GUIDELINE = "urn:cen.eu:en16931:2017"
_EU_PREFIXES = {
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "HR", "HU", "IE",
    "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "XI",
}  # fmt: skip


def _sub(parent: etree._Element, tag: str, value: Any = None, **attrs: str) -> etree._Element:
    """Append a child element with optional text and attributes."""
    el = etree.SubElement(parent, tag, {k: v for k, v in attrs.items() if v is not None})
    if value is not None:
        el.text = str(value)
    return el


def _opt(parent: etree._Element, tag: str, value: Any, **attrs: str) -> None:
    """Append a child only when the value is known."""
    if value is not None:
        _sub(parent, tag, value, **attrs)


def _tax_percent(truth: dict[str, Any]) -> str:
    """The VAT rate: the truth's tax_rate when given, else implied by tax / net."""
    if truth.get("tax_rate") is not None:
        return format(Decimal(str(truth["tax_rate"])).normalize(), "f")
    net, tax = truth.get("net_total"), truth.get("tax_total")
    if not net or tax is None or Decimal(net) == 0:
        return "0"
    rate = (Decimal(tax) / Decimal(net) * 100).quantize(Decimal("0.01"))
    return format(rate.normalize(), "f")


def _rows(truth: dict[str, Any]) -> list[dict[str, Any]]:
    """The tax rows to write: the truth's breakdown, else one row of the whole net and tax."""
    if truth.get("tax_breakdown"):
        return list(truth["tax_breakdown"])
    return [
        {
            "rate": _tax_percent(truth),
            "base": truth.get("net_total"),
            "tax": truth.get("tax_total"),
            "category": "standard",
        }
    ]


def _rate(row: dict[str, Any]) -> str:
    """A row's rate as the formats write percentages (21, 5.2)."""
    return format(Decimal(str(row.get("rate") or 0)).normalize(), "f")


# UNCL 5305 tax category codes of the breakdown's categories.
_CATEGORY_CODES = {"standard": "S", "zero": "Z", "exempt": "E", "reverse_charge": "AE"}


def _code(row: dict[str, Any]) -> str:
    return _CATEGORY_CODES.get(row.get("category") or "standard", "S")


def _xml(root: etree._Element) -> bytes:
    """Serialised with a UTF-8 declaration."""
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


# --- UBL 2.1 / Peppol BIS Billing 3.0 ---------------------------------------------------------


def to_ubl(truth: dict[str, Any]) -> bytes:
    """A UBL 2.1 Invoice (Peppol BIS Billing 3.0 customization) for the invoice."""
    cac = lambda t: f"{{{NS_CAC}}}{t}"  # noqa: E731
    cbc = lambda t: f"{{{NS_CBC}}}{t}"  # noqa: E731
    cur = truth.get("currency")
    root = etree.Element(
        f"{{{NS_UBL_INV}}}Invoice", nsmap={None: NS_UBL_INV, "cac": NS_CAC, "cbc": NS_CBC}
    )
    _sub(root, cbc("CustomizationID"), PEPPOL_CUSTOMIZATION)
    _sub(root, cbc("ProfileID"), PEPPOL_PROFILE)
    _opt(root, cbc("ID"), truth.get("invoice_number"))
    _opt(root, cbc("IssueDate"), truth.get("issue_date"))
    _sub(root, cbc("InvoiceTypeCode"), "380")
    _opt(root, cbc("DocumentCurrencyCode"), cur)
    for role, key in (("AccountingSupplierParty", "seller"), ("AccountingCustomerParty", "buyer")):
        info = truth.get(key) or {}
        party = _sub(_sub(root, cac(role)), cac("Party"))
        if info.get("name"):
            _sub(_sub(party, cac("PartyName")), cbc("Name"), info["name"])
        if info.get("tax_id"):
            scheme = _sub(party, cac("PartyTaxScheme"))
            _sub(scheme, cbc("CompanyID"), info["tax_id"])
            _sub(_sub(scheme, cac("TaxScheme")), cbc("ID"), "VAT")
        if info.get("name"):
            _sub(_sub(party, cac("PartyLegalEntity")), cbc("RegistrationName"), info["name"])
    percent = _tax_percent(truth)
    withheld = truth.get("withholding_total")
    if withheld is not None:
        # IRPF as UBL 2.1 states it: a withholding tax total apart from the VAT.
        block = _sub(root, cac("WithholdingTaxTotal"))
        _sub(block, cbc("TaxAmount"), withheld, currencyID=cur)
        sub = _sub(block, cac("TaxSubtotal"))
        _opt(sub, cbc("TaxableAmount"), truth.get("net_total"), currencyID=cur)
        _sub(sub, cbc("TaxAmount"), withheld, currencyID=cur)
        cat = _sub(sub, cac("TaxCategory"))
        _opt(cat, cbc("Percent"), truth.get("withholding_rate"))
        _sub(_sub(cat, cac("TaxScheme")), cbc("ID"), "IRPF")
    if truth.get("tax_total") is not None:
        tax_total = _sub(root, cac("TaxTotal"))
        _sub(tax_total, cbc("TaxAmount"), truth["tax_total"], currencyID=cur)
        for row in _rows(truth):
            sub = _sub(tax_total, cac("TaxSubtotal"))
            _opt(sub, cbc("TaxableAmount"), row.get("base"), currencyID=cur)
            _sub(sub, cbc("TaxAmount"), row.get("tax") or "0.00", currencyID=cur)
            cat = _sub(sub, cac("TaxCategory"))
            _sub(cat, cbc("ID"), _code(row))
            _sub(cat, cbc("Percent"), _rate(row))
            _sub(_sub(cat, cac("TaxScheme")), cbc("ID"), "VAT")
    # TaxInclusiveAmount is net + VAT (+ recargo); PayableAmount deducts the withholding.
    before = truth.get("total")
    if before is not None and withheld is not None:
        before = format(Decimal(before) + Decimal(withheld).copy_sign(Decimal(before)), "f")
    totals = _sub(root, cac("LegalMonetaryTotal"))
    _opt(totals, cbc("LineExtensionAmount"), truth.get("net_total"), currencyID=cur)
    _opt(totals, cbc("TaxExclusiveAmount"), truth.get("net_total"), currencyID=cur)
    _opt(totals, cbc("TaxInclusiveAmount"), before, currencyID=cur)
    _opt(totals, cbc("PayableAmount"), truth.get("total"), currencyID=cur)
    for n, line in enumerate(truth.get("lines") or [], start=1):
        el = _sub(root, cac("InvoiceLine"))
        _sub(el, cbc("ID"), n)
        _opt(el, cbc("InvoicedQuantity"), line.get("quantity"), unitCode="C62")
        _opt(el, cbc("LineExtensionAmount"), line.get("amount"), currencyID=cur)
        item = _sub(el, cac("Item"))
        _opt(item, cbc("Name"), line.get("description"))
        cat = _sub(item, cac("ClassifiedTaxCategory"))
        _sub(cat, cbc("ID"), "S")
        _sub(cat, cbc("Percent"), percent)
        _sub(_sub(cat, cac("TaxScheme")), cbc("ID"), "VAT")
        if line.get("unit_price") is not None:
            _sub(_sub(el, cac("Price")), cbc("PriceAmount"), line["unit_price"], currencyID=cur)
    return _xml(root)


# --- UN/CEFACT CII (Factur-X / ZUGFeRD 2.x, EN 16931 profile) ---------------------------------


def to_cii(truth: dict[str, Any]) -> bytes:
    """A CrossIndustryInvoice (Factur-X EN 16931 profile) for the invoice."""
    rsm = lambda t: f"{{{NS_RSM}}}{t}"  # noqa: E731
    ram = lambda t: f"{{{NS_RAM}}}{t}"  # noqa: E731
    udt = lambda t: f"{{{NS_UDT}}}{t}"  # noqa: E731
    cur = truth.get("currency")
    root = etree.Element(
        rsm("CrossIndustryInvoice"), nsmap={"rsm": NS_RSM, "ram": NS_RAM, "udt": NS_UDT}
    )
    ctx = _sub(root, rsm("ExchangedDocumentContext"))
    _sub(_sub(ctx, ram("GuidelineSpecifiedDocumentContextParameter")), ram("ID"), FACTURX_GUIDELINE)
    doc = _sub(root, rsm("ExchangedDocument"))
    _opt(doc, ram("ID"), truth.get("invoice_number"))
    _sub(doc, ram("TypeCode"), "380")
    if truth.get("issue_date"):
        issued = _sub(doc, ram("IssueDateTime"))
        _sub(issued, udt("DateTimeString"), truth["issue_date"].replace("-", ""), format="102")
    trade = _sub(root, rsm("SupplyChainTradeTransaction"))
    percent = _tax_percent(truth)
    for n, line in enumerate(truth.get("lines") or [], start=1):
        item = _sub(trade, ram("IncludedSupplyChainTradeLineItem"))
        _sub(_sub(item, ram("AssociatedDocumentLineDocument")), ram("LineID"), n)
        _opt(_sub(item, ram("SpecifiedTradeProduct")), ram("Name"), line.get("description"))
        agreement = _sub(item, ram("SpecifiedLineTradeAgreement"))
        if line.get("unit_price") is not None:
            price = _sub(agreement, ram("NetPriceProductTradePrice"))
            _sub(price, ram("ChargeAmount"), line["unit_price"])
        delivery = _sub(item, ram("SpecifiedLineTradeDelivery"))
        _opt(delivery, ram("BilledQuantity"), line.get("quantity"), unitCode="C62")
        settlement = _sub(item, ram("SpecifiedLineTradeSettlement"))
        tax = _sub(settlement, ram("ApplicableTradeTax"))
        _sub(tax, ram("TypeCode"), "VAT")
        _sub(tax, ram("CategoryCode"), "S")
        _sub(tax, ram("RateApplicablePercent"), percent)
        summ = _sub(settlement, ram("SpecifiedTradeSettlementLineMonetarySummation"))
        _opt(summ, ram("LineTotalAmount"), line.get("amount"))
    agreement = _sub(trade, ram("ApplicableHeaderTradeAgreement"))
    for role, key in (("SellerTradeParty", "seller"), ("BuyerTradeParty", "buyer")):
        info = truth.get(key) or {}
        party = _sub(agreement, ram(role))
        _opt(party, ram("Name"), info.get("name"))
        if info.get("tax_id"):
            _sub(
                _sub(party, ram("SpecifiedTaxRegistration")),
                ram("ID"),
                info["tax_id"],
                schemeID="VA",
            )
    _sub(trade, ram("ApplicableHeaderTradeDelivery"))
    settlement = _sub(trade, ram("ApplicableHeaderTradeSettlement"))
    _opt(settlement, ram("InvoiceCurrencyCode"), cur)
    for row in _rows(truth):
        tax = _sub(settlement, ram("ApplicableTradeTax"))
        _opt(tax, ram("CalculatedAmount"), row.get("tax"))
        _sub(tax, ram("TypeCode"), "VAT")
        _opt(tax, ram("BasisAmount"), row.get("base"))
        _sub(tax, ram("CategoryCode"), _code(row))
        _sub(tax, ram("RateApplicablePercent"), _rate(row))
    summ = _sub(settlement, ram("SpecifiedTradeSettlementHeaderMonetarySummation"))
    _opt(summ, ram("LineTotalAmount"), truth.get("net_total"))
    _opt(summ, ram("TaxBasisTotalAmount"), truth.get("net_total"))
    _opt(summ, ram("TaxTotalAmount"), truth.get("tax_total"), currencyID=cur)
    grand = truth.get("total")  # before any withholding, which EN 16931 cannot state
    if grand is not None and truth.get("withholding_total") is not None:
        withheld = Decimal(truth["withholding_total"]).copy_sign(Decimal(grand))
        grand = format(Decimal(grand) + withheld, "f")
    _opt(summ, ram("GrandTotalAmount"), grand)
    _opt(summ, ram("DuePayableAmount"), truth.get("total"))
    return _xml(root)


def embed_facturx(pdf_bytes: bytes, cii_xml: bytes, name: str = "factur-x.xml") -> bytes:
    """The PDF with the CII XML attached as a Factur-X invoice (EmbeddedFiles + catalog /AF)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, NameObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes)))
    embedded = writer.add_attachment(name, cii_xml)
    spec = embedded.pdf_object
    spec[NameObject("/AFRelationship")] = NameObject("/Data")
    writer._root_object[NameObject("/AF")] = ArrayObject([spec.indirect_reference or spec])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --- Facturae 3.2.2 ---------------------------------------------------------------------------


def _residence(tax_id: str) -> str:
    """Facturae ResidenceTypeCode: R resident in Spain, U other EU, E outside the EU."""
    prefix = tax_id[:2].upper()
    if prefix == "ES" or not prefix.isalpha():
        return "R"
    return "U" if prefix in _EU_PREFIXES else "E"


def _person_type(tax_id: str) -> str:
    """Facturae PersonTypeCode: F for a natural person (DNI/NIE), J for a legal entity."""
    core = tax_id[2:] if tax_id[:2].upper() == "ES" else tax_id
    return "F" if core[:1].isdigit() or core[:1].upper() in "XYZKLM" else "J"


def _facturae_party(parent: etree._Element, tag: str, info: dict[str, Any]) -> None:
    """A Facturae party: tax identification and a legal entity with its corporate name."""
    party = _sub(parent, tag)
    tax_id = info.get("tax_id") or ""
    ident = _sub(party, "TaxIdentification")
    _sub(ident, "PersonTypeCode", _person_type(tax_id) if tax_id else "J")
    _sub(ident, "ResidenceTypeCode", _residence(tax_id) if tax_id else "R")
    _sub(ident, "TaxIdentificationNumber", tax_id)
    entity = _sub(party, "LegalEntity")
    _opt(entity, "CorporateName", info.get("name"))


def to_facturae(truth: dict[str, Any]) -> bytes:
    """A Facturae 3.2.2 file holding the invoice as a one-invoice batch."""
    cur = truth.get("currency")
    net, tax, total = truth.get("net_total"), truth.get("tax_total"), truth.get("total")
    seller = truth.get("seller") or {}
    root = etree.Element(f"{{{NS_FACTURAE}}}Facturae", nsmap={"fe": NS_FACTURAE})
    header = _sub(root, "FileHeader")
    _sub(header, "SchemaVersion", "3.2.2")
    _sub(header, "Modality", "I")
    _sub(header, "InvoiceIssuerType", "EM")
    batch = _sub(header, "Batch")
    _sub(
        batch, "BatchIdentifier", f"{seller.get('tax_id') or ''}{truth.get('invoice_number') or ''}"
    )
    _sub(batch, "InvoicesCount", 1)
    for tag in ("TotalInvoicesAmount", "TotalOutstandingAmount", "TotalExecutableAmount"):
        _opt(_sub(batch, tag), "TotalAmount", total)
    _opt(batch, "InvoiceCurrencyCode", cur)
    parties = _sub(root, "Parties")
    _facturae_party(parties, "SellerParty", seller)
    _facturae_party(parties, "BuyerParty", truth.get("buyer") or {})
    invoice = _sub(_sub(root, "Invoices"), "Invoice")
    inv_header = _sub(invoice, "InvoiceHeader")
    _opt(inv_header, "InvoiceNumber", truth.get("invoice_number"))
    _sub(inv_header, "InvoiceDocumentType", "FC")
    _sub(inv_header, "InvoiceClass", "OO")
    issue = _sub(invoice, "InvoiceIssueData")
    _opt(issue, "IssueDate", truth.get("issue_date"))
    _opt(issue, "InvoiceCurrencyCode", cur)
    _opt(issue, "TaxCurrencyCode", cur)
    _sub(issue, "LanguageName", "es")
    percent = _tax_percent(truth)
    if tax is not None:
        outputs = _sub(invoice, "TaxesOutputs")
        for row in _rows(truth):
            out = _sub(outputs, "Tax")
            _sub(out, "TaxTypeCode", "01")  # IVA
            _sub(out, "TaxRate", _rate(row))
            _opt(_sub(out, "TaxableBase"), "TotalAmount", row.get("base"))
            _sub(_sub(out, "TaxAmount"), "TotalAmount", row.get("tax") or "0.00")
            if row.get("recargo") is not None:
                _sub(out, "EquivalenceSurcharge", row.get("recargo_rate"))
                _opt(_sub(out, "EquivalenceSurchargeAmount"), "TotalAmount", row["recargo"])
    withheld = truth.get("withholding_total")
    if withheld is not None:
        held = _sub(_sub(invoice, "TaxesWithheld"), "Tax")
        _sub(held, "TaxTypeCode", "04")  # IRPF
        _opt(held, "TaxRate", truth.get("withholding_rate"))
        _opt(_sub(held, "TaxableBase"), "TotalAmount", net)
        _sub(_sub(held, "TaxAmount"), "TotalAmount", withheld)
    # Facturae's TotalTaxOutputs holds the recargo; InvoiceTotal deducts the withholding.
    outputs_total = tax
    if tax is not None and truth.get("recargo_total") is not None:
        outputs_total = format(Decimal(tax) + Decimal(truth["recargo_total"]), "f")
    totals = _sub(invoice, "InvoiceTotals")
    _opt(totals, "TotalGrossAmount", net)
    _opt(totals, "TotalGrossAmountBeforeTaxes", net)
    _opt(totals, "TotalTaxOutputs", outputs_total)
    _sub(totals, "TotalTaxesWithheld", withheld or "0.00")
    _opt(totals, "InvoiceTotal", total)
    _opt(totals, "TotalOutstandingAmount", total)
    _opt(totals, "TotalExecutableAmount", total)
    items = _sub(invoice, "Items")
    for line in truth.get("lines") or []:
        el = _sub(items, "InvoiceLine")
        _opt(el, "ItemDescription", line.get("description"))
        _opt(el, "Quantity", line.get("quantity"))
        _sub(el, "UnitOfMeasure", "01")
        _opt(el, "UnitPriceWithoutTax", line.get("unit_price"))
        amount = line.get("amount")
        _opt(el, "TotalCost", amount)
        _opt(el, "GrossAmount", amount)
        line_tax = _sub(_sub(el, "TaxesOutputs"), "Tax")
        _sub(line_tax, "TaxTypeCode", "01")
        _sub(line_tax, "TaxRate", percent)
        _opt(_sub(line_tax, "TaxableBase"), "TotalAmount", amount)
    return _xml(root)
