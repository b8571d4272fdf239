"""Scanned renderings: plausible size and resolution, image-only PDFs, still readable by OCR."""

from __future__ import annotations

import io
import os
from dataclasses import replace
from pathlib import Path

import pypdfium2 as pdfium
import pytesseract
from PIL import Image
from pypdf import PdfReader

from facturas_dev.synth import LAYOUTS, GeneratedInvoice
from facturas_dev.synth.generator import build
from facturas_dev.synth.scan import encode_image, image_only_pdf, scan_pages, scan_params

A4_INCHES = (8.27, 11.69)


def _plausible(size: tuple[int, int], dpi: float) -> None:
    assert 150 <= dpi <= 300
    assert abs(size[0] / dpi - A4_INCHES[0]) < 0.1 and abs(size[1] / dpi - A4_INCHES[1]) < 0.1


def test_scan_images(generated: tuple[Path, list[GeneratedInvoice]]) -> None:
    _, results = generated
    scans = [r for r in results if r.truth["rendering"] == "scan-image"]
    assert scans
    for r in scans:
        assert r.path.suffix in (".png", ".jpg", ".tif")
        with Image.open(r.path) as image:
            assert image.mode in ("L", "RGB")
            frames = getattr(image, "n_frames", 1)
            assert frames == r.truth["pages"]
            assert r.truth["pages"] == 1 or r.path.suffix == ".tif"
            _plausible(image.size, float(image.info["dpi"][0]))


def test_scan_pdfs_have_no_text_layer(generated: tuple[Path, list[GeneratedInvoice]]) -> None:
    _, results = generated
    scans = [r for r in results if r.truth["rendering"] == "scan-pdf"]
    assert scans
    for r in scans:
        doc = pdfium.PdfDocument(r.path)
        try:
            assert len(doc) == r.truth["pages"]
            for i in range(len(doc)):
                page = doc[i]
                assert page.get_textpage().get_text_range().strip() == ""
                objects = list(page.get_objects())
                assert objects and all(o.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE for o in objects)
                width, height = page.get_size()
                assert abs(width - 595.3) < 8 and abs(height - 841.9) < 8
        finally:
            doc.close()
        assert len(PdfReader(r.path).pages) == r.truth["pages"]  # a second reader agrees


def test_multi_page_scan_is_a_multi_frame_tiff() -> None:
    seed = next(s for s in range(1, 400) if build(s, "levante_moderno", "preventiva")[2] > 1)
    inv, pdf, pages = build(seed, "levante_moderno", "preventiva")
    params = replace(scan_params(inv.seed, pages, "es"), dpi=150)
    assert params.image_format == "tiff"
    images = scan_pages(pdf, params, inv.seed, inv.issue_date)
    with Image.open(io.BytesIO(encode_image(images, params))) as tif:
        assert tif.n_frames == pages
    assert len(pdfium.PdfDocument(image_only_pdf(images, params))) == pages


def test_degraded_scan_stays_readable() -> None:
    """A mid-range degradation (faint toner, blur, noise, tilt, stamp) still OCRs to the key fields."""
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    inv, pdf, pages = build(4242, "valles_banner", "correctiva")
    params = replace(
        scan_params(inv.seed, pages, "es"),
        dpi=200,
        color=False,
        angle=0.9,
        blur=0.6,
        noise=8.0,
        toner=0.75,
        stamp="PAGADO",
    )
    image = scan_pages(pdf, params, inv.seed, inv.issue_date)[0]
    text = pytesseract.image_to_string(image, lang="spa")
    compact = "".join(text.split())
    assert inv.number in compact
    assert LAYOUTS["valles_banner"].numbers.number(inv.total) in compact
    assert inv.seller.tax_id in compact
