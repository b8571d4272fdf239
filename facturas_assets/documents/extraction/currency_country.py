"""The currency of an invoice that prints none, from the country of an IBAN or a tax id."""

from __future__ import annotations

import re

from stdnum import iban

from facturas_assets.documents.extraction.taxids import compact, is_valid_tax_id

# Countries with one currency (ISO 3166 / EU VAT prefix -> ISO 4217). Left out: countries
# whose invoices may be in two (Bulgaria changed to the euro in 2026) or that use several.
CURRENCY_BY_COUNTRY = {
    **dict.fromkeys(
        ("AT", "BE", "CY", "DE", "EE", "ES", "FI", "FR", "GR", "EL", "HR", "IE", "IT", "LT",
         "LU", "LV", "MT", "NL", "PT", "SI", "SK", "AD", "MC", "SM", "VA", "ME"),
        "EUR",
    ),
    "CZ": "CZK", "DK": "DKK", "HU": "HUF", "PL": "PLN", "RO": "RON", "SE": "SEK",
    "NO": "NOK", "IS": "ISK", "CH": "CHF", "LI": "CHF", "GB": "GBP", "XI": "GBP",
    "US": "USD", "CA": "CAD", "AU": "AUD", "JP": "JPY", "CN": "CNY", "MX": "MXN",
    "BR": "BRL", "MA": "MAD", "TR": "TRY",
}  # fmt: skip

# Where an IBAN may start (its country and check digits), and the groups it may go on with.
_IBAN_START = re.compile(r"\b[A-Z]{2}\d{2}")
_IBAN_GROUPS = re.compile(r"[A-Z0-9]+(?: [A-Z0-9]+)*")
_IBAN_MAX = 34  # characters of the longest IBAN


def ibans(texts: list[str]) -> list[str]:
    """The valid IBANs printed in the texts, in order, compact."""
    found = []
    for text in texts:
        for value in _ibans_in(text.upper()):
            if value not in found:
                found.append(value)
    return found


def _ibans_in(text: str) -> list[str]:
    """The valid IBANs of one text: from each place one may start, the longest run of its
    groups that is one. A tax id right before it ("VAT DE123456789 IBAN DE89 3704 ...") is
    thus no start that swallows the IBAN's own."""
    out: list[str] = []
    end = 0
    for start in _IBAN_START.finditer(text):
        if start.start() < end:
            continue  # inside the IBAN found last
        groups = _IBAN_GROUPS.match(text, start.start())
        if groups is None:
            continue
        cuts = [m.start() for m in re.finditer(" ", groups.group())] + [len(groups.group())]
        for cut in reversed(cuts):
            value = groups.group()[:cut].replace(" ", "")
            if len(value) <= _IBAN_MAX and iban.is_valid(value):
                out.append(value)
                end = start.start() + cut
                break
    return out


def tax_id_country(tax_id: str | None) -> str | None:
    """The country of a tax id: its VAT prefix, or ES for a bare Spanish NIF / CIF / NIE."""
    if not tax_id or not is_valid_tax_id(tax_id):
        return None
    value = compact(tax_id)
    if value[:2].isalpha():
        return value[:2] if value[:2] in CURRENCY_BY_COUNTRY else None
    return "ES"  # a valid id without a country prefix is a Spanish NIF / CIF / NIE


def infer_currency(
    texts: list[str], seller_tax_id: str | None, buyer_tax_id: str | None
) -> tuple[str, str] | None:
    """(currency, warning) from the IBANs printed (when they agree on one currency), else the
    seller's and then the buyer's tax id country; None when nothing says."""
    printed = ibans(texts)
    by_iban = {CURRENCY_BY_COUNTRY.get(value[:2]) for value in printed}
    currency = by_iban.pop() if len(by_iban) == 1 else None
    if currency is not None:
        return currency, _warning("IBAN", printed[0][:2], currency)
    for tax_id in (seller_tax_id, buyer_tax_id):
        country = tax_id_country(tax_id)
        if country is not None:
            currency = CURRENCY_BY_COUNTRY[country]
            return currency, _warning("tax id", country, currency)
    return None


def _warning(source: str, country: str, currency: str) -> str:
    """The note an inferred currency carries."""
    return (
        f"currency_inferred: no currency printed; currency inferred from {source} country "
        f"{country} ({currency})"
    )
