"""Rows psm 6 read as junk, re-read on their own: on a page of two columns of different type
sizes, psm 6 may take a row of one column and a row of the other for one line and read neither
("LENT : t z : / 24" for "Data De La Factura: 16 de juny de 2024"); cut out as a band, the row
reads whole. The band takes in the unsure rows next to it, the rest of the muddle."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np
from PIL import Image

from facturas_assets.documents.model import Word
from facturas_assets.documents.ocr_strip import (
    Region,
    box_of,
    median_height,
    overlap,
    padded,
    pixels,
    stack,
    words_by_region,
)

GARBLED_VERSION = "garbled-13"  # part of the read cache's version: bump when this changes
SURE = 0.8  # a word this sure, with MIN_ALNUM letters or digits, is read
UNSURE = 0.5  # a word less sure than this, or with fewer letters or digits, is junk
MIN_ALNUM = 3
MIN_WORDS = 4  # a row of fewer words is a mark or a short value, not a garbled line
JUNK_SHARE = 0.6  # of a row's words junk ...
MAX_READ = 1  # ... with at most this many words read
MAX_ROWS = 6  # rows of one page re-read (one strip, one Tesseract run)
# Rows over and under a garbled row, at most, that join its band while they hold an unsure word
# too: psm 6's confusion runs over the rows of both columns it mixed, and a band cut through
# the other column's lines reads them no better.
SPREAD = 4
GAP = 3  # body heights between the middles of two rows of a block, at most: one blank line
MARGIN = 0.5  # of the page's body word height, around a row's band
# Share of the page's width with ink no sure word covers in a row's band, at least: less is
# specks or what is left of a rule (on HTML-template scans 0.16-0.17 on rows of dates psm 6
# lost, under 0.04 on most rows of specks).
MIN_UNREAD_INK = 0.1
_INK = 128
GAIN = 4  # sure letters and digits the band must add for its reading to be taken


def reread_garbled(
    image: Image.Image,
    words: list[Word],
    scale: float,
    read: Callable[[Image.Image], list[Word] | None],
) -> list[Word]:
    """The page's words with every garbled row replaced by a reading of its band alone, where
    that reading holds more that is sure. `read` is called at most once."""
    rows = garbled_rows(words)
    if not rows:
        return words
    body = median_height(words)
    margin = round(MARGIN * body / scale)
    # A row runs across the page (junk marks where its words were): so does its band. Its
    # core spans the middles of its words, a row's tolerance around: the lines over and under
    # it, in its band, keep their first reading.
    tol = body / 3
    ink = np.asarray(image) < _INK
    spans = [
        (replace(pixels(_middles(row, tol), scale, image), x0=0, x1=image.width), row)
        for row in rows
    ]
    qualified = [row for core, row in spans if _unread_ink(ink, core, row, scale) >= MIN_UNREAD_INK]
    if not qualified:
        return words
    cores = [
        replace(pixels(_middles(block, tol), scale, image), x0=0, x1=image.width)
        for block in _blocks(qualified, _rows(words), body)
    ]
    bands = [padded(core, margin, image) for core in cores]
    strip, placed = stack(image, bands, max(8, margin))
    found = read(strip)
    if not found:
        return words
    by_region = words_by_region(found, placed, scale)
    junk_rows = {id(w) for row in qualified for w in row}
    out = list(words)
    for core, region in zip(cores, placed, strict=True):
        new = by_region.get(region, [])
        # Words the first reading was sure of stay, unless the band read them whole where the
        # first reading stopped short ("2023-07-" of "2023-07-29"); the band's words take the
        # junk's place.
        first = [w for w in out if _centre_in(w, core, scale)]
        inside = [w for w in new if _centre_in(w, core, scale) and not _junk(w)]
        kept = [
            w
            for w in first
            if w.confidence >= SURE
            and _alnum(w) >= MIN_ALNUM
            and not any(_read_whole(n, w) for n in inside)
        ]
        in_core = {id(w) for w in first}
        others = [w for w in out if id(w) not in in_core]
        added = [
            w
            for w in inside
            if not any(overlap(w, k) for k in kept)
            and not any(_same_word(w, o, body) for o in [*kept, *others])
        ]
        if _sure_alnum(added) < GAIN:
            continue  # the band alone reads no more: the first reading stays
        # Marks go, and what the band read anew over; a word it read nothing over stays (an
        # unsure reading may still be right). In the rows next to the garbled one, a lone
        # letter or digit read surely stays too: it may be an amount's thousands ("1 173,45").
        gone = {
            id(w)
            for w in first
            if not any(w is k for k in kept)
            and (
                (_alnum(w) < 2 if id(w) in junk_rows else _mark(w))
                or any(overlap(w, a) and a.confidence > w.confidence for a in added)
                or any(_same_word(a, w, body) for a in added)
            )
        }
        out = [w for w in out if id(w) not in gone] + added
    return out


def garbled_rows(words: list[Word]) -> list[list[Word]]:
    """Rows of the page read as junk: several words, most unsure or without letters, at most
    one read surely (up to MAX_ROWS, the longest first)."""
    rows = [row for row in _rows(words) if _garbled(row)]
    rows.sort(key=lambda row: -(max(w.x1 for w in row) - min(w.x0 for w in row)))
    return rows[:MAX_ROWS]


def _blocks(garbled: list[list[Word]], rows: list[list[Word]], body: float) -> list[list[Word]]:
    """The words of each garbled row and of the unsure rows next to it (SPREAD each way at
    most, none across more than one blank line); blocks that meet are one."""
    index = {id(row[0]): i for i, row in enumerate(rows)}

    def joins(row: list[Word], neighbour: list[Word]) -> bool:
        return _unsure(neighbour) and abs(_middle(row[0]) - _middle(neighbour[0])) <= GAP * body

    spans: list[tuple[int, int]] = []
    for row in garbled:
        at = first = last = index[id(row[0])]  # garbled_rows keeps _rows' rows as they are
        while first > 0 and at - first < SPREAD and joins(rows[first], rows[first - 1]):
            first -= 1
        while last < len(rows) - 1 and last - at < SPREAD and joins(rows[last], rows[last + 1]):
            last += 1
        spans.append((first, last))
    merged: list[list[int]] = []
    for first, last in sorted(spans):
        if merged and first <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], last)
        else:
            merged.append([first, last])
    return [[w for row in rows[first : last + 1] for w in row] for first, last in merged]


def _unsure(row: list[Word]) -> bool:
    """Whether a row holds a word read unsurely."""
    return any(w.confidence < UNSURE for w in row)


def _rows(words: list[Word]) -> list[list[Word]]:
    """Words grouped by the middle of their boxes, a third of a body height apart at most."""
    if not words:
        return []
    tol = median_height(words) / 3
    rows: list[list[Word]] = []
    for word in sorted(words, key=_middle):
        if rows and _middle(word) - _middle(rows[-1][-1]) <= tol:
            rows[-1].append(word)
        else:
            rows.append([word])
    return rows


def _garbled(row: list[Word]) -> bool:
    """Whether a row is mostly junk with at most MAX_READ word read surely."""
    if len(row) < MIN_WORDS:
        return False
    read = [w for w in row if w.confidence >= SURE and _alnum(w) >= MIN_ALNUM]
    junk = [w for w in row if _junk(w)]
    return len(read) <= MAX_READ and len(junk) >= JUNK_SHARE * len(row)


def _unread_ink(ink: np.ndarray, core: Region, row: list[Word], scale: float) -> float:
    """The share of the page's width where the core band holds ink no sure word covers: text
    psm 6 left unread, not specks or a rule's remains."""
    columns = ink[core.y0 : core.y1].any(axis=0)
    for w in row:
        if not _junk(w):
            columns[int(w.x0 / scale) : int(w.x1 / scale) + 1] = False
    return float(columns.mean()) if columns.size else 0.0


def _middles(row: list[Word], tol: float) -> Word:
    """The box from a row's highest to its lowest word middle, `tol` points around."""
    box = box_of(row)
    top, bottom = min(map(_middle, row)) - tol, max(map(_middle, row)) + tol
    return replace(box, y0=top, y1=bottom)


def _read_whole(new: Word, old: Word) -> bool:
    """Whether the band read surely, over a word of the first reading, that word and more."""
    return (
        new.confidence >= SURE
        and overlap(new, old)
        and len(new.text) > len(old.text)
        and new.text.startswith(old.text)
    )


def _same_word(new: Word, old: Word, reach: float) -> bool:
    """Whether the band read a word the page's first reading already has, close by."""
    near = abs(new.x0 - old.x0) <= reach and abs(_middle(new) - _middle(old)) <= reach
    return near and new.text.strip(".,:;") == old.text.strip(".,:;")


def _junk(word: Word) -> bool:
    """A word read unsurely, or a mark without two letters or digits."""
    return word.confidence < UNSURE or _alnum(word) < 2


def _mark(word: Word) -> bool:
    """A word without letters or digits, or a lone letter or digit read unsurely."""
    return _alnum(word) == 0 or (_alnum(word) < 2 and word.confidence < UNSURE)


def _sure_alnum(words: list[Word]) -> int:
    """Letters and digits of the words read surely."""
    return sum(_alnum(w) for w in words if w.confidence >= SURE)


def _alnum(word: Word) -> int:
    return sum(ch.isalnum() for ch in word.text)


def _middle(word: Word) -> float:
    return (word.y0 + word.y1) / 2


def _centre_in(word: Word, core: Region, scale: float) -> bool:
    """Whether a page word's vertical middle lies in the core's band (page pixels)."""
    return core.y0 <= _middle(word) / scale <= core.y1
