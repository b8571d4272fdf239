"""UBL 2.1 / Peppol BIS Billing 3.0 Invoice and CreditNote."""

from __future__ import annotations

from lxml import etree

from facturas_assets.documents.einvoice.common import (
    decimal,
    exact_confidence,
    find,
    find_all,
    first_text,
    iso_date,
    local,
    note_prepaid,
    per_unit,
    text,
)
from facturas_assets.documents.einvoice.taxes import (
    category_of,
    scheme_of,
    set_withholding,
)
from facturas_assets.documents.model import InvoiceData, InvoiceLine, Party, TaxBreakdown

NS_INVOICE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
NS_CREDIT_NOTE = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"


def is_ubl(root: etree._Element) -> bool:
    """Whether the root is a UBL Invoice or CreditNote."""
    return etree.QName(root).namespace in (NS_INVOICE, NS_CREDIT_NOTE)


def _party(el: etree._Element | None) -> Party:
    """Name and tax id of a cac:Party: the VAT / tax registration id (BT-31, BT-32, BT-48).

    PartyLegalEntity/CompanyID (BT-30) and PartyIdentification/ID (BT-29) are register and
    scheme identifiers, not tax ids, and are not read as one.
    """
    party = find(el, "Party")
    return Party(
        name=first_text(
            party, "PartyLegalEntity/RegistrationName", "PartyName/Name", "Contact/Name"
        ),
        tax_id=first_text(party, "PartyTaxScheme/CompanyID"),
    )


def _breakdown(tax_total: etree._Element | None, warnings: list[str]) -> list[TaxBreakdown]:
    """The TaxSubtotals (BG-23) of one TaxTotal: base, tax, rate and category per rate."""
    rows = []
    for n, sub in enumerate(find_all(tax_total, "TaxSubtotal"), start=1):
        category = find(sub, "TaxCategory")
        code = text(category, "ID")
        rows.append(
            TaxBreakdown(
                rate=decimal(text(category, "Percent"), f"tax {n} rate", warnings),
                base=decimal(text(sub, "TaxableAmount"), f"tax {n} base", warnings),
                tax=decimal(text(sub, "TaxAmount"), f"tax {n} amount", warnings),
                category=category_of(code),
                scheme=scheme_of(text(category, "TaxScheme/ID"), code),
            )
        )
    return rows


def _tax_total_block(root: etree._Element, currency: str | None) -> etree._Element | None:
    """The TaxTotal stated in the document currency (else the first): several appear when VAT
    is also stated in a tax currency."""
    blocks = [(b, find(b, "TaxAmount")) for b in find_all(root, "TaxTotal")]
    blocks = [(b, a) for b, a in blocks if a is not None]
    chosen = next((b for b, a in blocks if a.get("currencyID") == currency), None)
    return chosen if chosen is not None else (blocks[0][0] if blocks else None)


def _withholding(root: etree._Element, data: InvoiceData, warnings: list[str]) -> None:
    """WithholdingTaxTotal (UBL 2.1, used for IRPF): its amount and the rate of its subtotals."""
    blocks = find_all(root, "WithholdingTaxTotal")
    if not blocks:
        return
    rates = [
        decimal(text(sub, "TaxCategory/Percent"), "withheld rate", warnings)
        for block in blocks
        for sub in find_all(block, "TaxSubtotal")
    ]
    amounts = [decimal(text(b, "TaxAmount"), "withheld amount", warnings) for b in blocks]
    set_withholding(data, amounts, rates)


def parse_ubl(root: etree._Element) -> InvoiceData:
    """Fields of a UBL Invoice / CreditNote, exactly as written."""
    warnings: list[str] = []
    credit = local(root) == "CreditNote"
    currency = text(root, "DocumentCurrencyCode")
    totals = find(root, "LegalMonetaryTotal")
    tax_block = _tax_total_block(root, currency)
    tax_el = find(tax_block, "TaxAmount")
    line_tag = "CreditNoteLine" if credit else "InvoiceLine"
    qty_tag = "CreditedQuantity" if credit else "InvoicedQuantity"
    lines = []
    for n, ln in enumerate(find_all(root, line_tag), start=1):
        price = decimal(text(ln, "Price/PriceAmount"), f"line {n} price", warnings)
        base = decimal(text(ln, "Price/BaseQuantity"), f"line {n} base quantity", warnings)
        price = per_unit(price, base)  # price stated per N units
        lines.append(
            InvoiceLine(
                description=first_text(ln, "Item/Name", "Item/Description", "Note"),
                quantity=decimal(text(ln, qty_tag), f"line {n} quantity", warnings),
                unit_price=price,
                amount=decimal(text(ln, "LineExtensionAmount"), f"line {n} amount", warnings),
            )
        )
    note_prepaid(decimal(text(totals, "PrepaidAmount"), "prepaid", warnings), warnings)
    if credit:
        # CreditNote amounts are positive and the root says it is a credit: kept as written (no
        # sign flip); a "negative invoice" keeps its negative amounts the same way.
        warnings.append("credit note: amounts are as stated on the document (positive)")
    data = InvoiceData(
        invoice_number=text(root, "ID"),
        issue_date=iso_date(text(root, "IssueDate"), "issue date", warnings),
        currency=currency,
        # BT-109 (after document allowances and charges), BT-110, BT-112 (before prepaid).
        net_total=decimal(text(totals, "TaxExclusiveAmount"), "net total", warnings),
        tax_total=decimal(text(tax_el), "tax total", warnings),
        total=decimal(text(totals, "TaxInclusiveAmount"), "total", warnings),
        seller=_party(find(root, "AccountingSupplierParty")),
        buyer=_party(find(root, "AccountingCustomerParty")),
        lines=lines,
        warnings=warnings,
        tax_breakdown=_breakdown(tax_block, warnings),
    )
    # PayableAmount deducts it; TaxInclusiveAmount, read as the total, does not.
    _withholding(root, data, warnings)
    return exact_confidence(data)
