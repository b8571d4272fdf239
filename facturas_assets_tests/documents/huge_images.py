"""A huge transparent page, as a phone app or a design tool exports it: a 14,000 x 14,000 RGBA
PNG (196 MP, under the 200 MP cap) of black text on a transparent background, 0.8 MB on disk.

Run as a script to write one (`python -m facturas_assets_tests.documents.huge_images PATH`):
making it takes ~800 MB, so tests and benchmarks make it in a child process.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

SIDE = 14_000
CHANNELS = 4  # RGBA
NUMBER = "FAC-2024-14000"


def write_huge_rgba_png(path: Path, side: int = SIDE) -> Path:
    """Write the page to `path` (PNG) and return it."""
    image = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype("DejaVuSans.ttf", side // 60)
    lines = [f"FACTURA {NUMBER}", "Fecha 15/03/2024", "TOTAL 1.210,00 EUR"]
    for i, line in enumerate(lines):
        draw.text((side // 12, side // 10 + i * side // 25), line, fill=(0, 0, 0, 255), font=font)
    image.save(path, "PNG")
    return path


if __name__ == "__main__":
    write_huge_rgba_png(Path(sys.argv[1]))
