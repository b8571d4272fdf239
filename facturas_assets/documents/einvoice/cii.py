"""UN/CEFACT Cross Industry Invoice (Factur-X / ZUGFeRD 2.x, XRechnung CII)."""

from __future__ import annotations

from lxml import etree

from facturas_assets.documents.einvoice.common import (
    decimal,
    exact_confidence,
    find,
    find_all,
    first_text,
    iso_date,
    text,
)
from facturas_assets.documents.model import InvoiceData, InvoiceLine, Party

NS_CII = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
CREDIT_NOTE_TYPES = {"381", "261", "262", "296", "308", "396", "420", "458", "532"}


def is_cii(root: etree._Element) -> bool:
    """Whether the root is a CrossIndustryInvoice (D16B, as used by Factur-X / ZUGFeRD 2)."""
    return etree.QName(root).namespace == NS_CII


def _party(el: etree._Element | None) -> Party:
    """Name and tax id of a trade party (VAT registration, else fiscal number, else legal id)."""
    regs = find_all(el, "SpecifiedTaxRegistration/ID")
    by_scheme = {r.get("schemeID"): text(r) for r in regs}
    tax_id = by_scheme.get("VA") or by_scheme.get("FC") or next(iter(by_scheme.values()), None)
    if tax_id is None:
        tax_id = text(el, "SpecifiedLegalOrganization/ID")
    return Party(
        name=first_text(el, "Name", "SpecifiedLegalOrganization/TradingBusinessName"), tax_id=tax_id
    )


def parse_cii(root: etree._Element) -> InvoiceData:
    """Fields of a CII invoice, exactly as written."""
    warnings: list[str] = []
    doc = find(root, "ExchangedDocument")
    trade = find(root, "SupplyChainTradeTransaction")
    agreement = find(trade, "ApplicableHeaderTradeAgreement")
    settlement = find(trade, "ApplicableHeaderTradeSettlement")
    summary = find(settlement, "SpecifiedTradeSettlementHeaderMonetarySummation")
    currency = text(settlement, "InvoiceCurrencyCode")
    # TaxTotalAmount may repeat in the tax currency: take the one in the invoice currency.
    tax_els = find_all(summary, "TaxTotalAmount")
    tax_el = next((t for t in tax_els if t.get("currencyID") in (None, currency)), None)
    lines = []
    for n, item in enumerate(find_all(trade, "IncludedSupplyChainTradeLineItem"), start=1):
        price_el = find(item, "SpecifiedLineTradeAgreement/NetPriceProductTradePrice")
        price = decimal(text(price_el, "ChargeAmount"), f"line {n} price", warnings)
        basis = decimal(text(price_el, "BasisQuantity"), f"line {n} basis quantity", warnings)
        if price is not None and basis not in (None, 0, 1):
            price = price / basis
        lines.append(
            InvoiceLine(
                description=first_text(
                    item, "SpecifiedTradeProduct/Name", "SpecifiedTradeProduct/Description"
                ),
                quantity=decimal(
                    text(item, "SpecifiedLineTradeDelivery/BilledQuantity"),
                    f"line {n} quantity",
                    warnings,
                ),
                unit_price=price,
                amount=decimal(
                    text(
                        item,
                        "SpecifiedLineTradeSettlement/"
                        "SpecifiedTradeSettlementLineMonetarySummation/LineTotalAmount",
                    ),
                    f"line {n} amount",
                    warnings,
                ),
            )
        )
    if text(doc, "TypeCode") in CREDIT_NOTE_TYPES:
        warnings.append("credit note: amounts are as stated on the document (positive)")
    data = InvoiceData(
        invoice_number=text(doc, "ID"),
        issue_date=iso_date(text(doc, "IssueDateTime/DateTimeString"), "issue date", warnings),
        currency=currency,
        net_total=decimal(text(summary, "TaxBasisTotalAmount"), "net total", warnings),
        tax_total=decimal(text(tax_el), "tax total", warnings),
        total=decimal(text(summary, "GrandTotalAmount"), "total", warnings),
        seller=_party(find(agreement, "SellerTradeParty")),
        buyer=_party(find(agreement, "BuyerTradeParty")),
        lines=lines,
        warnings=warnings,
    )
    return exact_confidence(data)
