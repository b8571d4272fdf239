"""Regions of a page image stacked into one strip, read in one extra Tesseract run and mapped
back: a second look at parts of a page costs one process start, not one per region."""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image

from facturas_assets.documents.model import Word


@dataclass(frozen=True, slots=True)
class Region:
    """A crop of the page (pixels) and where it sits, scaled, in the stacked strip."""

    x0: int
    y0: int
    x1: int
    y1: int
    factor: float = 1.0  # strip pixels per page pixel
    top: int = 0  # strip row of the crop's top
    left: int = 0  # strip column of the crop's left


def stack(
    image: Image.Image, regions: list[Region], gap: int, factors: list[float] | None = None
) -> tuple[Image.Image, list[Region]]:
    """The regions (scaled down by `factors` when given) stacked top to bottom on white paper,
    `gap` pixels apart, in the page's reading order, and where each was placed (in the order of
    `regions`)."""
    scales = factors or [1.0] * len(regions)
    order = sorted(range(len(regions)), key=lambda i: (regions[i].y0, regions[i].x0))
    placed: list[Region | None] = [None] * len(regions)
    crops: list[Image.Image | None] = [None] * len(regions)
    top = gap
    for i in order:
        r = regions[i]
        crop = image.crop((r.x0, r.y0, r.x1, r.y1))
        if scales[i] < 1.0:
            size = (max(1, round(crop.width * scales[i])), max(1, round(crop.height * scales[i])))
            crop = crop.resize(size, Image.LANCZOS)
        crops[i] = crop
        placed[i] = Region(
            r.x0, r.y0, r.x1, r.y1, factor=crop.width / (r.x1 - r.x0), top=top, left=gap
        )
        top += crop.height + gap
    done = [(c, p) for c, p in zip(crops, placed, strict=True) if c is not None and p is not None]
    strip = Image.new("L", (max(c.width for c, _ in done) + 2 * gap, top), 255)
    for crop, r in done:
        strip.paste(crop, (r.left, r.top))
    return strip, [p for _, p in done]


def words_by_region(
    found: list[Word], placed: list[Region], scale: float
) -> dict[Region, list[Word]]:
    """The strip's words holding a letter or digit, per stacked region, mapped to the page."""
    out: dict[Region, list[Word]] = {}
    for word in found:
        region = region_of(word, placed)
        if region is not None and any(ch.isalnum() for ch in word.text):
            out.setdefault(region, []).append(to_page(word, region, scale))
    return out


def region_of(word: Word, placed: list[Region]) -> Region | None:
    """The stacked region a strip word's centre falls in, if any."""
    cy = (word.y0 + word.y1) / 2
    for r in placed:
        if r.top <= cy <= r.top + (r.y1 - r.y0) * r.factor:
            return r
    return None


def to_page(word: Word, r: Region, scale: float) -> Word:
    """A strip word mapped back to the page, in points."""

    def x(v: float) -> float:
        return (r.x0 + (v - r.left) / r.factor) * scale

    def y(v: float) -> float:
        return (r.y0 + (v - r.top) / r.factor) * scale

    return Word(
        text=word.text,
        x0=x(word.x0),
        y0=y(word.y0),
        x1=x(word.x1),
        y1=y(word.y1),
        page=word.page,
        confidence=word.confidence,
    )


def inside(word: Word, regions: set[Region] | list[Region], scale: float) -> bool:
    """Whether a page word's centre lies in one of the regions (page pixels)."""
    cx, cy = (word.x0 + word.x1) / 2 / scale, (word.y0 + word.y1) / 2 / scale
    return any(r.x0 <= cx <= r.x1 and r.y0 <= cy <= r.y1 for r in regions)


def box_of(words: list[Word]) -> Word:
    """The box around words, as a word with no text."""
    return Word(
        text="",
        x0=min(w.x0 for w in words),
        y0=min(w.y0 for w in words),
        x1=max(w.x1 for w in words),
        y1=max(w.y1 for w in words),
        page=words[0].page,
        confidence=1.0,
    )


def median_height(words: list[Word]) -> float:
    """The middle height of the words' boxes."""
    heights = sorted(w.y1 - w.y0 for w in words)
    return max(1.0, heights[len(heights) // 2])


def pixels(box: Word, scale: float, image: Image.Image) -> Region:
    """A box in points as a region of the page image (pixels)."""
    return Region(
        x0=max(0, int(box.x0 / scale)),
        y0=max(0, int(box.y0 / scale)),
        x1=min(image.width, int(box.x1 / scale) + 1),
        y1=min(image.height, int(box.y1 / scale) + 1),
    )


def padded(core: Region, margin: int, image: Image.Image) -> Region:
    """The region with `margin` pixels of the page around it."""
    return Region(
        x0=max(0, core.x0 - margin),
        y0=max(0, core.y0 - margin),
        x1=min(image.width, core.x1 + margin),
        y1=min(image.height, core.y1 + margin),
    )


def overlap(a: Word, b: Word) -> bool:
    """Whether two boxes overlap at all."""
    return min(a.x1, b.x1) > max(a.x0, b.x0) and min(a.y1, b.y1) > max(a.y0, b.y0)
