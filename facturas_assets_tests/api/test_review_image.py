"""The page image of the review: the words holding the fields' values are boxed."""

from __future__ import annotations

import io
from decimal import Decimal

from PIL import Image

from facturas_assets.api.review_image import field_boxes, page_png
from facturas_assets.documents.model import Page, ReadDocument, Word


def _read() -> ReadDocument:
    words = [
        Word("Factura", 10, 10, 60, 20),
        Word("FV-2024/0012", 70, 10, 150, 20),
        Word("Total", 10, 100, 40, 110),
        Word("1.234,50", 120, 100, 170, 110),
    ]
    return ReadDocument("f.png", "0" * 64, "ocr", [Page(0, 200, 150, words)])


def test_the_words_of_the_field_values_are_found_whatever_their_format() -> None:
    values = {"invoice_number": "FV-2024/0012", "total": Decimal("1234.5"), "net_total": None}
    boxes = dict(field_boxes(_read(), values))
    assert boxes == {"invoice_number": (70, 10, 150, 20), "total": (120, 100, 170, 110)}
    assert field_boxes(None, values) == []  # no stored read result: no boxes


def test_the_boxes_are_drawn_on_the_page_at_its_scale() -> None:
    blank = io.BytesIO()
    Image.new("L", (400, 300), 255).save(blank, format="PNG", dpi=(144, 144))
    png = page_png(blank.getvalue(), ".png", [("total", (120, 100, 170, 110))], 200)
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.size == (400, 300)
    assert image.getpixel((238, 210)) == (220, 30, 30)  # its left edge: points x 2 pixels
    assert image.getpixel((300, 250)) == (255, 255, 255)
