"""A second look at ink the page's psm-6 pass left unread: large text such as a boxed number."""

from __future__ import annotations

import os
from collections.abc import Callable

import numpy as np
from PIL import Image
from scipy import ndimage

from facturas_assets.documents.model import Word
from facturas_assets.documents.ocr_strip import Region, inside, region_of, stack, to_page
from facturas_assets.documents.render import max_pool

# Tesseract's psm 6 takes the page as one block of uniform text and silently drops lines set
# much larger than the body (an invoice number printed big in a box or badge). Such ink is
# found as text-shaped regions no word covers, scaled down to the body's size, stacked into one
# strip and read in a single extra Tesseract run (one process start, not one per region).
RECOVERY_VERSION = "recover-3"  # part of the read cache's version: bump when this changes
# Off by default: the pass costs about 6 % more OCR time, which takes OCR below the 80 % of
# bare Tesseract's speed that the platform holds to; FACTURAS_OCR_RECOVERY=1 turns it on.
RECOVERY_SETTING = "FACTURAS_OCR_RECOVERY"


def recovery_enabled() -> bool:
    """Whether scans get the large-text recovery pass (FACTURAS_OCR_RECOVERY=1)."""
    return os.environ.get(RECOVERY_SETTING, "0") == "1"


def recovery_version() -> str:
    """The pass's part of the read cache's version: its version when on, else "no-recovery"."""
    return RECOVERY_VERSION if recovery_enabled() else "no-recovery"


_INK = 128
WORK_PX_PER_PT = 1.5  # the ink mask is searched at ~108 dpi: cheap, large text stays large
MIN_HEIGHT_RATIO = 1.3  # of the median word height: body-size leftovers are psm 6's own misses
MAX_HEIGHT_RATIO = 5.0  # taller regions are logos, photos or stamps
MAX_WIDTH_SHARE = 0.6  # of the page width: wider regions are banners, rules or pictures
MAX_REGIONS = 8
MIN_WORDS = 5  # a page with fewer words has no body size to compare with
COVERING_CONFIDENCE = 0.3  # words below it may be psm 6's garbage over the unread ink
# Recovered words less sure than this, or with fewer letters/digits, are dropped: stamps and
# marks across a table read as short junk ("7%.") that would shadow the table's own values.
MIN_CONFIDENCE = 0.7
MIN_ALNUM = 2
MIN_ASPECT = 2.0  # ink width / height: a few large characters at least, not a mark or a glyph
MIN_INK_SHARE, MAX_INK_SHARE = 0.08, 0.65  # text fills part of its box; blocks and photos most
TARGET_HEIGHT_RATIO = 1.2  # regions are scaled to this many body word heights (never enlarged)
GAP_RATIO = 1.0  # white space between stacked regions, in body word heights


def recover_unread(
    image: Image.Image,
    words: list[Word],
    scale: float,
    read: Callable[[Image.Image], list[Word] | None],
) -> tuple[list[Word], list[Word]]:
    """(words to drop, words to add) in points: large text-shaped ink no word covers, re-read.

    `read` OCRs an image into words in its pixels (None when it could not); it is called at
    most once, and not at all when nothing qualifies.
    """
    regions = _unread_regions(image, words, scale)
    if not regions:
        return [], []
    strip, placed = _stack(image, regions, words, scale)
    found = read(strip)
    if not found:
        return [], []
    added: list[Word] = []
    used: set[Region] = set()
    for word in found:
        if word.confidence < MIN_CONFIDENCE or sum(ch.isalnum() for ch in word.text) < MIN_ALNUM:
            continue
        region = region_of(word, placed)
        if region is None:
            continue
        used.add(region)
        added.append(to_page(word, region, scale))
    # psm 6's low-confidence guesses over the re-read ink are replaced, not kept beside it.
    dropped = [w for w in words if w.confidence < COVERING_CONFIDENCE and inside(w, used, scale)]
    return dropped, added


def _median_height(words: list[Word], scale: float) -> float | None:
    """The page's body text height in pixels: the median of its confident words' boxes."""
    heights = [
        (w.y1 - w.y0) / scale
        for w in words
        if w.confidence >= MIN_CONFIDENCE and sum(ch.isalnum() for ch in w.text) >= MIN_ALNUM
    ]
    if len(heights) < MIN_WORDS:
        return None
    return float(np.median(heights))


def _unread_regions(image: Image.Image, words: list[Word], scale: float) -> list[Region]:
    """Text-shaped regions of ink, taller than the body's words, that no word box covers."""
    body = _median_height(words, scale)
    if body is None:
        return []
    pool = max(1, round(1 / (scale * WORK_PX_PER_PT)))
    ink = max_pool(np.asarray(image) < _INK, pool)
    for w in words:
        if w.confidence >= COVERING_CONFIDENCE:
            y0, x0 = int(w.y0 / scale / pool), int(w.x0 / scale / pool)
            ink[
                y0 : int(np.ceil(w.y1 / scale / pool)) + 1,
                x0 : int(np.ceil(w.x1 / scale / pool)) + 1,
            ] = False
    if not ink.any():
        return []
    small = body / pool
    # Letters of large text sit up to about half their height apart: joined into words/lines.
    reach = max(2, round(0.6 * MIN_HEIGHT_RATIO * small))
    joined = ndimage.binary_dilation(ink, structure=np.ones((1, reach), bool))
    labels, count = ndimage.label(joined)
    if not count:
        return []
    page_w = ink.shape[1]
    candidates = []
    for index, box in enumerate(ndimage.find_objects(labels), start=1):
        rows, cols = box
        height, width = rows.stop - rows.start, cols.stop - cols.start
        if not MIN_HEIGHT_RATIO * small <= height <= MAX_HEIGHT_RATIO * small:
            continue
        if width < MIN_ASPECT * height or width > MAX_WIDTH_SHARE * page_w:
            continue
        share = float(ink[box][labels[box] == index].mean())
        if not MIN_INK_SHARE <= share <= MAX_INK_SHARE:
            continue
        candidates.append((height * width, box))
    # The largest first: a big number outranks stray marks when the count is capped.
    candidates.sort(key=lambda item: item[0], reverse=True)
    margin = max(2, round(0.3 * body))
    regions = []
    for _, (rows, cols) in candidates[:MAX_REGIONS]:
        regions.append(
            Region(
                x0=max(0, cols.start * pool - margin),
                y0=max(0, rows.start * pool - margin),
                x1=min(image.width, cols.stop * pool + margin),
                y1=min(image.height, rows.stop * pool + margin),
                factor=1.0,
                top=0,
                left=0,
            )
        )
    return regions


def _stack(
    image: Image.Image, regions: list[Region], words: list[Word], scale: float
) -> tuple[Image.Image, list[Region]]:
    """The regions scaled to about the body's size, stacked top to bottom on white paper."""
    body = _median_height(words, scale) or 1.0
    target = TARGET_HEIGHT_RATIO * body
    # Ink height, not the crop's: the margin is scaled along with it.
    factors = [min(1.0, target / max(1, (r.y1 - r.y0) - 2 * round(0.3 * body))) for r in regions]
    return stack(image, regions, max(4, round(GAP_RATIO * body)), factors)
