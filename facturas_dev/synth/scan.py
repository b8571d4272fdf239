"""Turn a digital invoice PDF into what a scanner gives: degraded page images, or an image-only PDF.

Pages are rasterised with pypdfium2 at 150-300 dpi, then stamped ("PAGADO", "RECIBIDO"), given faint
or uneven toner, a paper tint, a small rotation, blur and noise. Every choice comes from the invoice
seed, so the same invoice always scans the same way.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from datetime import date

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from facturas_dev.synth.fonts import FONT_DIRS

STAMPS = {
    "es": ("PAGADO", "RECIBIDO", "CONTABILIZADO", "CONFORME"),
    "en": ("PAID", "RECEIVED", "POSTED"),
    "pt": ("PAGO", "RECEBIDO"),
    "fr": ("PAYÉ", "REÇU", "COMPTABILISÉ"),
    "it": ("PAGATO", "RICEVUTO"),
}
STAMP_COLORS = ((196, 32, 38), (32, 58, 168), (40, 110, 60))
IMAGE_FORMATS = {"png": ".png", "jpeg": ".jpg", "tiff": ".tif"}


@dataclass(frozen=True, slots=True)
class ScanParams:
    """How one invoice is scanned."""

    dpi: int
    color: bool
    angle: float
    blur: float
    noise: float
    toner: float
    paper: int
    stamp: str | None
    stamp_color: tuple[int, int, int]
    image_format: str  # png, jpeg or tiff (multi-page scans are always tiff)
    jpeg_quality: int
    tiff_compression: str = "tiff_lzw"  # or group4 (bilevel, as fax-style scanners) or jpeg


def scan_params(seed: int, pages: int, language: str) -> ScanParams:
    """The scan settings drawn from the invoice seed."""
    rng = random.Random(seed ^ 0x5CA77ED)
    fmt = "tiff" if pages > 1 else rng.choice(("png", "jpeg", "jpeg", "tiff"))
    return ScanParams(
        dpi=rng.choice((150, 200, 200, 240, 300)),
        color=rng.random() < 0.2,
        angle=round(rng.uniform(-1.8, 1.8), 2),
        blur=round(rng.uniform(0.2, 1.1), 2),
        noise=round(rng.uniform(3.0, 10.0), 1),
        toner=round(rng.uniform(0.6, 1.0), 2),
        paper=rng.randint(228, 252),
        stamp=rng.choice(STAMPS[language]) if rng.random() < 0.55 else None,
        stamp_color=rng.choice(STAMP_COLORS),
        image_format=fmt,
        jpeg_quality=rng.randint(55, 90),
        tiff_compression=rng.choice(("tiff_lzw", "group4", "jpeg")),
    )


def image_extension(params: ScanParams) -> str:
    """File extension of the scan-image rendering."""
    return IMAGE_FORMATS[params.image_format]


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for folder in FONT_DIRS:
        for name in ("DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf"):
            path = folder / name
            if path.exists():
                return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size)


def _stamp(page: Image.Image, params: ScanParams, rng: random.Random, when: date) -> Image.Image:
    """A rubber stamp (word, date, border) pasted at an angle, semi-transparent."""
    scale = params.dpi / 200
    big, small = _font(int(44 * scale)), _font(int(20 * scale))
    assert params.stamp is not None
    date_text = when.strftime("%d/%m/%Y")
    w = int(max(big.getlength(params.stamp), small.getlength(date_text)) + 40 * scale)
    h = int(110 * scale)
    layer = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    ink = (*params.stamp_color, 200)
    draw.rounded_rectangle(
        (2, 2, w - 3, h - 3), radius=int(10 * scale), outline=ink, width=max(2, int(4 * scale))
    )
    draw.text((w / 2, 40 * scale), params.stamp, font=big, fill=ink, anchor="mm")
    draw.text((w / 2, 84 * scale), date_text, font=small, fill=ink, anchor="mm")
    layer = layer.rotate(rng.uniform(-28, 28), resample=Image.BICUBIC, expand=True)
    x = rng.randint(
        int(page.width * 0.35), max(int(page.width * 0.35) + 1, page.width - layer.width - 10)
    )
    y = rng.randint(
        int(page.height * 0.45), max(int(page.height * 0.45) + 1, page.height - layer.height - 40)
    )
    base = page.convert("RGBA")
    base.alpha_composite(layer, (x, y))
    return base.convert("RGB" if params.color else "L")


def _degrade(page: Image.Image, params: ScanParams, rng: np.random.Generator) -> Image.Image:
    """Toner, paper, rotation, blur and noise on one page image (PIL/LUT work, little float math)."""
    width, height = page.size
    # Faint toner and paper tint in one lookup table: v -> paper * (1 - toner * (1 - v/255)).
    lut = [round(params.paper * (1 - params.toner * (1 - v / 255))) for v in range(256)]
    image = page.point(lut * (3 if page.mode == "RGB" else 1))
    # Uneven toner: a few lighter vertical bands (a worn drum) fade the ink towards the paper.
    bands = int(rng.integers(0, 4))
    if bands:
        xs = np.arange(width, dtype=np.float32)
        fade = np.zeros(width, dtype=np.float32)
        for _ in range(bands):
            centre, spread = rng.uniform(0, width), rng.uniform(width * 0.02, width * 0.12)
            fade += 0.3 * np.exp(-((xs - centre) ** 2) / (2 * spread**2))
        strip = Image.fromarray((np.clip(fade, 0, 0.5) * 255).astype(np.uint8)[None, :], mode="L")
        paper = Image.new(
            image.mode, image.size, (params.paper,) * 3 if page.mode == "RGB" else params.paper
        )
        image = Image.composite(paper, image, strip.resize((width, height), Image.NEAREST))
    fill = (params.paper,) * 3 if page.mode == "RGB" else params.paper
    image = image.rotate(params.angle, resample=Image.BILINEAR, expand=False, fillcolor=fill)
    image = image.filter(
        ImageFilter.BoxBlur(params.blur * params.dpi / 200)
    )  # cheaper than Gaussian
    arr = np.asarray(image).astype(np.int16)
    amplitude = int(params.noise)
    noise = rng.integers(-amplitude, amplitude + 1, size=(height, width), dtype=np.int16)
    arr += noise[..., None] if arr.ndim == 3 else noise
    specks = int(rng.integers(100, 1500))
    ys, xs_ = rng.integers(0, height, specks), rng.integers(0, width, specks)
    dark = rng.integers(20, 120, specks, dtype=np.int16)
    arr[ys, xs_] = dark[:, None] if arr.ndim == 3 else dark
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), mode=image.mode)


def scan_pages(pdf: bytes, params: ScanParams, seed: int, stamp_date: date) -> list[Image.Image]:
    """Each page of `pdf` rasterised at params.dpi and degraded."""
    doc = pdfium.PdfDocument(pdf)
    try:
        pages = []
        stamp_rng = random.Random(seed ^ 0x57A4)
        for index in range(len(doc)):
            bitmap = doc[index].render(scale=params.dpi / 72, grayscale=not params.color)
            image = bitmap.to_pil().convert("RGB" if params.color else "L")
            if params.stamp and index == 0:
                image = _stamp(image, params, stamp_rng, stamp_date)
            pages.append(_degrade(image, params, np.random.default_rng([seed, index])))
        return pages
    finally:
        doc.close()


def encode_image(pages: list[Image.Image], params: ScanParams) -> bytes:
    """The scan as one image file: PNG/JPEG for one page, multi-page TIFF otherwise."""
    if len(pages) > 1 and params.image_format != "tiff":
        raise ValueError("multi-page scans must be TIFF")
    buf = io.BytesIO()
    dpi = (params.dpi, params.dpi)
    if params.image_format == "png":
        pages[0].save(buf, "PNG", dpi=dpi, compress_level=1)
    elif params.image_format == "jpeg":
        pages[0].save(buf, "JPEG", dpi=dpi, quality=params.jpeg_quality)
    else:
        frames = pages
        options: dict[str, object] = {"compression": params.tiff_compression}
        if params.tiff_compression == "group4":
            # Bilevel: a threshold between ink and paper, as a black-and-white scanner does.
            lut = [255 if v > params.paper * 0.78 else 0 for v in range(256)]
            frames = [page.convert("L").point(lut, mode="1") for page in pages]
        elif params.tiff_compression == "jpeg":
            options["quality"] = params.jpeg_quality
        frames[0].save(buf, "TIFF", dpi=dpi, save_all=True, append_images=frames[1:], **options)
    return buf.getvalue()


def image_only_pdf(pages: list[Image.Image], params: ScanParams) -> bytes:
    """A PDF whose pages are only JPEG images at the scan's resolution (no text layer)."""
    objects: list[bytes] = []
    page_ids = []
    for index, page in enumerate(pages):
        jpeg = io.BytesIO()
        page.save(jpeg, "JPEG", quality=params.jpeg_quality, dpi=(params.dpi, params.dpi))
        data = jpeg.getvalue()
        w_pt = page.width * 72 / params.dpi
        h_pt = page.height * 72 / params.dpi
        image_id = 3 + index * 3
        content_id = image_id + 1
        page_id = image_id + 2
        colorspace = "/DeviceRGB" if page.mode == "RGB" else "/DeviceGray"
        objects.append(
            f"<< /Type /XObject /Subtype /Image /Width {page.width} /Height {page.height} "
            f"/ColorSpace {colorspace} /BitsPerComponent 8 /Filter /DCTDecode /Length {len(data)} >>\nstream\n".encode()
            + data
            + b"\nendstream"
        )
        content = f"q {w_pt:.2f} 0 0 {h_pt:.2f} 0 0 cm /Im0 Do Q".encode()
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {w_pt:.2f} {h_pt:.2f}] "
            f"/Resources << /XObject << /Im0 {image_id} 0 R >> >> /Contents {content_id} 0 R >>".encode()
        )
        page_ids.append(page_id)
    kids = " ".join(f"{i} 0 R" for i in page_ids)
    objects.insert(0, f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode())
    objects.insert(0, b"<< /Type /Catalog /Pages 2 0 R >>")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()
