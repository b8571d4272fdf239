"""Tax breakdown and withholding as the e-invoice formats state them, in one shape."""

from __future__ import annotations

from decimal import Decimal

from facturas_assets.documents.model import InvoiceData, TaxBreakdown

# UNCL 5305 duty/tax category codes (EN 16931 BT-118 / BT-151) -> breakdown category.
CATEGORY_BY_CODE = {
    "S": "standard",
    "Z": "zero",
    "E": "exempt",
    "AE": "reverse_charge",
    "K": "intra_community",
    "G": "export",
    "O": "outside_scope",
    "L": "standard",  # IGIC (Canary Islands): its scheme says which tax
    "M": "standard",  # IPSI (Ceuta and Melilla)
}
# The tax a UNCL 5305 code stands for when it is not VAT.
SCHEME_BY_CODE = {"L": "IGIC", "M": "IPSI"}
# Scheme ids (UBL TaxScheme/ID, CII TypeCode) that mean VAT.
VAT_SCHEMES = {"VAT", "IVA", "TVA", "MWST", "GST"}


def category_of(code: str | None) -> str | None:
    """The breakdown category of a UNCL 5305 code (None when absent or unknown)."""
    return CATEGORY_BY_CODE.get((code or "").upper())


def scheme_of(scheme_id: str | None, code: str | None) -> str | None:
    """The tax a breakdown row is of when it is not VAT (None for VAT or unstated)."""
    by_code = SCHEME_BY_CODE.get((code or "").upper())
    if by_code:
        return by_code
    scheme = (scheme_id or "").upper()
    return None if not scheme or scheme in VAT_SCHEMES else scheme


def one_rate(rates: list[Decimal | None]) -> Decimal | None:
    """The rate shared by every row, None when rows differ or state none."""
    found = set(rates)
    return found.pop() if len(found) == 1 else None


def summed(amounts: list[Decimal | None]) -> Decimal | None:
    """The sum of the amounts, None when there are none or one is missing."""
    if not amounts or any(a is None for a in amounts):
        return None
    return sum((a for a in amounts if a is not None), Decimal(0))


def set_withholding(
    data: InvoiceData, amounts: list[Decimal | None], rates: list[Decimal | None]
) -> None:
    """Set the invoice's withholding from its withheld-tax rows (amounts positive as stated)."""
    total = summed(amounts)
    if total:
        data.withholding_total = abs(total)
        data.withholding_rate = one_rate(rates)


def set_recargo(data: InvoiceData, rows: list[TaxBreakdown]) -> None:
    """The invoice's recargo de equivalencia: the sum of its rows' surcharges, when any."""
    surcharges = [r.recargo for r in rows if r.recargo]
    if surcharges:
        data.recargo_total = sum(surcharges, Decimal(0))
