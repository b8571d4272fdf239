"""Field-by-field comparison of extracted invoices with ground truth (for tests and benchmarks)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from facturas_assets.documents.extraction.taxids import compact
from facturas_assets.documents.model import InvoiceData, invoice_to_json

CORE_FIELDS = ("invoice_number", "issue_date", "net_total", "tax_total", "total", "currency")
PARTY_FIELDS = ("seller.name", "seller.tax_id", "buyer.name", "buyer.tax_id")
# The Spanish extras, scored only on documents whose truth states them (the new cases).
EXTRA_FIELDS = ("withholding", "recargo", "breakdown")


def _norm_text(value: Any) -> str | None:
    return " ".join(str(value).split()).casefold() if value is not None else None


def same_text(got: Any, truth: Any) -> bool:
    """Whether two names compare equal as the benchmarks score them (case and spacing aside)."""
    return _norm_text(got) == _norm_text(truth)


def _norm_tax_id(value: Any) -> str | None:
    """Tax ids compare without separators, and an ES prefix on a Spanish id is optional."""
    if not value:
        return None
    v = compact(str(value))
    return v[2:] if v.startswith("ES") and len(v) == 11 else v


_MONEY = frozenset({"net_total", "tax_total", "total"})


def _by_value(value: Any) -> Decimal | str | None:
    """A number compared by value ("2" is "2.00"); a value that is no number, as written."""
    try:
        return _dec(value)
    except ArithmeticError:
        return str(value)


def _line_key(line: dict[str, Any]) -> tuple[Any, ...]:
    """A line by its description (case and spacing aside) and its numbers by value."""
    return (
        _norm_text(line.get("description")),
        _by_value(line.get("quantity")),
        _by_value(line.get("unit_price")),
        _by_value(line.get("amount")),
    )


def _line_numbers(line: dict[str, Any]) -> tuple[Any, ...]:
    return _line_key(line)[1:]


def _share_found(truth: list[dict[str, Any]], got: list[dict[str, Any]], key: Any) -> float | None:
    true_lines = Counter(key(ln) for ln in truth)
    total = sum(true_lines.values())
    if not total:
        return None
    return sum((true_lines & Counter(key(ln) for ln in got)).values()) / total


def _dec(value: Any) -> Decimal | None:
    """A decimal compared by value ("21" == "21.00")."""
    return None if value is None else Decimal(str(value))


def _breakdown_key(rows: list[dict[str, Any]] | None) -> list[tuple[Any, ...]]:
    """Rows by rate, each compared by value: rate, base, tax, recargo rate and amount."""
    keys = ("rate", "base", "tax", "recargo_rate", "recargo")
    return sorted(
        (tuple(_dec(row.get(k)) for k in keys) for row in rows or []),
        key=lambda r: tuple(Decimal(-1) if v is None else v for v in r),
    )


def compare_extras(truth: dict[str, Any], got: dict[str, Any]) -> dict[str, float]:
    """1.0/0.0 for withholding (amount and rate), recargo and breakdown, where truth has them."""
    out: dict[str, float] = {}
    if truth.get("withholding_total") is not None:
        out["withholding"] = float(
            _dec(got.get("withholding_total")) == _dec(truth["withholding_total"])
            and _dec(got.get("withholding_rate")) == _dec(truth.get("withholding_rate"))
        )
    if truth.get("recargo_total") is not None:
        out["recargo"] = float(_dec(got.get("recargo_total")) == _dec(truth["recargo_total"]))
    if truth.get("tax_breakdown"):
        out["breakdown"] = float(
            _breakdown_key(got.get("tax_breakdown")) == _breakdown_key(truth["tax_breakdown"])
        )
    return out


def compare(truth: dict[str, Any], data: InvoiceData) -> dict[str, float]:
    """1.0/0.0 per scalar field; for 'lines' the share of true lines extracted exactly, and for
    'line_numbers' the share whose quantity, unit price and amount are exact."""
    got = invoice_to_json(data)
    out: dict[str, float] = {}
    for name in CORE_FIELDS:
        if name in _MONEY:  # by value: "61.05" is "61.0500"
            out[name] = float(_by_value(got[name]) == _by_value(truth.get(name)))
        else:
            out[name] = float(got[name] == truth.get(name))
    for name in PARTY_FIELDS:
        party, key = name.split(".")
        norm = _norm_tax_id if key == "tax_id" else _norm_text
        out[name] = float(norm(got[party][key]) == norm((truth.get(party) or {}).get(key)))
    out.update(compare_extras(truth, got))
    for name, key in (("lines", _line_key), ("line_numbers", _line_numbers)):
        share = _share_found(truth.get("lines") or [], got["lines"], key)
        if share is not None:
            out[name] = share
    return out


@dataclass(slots=True)
class Tally:
    """Running accuracy per field over many documents."""

    sums: Counter[str] = field(default_factory=Counter)
    counts: Counter[str] = field(default_factory=Counter)
    true_lines: int = 0
    right_lines: int = 0
    right_numbers: int = 0  # lines whose quantity, unit price and amount are exact

    def add(self, truth: dict[str, Any], data: InvoiceData) -> dict[str, float]:
        """Score one document and add it to the totals; returns its per-field scores."""
        scores = compare(truth, data)
        n = len(truth.get("lines") or [])
        for name, value in scores.items():
            if name == "lines":
                self.true_lines += n
                self.right_lines += round(value * n)
            elif name == "line_numbers":
                self.right_numbers += round(value * n)
            else:
                self.sums[name] += value
                self.counts[name] += 1
        return scores

    def accuracy(self) -> dict[str, float]:
        """Accuracy per field (0..1); 'lines' is the share of all true lines extracted exactly."""
        out = {name: self.sums[name] / self.counts[name] for name in self.counts}
        if self.true_lines:
            out["lines"] = self.right_lines / self.true_lines
            out["line_numbers"] = self.right_numbers / self.true_lines
        return out
