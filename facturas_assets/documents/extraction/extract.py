"""Put the extractors together: lines, labels, table, header fields, totals, parties, currency."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_DOWN, Decimal

from facturas_assets.documents.extraction.box_row_number import GUESSED, box_row_number
from facturas_assets.documents.extraction.calibration import default_calibration
from facturas_assets.documents.extraction.currency_country import infer_currency
from facturas_assets.documents.extraction.dates import EARLIEST, find_dates, latest_plausible
from facturas_assets.documents.extraction.fields import (
    Candidate,
    best_date,
    best_number,
    labelled_lines,
    ocr_number,
)
from facturas_assets.documents.extraction.header import (
    HeaderCandidates,
    header_candidates,
    learned_pick,
)
from facturas_assets.documents.extraction.invoice_word_slips import invoice_words_mended
from facturas_assets.documents.extraction.labels import (
    TOTAL_KINDS,
    WEAK_STRENGTH,
    LabelMatch,
    match_field_labels,
    sign_reading_before_reference,
)
from facturas_assets.documents.extraction.layout import (
    CELL_GAP,
    OCR_CELL_GAP,
    Cell,
    Line,
    build_lines,
)
from facturas_assets.documents.extraction.line_numbers import (
    restore_amounts_from_net,
    restore_line_numbers,
    restore_lost_minus,
)
from facturas_assets.documents.extraction.memory import ReadingMemory
from facturas_assets.documents.extraction.numbers import (
    currency_of,
    decimal_style,
)
from facturas_assets.documents.extraction.original_title import (
    is_credit_note,
    original_as_title,
)
from facturas_assets.documents.extraction.parties import extract_parties
from facturas_assets.documents.extraction.prepayment import before_prepayment
from facturas_assets.documents.extraction.stacked_labels import join_stacked_labels
from facturas_assets.documents.extraction.table import extract_table
from facturas_assets.documents.extraction.tax_extras import (
    apply_extras,
    breakdown_sums,
    is_extra_line,
    read_tax_extras,
)
from facturas_assets.documents.extraction.text import alnum_count
from facturas_assets.documents.extraction.totals_block import (
    minus_amounts,
    printed_rate,
    totals_block,
    zero_rate_printed,
)
from facturas_assets.documents.extraction.totals_choice import (
    Evidence,
    TotalsChoice,
    choose_totals,
)
from facturas_assets.documents.extraction.totals_derived import irpf_rate
from facturas_assets.documents.extraction.totals_options import total_options
from facturas_assets.documents.extraction.wrapped_signs import signs_after_wraps
from facturas_assets.documents.model import InvoiceData, Page, ReadDocument, Word
from facturas_assets.documents.ocr_words import mend_pages
from facturas_assets.documents.rates import CENT

FIELDS = ("invoice_number", "issue_date", "currency", "net_total", "tax_total", "total")
_ROWS_VOUCHED = 0.3  # breakdown sums are printed rows each checked by its rate


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


def page_lines(pages: list[Page], ocr: bool) -> tuple[list[Page], list[Line]]:
    """The pages as read (OCR'd ones mended) and their lines: what every field is found in."""
    if ocr:
        pages = mend_pages(pages)  # amounts OCR split or spelt with letters, by their shape
        pages = invoice_words_mended(pages)
    return pages, build_lines(pages, OCR_CELL_GAP if ocr else CELL_GAP)


def extract_pages(pages: list[Page], ocr: bool = False, learned: bool = True) -> InvoiceData:
    """The invoice fields found in pages of positioned words, each with a confidence.

    On OCR'd pages, item quantities and prices garbled by OCR are restored where the row's
    amount allows one reading only (text layers are exact: a mismatch there is the invoice's).
    The invoice number and issue date are chosen by the learned scorer (header.py), or by the
    hand-set label scores alone when `learned` is False.
    """
    pages, lines = page_lines(pages, ocr)
    data = InvoiceData()
    data.confidence = {name: 0.0 for name in FIELDS}
    if not lines:
        return data
    hint = decimal_style([ln.text for ln in lines])
    table = extract_table(lines, hint, ocr=ocr)
    data.lines = table.lines
    data.confidence["lines"] = table.confidence
    data.warnings.extend(table.warnings)
    if ocr:
        restored = restore_line_numbers(data.lines, table.discounts)
        data.warnings.extend(restored)
        if restored:
            data.confidence["lines"] = round(table.confidence * 0.9, 3)
    labels = header_labels(lines, table.used_lines)
    candidates = labelled_lines(lines, labels)
    if learned:
        found = header_candidates(lines, labels, table.used_lines, pages, candidates)
        _learned_header(data, found, candidates, lines, labels, ocr)
    else:
        rule_header(data, candidates, lines, labels, ocr)
    _repair_future_year(data, lines)

    line_sum = sum((ln.amount for ln in data.lines if ln.amount is not None), Decimal(0))
    block = totals_block(
        lines, table.used_lines, [c.line for c in candidates if c.kind in TOTAL_KINDS]
    )
    extras = read_tax_extras(block, hint, None)
    # The items' sum is a net of its own only when every item amount was read with its cents.
    exact = line_sum if data.lines and all(_has_cents(ln.amount) for ln in data.lines) else None
    evidence = Evidence(
        items=line_sum if data.lines else None,
        rate=printed_rate(block),
        rows=breakdown_sums(extras.breakdown),
        zero_rate=zero_rate_printed(block),
        withholding=extras.withholding_total,
        recargo=extras.recargo_total,
        exact_items=exact,
        unlabelled_withholding=minus_amounts(block, hint),
        items_tax=table.items_tax,
    )
    # A total printed after a deposit deducted is the amount still due, not the total.
    totals = before_prepayment(candidates, block)
    options = total_options(totals, block, hint, extras, exact, is_credit_note(lines))
    choice = choose_totals(options, evidence)
    net = choice.picked["net_total"]
    apply_extras(data, read_tax_extras(block, hint, None if net is None else net.value))
    if data.withholding_total is None and choice.withheld:
        _infer_withholding(data, choice)
    take_totals(data, choice, exact, ocr)
    if ocr:
        data.warnings.extend(restore_amounts_from_net(data.lines, table.discounts, data.net_total))
        data.warnings.extend(restore_lost_minus(data.lines, data.net_total))

    parties = extract_parties(lines, labels, table.used_lines, data.invoice_number)
    data.seller, data.buyer = parties.seller, parties.buyer
    for key in ("seller.name", "seller.tax_id", "buyer.name", "buyer.tax_id"):
        data.confidence[key] = parties.confidence.get(key, 0.0)

    texts = [ln.text for ln in lines]
    inferred = infer_currency(texts, data.seller.tax_id, data.buyer.tax_id)
    data.currency, data.confidence["currency"] = currency_of(
        texts, prefer=None if inferred is None else inferred[0]
    )
    if data.currency is None and inferred is not None:
        data.currency, note = inferred
        data.confidence["currency"] = 0.6  # a country's currency, not a printed one
        data.warnings.append(note)
    return data


def _infer_withholding(data: InvoiceData, choice: TotalsChoice) -> None:
    """A withholding no label was read for, taken because the totals add up with it and it is
    a usual IRPF rate of the net; said in a warning."""
    withheld, net = choice.withheld, choice.picked["net_total"]
    data.withholding_total = abs(withheld)
    data.withholding_rate = irpf_rate(None if net is None else net.value, withheld)
    data.warnings.append(
        f"withholding_inferred: {abs(withheld)} printed with a minus and no label read is taken "
        f"for the withholding (net + tax - withholding = total; {data.withholding_rate} % of "
        "the net)"
    )


def take_totals(
    data: InvoiceData, choice: TotalsChoice, items: Decimal | None, ocr: bool = False
) -> None:
    """Set the chosen net, tax and total on `data` with their confidences and warnings.

    A labelled value the arithmetic vouches for keeps its label's score, one it does not loses
    a third; a repaired reading loses a third more and says so; an amount no label was read for
    (or an unprinted zero tax) is taken from the arithmetic alone, with a low confidence.
    """
    inferred = []
    net = choice.picked["net_total"]
    vouched = net is not None and net.value == items  # the items vouch for the net
    for name, opt in choice.picked.items():
        if opt is None:
            continue
        # Money in cents: a round amount printed "0" or "£ 10" is 0.00 / 10.00. A text layer's
        # finer amounts are as printed ("6.3249"); on a scan a digit past the cents is OCR's
        # reading of a sign glued to them ("266,096" for "266,09€"), and the cents stand.
        value = opt.value
        if ocr or value.as_tuple().exponent > -2:
            value = value.quantize(CENT, ROUND_DOWN)
        setattr(data, name, value)
        if opt.origin in ("block", "zero", "items", "derived"):
            data.confidence[name] = 0.5 if vouched else 0.4
            inferred.append(name)
            continue
        score = opt.prior + (_ROWS_VOUCHED if opt.origin == "rows" else 0.0)
        data.confidence[name] = round(min(1.0, score * (1.0 if choice.consistent else 0.7)), 3)
        if opt.repaired:
            data.warnings.append(
                f"amount_repaired: {name} {opt.read} read with its {opt.repaired} "
                "restored, the only reading for which net + tax = total"
            )
            data.confidence[name] = round(data.confidence[name] * 0.7, 3)
    if inferred:
        _warn_inferred(data, inferred, choice.derived or "printed amounts by arithmetic")


def rule_header(
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
        data.invoice_number = ocr_number(number.value, ocr)
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
        data.invoice_number = ocr_number(cand.value, ocr)
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
        rule_header(data, candidates, lines, labels, ocr, left)
    if data.invoice_number is None and data.issue_date is not None:
        _number_of_box_row(data, found, labels, data.issue_date, ocr)


def _number_of_box_row(
    data: InvoiceData,
    found: HeaderCandidates,
    labels: dict[int, list[LabelMatch]],
    issued: date,
    ocr: bool,
) -> None:
    """A number nothing labels: the first value of a row of header boxes before its issue
    date (box_row_number), at a guess's confidence and said in a warning."""
    cand = box_row_number(found.by_field["invoice_number"], labels, issued)
    if cand is None:
        return
    data.invoice_number = ocr_number(cand.value, ocr)
    data.confidence["invoice_number"] = GUESSED
    data.warnings.append(
        f"invoice_number_guessed: no number label was read; {data.invoice_number} opens a row "
        "of header values before the issue date, where invoices print their number"
    )


def header_labels(lines: list[Line], table_lines: set[int]) -> dict[int, list[LabelMatch]]:
    """The field labels of every line outside the items table, wrapped label cells joined."""
    labels = {ln.index: labels_beside_extras(ln) for ln in lines if ln.index not in table_lines}
    return original_as_title(lines, signs_after_wraps(lines, join_stacked_labels(lines, labels)))


def labels_beside_extras(line: Line) -> list[LabelMatch]:
    """A line's field labels, none from a cell that states a withholding or a recargo: a line
    that is such a statement has none, a band of labels keeps its other cells' ("Total neto |
    Retención IRPF 15 % | Total factura", their values under them)."""
    if not is_extra_line(line.text):
        return line_labels(line)
    if len(line.cells) < _BAND_CELLS:
        return []
    offset, extra = 0, []
    for cell in line.cells:
        if is_extra_line(cell.text):
            extra.append((offset, offset + len(cell.words)))
        offset += len(cell.words)
    return [m for m in line_labels(line) if not any(a <= m.start < b for a, b in extra)]


_BAND_CELLS = 3  # cells of a line of totals labels side by side


def line_labels(line: Line) -> list[LabelMatch]:
    """Field labels of a line, matched cell by cell (a label never spans a column gap) and, in
    a cell, slash by slash ("Factura / Nº factura": two labels, no "Factura Nº")."""
    found: list[LabelMatch] = []
    offset = 0
    for cell, after in zip(line.cells, [*line.cells[1:], None], strict=True):
        if (
            after is not None
            and len(cell.words) == 1
            and sign_reading_before_reference(cell.words[0].text, after.words[0].text)
        ):
            found.append(LabelMatch("invoice_number", offset, offset + 1, WEAK_STRENGTH))
            offset += 1
            continue  # "N2 | 24/12292": the sign OCR misread, alone in its cell
        for run in _between_slashes(line, cell.words):
            for m in match_field_labels([w.text for w in run]):
                if not _junk_label(m, run):
                    found.append(LabelMatch(m.kind, m.start + offset, m.end + offset, m.strength))
            offset += len(run)
    return found


# An OCR word read this unsure, of two letters or fewer, is junk ("po”" read in a smudge): as
# another field's label on its own it would part a label from its value.
_JUNK_CONFIDENCE = 0.5
_JUNK_LETTERS = 2


def _junk_label(match: LabelMatch, run: list[Word]) -> bool:
    """Whether a label of another field is one short word OCR was unsure of."""
    if match.kind != "other" or match.end - match.start != 1:
        return False
    word = run[match.start]
    return word.confidence < _JUNK_CONFIDENCE and alnum_count(word.text) <= _JUNK_LETTERS


def _between_slashes(line: Line, words: list[Word]) -> list[list[Word]]:
    """A cell's words in the runs the line's slashes set apart between them."""
    runs: list[list[Word]] = [[]]
    for prev, word in zip([None, *words], words, strict=False):
        if prev is not None and line.slash_between(prev, word):
            runs.append([])
        runs[-1].append(word)
    return runs


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
                m.kind not in ("issue_date", "invoice_number")  # "Factura nº X · 24/03/24"
                and m.end <= before
                and m.end >= before - 3
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


def _has_cents(amount: Decimal | None) -> bool:
    """Whether an amount was read with its cents."""
    return amount is not None and amount.as_tuple().exponent == -2


def _warn_inferred(data: InvoiceData, names: list[str], how: str) -> None:
    """Say which totals were taken from arithmetic rather than read next to their labels."""
    extras = "".join(
        f" {sign} {name} {value}"
        for sign, name, value in (
            ("+", "recargo", data.recargo_total),
            ("-", "withholding", data.withholding_total),
        )
        if value
    )
    data.warnings.append(
        f"totals_inferred: {', '.join(names)} taken from {how} "
        f"(net {data.net_total} + tax {data.tax_total}{extras} = total {data.total}); "
        "their labels or amounts were not read whole"
    )
