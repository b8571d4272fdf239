"""The first page of an original, as PNG, with the boxes of the extracted fields drawn on it."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from typing import Any

import pypdfium2 as pdfium
from PIL import Image, ImageDraw

from facturas_assets.documents.model import ReadDocument
from facturas_assets.documents.render import load_image_page, render_pdf_page

PREVIEW_DPI = 100
BOX_COLOUR = (220, 30, 30)
# The header fields looked for among the page's words (their value as printed, loosely).
BOXED_FIELDS = ("invoice_number", "issue_date", "net_total", "tax_total", "total", "seller_tax_id")


class NoPageImage(ValueError):
    """The original has no page to show (an XML e-invoice, or an unreadable file)."""


def _key(value: Any) -> str:
    """What a value and a printed word share: digits for amounts and dates, else the letters."""
    if isinstance(value, Decimal):
        return re.sub(r"\D", "", format(value.quantize(Decimal("0.01")), "f"))
    return re.sub(r"[^0-9a-z]", "", str(value).lower())


def field_boxes(
    read: ReadDocument | None, values: dict[str, Any]
) -> list[tuple[str, tuple[float, float, float, float]]]:
    """(field, (x0, y0, x1, y1) in points) of the first-page words whose text is a field's value."""
    if read is None or not read.pages:
        return []
    page = read.pages[0]
    boxes = []
    for name in BOXED_FIELDS:
        value = values.get(name)
        if value is None:
            continue
        wanted = _key(value)
        if len(wanted) < 2:
            continue
        for word in page.words:
            if _key(word.text) == wanted:
                boxes.append((name, (word.x0, word.y0, word.x1, word.y1)))
                break
    return boxes


def page_png(
    original: bytes,
    extension: str,
    boxes: list[tuple[str, tuple[float, float, float, float]]],
    words_page_width: float | None = None,
) -> bytes:
    """The original's first page as PNG, each box outlined; NoPageImage when it has none.

    `words_page_width` is the page width in the boxes' units (the read result's page width).
    """
    if extension == ".pdf":
        doc = pdfium.PdfDocument(original)
        try:
            page = render_pdf_page(doc, 0, dpi=PREVIEW_DPI)
        finally:
            doc.close()
    elif extension in (".png", ".jpg", ".jpeg", ".tif", ".tiff"):
        page = load_image_page(original)
    else:
        raise NoPageImage(f"a {extension or 'file without extension'} has no page image")
    image: Image.Image = page.image.convert("RGB")
    draw = ImageDraw.Draw(image)
    scale = image.width / words_page_width if words_page_width else 1 / page.points_per_pixel
    for _, (x0, y0, x1, y1) in boxes:
        draw.rectangle(
            [x0 * scale - 2, y0 * scale - 2, x1 * scale + 2, y1 * scale + 2],
            outline=BOX_COLOUR,
            width=2,
        )
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
