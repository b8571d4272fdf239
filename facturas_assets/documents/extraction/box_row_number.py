"""The invoice number of a row of header boxes whose captions were lost: its first value, where
the issue date follows it.

Office templates print the header as a row of boxes, each a small caption ("Invoice No",
"Date", "Customer ID") over its value. Captions set light and small are often lost to OCR,
leaving a row of bare values. Such rows open with the invoice's number, then its date. Taken
only where no candidate was likely and no label names anything on that row, at a guess's
confidence.
"""

from __future__ import annotations

from datetime import date

from facturas_assets.documents.extraction.candidates import FieldCandidate
from facturas_assets.documents.extraction.dates import find_dates
from facturas_assets.documents.extraction.labels import LabelMatch

MIN_BOXES = 3  # a number and a date beside one more value at least: a row of boxes
GUESSED = 0.3  # as sure as a date guessed among a page's dates, no more


def box_row_number(
    cands: list[FieldCandidate], labels: dict[int, list[LabelMatch]], issued: date
) -> FieldCandidate | None:
    """The topmost number candidate opening an unlabelled row of `MIN_BOXES` cells or more,
    followed by the issue date alone: in its own cell, or in the rest of the first where OCR
    closed the gap between the two boxes."""
    for cand in sorted(cands, key=lambda c: c.line.index):
        line = cand.line
        if labels.get(line.index) or len(line.cells) < MIN_BOXES:
            continue
        first = line.cells[0].words
        n = len(cand.words)
        if [id(w) for w in first[:n]] != [id(w) for w in cand.words]:
            continue
        after = first[n:] or line.cells[1].words
        found = find_dates(" ".join(w.text for w in after))
        if len(found) == 1 and found[0].value == issued:
            return cand
    return None
