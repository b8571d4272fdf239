"""Tax ids of parties known from invoices read exactly, for scans where the id is unreadable.

Suppliers and customers come back: a party whose tax id was read exactly (e-invoice, text
layer) under one name is known by it. When a scan names that party but its tax id could not be
read, or was read with a failing check digit, the known id is taken, with a warning that says
so. A name known with several ids, or an id already held by the other party, gives nothing.
A supplier's invoice numbers keep their series letters ("INT2503135"): a scan's number whose
first characters are look-alikes of them ("1NT2503135") is given them back, with a warning.
A scan's party whose valid tax id is known by one exact name vouches for its name when it reads
the same, and doubts it when it does not (an accent or a letter misread): only the name's
confidence changes.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence

from facturas_assets.documents.extraction.taxids import is_valid_tax_id
from facturas_assets.documents.extraction.text import fold
from facturas_assets.documents.extraction.vocabulary import agreed, lookalike, slip_distance
from facturas_assets.documents.model import InvoiceData

_NOT_KEY = re.compile(r"[^a-z0-9]")
_SERIES = re.compile(r"^[A-Z]+")  # the letters an invoice number begins with
_SLIP_SHARE = 0.08  # a name may differ from a known one by this share of its letters (OCR slips)
KNOWN_ID_CONFIDENCE = 0.5
MENDED_NUMBER_SHARE = 0.8  # of the number's confidence, once its series letters are given back
_TOKEN_EDGE = ".,;:()[]"
PARTIES = ("seller", "buyer")
# A name read as its tax id's known name is right at least this often (its raw confidence is
# lifted into the band above); one read otherwise keeps this share of its raw confidence.
KNOWN_NAME_FLOOR = 0.5
OTHER_NAME_SHARE = 0.5


def _shape(number: str) -> str:
    """An invoice number with its digits made 9s: the seller's numbering, not the number."""
    return re.sub(r"\d", "9", number)


def _name_key(name: str) -> str:
    return _NOT_KEY.sub("", fold(name))


def _exact(name: str) -> str:
    """A name as the reading is judged: case and spacing aside, accents kept."""
    return " ".join(name.split()).casefold()


class KnownParties:
    """Names of parties and the tax ids they were read with exactly."""

    def __init__(self) -> None:
        self._ids: dict[str, Counter[str]] = defaultdict(Counter)
        self._series: dict[str, Counter[str]] = defaultdict(Counter)  # seller id -> letters
        self._shapes: dict[str, Counter[str]] = defaultdict(Counter)  # seller id -> "CPS/99/99999"
        self._names: dict[str, Counter[str]] = defaultdict(Counter)  # tax id -> exact names

    def __len__(self) -> int:
        return len(self._ids)

    def learn(self, name: str | None, tax_id: str | None) -> None:
        """Remember one exactly read party."""
        if name and tax_id and is_valid_tax_id(tax_id) and _name_key(name):
            self._ids[_name_key(name)][tax_id] += 1
            self._names[tax_id][_exact(name)] += 1

    def name_of(self, tax_id: str | None) -> str | None:
        """The one name (as compared: case and spacing aside) a tax id was read exactly with."""
        names = self._names.get(tax_id or "")
        return next(iter(names)) if names and len(names) == 1 else None

    def weigh_names(self, data: InvoiceData) -> None:
        """Raise the confidence of a party's name that reads as the one its tax id is known by
        from exact readings, and lower that of a name that reads otherwise."""
        for role in PARTIES:
            party = getattr(data, role)
            key = f"{role}.name"
            known = self.name_of(party.tax_id) if is_valid_tax_id(party.tax_id or "") else None
            if known is None or not party.name or key not in data.confidence:
                continue
            score = data.confidence[key]
            if _exact(party.name) == known:
                data.confidence[key] = round(KNOWN_NAME_FLOOR + (1 - KNOWN_NAME_FLOOR) * score, 3)
            else:
                data.confidence[key] = round(OTHER_NAME_SHARE * score, 3)

    def learn_number(self, seller_tax_id: str | None, invoice_number: str | None) -> None:
        """Remember the series letters of an exactly read invoice number of a seller."""
        if seller_tax_id and invoice_number:
            found = _SERIES.match(invoice_number)
            self._series[seller_tax_id][found.group() if found else ""] += 1
            self._shapes[seller_tax_id][_shape(invoice_number)] += 1

    def series_of(self, seller_tax_id: str | None) -> str | None:
        """The letters every exactly read number of the seller begins with, if they agree."""
        return agreed(self._series.get(seller_tax_id or "")) or None

    def shape_of(self, seller_tax_id: str | None) -> str | None:
        """The shape ("CPS/99/99999") every exactly read number of the seller has, if one."""
        return agreed(self._shapes.get(seller_tax_id or ""))

    def tax_id_of(self, name: str | None) -> str | None:
        """The one tax id the party named so (or with OCR slips in its name) is known by."""
        key = _name_key(name or "")
        if not key or not self._ids:
            return None
        if key not in self._ids:
            budget = max(1.0, _SLIP_SHARE * len(key))
            near = [
                (cost, known)
                for known in self._ids
                if abs(len(known) - len(key)) <= budget
                and (cost := slip_distance(key, known)) <= budget
            ]
            near.sort()
            if not near or (len(near) > 1 and near[1][0] == near[0][0]):
                return None
            key = near[0][1]
        ids = self._ids[key]
        return next(iter(ids)) if len(ids) == 1 else None

    def complete(self, data: InvoiceData, tokens: Sequence[str] = ()) -> None:
        """Fill the unreadable or invalid tax ids of `data`'s parties with their known ones,
        and an unfound invoice number with the one token of the page (`tokens`) shaped like
        every number of its seller."""
        for role in PARTIES:
            party = getattr(data, role)
            if party.tax_id and is_valid_tax_id(party.tax_id):
                continue
            known = self.tax_id_of(party.name)
            other = getattr(data, PARTIES[1 - PARTIES.index(role)]).tax_id
            if known is None or known == other:
                continue
            read = f"read as {party.tax_id}, which fails its check" if party.tax_id else "unread"
            data.warnings.append(
                f"tax_id_from_known_party: {role} tax id {known} is the one '{party.name}' has "
                f"on invoices read exactly ({read} here)"
            )
            party.tax_id = known
            data.confidence[f"{role}.tax_id"] = KNOWN_ID_CONFIDENCE
        self._mend_series(data)
        self._number_by_shape(data, tokens)

    def _number_by_shape(self, data: InvoiceData, tokens: Sequence[str]) -> None:
        """A number shaped unlike every exact one of its seller: without a speck glued at an
        edge ("1INT2307295") or a space read inside it ("INT 2204696") if that gives the shape;
        else (or none found beside an unreadable label) the one token of the page with it."""
        shape, number = self.shape_of(data.seller.tax_id), data.invoice_number
        if not shape or not re.search(r"\d", shape) or (number and _shape(number) == shape):
            return
        if number and _shape(unspaced := re.sub(r"\s+", "", number)) == shape:
            found = {unspaced}
            why = f"read as {number}, a space inside it"
        else:
            found = (
                {t for t in (number[1:], number[:-1]) if _shape(t) == shape} if number else set()
            )
            why = f"read as {number} with a speck glued on"
        if not found:
            found = {t for t in (tok.strip(_TOKEN_EDGE) for tok in tokens) if _shape(t) == shape}
            why = "the one word on the page with that shape; " + (
                f"{number} was read beside its label" if number else "its label was unreadable"
            )
        if len(found) != 1:
            return
        data.invoice_number = found.pop()
        data.confidence["invoice_number"] = KNOWN_ID_CONFIDENCE
        data.warnings.append(
            f"invoice_number_by_shape: {data.invoice_number}, shaped like every number of the "
            f"seller read exactly ({shape}): {why}"
        )

    def _mend_series(self, data: InvoiceData) -> None:
        number, series = data.invoice_number, self.series_of(data.seller.tax_id)
        if not number or not series or number.startswith(series) or len(number) <= len(series):
            return
        if not all(lookalike(a, b) for a, b in zip(number, series, strict=False)):
            return
        data.invoice_number = series + number[len(series) :]
        data.warnings.append(
            f"invoice_number_mended: {number} read for {data.invoice_number}: the seller's "
            f"numbers read exactly all begin with {series}"
        )
        data.confidence["invoice_number"] = round(
            data.confidence.get("invoice_number", 0.0) * MENDED_NUMBER_SHARE, 3
        )
