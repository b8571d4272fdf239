"""UN/CEFACT Cross Industry Invoice (Factur-X / ZUGFeRD 2.x, XRechnung CII) and ZUGFeRD 1.0."""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from facturas_assets.documents.einvoice.common import (
    decimal,
    exact_confidence,
    find,
    find_all,
    first_text,
    iso_date,
    note_prepaid,
    per_unit,
    text,
)
from facturas_assets.documents.einvoice.taxes import category_of, scheme_of
from facturas_assets.documents.model import InvoiceData, InvoiceLine, Party, TaxBreakdown

NS_CII = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
NS_ZUGFERD1 = "urn:ferd:CrossIndustryDocument:invoice:1p0"
CREDIT_NOTE_TYPES = {"381", "261", "262", "296", "308", "396", "420", "458", "532"}


@dataclass(frozen=True, slots=True)
class _Names:
    """Element names of one CII version; the business terms under them are the same."""

    document: str
    transaction: str
    agreement: str
    settlement: str
    summation: str
    line_agreement: str
    line_delivery: str
    line_settlement: str
    line_summation: str


# CII D16B (Factur-X, ZUGFeRD 2.x in every profile, XRechnung CII).
_D16B = _Names(
    document="ExchangedDocument",
    transaction="SupplyChainTradeTransaction",
    agreement="ApplicableHeaderTradeAgreement",
    settlement="ApplicableHeaderTradeSettlement",
    summation="SpecifiedTradeSettlementHeaderMonetarySummation",
    line_agreement="SpecifiedLineTradeAgreement",
    line_delivery="SpecifiedLineTradeDelivery",
    line_settlement="SpecifiedLineTradeSettlement",
    line_summation="SpecifiedTradeSettlementLineMonetarySummation",
)
# ZUGFeRD 1.0 (CII D13B subset, root CrossIndustryDocument): same terms, older aggregate names.
_ZUGFERD1 = _Names(
    document="HeaderExchangedDocument",
    transaction="SpecifiedSupplyChainTradeTransaction",
    agreement="ApplicableSupplyChainTradeAgreement",
    settlement="ApplicableSupplyChainTradeSettlement",
    summation="SpecifiedTradeSettlementMonetarySummation",
    line_agreement="SpecifiedSupplyChainTradeAgreement",
    line_delivery="SpecifiedSupplyChainTradeDelivery",
    line_settlement="SpecifiedSupplyChainTradeSettlement",
    line_summation="SpecifiedTradeSettlementMonetarySummation",
)
_BY_NAMESPACE = {NS_CII: _D16B, NS_ZUGFERD1: _ZUGFERD1}


def is_cii(root: etree._Element) -> bool:
    """Whether the root is a CrossIndustryInvoice (D16B) or a ZUGFeRD 1.0 CrossIndustryDocument."""
    return etree.QName(root).namespace in _BY_NAMESPACE


def _party(el: etree._Element | None) -> Party:
    """Name and tax id of a trade party: VAT id (BT-31/48), else tax registration id (BT-32).

    The legal registration id (SpecifiedLegalOrganization/ID, BT-30/47) is a company register
    number, not a tax id, and is not read as one.
    """
    regs = find_all(el, "SpecifiedTaxRegistration/ID")
    by_scheme = {r.get("schemeID"): text(r) for r in regs if text(r)}
    tax_id = by_scheme.get("VA") or by_scheme.get("FC") or next(iter(by_scheme.values()), None)
    return Party(
        name=first_text(el, "Name", "SpecifiedLegalOrganization/TradingBusinessName"), tax_id=tax_id
    )


def _in_currency(els: list[etree._Element], currency: str | None) -> etree._Element | None:
    """The amount stated in the invoice currency (BT-110) rather than the tax currency (BT-111)."""
    return next((e for e in els if e.get("currencyID") in (None, currency)), None)


def _lines(trade: etree._Element | None, names: _Names, warnings: list[str]) -> list[InvoiceLine]:
    """The invoice lines (BG-25); MINIMUM and BASIC WL profiles have none."""
    lines = []
    for n, item in enumerate(find_all(trade, "IncludedSupplyChainTradeLineItem"), start=1):
        price_el = find(item, f"{names.line_agreement}/NetPriceProductTradePrice")
        price = decimal(text(price_el, "ChargeAmount"), f"line {n} price", warnings)
        basis = decimal(text(price_el, "BasisQuantity"), f"line {n} basis quantity", warnings)
        price = per_unit(price, basis)  # BT-149
        amount_path = f"{names.line_settlement}/{names.line_summation}/LineTotalAmount"
        lines.append(
            InvoiceLine(
                description=first_text(
                    item, "SpecifiedTradeProduct/Name", "SpecifiedTradeProduct/Description"
                ),
                quantity=decimal(
                    text(item, f"{names.line_delivery}/BilledQuantity"),
                    f"line {n} quantity",
                    warnings,
                ),
                unit_price=price,
                amount=decimal(text(item, amount_path), f"line {n} amount", warnings),
            )
        )
    return lines


def _breakdown(settlement: etree._Element | None, warnings: list[str]) -> list[TaxBreakdown]:
    """The header ApplicableTradeTax rows (BG-23): base, tax, rate and category per rate."""
    rows = []
    for n, tax in enumerate(find_all(settlement, "ApplicableTradeTax"), start=1):
        code = text(tax, "CategoryCode")
        rows.append(
            TaxBreakdown(
                # RateApplicablePercent (D16B) or ApplicablePercent (ZUGFeRD 1.0)
                rate=decimal(
                    first_text(tax, "RateApplicablePercent", "ApplicablePercent"),
                    f"tax {n} rate",
                    warnings,
                ),
                base=decimal(text(tax, "BasisAmount"), f"tax {n} base", warnings),
                tax=decimal(text(tax, "CalculatedAmount"), f"tax {n} amount", warnings),
                category=category_of(code),
                scheme=scheme_of(text(tax, "TypeCode"), code),
            )
        )
    return rows


def parse_cii(root: etree._Element) -> InvoiceData:
    """Fields of a CII invoice, exactly as written (EN 16931 business terms)."""
    names = _BY_NAMESPACE.get(etree.QName(root).namespace, _D16B)
    warnings: list[str] = []
    doc = find(root, names.document)
    trade = find(root, names.transaction)
    agreement = find(trade, names.agreement)
    settlement = find(trade, names.settlement)
    summary = find(settlement, names.summation)
    currency = text(settlement, "InvoiceCurrencyCode")  # BT-5
    # BT-110 may repeat as BT-111 in the tax currency: take the one in the invoice currency.
    tax_el = _in_currency(find_all(summary, "TaxTotalAmount"), currency)
    note_prepaid(decimal(text(summary, "TotalPrepaidAmount"), "prepaid", warnings), warnings)
    if text(doc, "TypeCode") in CREDIT_NOTE_TYPES:
        # A credit note states positive amounts and its type says it is a credit; they are kept
        # as written (no sign flip), which is what downstream rows and the ground truth expect.
        warnings.append("credit note: amounts are as stated on the document (positive)")
    data = InvoiceData(
        invoice_number=text(doc, "ID"),  # BT-1
        issue_date=iso_date(text(doc, "IssueDateTime/DateTimeString"), "issue date", warnings),
        currency=currency,
        # BT-109: line total minus allowances plus charges, as the document states it.
        net_total=decimal(text(summary, "TaxBasisTotalAmount"), "net total", warnings),
        tax_total=decimal(text(tax_el), "tax total", warnings),  # BT-110
        total=decimal(text(summary, "GrandTotalAmount"), "total", warnings),  # BT-112
        seller=_party(find(agreement, "SellerTradeParty")),
        buyer=_party(find(agreement, "BuyerTradeParty")),
        lines=_lines(trade, names, warnings),
        warnings=warnings,
        tax_breakdown=_breakdown(settlement, warnings),
    )
    return exact_confidence(data)
