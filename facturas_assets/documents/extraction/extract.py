"""Put the extractors together: lines, labels, table, header fields, totals, parties, currency."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from facturas_assets.documents.extraction.calibration import default_calibration
from facturas_assets.documents.extraction.currency_country import infer_currency
from facturas_assets.documents.extraction.dates import EARLIEST, find_dates, latest_plausible
from facturas_assets.documents.extraction.fields import (
    Candidate,
    best_date,
    best_number,
    labelled_lines,
    ocr_serial_digit,
    resolve_totals,
)
from facturas_assets.documents.extraction.header import (
    HeaderCandidates,
    header_candidates,
    learned_pick,
)
from facturas_assets.documents.extraction.labels import LabelMatch, match_field_labels
from facturas_assets.documents.extraction.layout import Cell, Line, build_lines
from facturas_assets.documents.extraction.line_numbers import (
    restore_amounts_from_net,
    restore_line_numbers,
    restore_lost_minus,
)
from facturas_assets.documents.extraction.memory import ReadingMemory
from facturas_assets.documents.extraction.numbers import (
    currency_of,
    decimal_style,
    digit_string,
    edge_of,
    find_amounts,
    one_digit_off,
)
from facturas_assets.documents.extraction.parties import extract_parties
from facturas_assets.documents.extraction.table import extract_table
from facturas_assets.documents.extraction.tax_extras import (
    adds_up,
    apply_extras,
    breakdown_sums,
    expected_totals,
    is_extra_line,
    read_tax_extras,
)
from facturas_assets.documents.extraction.totals_block import (
    block_amounts,
    infer_from_rate,
    infer_totals,
    infer_with_rates,
    printed_rate,
    totals_block,
    zero_rate_printed,
)
from facturas_assets.documents.model import InvoiceData, Page, ReadDocument, Word

FIELDS = ("invoice_number", "issue_date", "currency", "net_total", "tax_total", "total")
TOTAL_FIELDS = ("net_total", "tax_total", "total")


def extract_invoice(
    doc: ReadDocument, memory: ReadingMemory | None = None, calibrated: bool = True
) -> InvoiceData:
    """The invoice fields of a read document; e-invoices are returned as read (they are exact).

    With a memory, an exactly read document (e-invoice, text layer) teaches it, and a scan's
    OCR slips (descriptions, unreadable tax ids, series letters) are mended from it. Field
    confidences are calibrated (calibration.json) unless `calibrated` is False (raw scores).
    """
    if doc.einvoice is not None:
        data = doc.einvoice
    else:
        data = extract_pages(doc.pages, ocr=doc.method == "ocr")
        if memory is not None and doc.method == "ocr":
            memory.improve(data, [w.text for page in doc.pages for w in page.words])
        data.warnings.extend(w for w in doc.warnings if w not in data.warnings)
        if calibrated:
            default_calibration().apply(data, doc.method)
    if memory is not None and doc.method != "ocr":
        memory.learn(data)
    return data


def extract_pages(pages: list[Page], ocr: bool = False, learned: bool = True) -> InvoiceData:
    """The invoice fields found in pages of positioned words, each with a confidence.

    On OCR'd pages, item quantities and prices garbled by OCR are restored where the row's
    amount allows one reading only (text layers are exact: a mismatch there is the invoice's).
    The invoice number and issue date are chosen by the learned scorer (header.py), or by the
    hand-set label scores alone when `learned` is False.
    """
    lines = build_lines(pages)
    data = InvoiceData()
    data.confidence = {name: 0.0 for name in FIELDS}
    if not lines:
        return data
    hint = decimal_style([ln.text for ln in lines])
    table = extract_table(lines, hint, ocr=ocr)
    data.lines = table.lines
    data.confidence["lines"] = table.confidence
    if ocr:
        restored = restore_line_numbers(data.lines, table.discounts)
        data.warnings.extend(restored)
        if restored:
            data.confidence["lines"] = round(table.confidence * 0.9, 3)
    labels = {
        ln.index: [] if is_extra_line(ln.text) else line_labels(ln)
        for ln in lines
        if ln.index not in table.used_lines
    }
    candidates = labelled_lines(lines, labels)
    if learned:
        found = header_candidates(lines, labels, table.used_lines, pages, candidates)
        _learned_header(data, found, candidates, lines, labels, ocr)
    else:
        _rule_header(data, candidates, lines, labels, ocr)
    _repair_future_year(data, lines)

    line_sum = sum((ln.amount for ln in data.lines if ln.amount is not None), Decimal(0))
    totals, consistent = resolve_totals(candidates, line_sum if data.lines else None)
    net_read = totals["net_total"]
    block = totals_block(lines, table.used_lines)
    apply_extras(data, read_tax_extras(block, hint, None if net_read is None else net_read.value))
    if not consistent and all(c is not None and not c.repaired for c in totals.values()):
        # net + tax + recargo - withholding = total is as consistent as net + tax = total.
        consistent = adds_up(
            InvoiceData(
                net_total=net_read.value,  # type: ignore[union-attr]
                tax_total=totals["tax_total"].value,  # type: ignore[union-attr]
                total=totals["total"].value,  # type: ignore[union-attr]
                withholding_total=data.withholding_total,
                recargo_total=data.recargo_total,
            )
        )
    if not consistent and _from_breakdown(data, totals):
        consistent = True
    for name, cand in totals.items():
        if cand is not None:
            # Money in cents: a round amount printed "0" or "£ 10" is 0.00 / 10.00.
            value = cand.value
            if value.as_tuple().exponent > -2:
                value = value.quantize(Decimal("0.01"))
            setattr(data, name, value)
            data.confidence[name] = round(min(1.0, cand.score * (1.0 if consistent else 0.7)), 3)
            if cand.repaired:
                data.warnings.append(
                    f"amount_repaired: {name} {cand.value} read with its {cand.repaired} "
                    "restored, the only reading for which net + tax = total"
                )
                data.confidence[name] = round(data.confidence[name] * 0.7, 3)
    _fill_from_document(data, lines, table.used_lines, hint, line_sum)
    if ocr:
        data.warnings.extend(restore_amounts_from_net(data.lines, table.discounts, data.net_total))
        data.warnings.extend(restore_lost_minus(data.lines, data.net_total))

    currency, cur_conf = currency_of([ln.text for ln in lines])
    data.currency = currency
    data.confidence["currency"] = cur_conf

    parties = extract_parties(lines, labels, table.used_lines)
    data.seller, data.buyer = parties.seller, parties.buyer
    for key in ("seller.name", "seller.tax_id", "buyer.name", "buyer.tax_id"):
        data.confidence[key] = parties.confidence.get(key, 0.0)
    if data.currency is None:
        inferred = infer_currency([ln.text for ln in lines], data.seller.tax_id, data.buyer.tax_id)
        if inferred is not None:
            data.currency, note = inferred
            data.confidence["currency"] = 0.6  # a country's currency, not a printed one
            data.warnings.append(note)
    return data


def _rule_header(
    data: InvoiceData,
    candidates: list[Candidate],
    lines: list[Line],
    labels: dict[int, list[LabelMatch]],
    ocr: bool,
    fields: tuple[str, ...] = ("invoice_number", "issue_date"),
) -> None:
    """Number and date (or those of `fields`) by the hand-set scores of the label-anchored
    candidates."""
    number = best_number(candidates) if "invoice_number" in fields else None
    if number is not None:
        data.invoice_number = ocr_serial_digit(number.value) if ocr else str(number.value)
        data.confidence["invoice_number"] = round(number.score, 3)
    if "issue_date" not in fields:
        return
    issued = best_date(candidates)
    if issued is not None:
        data.issue_date = issued.value
        data.confidence["issue_date"] = round(issued.score, 3)
    else:
        _first_date(data, lines, labels)


# Confidence of an issue date no label of its own vouches for (as the first-date guess had).
_GUESSED_DATE = 0.3


def _learned_header(
    data: InvoiceData,
    found: HeaderCandidates,
    candidates: list[Candidate],
    lines: list[Line],
    labels: dict[int, list[LabelMatch]],
    ocr: bool,
) -> None:
    """Number and date by the learned scorer, its probability as the raw confidence; a field
    for which no candidate is likely is left to the rules (a date under a title alone, the
    first date of the page)."""
    number = learned_pick(found, "invoice_number")
    if number is not None:
        cand, prob = number
        data.invoice_number = ocr_serial_digit(cand.value) if ocr else str(cand.value)
        data.confidence["invoice_number"] = round(prob, 3)
    issued = learned_pick(found, "issue_date")
    if issued is not None:
        cand, prob = issued
        data.issue_date, data.confidence["issue_date"] = cand.value, round(prob, 3)  # type: ignore[assignment]
        if not any(c.rule_score > 0 for c in found.by_field["issue_date"]):
            # No date label was read at all: as sure as the rules' first-date guess, no more.
            data.confidence["issue_date"] = round(min(prob, _GUESSED_DATE), 3)
            data.warnings.append(
                f"issue_date_guessed: no issue-date label was read; {cand.value} was chosen "
                "among the document's dates by their place and neighbours"
            )
    left = tuple(
        name for name, pick in (("invoice_number", number), ("issue_date", issued)) if pick is None
    )
    if left:
        _rule_header(data, candidates, lines, labels, ocr, left)


def _from_breakdown(data: InvoiceData, totals: dict[str, Candidate | None]) -> bool:
    """Net and tax picked that do not add up, where the breakdown by rate printed sums to a
    net and tax that do with the total read: take the sums (each row is printed)."""
    sums, total = breakdown_sums(data.tax_breakdown), totals["total"]
    if sums is None or total is None or total.repaired:
        return False
    check = InvoiceData(
        net_total=sums[0],
        tax_total=sums[1],
        total=total.value,
        withholding_total=data.withholding_total,
        recargo_total=data.recargo_total,
    )
    if not adds_up(check):
        return False
    for name, value in zip(("net_total", "tax_total"), sums, strict=True):
        totals[name] = replace(total, kind=name, value=value)
    return True


def line_labels(line: Line) -> list[LabelMatch]:
    """Field labels of a line, matched cell by cell (a label never spans a column gap)."""
    found: list[LabelMatch] = []
    offset = 0
    for cell in line.cells:
        for m in match_field_labels([w.text for w in cell.words]):
            found.append(LabelMatch(m.kind, m.start + offset, m.end + offset, m.strength))
        offset += len(cell.words)
    return found


def _first_date(data: InvoiceData, lines: list[Line], labels: dict[int, list[LabelMatch]]) -> None:
    """No labelled issue date (its label unreadable): the first date of the first page, unless a
    label of another date (due, delivery) stands right before it; low confidence, a warning."""
    for line in lines:
        if line.page != lines[0].page or line.index not in labels:
            continue
        for cell_no, cell in enumerate(line.cells):
            found = find_dates(cell.text)
            if not found:
                continue
            before = sum(len(c.words) for c in line.cells[:cell_no])
            before += len(_words_before(cell, found[0].start))
            if any(
                m.kind != "issue_date" and m.end <= before and m.end >= before - 3
                for m in labels[line.index]
            ):
                continue
            data.issue_date = found[0].value
            data.confidence["issue_date"] = 0.3
            data.warnings.append(
                f"issue_date_guessed: no issue-date label was read; {found[0].value} is the "
                "first date of the document"
            )
            return


def _repair_future_year(data: InvoiceData, lines: list[Line]) -> None:
    """An issue date whose year OCR misread into the future ("2425", "2925") takes the one
    year the page's other dates share, where they share one."""
    issued, latest = data.issue_date, latest_plausible()
    if issued is None or issued <= latest:
        return
    years = {
        found.value.year
        for line in lines
        for found in find_dates(line.text)
        if found.value != issued and EARLIEST <= found.value <= latest
    }
    if len(years) != 1:
        return
    year = years.pop()
    try:
        data.issue_date = issued.replace(year=year)
    except ValueError:
        return  # 29 February in a year without it
    data.confidence["issue_date"] = round(data.confidence["issue_date"] * 0.7, 3)
    data.warnings.append(
        f"issue_date_repaired: year {issued.year} read for {year}, the year of the page's "
        "other dates"
    )


def _words_before(cell: Cell, start: int) -> list[Word]:
    """The words of a cell that end before character offset `start` of its text."""
    out, pos = [], 0
    for w in cell.words:
        if pos + len(w.text) <= start:
            out.append(w)
        pos += len(w.text) + 1
    return out


def _fill_from_document(
    data: InvoiceData, lines: list[Line], used: set[int], hint: str | None, line_sum: Decimal
) -> None:
    """Fill a missing total field only with an amount printed on the page that fits the others."""
    printed = {
        a.value
        for ln in lines
        if ln.index not in used
        for a in find_amounts(ln.text, hint)
        if a.has_decimals
    }
    filled: list[str] = []
    _fill_total(data, printed, filled)
    extra = _extras_delta(data)
    if data.net_total is None and data.total is not None and data.tax_total is not None:
        expected = data.total - data.tax_total - extra
        if expected in printed:
            data.net_total, data.confidence["net_total"] = expected, 0.6
            filled.append("net_total")
    if data.net_total is None and data.lines and line_sum in printed:
        data.net_total, data.confidence["net_total"] = line_sum, 0.5
        filled.append("net_total")
        _fill_total(data, printed, filled)  # the net the items vouch for may give it now
    if data.tax_total is None and data.net_total is not None and data.total is not None:
        expected = data.total - data.net_total - extra
        # A zero tax (net = total) needs the items to agree: a garbled amount read twice does not.
        zero_ok = (
            expected == 0 and data.net_total > 0 and (not data.lines or data.net_total == line_sum)
        )
        if (expected in printed and expected != 0) or zero_ok:
            data.tax_total, data.confidence["tax_total"] = expected, 0.6
            filled.append("tax_total")
    _drop_speck_minus(data)  # before the warning, which shows the values as taken
    if filled:
        _warn_inferred(data, filled)
    _infer_missing_totals(data, lines, used, hint, line_sum)
    _drop_speck_minus(data)


def _fill_total(data: InvoiceData, printed: set[Decimal], filled: list[str]) -> None:
    """A missing total from net + tax, where that sum is printed on the page."""
    if data.total is None and data.net_total is not None and data.tax_total is not None:
        expected = data.net_total + data.tax_total + _extras_delta(data)
        if expected in printed:
            data.total, data.confidence["total"] = expected, 0.6
            filled.append("total")


def _extras_delta(data: InvoiceData) -> Decimal:
    """What the total adds to net + tax: the recargo, less the withholding."""
    return (data.recargo_total or Decimal(0)) - (data.withholding_total or Decimal(0))


def _drop_speck_minus(data: InvoiceData) -> None:
    """One of net, tax and total read negative ("9.017,94 €-") where, positive, the three add
    up: its minus was a speck (a credit note has all three negative)."""
    values = {name: getattr(data, name) for name in TOTAL_FIELDS}
    if any(v is None for v in values.values()):
        return
    negative = [name for name, v in values.items() if v < 0]
    if len(negative) != 1:
        return
    name = negative[0]
    flipped = {**values, name: -values[name]}
    if flipped["net_total"] + flipped["tax_total"] != flipped["total"]:
        return
    setattr(data, name, flipped[name])
    data.confidence[name] = round(data.confidence.get(name, 0.0) * 0.7, 3)
    data.warnings.append(
        f"amount_repaired: {name} {values[name]} read with its sign restored, the only reading "
        "for which net + tax = total"
    )


def _has_cents(amount: Decimal | None) -> bool:
    return amount is not None and amount.as_tuple().exponent == -2


def _may_replace(
    read: Decimal | None, found: dict[str, Decimal], items: Decimal | None, name: str
) -> bool:
    """A missing value may be filled; a read one replaced only when the items' sum vouches for
    the new net, or when it is what is left of the new value with digits lost at an edge
    ("2,08" for 272,08 under a stamp). A printed total is otherwise rewritten digit by digit
    only where `_total_misread` says so."""
    if read is None or (items is not None and found.get("net_total") == items):
        return True
    return name in found and _digits_lost(read, found[name])


def _total_misread(
    known: dict[str, Decimal | None], found: dict[str, Decimal], rate: Decimal | None
) -> bool:
    """Whether the total read is net + tax with one digit misread ("12.483,81" for
    12.493,81), where the tax read is exactly the one printed rate of the net read."""
    net, tax, total = (known[n] for n in TOTAL_FIELDS)
    if rate is None or net is None or tax is None or total is None:
        return False
    if infer_from_rate(net, rate)["tax_total"] != tax or found["total"] != net + tax:
        return False
    return one_digit_off(digit_string(total), digit_string(found["total"]))


def _digits_lost(read: Decimal, value: Decimal) -> bool:
    """Whether `read` is `value` with digits lost at the start or the end, or its decimal sign
    (a minus aside)."""
    short, full = digit_string(read), digit_string(value)
    if short.rstrip("0") == full.rstrip("0"):
        return abs(read) != abs(value)  # a lost minus alone is the speck-minus rule's
    return len(short) >= 2 and edge_of(short, full)


def _from_rate(
    known: dict[str, Decimal | None], items: Decimal, rate: Decimal
) -> dict[str, Decimal] | None:
    """Tax and total both lost (unread, or read with digits lost at an edge): the net the items
    vouch for (read so too, or unread) under the one rate printed; None where what was read
    disagrees."""
    found = infer_from_rate(items, rate)
    agree = all(
        known[n] in (None, found[n]) or _digits_lost(known[n], found[n]) for n in TOTAL_FIELDS
    )
    return found if agree else None


def _warn_inferred(
    data: InvoiceData, names: list[str], how: str = "printed amounts by arithmetic"
) -> None:
    data.warnings.append(
        f"totals_inferred: {', '.join(names)} taken from {how} "
        f"(net {data.net_total} + tax {data.tax_total} = total {data.total}); "
        "their labels or amounts were not read whole"
    )


def _infer_missing_totals(
    data: InvoiceData, lines: list[Line], used: set[int], hint: str | None, line_sum: Decimal
) -> None:
    """Totals still missing or not adding up: try the totals block's amounts and VAT rates.

    A value that was read is only replaced when the items' sum vouches for the new net.
    """
    known = {name: getattr(data, name) for name in TOTAL_FIELDS}
    if None not in known.values() and data.total in expected_totals(data):
        return
    if _extras_delta(data):
        return  # the inferences below know net + tax = total, not a recargo or withholding
    block = totals_block(lines, used)
    amounts = block_amounts(block, hint)
    zero_rate = zero_rate_printed(block)
    # The items' sum is evidence only when every item amount was read with its cents.
    items = line_sum if data.lines and all(_has_cents(ln.amount) for ln in data.lines) else None
    blank: dict[str, Decimal | None] = dict.fromkeys(TOTAL_FIELDS)
    # What was read is kept when the block agrees with it; else the block alone decides.
    found = infer_totals(amounts, items, known, zero_rate) or infer_totals(
        amounts, items, blank, zero_rate
    )
    if found is None:
        found = infer_with_rates(known, items, zero_rate)
    if found is None and known["net_total"] is not None and known["tax_total"] is not None:
        # The total is the OCR slip.
        found = infer_with_rates({**known, "total": None}, items, zero_rate)
    if found is None and known["total"] is not None:
        # ... or the net or tax is (a rate read as an amount): the items and a rate settle both.
        found = infer_with_rates({**known, "net_total": None, "tax_total": None}, items, zero_rate)
    how = "printed amounts by arithmetic"
    rate = printed_rate(block)
    if found is None and items is not None:
        block_rate = Decimal(0) if rate is None and zero_rate else rate
        if block_rate is not None:
            found = _from_rate(known, items, block_rate)
            how = f"the items' net and the {block_rate:f} % rate printed"
    if not found:
        return
    changed = [n for n in TOTAL_FIELDS if n in found and found[n] != known[n]]
    if changed == ["total"] and _total_misread(known, found, rate):
        how = "the net and tax read, the tax being the printed rate of the net"
    elif not changed or not all(_may_replace(known[n], found, items, n) for n in changed):
        return
    for name in changed:
        setattr(data, name, found[name])
        data.confidence[name] = 0.5 if found.get("net_total", known["net_total"]) == items else 0.4
    _warn_inferred(data, changed, how)
