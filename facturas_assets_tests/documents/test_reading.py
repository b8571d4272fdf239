"""Reading PDFs (text layer, OCR), images, the cache and batches, on invoices made here."""

from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from facturas_assets.documents import ocr
from facturas_assets.documents.cache import ReadCache
from facturas_assets.documents.model import DocumentRejected, ReadDocument
from facturas_assets.documents.reader import file_sha256, read_document, read_documents
from facturas_assets.documents.render import long_runs, remove_rules
from facturas_assets.documents.sniff import FileKind, sniff
from facturas_assets.documents.textlayer import has_usable_text, read_text_layer
from facturas_dev.synth import generate

# --- samples ----------------------------------------------------------------------------------


def invoice_pdf(
    number: str = "FAC-2024-00123", total: str = "1.210,00", pages: int = 1, lines: int = 8
) -> bytes:
    """A small text-layer invoice in Spanish (reportlab), `pages` pages long."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for page in range(pages):
        c.setFont("Helvetica-Bold", 16)
        c.drawString(60, 780, f"FACTURA {number}")
        c.setFont("Helvetica", 11)
        c.drawString(60, 755, "Mantenimientos Textiles del Vallès S.L.   CIF B12345674")
        c.drawString(60, 738, "Fecha: 15/03/2024   Cliente: Hilaturas Ebro S.A.")
        for i in range(lines):
            y = 690 - i * 20
            c.drawString(60, y, f"Revisión preventiva telar {i + 1}")
            c.drawRightString(420, y, "2")
            c.drawRightString(530, y, "75,00 €")
        c.setFont("Helvetica-Bold", 13)
        c.drawString(330, 300, f"TOTAL {total} EUR")
        c.setFont("Helvetica", 9)
        c.drawString(60, 60, f"Página {page + 1} de {pages}")
        c.showPage()
    c.save()
    return buf.getvalue()


def render_png(pdf: bytes, dpi: int = 200, page: int = 0, angle: float = 0.0) -> Image.Image:
    """A page of the PDF as a grayscale 'scan', optionally rotated by `angle` degrees."""
    doc = pdfium.PdfDocument(pdf)
    try:
        image = doc[page].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
    finally:
        doc.close()
    if angle:
        image = image.rotate(angle, resample=Image.BICUBIC, fillcolor=255, expand=True)
    return image


def png_bytes(image: Image.Image, **params: object) -> bytes:
    """The image encoded as PNG."""
    buf = io.BytesIO()
    image.save(buf, "PNG", **params)
    return buf.getvalue()


def image_pdf(images: list[Image.Image], dpi: int = 200) -> bytes:
    """A PDF of page images only, like a scanner produces (no text layer)."""
    buf = io.BytesIO()
    images[0].save(buf, "PDF", resolution=dpi, save_all=True, append_images=images[1:])
    return buf.getvalue()


def rotate_pdf(pdf: bytes, degrees: int) -> bytes:
    """The PDF with /Rotate set on every page."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    for page in writer.pages:
        page.rotate(degrees)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def text_of(doc: ReadDocument) -> str:
    """All words of a read document joined by spaces (OCR may split lines differently)."""
    return " ".join(w.text for p in doc.pages for w in p.words)


class TesseractCounter:
    """Counts real Tesseract runs in this process (wraps, and still calls, run_tesseract)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        real = ocr.run_tesseract

        def counting(*args: object, **kwargs: object) -> dict:
            self.calls += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(ocr, "run_tesseract", counting)


# --- text layer -------------------------------------------------------------------------------


def test_text_layer_words_have_boxes_in_points_from_top_left() -> None:
    pages = read_text_layer(invoice_pdf())
    assert len(pages) == 1
    page = pages[0]
    assert page.width == pytest.approx(595.28, abs=0.1)
    assert page.height == pytest.approx(841.89, abs=0.1)
    by_text = {w.text: w for w in page.words}
    number = by_text["FAC-2024-00123"]
    # Drawn at baseline y=780 from the bottom: 61.9 pt from the top, box around the baseline.
    assert number.y0 < 841.89 - 780 < number.y1
    assert number.x0 > by_text["FACTURA"].x1 > 60
    assert by_text["Revisión"].confidence == 1.0
    assert "1.210,00" in by_text and "€" in {w.text for w in page.words}


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_word_boxes_match_the_rendered_page(rotation: int) -> None:
    """Every page rotation: a word's box tightly holds the ink pdfium renders for it."""
    pdf = rotate_pdf(invoice_pdf(), rotation) if rotation else invoice_pdf()
    page = read_text_layer(pdf)[0]
    image = np.asarray(render_png(pdf, dpi=72))  # 1 px = 1 pt
    assert abs(image.shape[0] - page.height) <= 1 and abs(image.shape[1] - page.width) <= 1
    word = next(w for w in page.words if w.text == "FAC-2024-00123")
    pad = 3  # less than the space before the word, so no neighbour's ink gets in
    top, left = int(word.y0) - pad, int(word.x0) - pad
    window = image[top : int(word.y1) + pad + 1, left : int(word.x1) + pad + 1] < 128
    rows, cols = np.nonzero(window.any(axis=1))[0], np.nonzero(window.any(axis=0))[0]
    ink = (left + cols[0], top + rows[0], left + cols[-1] + 1, top + rows[-1] + 1)
    tol = 1.5
    assert word.x0 - tol <= ink[0] and ink[2] <= word.x1 + tol
    assert word.y0 - tol <= ink[1] and ink[3] <= word.y1 + tol
    along = (
        (ink[2] - ink[0], word.x1 - word.x0)
        if rotation in (0, 180)
        else (
            ink[3] - ink[1],
            word.y1 - word.y0,
        )
    )
    assert along[0] >= 0.9 * along[1]


def test_usable_text_layer_decision() -> None:
    assert has_usable_text(invoice_pdf())
    scan = image_pdf([render_png(invoice_pdf())])
    assert read_text_layer(scan)[0].words == []
    assert not has_usable_text(scan)


def test_scan_with_invisible_ocr_layer_counts_as_text() -> None:
    """A scanner's PDF: the page image with invisible (render mode 3) text on top."""
    image = render_png(invoice_pdf(number="FAC-INV-555"), dpi=150)
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.drawImage(ImageReader(image), 0, 0, width=A4[0], height=A4[1])
    text = c.beginText(60, 780)
    text.setTextRenderMode(3)
    text.setFont("Helvetica", 16)
    text.textLine("FACTURA FAC-INV-555 Mantenimientos Textiles TOTAL 1.210,00 EUR")
    c.drawText(text)
    c.showPage()
    c.save()
    doc = read_document(buf.getvalue(), "scanner.pdf")
    assert doc.method == "text"
    assert "FAC-INV-555" in text_of(doc)


def test_text_layer_respects_max_pages() -> None:
    pdf = invoice_pdf(pages=3, lines=30)
    pages = read_text_layer(pdf, max_pages=2)
    assert [p.number for p in pages] == [0, 1]
    assert all(w.page == p.number for p in pages for w in p.words)


# --- OCR --------------------------------------------------------------------------------------


def test_ocr_of_a_scanned_invoice_finds_number_and_total(monkeypatch: pytest.MonkeyPatch) -> None:
    counter = TesseractCounter(monkeypatch)
    scan = image_pdf([render_png(invoice_pdf(number="FAC-2024-00987", total="4.321,09"))])
    doc = read_document(scan, "scan.pdf")
    assert doc.method == "ocr"
    text = text_of(doc)
    assert "FAC-2024-00987" in text
    assert "4.321,09" in text
    assert counter.calls == 1
    page = doc.pages[0]
    # Scaled back to points: the number sits near the top-left, as drawn.
    word = next(w for w in page.words if w.text == "FAC-2024-00987")
    assert word.x0 == pytest.approx(138, abs=12) and word.y0 == pytest.approx(48, abs=10)
    assert page.width == pytest.approx(595.28, abs=1)
    assert 0.5 < word.confidence <= 1.0


def test_pdf_named_file_that_is_a_png_is_read_as_png() -> None:
    data = png_bytes(render_png(invoice_pdf(number="FAC-PNG-0042")))
    assert sniff(data) is FileKind.PNG
    doc = read_document(data, "factura-0042.pdf")
    assert doc.method == "ocr"
    assert "FAC-PNG-0042" in text_of(doc)
    assert any("really PNG" in w for w in doc.warnings)


def test_mixed_pdf_ocrs_only_the_pages_without_text(monkeypatch: pytest.MonkeyPatch) -> None:
    counter = TesseractCounter(monkeypatch)
    text_page = invoice_pdf(number="FAC-MIX-1")
    scanned = image_pdf([render_png(invoice_pdf(number="FAC-MIX-2", lines=3))])
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(text_page)))
    writer.append(PdfReader(io.BytesIO(scanned)))
    out = io.BytesIO()
    writer.write(out)
    doc = read_document(out.getvalue(), "mixed.pdf")
    assert counter.calls == 1
    assert doc.method == "ocr"
    assert [p.number for p in doc.pages] == [0, 1]
    assert "FAC-MIX-1" in {w.text for w in doc.pages[0].words}
    assert "FAC-MIX-2" in {w.text for w in doc.pages[1].words}
    assert any("OCR'd: 2" in w for w in doc.warnings)


def test_multipage_tiff_and_skewed_scan() -> None:
    first = render_png(invoice_pdf(number="FAC-TIF-1", lines=2), dpi=200, angle=2.5)
    second = render_png(invoice_pdf(number="FAC-TIF-2", lines=2), dpi=200)
    buf = io.BytesIO()
    first.save(buf, "TIFF", save_all=True, append_images=[second], dpi=(200, 200))
    doc = read_document(buf.getvalue(), "scan.tiff")
    assert [p.number for p in doc.pages] == [0, 1]
    assert "FAC-TIF-1" in {w.text for w in doc.pages[0].words}
    assert "FAC-TIF-2" in {w.text for w in doc.pages[1].words}
    assert any("deskewed by" in w for w in doc.warnings)
    # 200 dpi from the TIFF header: the first page, grown by the rotation, stays near A4 width.
    assert doc.pages[1].width == pytest.approx(595.28, abs=2)


# --- cache ------------------------------------------------------------------------------------


def test_cache_returns_without_ocr(facturas_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    counter = TesseractCounter(monkeypatch)
    cache = ReadCache()
    data = png_bytes(render_png(invoice_pdf(number="FAC-CACHE-7", lines=3)))
    sha = file_sha256(data)
    first = read_document(data, "a.png", cache=cache)
    assert counter.calls == 1
    entry = facturas_home / "cache" / "read" / sha[:2] / f"{sha}.json.gz"
    assert entry.is_file()
    second = read_document(data, "copy-of-a.png", cache=cache)
    assert counter.calls == 1  # no Tesseract run the second time
    assert second.source == "copy-of-a.png"
    assert second.pages == first.pages and second.warnings == first.warnings
    assert second.method == "ocr" and second.sha256 == sha
    # Another reader version does not trust the entry.
    assert ReadCache(version="other").get(sha, "a.png") is None


def test_cache_keeps_rejections_and_survives_torn_entries(tmp_path: Path) -> None:
    cache = ReadCache(tmp_path / "cache")
    data = b"\x00\x01 definitely not an invoice"
    with pytest.raises(DocumentRejected) as first:
        read_document(data, "junk.bin", cache=cache)
    hit = cache.get(file_sha256(data), "junk.bin")
    assert isinstance(hit, DocumentRejected) and hit.reason == first.value.reason
    pdf = invoice_pdf()
    sha = file_sha256(pdf)
    cache.path(sha).parent.mkdir(parents=True, exist_ok=True)
    cache.path(sha).write_bytes(b"\x1f\x8b torn")
    assert cache.get(sha, "x.pdf") is None
    doc = read_document(pdf, "x.pdf", cache=cache)
    assert cache.get(sha, "x.pdf").pages == doc.pages


# --- batches ----------------------------------------------------------------------------------


def test_read_documents_batch_in_order_with_pool(tmp_path: Path) -> None:
    scan = tmp_path / "scan.png"
    scan.write_bytes(png_bytes(render_png(invoice_pdf(number="FAC-BATCH-2", lines=3))))
    scan_pdf = image_pdf(
        [render_png(invoice_pdf(number=f"FAC-BATCH-{n}", lines=2)) for n in (40, 41)]
    )
    items = [
        ("one.pdf", invoice_pdf(number="FAC-BATCH-1")),
        ("scan.png", scan),
        ("empty.pdf", b""),
        ("two-pages.pdf", scan_pdf),
        ("three.pdf", invoice_pdf(number="FAC-BATCH-3")),
    ]
    seen: list[int] = []
    results = list(read_documents(items, workers=2, progress=lambda n, _result: seen.append(n)))
    assert seen == [1, 2, 3, 4, 5]
    assert isinstance(results[2], DocumentRejected)
    assert results[2].reason == "empty_file" and results[2].source == "empty.pdf"
    ok = [r for r in results if isinstance(r, ReadDocument)]
    assert [r.source for r in ok] == ["one.pdf", "scan.png", "two-pages.pdf", "three.pdf"]
    assert [r.method for r in ok] == ["text", "ocr", "ocr", "text"]
    assert "FAC-BATCH-2" in text_of(ok[1])
    assert "FAC-BATCH-40" in {w.text for w in ok[2].pages[0].words}
    assert "FAC-BATCH-41" in {w.text for w in ok[2].pages[1].words}


def test_page_timeout_gives_up_and_is_not_cached(tmp_path: Path) -> None:
    """A page Tesseract cannot finish in time is abandoned, never cached as 'no text'."""
    cache = ReadCache(tmp_path / "cache")
    data = png_bytes(render_png(invoice_pdf(number="FAC-SLOW-1", lines=3)))
    with pytest.raises(DocumentRejected) as exc:
        read_document(data, "slow.png", cache=cache, page_timeout=0.05)
    assert exc.value.reason == "ocr_timeout"
    assert cache.get(file_sha256(data), "slow.png") is None
    doc = read_document(data, "slow.png", cache=cache)
    assert "FAC-SLOW-1" in text_of(doc)


@pytest.mark.parametrize("rendering", ["text-pdf", "scan-pdf", "scan-image"])
def test_generated_invoice_is_read_with_its_number_and_total(
    rendering: str, tmp_path: Path
) -> None:
    (generated,) = generate(1, tmp_path, seed=4242, renderings=[rendering])
    truth = generated.truth
    doc = read_document(generated.path)
    assert doc.method == ("text" if rendering == "text-pdf" else "ocr")
    assert len(doc.pages) == truth["pages"]
    words = [w.text for p in doc.pages for w in p.words]
    assert any(truth["invoice_number"] in w for w in words)
    assert re.search(amount_pattern(truth["total"]), " ".join(words))


def amount_pattern(value: str) -> str:
    """A regex for a decimal string as printed in any style: 2356.21 -> 2[ .,']?356[.,]21."""
    whole, _, cents = value.partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return r"(?<!\d)" + r"[\s.,'’]?".join(groups) + r"[.,]" + cents + r"(?!\d)"


def test_nearly_empty_text_page_is_not_ocrd(monkeypatch: pytest.MonkeyPatch) -> None:
    counter = TesseractCounter(monkeypatch)
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.drawString(60, 780, "FACTURA FAC-2024-00123 Mantenimientos Textiles del Vallès S.L.")
    c.drawString(330, 300, "TOTAL 1.210,00 EUR")
    c.showPage()
    c.drawString(60, 60, "Página 2 de 2")  # a last page with only its footer
    c.showPage()
    c.save()
    doc = read_document(buf.getvalue(), "two-pages.pdf")
    assert counter.calls == 0
    assert doc.method == "text"
    assert [w.text for w in doc.pages[1].words] == ["Página", "2", "de", "2"]


def test_long_runs_is_a_morphological_opening() -> None:
    from scipy import ndimage

    rng = np.random.default_rng(3)
    mask = rng.random((120, 160)) < 0.6
    mask[40, 5:150] = True
    mask[3:110, 77] = True
    for axis, structure in ((1, np.ones((1, 25), bool)), (0, np.ones((25, 1), bool))):
        expected = ndimage.binary_opening(mask, structure=structure)
        assert (long_runs(mask, 25, axis) == expected).all()


def test_table_rules_are_removed_but_text_and_dark_blocks_kept() -> None:
    image = render_png(invoice_pdf(lines=1), dpi=150)
    arr = np.asarray(image).copy()
    arr[400, 50:1100] = 0  # a 1 px rule across the page
    arr[100:700, 1150:1152] = 0  # a 2 px vertical rule
    arr[900:960, 100:700] = 30  # a dark filled header cell
    cleaned = np.asarray(remove_rules(Image.fromarray(arr), 72 / 150))
    assert (cleaned[400, 50:1100] == 255).all()
    assert (cleaned[100:700, 1150:1152] == 255).all()
    assert (cleaned[905:955, 110:690] == 30).all()
    # The text above the rules (title, party lines) is left exactly as it was.
    assert (cleaned[:380, :1100] == np.asarray(image)[:380, :1100]).all()


def test_sideways_scan_is_turned_upright() -> None:
    sideways = render_png(invoice_pdf(number="FAC-ROT-90", lines=4), dpi=200, angle=90)
    doc = read_document(png_bytes(sideways), "girada.png")
    assert any("rotated" in w for w in doc.warnings)
    assert "FAC-ROT-90" in text_of(doc)
    page = doc.pages[0]
    assert page.height > page.width  # upright A4 again


def test_light_text_on_a_dark_band_is_inverted_for_ocr() -> None:
    from facturas_assets.documents.render import invert_dark_regions

    image = render_png(invoice_pdf(number="FAC-BANDA-77", lines=2), dpi=200)
    arr = np.asarray(image).copy()
    band = (slice(0, 200), slice(0, arr.shape[1]))  # the title line, as a letterhead band
    arr[band] = 255 - (arr[band].astype(np.int32) * 180 // 255)  # white text on dark grey
    restored = np.asarray(invert_dark_regions(Image.fromarray(arr), 72 / 200))
    original = np.asarray(image)
    assert np.abs(restored[20:240, 20:-20].astype(int) - original[20:240, 20:-20]).mean() < 8
    assert (restored[300:] == original[300:]).all()  # dark-on-light text is left as it was
    doc = read_document(png_bytes(Image.fromarray(arr)), "banda.png")
    assert "FAC-BANDA-77" in text_of(doc)


def test_paper_caught_at_the_edge_of_a_band_is_not_inverted_into_a_black_bar() -> None:
    from facturas_assets.documents.render import invert_dark_regions

    arr = np.full((1200, 900), 250, np.uint8)
    # A band shifted in the scanner: it reaches the page edge on the right only.
    arr[:260, 450:] = 60
    arr[14:260, :450] = 60
    arr[100:112, 300:600] = 245  # a light line of text inside it
    restored = np.asarray(invert_dark_regions(Image.fromarray(arr), 72 / 200))
    assert (restored[:14, :440] > 200).all()  # the paper above the band stays paper
    assert restored[100:112, 300:600].mean() < 60  # the band's text is dark now
    assert restored[30:90, 50:250].mean() > 200  # and the band is light


def test_grey_cells_and_faint_toner_are_flattened_to_white_paper_and_dark_ink() -> None:
    from facturas_assets.documents.render import flatten_background

    image = render_png(invoice_pdf(number="FAC-GRIS-31", lines=2), dpi=200)
    original = np.asarray(image)
    # Faint toner on tinted paper, and the title line inside a grey header cell.
    arr = (235 - (255 - original.astype(np.int32)) * 150 // 255).astype(np.uint8)
    cell = (slice(0, 200), slice(0, arr.shape[1]))
    arr[cell] = np.minimum(arr[cell], 190)
    flat = np.asarray(flatten_background(Image.fromarray(arr), 72 / 200))
    ink = original < 100
    assert np.median(flat[cell][~ink[cell]]) == 255  # the grey cell is paper again
    assert np.median(flat[~ink]) == 255  # so is the tinted paper
    assert np.median(flat[ink]) < 60  # and the faint ink is dark
    doc = read_document(png_bytes(Image.fromarray(arr)), "gris.png")
    assert "FAC-GRIS-31" in text_of(doc)


def test_bold_text_at_low_resolution_is_not_taken_for_a_rule() -> None:
    arr = np.full((200, 400), 255, np.uint8)
    # A bold word at 150 dpi: 30 letters 6 px wide with 2 px strokes, 1 px apart. Pooled 2x,
    # their top and bottom strokes would join into runs as long and thin as a table rule.
    for k in range(30):
        x = 40 + k * 7
        arr[80:92, x : x + 6] = 0
        arr[82:90, x + 2 : x + 4] = 255
    cleaned = np.asarray(remove_rules(Image.fromarray(arr), 72 / 150))
    assert (cleaned == arr).all()
