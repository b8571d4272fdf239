"""Spanish Facturae 3.1 / 3.2 / 3.2.1 / 3.2.2 (the format of FACe and the Spanish administration)."""

from __future__ import annotations

from decimal import Decimal

from lxml import etree

from facturas_assets.documents.einvoice.common import (
    decimal,
    exact_confidence,
    find,
    find_all,
    first_text,
    iso_date,
    local,
    text,
)
from facturas_assets.documents.einvoice.taxes import set_recargo, set_withholding
from facturas_assets.documents.model import (
    DocumentRejected,
    InvoiceData,
    InvoiceLine,
    Party,
    TaxBreakdown,
)

CENT = Decimal("0.01")
NAMESPACES = {
    # 3.1 has the 3.2 structure for every field read here.
    "http://www.facturae.es/Facturae/2007/v3.1/Facturae": "3.1",
    "http://www.facturae.es/Facturae/2009/v3.2/Facturae": "3.2",
    "http://www.facturae.es/Facturae/2014/v3.2.1/Facturae": "3.2.1",
    "http://www.facturae.gob.es/formato/Versiones/Facturaev3_2_2.xml": "3.2.2",
}


def is_facturae(root: etree._Element) -> bool:
    """Whether the root is a Facturae 3.1 / 3.2.x document."""
    return local(root) == "Facturae" and etree.QName(root).namespace in NAMESPACES


def _party(el: etree._Element | None) -> Party:
    """Tax id and corporate name (or the individual's full name) of a Facturae party."""
    name = text(el, "LegalEntity/CorporateName")
    if name is None:
        person = find(el, "Individual")
        parts = [text(person, p) for p in ("Name", "FirstSurname", "SecondSurname")]
        name = " ".join(p for p in parts if p) or None
    return Party(name=name, tax_id=text(el, "TaxIdentification/TaxIdentificationNumber"))


def _tax_total(
    invoice: etree._Element | None, totals: etree._Element | None, warnings: list[str]
) -> Decimal | None:
    """TotalTaxOutputs; when left empty, the sum of the invoice's TaxesOutputs it stands for."""
    stated = decimal(text(totals, "TotalTaxOutputs"), "tax total", warnings)
    if stated is not None:
        return stated
    amounts = [
        decimal(text(tax, "TaxAmount/TotalAmount"), "tax amount", warnings)
        for tax in find_all(invoice, "TaxesOutputs/Tax")
    ]
    values = [a for a in amounts if a is not None]
    if not values or len(values) != len(amounts):
        return None
    warnings.append("TotalTaxOutputs is empty: tax total summed from the TaxesOutputs")
    return sum(values, Decimal(0))


def _note_undeducted(
    net: Decimal | None,
    tax: Decimal | None,
    total: Decimal | None,
    withheld: Decimal | None,
    warnings: list[str],
) -> None:
    """Warn when InvoiceTotal leaves the withholding in, although Facturae defines the total
    as base + output taxes - withheld (the total is read as written either way)."""
    if not withheld or net is None or tax is None or total is None:
        return
    if abs(net + tax - total) <= CENT < abs(net + tax - withheld - total):
        warnings.append(
            f"InvoiceTotal {total} does not deduct the {withheld} withheld, although "
            "Facturae defines it after withholdings: the amount due may be lower"
        )


# Facturae TaxTypeCode of output taxes other than VAT (01).
_SCHEMES = {"02": "IPSI", "03": "IGIC"}


def _amount(tax: etree._Element, path: str, what: str, warnings: list[str]) -> Decimal | None:
    """An amount of a Facturae tax row (TotalAmount under `path`)."""
    return decimal(text(tax, f"{path}/TotalAmount"), what, warnings)


def _breakdown(invoice: etree._Element | None, warnings: list[str]) -> list[TaxBreakdown]:
    """TaxesOutputs, one row per tax and rate, with its equivalence surcharge."""
    rows = []
    for n, tax in enumerate(find_all(invoice, "TaxesOutputs/Tax"), start=1):
        code = text(tax, "TaxTypeCode")
        rows.append(
            TaxBreakdown(
                rate=decimal(text(tax, "TaxRate"), f"tax {n} rate", warnings),
                base=_amount(tax, "TaxableBase", f"tax {n} base", warnings),
                tax=_amount(tax, "TaxAmount", f"tax {n} amount", warnings),
                recargo_rate=decimal(
                    text(tax, "EquivalenceSurcharge"), f"tax {n} surcharge rate", warnings
                )
                or None,
                recargo=_amount(tax, "EquivalenceSurchargeAmount", f"tax {n} surcharge", warnings)
                or None,
                scheme=_SCHEMES.get(code or "", None if code in (None, "01") else code),
            )
        )
    return rows


def parse_facturae(root: etree._Element) -> InvoiceData:
    """Fields of the invoice of a Facturae file, exactly as written (batches are refused)."""
    warnings: list[str] = []
    invoices = find_all(root, "Invoices/Invoice")
    if len(invoices) > 1:
        # One file is one invoice downstream: loading the first alone would lose the others.
        raise DocumentRejected(
            "einvoice_batch",
            f"the Facturae file is a batch of {len(invoices)} invoices; split it into one file "
            "per invoice",
        )
    invoice = invoices[0] if invoices else None
    header = find(invoice, "InvoiceHeader")
    number = text(header, "InvoiceNumber")
    series = text(header, "InvoiceSeriesCode")
    if series and number and not number.startswith(series):
        number = series + number  # the series is part of the invoice's legal number
    issue = find(invoice, "InvoiceIssueData")
    totals = find(invoice, "InvoiceTotals")
    withheld = decimal(text(totals, "TotalTaxesWithheld"), "taxes withheld", warnings)
    if withheld:
        warnings.append(f"taxes withheld (IRPF) of {withheld} are not part of tax_total")
    if text(header, "InvoiceClass") in ("OR", "CR"):
        warnings.append("corrective invoice (factura rectificativa)")
    lines = []
    for n, ln in enumerate(find_all(invoice, "Items/InvoiceLine"), start=1):
        lines.append(
            InvoiceLine(
                description=text(ln, "ItemDescription"),
                quantity=decimal(text(ln, "Quantity"), f"line {n} quantity", warnings),
                unit_price=decimal(text(ln, "UnitPriceWithoutTax"), f"line {n} price", warnings),
                amount=decimal(
                    first_text(ln, "GrossAmount", "TotalCost"), f"line {n} amount", warnings
                ),
            )
        )
    net = decimal(text(totals, "TotalGrossAmountBeforeTaxes"), "net total", warnings)
    tax = _tax_total(invoice, totals, warnings)
    total = decimal(text(totals, "InvoiceTotal"), "total", warnings)
    data = InvoiceData(
        invoice_number=number,
        issue_date=iso_date(text(issue, "IssueDate"), "issue date", warnings),
        currency=first_text(issue, "InvoiceCurrencyCode")
        or text(root, "FileHeader/Batch/InvoiceCurrencyCode"),
        net_total=net,
        tax_total=tax,
        total=total,
        seller=_party(find(root, "Parties/SellerParty")),
        buyer=_party(find(root, "Parties/BuyerParty")),
        lines=lines,
        warnings=warnings,
        tax_breakdown=_breakdown(invoice, warnings),
    )
    _note_undeducted(net, tax, total, withheld, warnings)
    withheld_rows = find_all(invoice, "TaxesWithheld/Tax")
    set_withholding(
        data,
        # The stated total withheld wins over its rows; the rows give the rate.
        [withheld]
        if withheld is not None
        else [_amount(t, "TaxAmount", "withheld amount", warnings) for t in withheld_rows],
        [decimal(text(t, "TaxRate"), "withheld rate", warnings) for t in withheld_rows],
    )
    set_recargo(data, data.tax_breakdown)
    return exact_confidence(data)
