"""Bad inputs for a batch: each must end in quarantine with a reason (or load with warnings)."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image
from pypdf import PdfReader, PdfWriter

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE Invoice [<!ENTITY leak SYSTEM "file:///etc/passwd">]>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"><ID>&leak;</ID></Invoice>
"""


def encrypted(pdf: bytes) -> bytes:
    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        writer.add_page(page)
    writer.encrypt("secreto")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def noise_photo(seed: int = 0) -> bytes:
    """A photo-like image with no text at all."""
    rng = np.random.default_rng(seed)
    base = np.linspace(0, 255, 900, dtype=np.float32)[None, :, None].repeat(700, axis=0)
    pixels = np.clip(base + rng.normal(0, 40, (700, 900, 3)), 0, 255).astype(np.uint8)
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, format="JPEG", quality=80)
    return out.getvalue()


def bad_files(good_pdf: bytes) -> dict[str, bytes]:
    """Landing name -> content, one of each kind of bad input."""
    return {
        "vacia.pdf": b"",
        "cortada.pdf": good_pdf[: len(good_pdf) // 2],
        "protegida.pdf": encrypted(good_pdf),
        "foto-de-la-nave.jpg": noise_photo(),
        "informe.pdf": b"PK\x03\x04" + bytes(range(256)) * 4,  # a zip (docx) named .pdf
        "xxe.xml": XXE,
        "roto.xml": b"<Invoice><ID>1</ID>",
    }
