"""The recovery pass after psm 6: large text in a box is read, a plain page gains nothing."""

from __future__ import annotations

import pytest
from PIL import Image, ImageDraw, ImageFont

from facturas_assets.documents import ocr
from facturas_assets.documents.ocr import ocr_page_image
from facturas_assets.documents.ocr_recovery import RECOVERY_SETTING
from facturas_assets.documents.render import PageImage

SERIF = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
SERIF_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf"
DPI = 200
ADDRESSES = [
    "Telartec S.L.",
    "Rua do Progreso, 21",
    "36214 Vigo (Pontevedra)",
    "Tel. 964 312 417",
    "CIF: A41199829",
]
LINES = [
    "Data emision: 2024-07-09",
    "Descricion Cant. Unidade Prezo Unitario Total",
    "Fio de algodon peinado 40 kg 7,50 300,00",
    "Tinte reactivo azul marino 12 l 18,20 218,40",
    "Base imponible 518,40 IVE 21 % 108,86 Total 627,26",
]


def pt(size: float) -> int:
    """Pixels of a length in points at DPI."""
    return round(size * DPI / 72)


def page_image(big: str | None) -> PageImage:
    """An A4 page at 200 dpi: 10 pt body lines and, if given, `big` at 19 pt bold in a box
    under a small label (psm 6 alone drops such a number)."""
    page = Image.new("L", (1654, 2339), 255)
    draw = ImageDraw.Draw(page)
    body = ImageFont.truetype(SERIF, pt(10))
    for i, line in enumerate(ADDRESSES):
        draw.text((140, 255 + i * 31), line, fill=0, font=body)
    if big is not None:
        draw.rectangle((142, 615, 518, 752), outline=0, width=3)
        draw.text((185, 640), "N. FACTURA", fill=90, font=ImageFont.truetype(SERIF, pt(7)))
        draw.text((185, 665), big, fill=0, font=ImageFont.truetype(SERIF_BOLD, pt(19)))
    for i, line in enumerate(LINES):
        draw.text((140, 780 + i * 40), line, fill=0, font=body)
    return PageImage(image=page, points_per_pixel=72 / DPI, number=0)


@pytest.fixture(autouse=True)
def _recovery_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(RECOVERY_SETTING, "1")


def texts(image: PageImage) -> list[str]:
    """The words the project's OCR reads on a page image."""
    return [w.text for w in ocr_page_image(image).page.words]


def test_a_big_bold_number_in_a_box_is_read() -> None:
    assert "00009703" in texts(page_image("00009703"))


def test_a_page_of_body_text_adds_no_words_and_no_tesseract_run() -> None:
    image = page_image(None)
    result = ocr_page_image(image)
    assert result.tesseract_runs == 1  # nothing qualified: no second run
    assert "Telartec" in [w.text for w in result.page.words]


def test_the_pass_is_skipped_when_the_deadline_is_near(monkeypatch) -> None:
    # Less than RECOVERY_MIN_S left after the psm-6 pass: no extra run is started.
    monkeypatch.setattr(ocr, "RECOVERY_MIN_S", 10_000.0)
    result = ocr_page_image(page_image("00009703"))
    assert result.tesseract_runs == 1


def test_the_pass_is_off_unless_asked_for(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(RECOVERY_SETTING)
    result = ocr_page_image(page_image("00009703"))
    assert result.tesseract_runs == 1


def test_a_big_bold_number_in_a_box_is_read_by_the_first_pass_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # psm 6's row filters are widened (TESSERACT_CONFIG): type twice the body size is kept.
    monkeypatch.delenv(RECOVERY_SETTING)
    result = ocr_page_image(page_image("00009703"))
    assert result.tesseract_runs == 1
    assert "00009703" in [w.text for w in result.page.words]
