"""Every bad input of the reading issue: a specific reason, or best effort with warnings."""

from __future__ import annotations

import io
import struct
import time
import zipfile
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont
from pypdf import PdfReader, PdfWriter

from facturas_assets.documents.model import DocumentRejected, ReadDocument
from facturas_assets.documents.reader import read_document, read_documents
from facturas_assets_tests.documents.test_einvoice import TRUTH
from facturas_assets_tests.documents.test_reading import (
    TesseractCounter,
    image_pdf,
    invoice_pdf,
    png_bytes,
    render_png,
    text_of,
)
from facturas_dev.synth.einvoices import to_ubl


def rejected(data: bytes, source: str, **kwargs: object) -> DocumentRejected:
    """The rejection reading this file raises (fails the test if it is read)."""
    with pytest.raises(DocumentRejected) as exc:
        read_document(data, source, **kwargs)
    assert exc.value.detail  # always a human-readable detail
    return exc.value


def encrypted(pdf: bytes, password: str = "s3creto") -> bytes:
    """The PDF protected with a user password (pypdf)."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt(user_password=password, owner_password=password + "-owner")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims a huge size (the pixels would never fit in memory)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def test_empty_file() -> None:
    assert rejected(b"", "vacia.pdf").reason == "empty_file"


@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.95])
def test_truncated_pdf(fraction: float) -> None:
    pdf = invoice_pdf()
    assert rejected(pdf[: int(len(pdf) * fraction)], "cortada.pdf").reason == "truncated_pdf"


def test_corrupt_pdf_with_eof_marker() -> None:
    pdf = invoice_pdf()
    garbage = pdf[:20] + bytes(range(256)) * 20 + b"\n%%EOF\n"
    assert rejected(garbage, "rota.pdf").reason == "corrupt_pdf"


def test_password_protected_pdf() -> None:
    error = rejected(encrypted(invoice_pdf()), "protegida.pdf")
    assert error.reason == "encrypted_pdf"


def test_owner_password_only_pdf_is_read() -> None:
    """Only permissions restricted (empty user password): every viewer opens it, so do we."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(invoice_pdf(number="FAC-OWN-1"))))
    writer.encrypt(user_password="", owner_password="solo-propietario")
    out = io.BytesIO()
    writer.write(out)
    doc = read_document(out.getvalue(), "permisos.pdf")
    assert "FAC-OWN-1" in text_of(doc)


def test_photo_that_is_not_an_invoice() -> None:
    rng = np.random.default_rng(7)
    noise = rng.normal(128, 60, (900, 1200, 3)).clip(0, 255).astype(np.uint8)
    gradient = np.linspace(0, 255, 1200, dtype=np.uint8)[None, :, None]
    photo = Image.fromarray(((noise.astype(np.uint16) + gradient) // 2).astype(np.uint8))
    buf = io.BytesIO()
    photo.save(buf, "JPEG", quality=85)
    assert rejected(buf.getvalue(), "foto.jpg").reason == "no_text_found"


def test_60_megapixel_image_is_downscaled_and_read() -> None:
    image = Image.new("L", (7500, 8000), 255)  # a portrait photo of a page
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype("DejaVuSans.ttf", 110)
    for i, line in enumerate(["FACTURA FAC-2024-06000", "Fecha 15/03/2024", "TOTAL 1.210,00 EUR"]):
        draw.text((700, 900 + i * 300), line, fill=0, font=font)
    doc = read_document(png_bytes(image, compress_level=1), "foto-grande.png")
    assert any("60 MP" in w and "downscaled" in w for w in doc.warnings)
    assert "FAC-2024-06000" in text_of(doc)
    assert "1.210,00" in text_of(doc)
    assert doc.pages[0].width == pytest.approx(595.28, abs=1)


def test_image_above_the_hard_limit_is_refused_before_decoding() -> None:
    started = time.perf_counter()
    error = rejected(png_header_only(40_000, 30_000), "gigante.png")
    assert error.reason == "image_too_large"
    assert "1200 MP" in error.detail
    assert time.perf_counter() - started < 5  # nothing was decoded (generous bound)


def test_40_page_pdf_is_read_up_to_max_pages() -> None:
    doc = read_document(invoice_pdf(pages=40), "cuarenta.pdf")
    assert doc.method == "text"
    assert [p.number for p in doc.pages] == list(range(10))
    assert any("40 pages" in w and "first 10" in w for w in doc.warnings)


def test_40_page_scan_ocrs_only_max_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    counter = TesseractCounter(monkeypatch)
    page = render_png(invoice_pdf(lines=1), dpi=100)
    doc = read_document(image_pdf([page] * 40, dpi=100), "escaneo-40.pdf", max_pages=2)
    assert counter.calls == 2
    assert [p.number for p in doc.pages] == [0, 1]
    assert any("40 pages" in w for w in doc.warnings)


@pytest.mark.parametrize(
    ("source", "data", "named"),
    [
        ("factura.docx", None, "ZIP archive"),
        ("factura.pdf", b"\x8a\x13\xff\x00" + bytes(range(256)) * 8, "binary"),
        ("scan.gif", b"GIF89a" + b"\x00" * 64, "GIF"),
        ("foto.heic", b"\x00\x00\x00\x18ftypheic" + b"\x00" * 64, "HEIC"),
    ],
)
def test_unsupported_types(source: str, data: bytes | None, named: str) -> None:
    if data is None:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            zf.writestr("word/document.xml", "<w:document/>")
        data = buf.getvalue()
    error = rejected(data, source)
    assert error.reason == "unsupported_type"
    assert named in error.detail


def test_malformed_einvoice_xml() -> None:
    xml = to_ubl(TRUTH)
    assert rejected(xml[: len(xml) // 2], "factura.xml").reason == "malformed_xml"


def test_xml_external_entity_is_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "passwd"
    secret.write_text("root:x:0:0:SECRET-XXE-MARKER")
    for target in (f"file://{secret}", "file:///etc/passwd", "http://127.0.0.1:9/x.dtd"):
        xml = to_ubl(TRUTH).replace(b"<cbc:ID>FV/2024/000381</cbc:ID>", b"<cbc:ID>&xxe;</cbc:ID>")
        xml = xml.replace(
            b"?>\n", f'?>\n<!DOCTYPE Invoice [<!ENTITY xxe SYSTEM "{target}">]>\n'.encode(), 1
        )
        error = rejected(xml, "xxe.xml")
        assert error.reason == "xml_forbidden_construct"
        assert "SECRET-XXE-MARKER" not in str(error) and "root:" not in str(error)


def test_billion_laughs_is_refused_quickly() -> None:
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    ]
    xml = f'<?xml version="1.0"?><!DOCTYPE lolz [{"".join(entities)}]><lolz>&lol9;</lolz>'
    started = time.perf_counter()
    assert rejected(xml.encode(), "bomb.xml").reason == "xml_forbidden_construct"
    assert time.perf_counter() - started < 5


def test_one_batch_of_every_bad_input_finishes_in_order() -> None:
    """Bad files mixed with a good one: the batch neither stops nor reorders."""
    items = [
        ("vacia.pdf", b""),
        ("cortada.pdf", invoice_pdf()[:500]),
        ("protegida.pdf", encrypted(invoice_pdf())),
        ("buena.pdf", invoice_pdf(number="FAC-OK-1")),
        ("gigante.png", png_header_only(40_000, 30_000)),
        ("bomb.xml", b'<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'),
        ("rara.bin", bytes(range(256))),
    ]
    results = list(read_documents(items, workers=1))
    assert [getattr(r, "source", None) for r in results] == [s for s, _ in items]
    reasons = [r.reason if isinstance(r, DocumentRejected) else "ok" for r in results]
    assert reasons == [
        "empty_file",
        "truncated_pdf",
        "encrypted_pdf",
        "ok",
        "image_too_large",
        "xml_forbidden_construct",
        "unsupported_type",
    ]
    assert isinstance(results[3], ReadDocument) and "FAC-OK-1" in text_of(results[3])
