"""Register the system TrueType fonts (fonts-dejavu-core, fonts-liberation2) with reportlab once."""

from __future__ import annotations

from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/truetype/liberation2"),
)

TTF_FILES = {
    "DejaVuSans": "DejaVuSans.ttf",
    "DejaVuSans-Bold": "DejaVuSans-Bold.ttf",
    "DejaVuSans-Oblique": "DejaVuSans-Oblique.ttf",
    "DejaVuSansCondensed": "DejaVuSansCondensed.ttf",
    "DejaVuSansCondensed-Bold": "DejaVuSansCondensed-Bold.ttf",
    "DejaVuSansCondensed-Oblique": "DejaVuSansCondensed-Oblique.ttf",
    "DejaVuSerif": "DejaVuSerif.ttf",
    "DejaVuSerif-Bold": "DejaVuSerif-Bold.ttf",
    "DejaVuSerif-Italic": "DejaVuSerif-Italic.ttf",
    "LiberationSans": "LiberationSans-Regular.ttf",
    "LiberationSans-Bold": "LiberationSans-Bold.ttf",
    "LiberationSans-Italic": "LiberationSans-Italic.ttf",
    "LiberationSerif": "LiberationSerif-Regular.ttf",
    "LiberationSerif-Bold": "LiberationSerif-Bold.ttf",
    "LiberationSerif-Italic": "LiberationSerif-Italic.ttf",
    "LiberationMono": "LiberationMono-Regular.ttf",
    "LiberationMono-Bold": "LiberationMono-Bold.ttf",
    "LiberationMono-Italic": "LiberationMono-Italic.ttf",
}

STANDARD = {
    "Helvetica",
    "Helvetica-Bold",
    "Helvetica-Oblique",
    "Times-Roman",
    "Times-Bold",
    "Times-Italic",
    "Courier",
    "Courier-Bold",
    "Courier-Oblique",
}


class FontMissing(RuntimeError):
    """A TrueType font a layout needs is not installed."""


def ensure_font(name: str) -> None:
    """Make `name` usable by reportlab, registering the TTF on first use."""
    if name in STANDARD or name in pdfmetrics.getRegisteredFontNames():
        return
    file = TTF_FILES.get(name)
    if file is None:
        raise FontMissing(f"unknown font {name!r}")
    for folder in FONT_DIRS:
        path = folder / file
        if path.exists():
            pdfmetrics.registerFont(TTFont(name, str(path)))
            return
    dirs = ", ".join(str(d) for d in FONT_DIRS)
    raise FontMissing(
        f"font file {file} not found in {dirs} (install the fonts-dejavu-core and fonts-liberation2 packages)"
    )
