"""A PDF's own text layer as positioned words (pypdfium2), and whether it is usable."""

from __future__ import annotations

import ctypes
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from facturas_assets.documents.model import DocumentRejected, Page, Word

# A page needs this many letters/digits in its text layer to be read without OCR: a scan whose
# only text is a stamp or a scanner footer ("Scanned by ... page 1") stays below it.
MIN_PAGE_ALNUM = 32
# Above this share of unmappable glyphs (fonts without a ToUnicode map) the layer is garbage.
MAX_GARBAGE_RATIO = 0.10

# A page with less text than MIN_PAGE_ALNUM is OCR'd only if it has an image covering this
# share of it, or more vector paths than this (text drawn as outlines).
MIN_SCAN_AREA = 0.25
MAX_PATHS_WITHOUT_TEXT = 200

# pdfium gives a hyphen it takes for a line-end break ("SB-" closing a text run, "D 50" the
# next) this code; on the page it is a printed hyphen-minus ("SB-D 50", "OT-48405").
_PDFIUM_HYPHEN = 0x02
_EOF_TAIL = 4096  # the PDF spec wants %%EOF in the last 1024 bytes; be lenient with padding


@dataclass(frozen=True, slots=True)
class PageText:
    """One page of a text layer: the page, and whether its text layer is all it holds (no OCR)."""

    page: Page
    usable: bool
    alnum_chars: int


def load_bytes(pdf: bytes | Path) -> bytes:
    """The PDF's bytes, reading the file when given a path."""
    return pdf if isinstance(pdf, bytes | bytearray) else Path(pdf).read_bytes()


def open_pdf(data: bytes) -> pdfium.PdfDocument:
    """Open a PDF with pdfium, mapping its failures to stable rejection reasons."""
    if not data:
        raise DocumentRejected("empty_file", "the file is empty (0 bytes)")
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
            raise DocumentRejected(
                "encrypted_pdf", "the PDF is password-protected and cannot be opened"
            ) from None
        if not has_eof_marker(data):
            raise DocumentRejected(
                "truncated_pdf", f"the PDF ends without %%EOF and cannot be opened ({exc})"
            ) from None
        raise DocumentRejected("corrupt_pdf", f"the PDF cannot be opened ({exc})") from None
    if len(doc) == 0:
        doc.close()
        reason = "truncated_pdf" if not has_eof_marker(data) else "corrupt_pdf"
        raise DocumentRejected(reason, "the PDF has no readable pages")
    return doc


def has_eof_marker(data: bytes) -> bool:
    """Whether the PDF ends with an %%EOF marker (its absence means a cut-off download)."""
    return b"%%EOF" in data[-_EOF_TAIL:]


def _transform(page: pdfium.PdfPage) -> tuple[float, float, float, float, int, float, float]:
    """Crop box (left, bottom, right, top), rotation and displayed width/height of a page."""
    left, bottom, right, top = page.get_bbox()
    rotation = page.get_rotation() % 360
    width, height = right - left, top - bottom
    if rotation in (90, 270):
        width, height = height, width
    return left, bottom, right, top, rotation, width, height


def _to_top_left(
    box: tuple[float, float, float, float],
    frame: tuple[float, float, float, float, int, float, float],
) -> tuple[float, float, float, float]:
    """A PDF-space box (left, bottom, right, top) in displayed points from the top-left."""
    left, bottom, right, top, rotation, _, _ = frame
    x0, y0, x1, y1 = box
    if rotation == 0:
        xs, ys = (x0 - left, x1 - left), (top - y1, top - y0)
    elif rotation == 90:
        xs, ys = (y0 - bottom, y1 - bottom), (x0 - left, x1 - left)
    elif rotation == 180:
        xs, ys = (right - x1, right - x0), (y0 - bottom, y1 - bottom)
    else:  # 270
        xs, ys = (top - y1, top - y0), (right - x1, right - x0)
    return min(xs), min(ys), max(xs), max(ys)


_BREAK_JUMP = 3.0  # character heights: a step that long between letters of one word is a new line


def _line_break(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    """Whether char box `b` comes after `a` on another line (boxes left, bottom, right, top),
    though no space stands between them: apart both ways, and far apart."""
    height = max(a[3] - a[1], b[3] - b[1], 1.0)
    apart_x = b[0] > a[2] or b[2] < a[0]
    apart_y = abs(b[1] + b[3] - a[1] - a[3]) / 2 > height / 2  # loose boxes of lines overlap
    return apart_x and apart_y and abs(b[0] - a[0]) > _BREAK_JUMP * height


def _is_garbage(ch: str) -> bool:
    """Glyphs a font could not map to Unicode: replacement, private-use and control chars."""
    if ch == "\ufffd":
        return True
    cat = unicodedata.category(ch)
    return cat in ("Co", "Cc", "Cs") and ch not in "\t\r\n"


def _character(code: int, following: int) -> tuple[str, bool]:
    """The character at a text index, and whether it took the next index too: pdfium gives
    UTF-16 code units, so a surrogate pair is joined and a lone half (never valid Unicode, which
    every UTF-8 writer downstream refuses) is an unmappable glyph."""
    if 0xD800 <= code < 0xDC00 and 0xDC00 <= following < 0xE000:
        return chr(0x10000 + ((code - 0xD800) << 10) + (following - 0xDC00)), True
    if 0 < code < 0x110000 and not 0xD800 <= code < 0xE000:
        return chr(code), False
    return "\ufffd", False


def _page_words(page: pdfium.PdfPage, number: int) -> PageText:
    """Words of one page: chars split at whitespace, each word boxed by its first and last char."""
    frame = _transform(page)
    textpage = page.get_textpage()
    try:
        raw = textpage.raw
        n_chars = pdfium_c.FPDFText_CountChars(raw)
        get_unicode = pdfium_c.FPDFText_GetUnicode
        get_box = pdfium_c.FPDFText_GetLooseCharBox
        rect = pdfium_c.FS_RECTF()
        rect_ref = ctypes.byref(rect)

        def box(i: int) -> tuple[float, float, float, float]:
            get_box(raw, i, rect_ref)
            return rect.left, rect.bottom, rect.right, rect.top

        words: list[Word] = []
        alnum = garbage = visible = 0
        start = -1
        chars: list[str] = []

        def flush(end: int) -> None:
            b0 = box(start)
            b1 = box(end) if end != start else b0
            x0, y0, x1, y1 = _to_top_left(
                (min(b0[0], b1[0]), min(b0[1], b1[1]), max(b0[2], b1[2]), max(b0[3], b1[3])),
                frame,
            )
            words.append(Word("".join(chars), x0, y0, x1, y1, page=number))

        prev = -1
        skip = False
        for i in range(n_chars):
            if skip:  # the low half of a surrogate pair read with its high half
                skip = False
                continue
            code = get_unicode(raw, i)
            high = 0xD800 <= code < 0xDC00 and i + 1 < n_chars
            ch, skip = _character(code, get_unicode(raw, i + 1) if high else 0)
            if code == _PDFIUM_HYPHEN:
                ch = "-"
            if ch.isspace() or code == 0:
                if start >= 0:
                    flush(prev)
                    start, chars = -1, []
                continue
            if start >= 0 and _line_break(box(prev), box(i)):
                flush(prev)  # "SB-" ending a line and "D" opening the next: two words
                start, chars = -1, []
            visible += 1
            if ch.isalnum():
                alnum += 1
            elif _is_garbage(ch):
                garbage += 1
            if start < 0:
                start = i
            chars.append(ch)
            prev = i
        if start >= 0:
            flush(prev)
    finally:
        textpage.close()
    clean = garbage <= MAX_GARBAGE_RATIO * max(visible, 1)
    usable = clean and (alnum >= MIN_PAGE_ALNUM or not _has_unreadable_content(page, frame))
    pdf_page = Page(number=number, width=frame[5], height=frame[6], words=words)
    return PageText(page=pdf_page, usable=usable, alnum_chars=alnum)


def _has_unreadable_content(
    page: pdfium.PdfPage, frame: tuple[float, float, float, float, int, float, float]
) -> bool:
    """Whether a page with little text holds what only OCR can read: a large image (a scan) or
    many vector paths (text converted to outlines). A near-empty page holds neither."""
    area = max(frame[5] * frame[6], 1.0)
    paths = 0
    kinds = (pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_PATH)
    for obj in page.get_objects(filter=kinds, max_depth=3):
        if obj.type == pdfium_c.FPDF_PAGEOBJ_PATH:
            paths += 1
            if paths > MAX_PATHS_WITHOUT_TEXT:
                return True
            continue
        left, bottom, right, top = obj.get_bounds()
        if (right - left) * (top - bottom) >= MIN_SCAN_AREA * area:
            return True
    return False


def read_page_texts(doc: pdfium.PdfDocument, max_pages: int | None = None) -> list[PageText]:
    """Text layer of each page of an open document (up to max_pages), with its usability."""
    count = len(doc) if max_pages is None else min(len(doc), max_pages)
    result = []
    for index in range(count):
        page = doc[index]
        try:
            result.append(_page_words(page, index))
        finally:
            page.close()
    return result


def read_text_layer(pdf: bytes | Path, max_pages: int | None = None) -> list[Page]:
    """Pages of a PDF with the words of its text layer, in points from the top-left corner."""
    doc = open_pdf(load_bytes(pdf))
    try:
        return [pt.page for pt in read_page_texts(doc, max_pages)]
    finally:
        doc.close()


def has_usable_text(pdf: bytes | Path, max_pages: int | None = None) -> bool:
    """Whether every page read has a real text layer (true for scans with an invisible OCR layer)."""
    doc = open_pdf(load_bytes(pdf))
    try:
        texts = read_page_texts(doc, max_pages)
    finally:
        doc.close()
    return bool(texts) and all(pt.usable for pt in texts)
