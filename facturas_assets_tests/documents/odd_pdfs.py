"""PDFs for odd text layers: written byte by byte (lone surrogates no PDF library would
produce), or drawn word by word from a page of positioned words."""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from facturas_assets.documents.model import Page


def _literal(text: str) -> str:
    """A PDF string literal of latin-1 text."""
    return "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def text_pdf(lines: list[str], to_unicode: dict[str, str] | None = None) -> bytes:
    """A one-page PDF showing `lines` in Helvetica; `to_unicode` maps a character of the lines
    to the UTF-16 hex its ToUnicode map gives (e.g. {"X": "D800"}: a lone surrogate half)."""
    content = "BT /F1 11 Tf 14 TL 50 780 Td " + " ".join(f"{_literal(t)} '" for t in lines)
    content += " ET"
    pairs = " ".join(f"<{ord(c):02X}> <{u}>" for c, u in (to_unicode or {}).items())
    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap "
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def "
        "/CMapName /Adobe-Identity-UCS def /CMapType 2 def "
        "1 begincodespacerange <00> <FF> endcodespacerange "
        f"{len(to_unicode or {})} beginbfchar {pairs} endbfchar "
        "endcmap CMapName currentdict /CMap defineresource pop end end"
    )
    font = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding"
    font += " /ToUnicode 6 0 R >>" if to_unicode else " >>"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        "/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        font,
        f"<< /Length {len(content.encode('latin-1'))} >>\nstream\n{content}\nendstream",
        f"<< /Length {len(cmap)} >>\nstream\n{cmap}\nendstream",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    trailer = f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    return out + trailer.encode()


def words_pdf(pages: list[Page]) -> bytes:
    """A text PDF with each word drawn where its box says (points from the top-left)."""
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4, invariant=1)
    for page in pages:
        for word in page.words:
            size = word.y1 - word.y0
            pdf.setFont("Helvetica", size)
            pdf.drawString(word.x0, A4[1] - word.y1 + 0.2 * size, word.text)
        pdf.showPage()
    pdf.save()
    return out.getvalue()
