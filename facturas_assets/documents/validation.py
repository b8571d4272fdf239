"""Arithmetic and identity checks on extracted invoices: warnings and lower confidence, no fixes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from facturas_assets.documents.extraction.dates import EARLIEST, latest_plausible
from facturas_assets.documents.extraction.tax_extras import adds_up, expected_totals
from facturas_assets.documents.extraction.taxids import is_valid_tax_id
from facturas_assets.documents.model import InvoiceData
from facturas_assets.documents.rates import CENT, EU_RATES, SPANISH_RATES

# Rounding per line can leave the lines a few cents away from the printed net.
LINES_TOLERANCE = Decimal("0.05")
RATE_TOLERANCE = Decimal("0.15")  # percentage points, for rounding of small tax amounts

# Field confidence is multiplied by this when a check involving it fails.
PENALTY = 0.5


def _lower(data: InvoiceData, fields: tuple[str, ...], factor: float = PENALTY) -> None:
    for name in fields:
        data.confidence[name] = round(data.confidence.get(name, 0.0) * factor, 3)


def _warn(data: InvoiceData, message: str) -> None:
    if message not in data.warnings:
        data.warnings.append(message)


def _money(v: Decimal) -> str:
    return format(v.quantize(CENT), "f")


def _inconsistent(data: InvoiceData) -> bool:
    """All three totals known and no allowed sum of net, tax, recargo and withholding within a
    cent of the total."""
    if data.total is None or not expected_totals(data):
        return False
    return not adds_up(data)


def _mismatch(data: InvoiceData) -> str:
    """The totals_mismatch message: the sum that fails, with any recargo and withholding."""
    net, tax, total = data.net_total, data.tax_total, data.total
    recargo = f" + recargo {_money(data.recargo_total)}" if data.recargo_total else ""
    withheld = f" - withheld {_money(data.withholding_total)}" if data.withholding_total else ""
    return (
        f"totals_mismatch: net {_money(net)} + tax {_money(tax)}{recargo}{withheld}"
        f" != total {_money(total)}"
    )


def _check_breakdown(data: InvoiceData) -> None:
    """The per-rate rows must add up to the net (per tax) and to the tax total: a warning."""
    rows = data.tax_breakdown
    if not rows:
        return
    tolerance = CENT * len(rows)  # each row's tax is rounded on its own
    net, tax = data.net_total, data.tax_total
    schemes = {r.scheme for r in rows}
    for scheme in schemes:  # one base may be taxed by several taxes (IVA and IPSI)
        bases = [r.base for r in rows if r.scheme == scheme]
        if net is None or any(b is None for b in bases):
            continue
        base_sum = sum((b for b in bases if b is not None), Decimal(0))
        if abs(base_sum - net) > tolerance:
            _warn(
                data,
                f"breakdown_mismatch: {scheme or 'VAT'} bases sum {_money(base_sum)}"
                f" != net {_money(net)}",
            )
    taxes = [r.tax for r in rows]
    if tax is None or any(t is None for t in taxes):
        return
    tax_sum = sum((t for t in taxes if t is not None), Decimal(0))
    recargo = sum((r.recargo for r in rows if r.recargo is not None), Decimal(0))
    # tax_total may state the recargo in it (Facturae) or apart from it (a printed line).
    if all(abs(s - tax) > tolerance for s in (tax_sum, tax_sum + recargo)):
        _warn(
            data,
            f"breakdown_mismatch: rate taxes sum {_money(tax_sum)} != tax {_money(tax)}",
        )


def validate(data: InvoiceData, today: date | None = None) -> InvoiceData:
    """Check totals, lines, VAT rate, tax ids and date; add coded warnings, lower confidence.

    Returns the same object. Numbers are never changed.
    """
    today = today or date.today()
    net = data.net_total
    if _inconsistent(data):
        _warn(data, _mismatch(data))
        _lower(data, ("net_total", "tax_total", "total"))
    amounts = [ln.amount for ln in data.lines if ln.amount is not None]
    if net is not None and amounts:
        line_sum = sum(amounts, Decimal(0))
        if abs(line_sum - net) > LINES_TOLERANCE:
            _warn(data, f"lines_mismatch: lines sum {_money(line_sum)} != net {_money(net)}")
            _lower(data, ("lines",))
            data.confidence["net_total"] = round(data.confidence.get("net_total", 0.0) * 0.8, 3)
    for n, line in enumerate(data.lines, start=1):
        if line.quantity is not None and line.unit_price is not None and line.amount is not None:
            expected = line.quantity * line.unit_price
            # A per-line discount column makes the amount smaller than quantity x price.
            if line.amount - expected > CENT or (line.amount < 0) != (expected < 0):
                _warn(
                    data,
                    f"line_mismatch: line {n} {line.quantity} x {_money(line.unit_price)}"
                    f" != {_money(line.amount)}",
                )
                _lower(data, ("lines",), 0.8)
    _check_rate(data)
    _check_breakdown(data)
    for party in ("seller", "buyer"):
        tax_id = getattr(data, party).tax_id
        if tax_id and not is_valid_tax_id(tax_id):
            _warn(data, f"tax_id_invalid: {party} tax id {tax_id} fails its check digit")
            _lower(data, (f"{party}.tax_id",), 0.3)
    if data.seller.tax_id and data.seller.tax_id == data.buyer.tax_id:
        _warn(data, f"tax_id_same: seller and buyer share tax id {data.seller.tax_id}")
        _lower(data, ("seller.tax_id", "buyer.tax_id"))
    if data.issue_date is not None:
        if data.issue_date < EARLIEST:
            _warn(data, f"date_implausible: issue date {data.issue_date} is before {EARLIEST}")
            _lower(data, ("issue_date",), 0.3)
        elif data.issue_date > latest_plausible(today):
            _warn(data, f"date_implausible: issue date {data.issue_date} is in the far future")
            _lower(data, ("issue_date",), 0.3)
    return data


def _check_rate(data: InvoiceData) -> None:
    """tax / net must be an allowed VAT rate, or a blend of two when there are several lines."""
    net, tax = data.net_total, data.tax_total
    if net is None or tax is None or net == 0 or tax == 0:
        return
    rate = (tax / net * 100).quantize(Decimal("0.01"))
    rates = SPANISH_RATES if _is_spanish(data.seller.tax_id) else EU_RATES
    stated = [r.rate for r in data.tax_breakdown if r.scheme is None and r.rate is not None]
    if len(stated) >= 2 and min(stated) <= rate <= max(stated):
        return  # a blend of the rates the breakdown states
    if any(abs(rate - Decimal(str(r))) <= RATE_TOLERANCE for r in rates):
        return
    positive = [Decimal(str(r)) for r in rates if r > 0]
    if len(data.lines) >= 2 and min(positive) < rate < max(positive):
        return  # lines taxed at different rates
    _warn(data, f"vat_rate_implausible: tax {_money(tax)} / net {_money(net)} = {rate} %")
    _lower(data, ("tax_total",))


def _is_spanish(tax_id: str | None) -> bool:
    """A Spanish issuer: an ES VAT number or a bare 9-character NIF/CIF/NIE."""
    if not tax_id:
        return False
    v = tax_id.upper()
    return v.startswith("ES") or (len(v) == 9 and v[:2].isalnum() and not v[:2].isalpha())


# The checks whose failure leaves the invoice loadable but worth a person's look (their codes
# start the warnings `validate` adds); reading and extraction notes are not among them.
FAILED_CHECK_CODES = frozenset(
    {
        "lines_mismatch",
        "line_mismatch",
        "tax_id_invalid",
        "tax_id_same",
        "date_implausible",
        "vat_rate_implausible",
        "breakdown_mismatch",
    }
)


def failed_checks(data: InvoiceData) -> list[str]:
    """The warnings of `data` that are validation checks which failed without blocking it."""
    return [w for w in data.warnings if w.split(":", 1)[0] in FAILED_CHECK_CODES]


def is_blocking(data: InvoiceData) -> list[str]:
    """Reasons to quarantine the invoice instead of loading it (empty when it may be loaded)."""
    reasons: list[str] = []
    if data.total is None:
        reasons.append("missing_total: no invoice total was found")
    if not data.invoice_number:
        reasons.append("missing_invoice_number: no invoice number was found")
    if data.issue_date is None:
        reasons.append("missing_issue_date: no issue date was found")
    if _inconsistent(data):
        reasons.append(_mismatch(data))
    return reasons
