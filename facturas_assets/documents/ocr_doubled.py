"""Lines psm 6 read twice, re-read on their own: a small label set tight above a bold line can
make Tesseract take both for one row, read the bold line once with the label's ink and once
alone, and leave two overlapping copies ("Acabados Acabados Textiles Textiles T Terrassa")."""

from __future__ import annotations

import re
from collections.abc import Callable
from difflib import SequenceMatcher

from PIL import Image

from facturas_assets.documents.model import Word
from facturas_assets.documents.ocr_strip import (
    box_of,
    inside,
    median_height,
    overlap,
    padded,
    pixels,
    stack,
    words_by_region,
)

DOUBLED_VERSION = "doubled-2"  # part of the read cache's version: bump when this changes
# Two words never share ink in a right reading: boxes on one line that overlap over this share
# of the narrower one's width are the same ink read twice.
SHARED_WIDTH = 0.5
SHARED_HEIGHT = 0.5  # ... and of the lower one's height
SAME_SPELLING = 0.6  # similarity (difflib's ratio) of two readings of the same ink
MIN_ALNUM = 2  # a mark or a single letter over a word is a speck, not a second reading
MIN_PAIRS = 2  # a whole line read twice has several; one piece of a big word is an echo
SAME_WORD_ALNUM = 4  # ... or one word this long read twice, letter for letter
# The words around a doubled pair on its line, this many word heights apart at most, are part
# of the same run of text (a space is ~0.3 of a height; a column gap is several).
REACH = 1.2
MARGIN = 0.3  # white kept around a region, in word heights
MIN_CONFIDENCE = 0.6  # a second reading less sure than this (mean over letters) is not taken


def reread_doubled(
    image: Image.Image,
    words: list[Word],
    scale: float,
    read: Callable[[Image.Image], list[Word] | None],
) -> list[Word]:
    """The page's words with every run of text read twice replaced by one reading of it alone.

    `read` OCRs an image into words in its pixels (None when it could not); it is called at
    most once (all regions in one strip), and not at all when no line was read twice.
    """
    runs = doubled_runs(words)
    if not runs:
        return words
    cores = [pixels(box_of(run), scale, image) for run in runs]
    bands = [
        padded(core, round(MARGIN * median_height(run) / scale), image)
        for core, run in zip(cores, runs, strict=True)
    ]
    gap = max(8, max(r.y1 - r.y0 for r in bands) // 2)
    strip, placed = stack(image, bands, gap)
    found = read(strip)
    if not found:
        return words
    by_region = words_by_region(found, placed, scale)
    out = list(words)
    for core, region in zip(cores, placed, strict=True):
        new = [w for w in by_region.get(region, []) if inside(w, [core], scale)]
        if not new or doubled_pairs(new) or _mean_confidence(new) < MIN_CONFIDENCE:
            continue  # the second look is no better: the first reading stays
        gone = {id(w) for w in out if inside(w, [core], scale)}
        out = [w for w in out if id(w) not in gone] + new
    return out


def doubled_pairs(words: list[Word]) -> list[tuple[Word, Word]]:
    """Pairs of words on one line whose boxes share ink and that spell about the same: one
    word read twice (garbage over a label's ink is another matter, left to the reader)."""
    useful = sorted(
        (w for w in words if sum(ch.isalnum() for ch in w.text) >= MIN_ALNUM), key=lambda w: w.y0
    )
    pairs = []
    for i, word in enumerate(useful):
        for other in useful[i + 1 :]:
            if other.y0 >= word.y1:
                break
            if _share_ink(word, other) and _spelled_alike(word, other):
                pairs.append((word, other))
    return pairs


def doubled_runs(words: list[Word]) -> list[list[Word]]:
    """The runs of words on a line (to a column gap) where a line was read twice."""
    pairs = doubled_pairs(words)
    if not pairs:
        return []
    runs: list[list[Word]] = []
    for pair in pairs:
        run = _run_around(list(pair), words)
        for other in [r for r in runs if overlap(box_of(r), box_of(run))]:
            runs.remove(other)
            run = _run_around(run + [w for w in other if not any(w is r for r in run)], words)
        runs.append(run)
    return [run for run in runs if _read_twice([p for p in pairs if any(p[0] is w for w in run)])]


def _read_twice(pairs: list[tuple[Word, Word]]) -> bool:
    """Whether a run's doubled pairs say its line was read twice: several, or one long word
    spelled the same twice over itself (a piece of a big word read again is an echo)."""
    return len(pairs) >= MIN_PAIRS or any(
        a.text == b.text and sum(ch.isalnum() for ch in a.text) >= SAME_WORD_ALNUM for a, b in pairs
    )


def _run_around(seed: list[Word], words: list[Word]) -> list[Word]:
    """The seed words and every word next to one of them on its line, taken in until none is
    left: the run of text the doubled words belong to, up to a column gap."""
    run = list(seed)
    reach = REACH * median_height(run)
    grew = True
    while grew:
        grew = False
        for w in words:
            if not any(w is r for r in run) and any(_neighbours(w, r, reach) for r in run):
                run.append(w)
                grew = True
    return run


def _neighbours(a: Word, b: Word, reach: float) -> bool:
    """Whether two words sit on one line at most `reach` apart (or overlapping)."""
    y_shared = min(a.y1, b.y1) - max(a.y0, b.y0)
    gap = max(b.x0 - a.x1, a.x0 - b.x1)
    return a.page == b.page and y_shared >= 0.5 * min(a.y1 - a.y0, b.y1 - b.y0) and gap <= reach


def _share_ink(a: Word, b: Word) -> bool:
    """Whether two words' boxes overlap on one line (see SHARED_WIDTH, SHARED_HEIGHT)."""
    if a.page != b.page:
        return False
    y_shared = min(a.y1, b.y1) - max(a.y0, b.y0)
    if y_shared < SHARED_HEIGHT * min(a.y1 - a.y0, b.y1 - b.y0):
        return False
    x_shared = min(a.x1, b.x1) - max(a.x0, b.x0)
    return x_shared >= SHARED_WIDTH * min(a.x1 - a.x0, b.x1 - b.x0)


def _spelled_alike(a: Word, b: Word) -> bool:
    """Whether two readings spell about the same ("Montant" / "jontante", "S.L" / "S.L.")."""
    x, y = (re.sub(r"\W", "", w.text.lower()) for w in (a, b))
    return SequenceMatcher(None, x, y).ratio() >= SAME_SPELLING


def _mean_confidence(words: list[Word]) -> float:
    """Tesseract's confidence averaged over the words' letters and digits."""
    weights = [max(1, sum(ch.isalnum() for ch in w.text)) for w in words]
    return sum(w.confidence * n for w, n in zip(words, weights, strict=True)) / max(1, sum(weights))
