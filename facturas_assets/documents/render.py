"""Page images for OCR: PDF pages rendered with pdfium, raster files loaded with pixel limits."""

from __future__ import annotations

import io
import math
import re
import warnings
from dataclasses import dataclass

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import ExifTags, Image, UnidentifiedImageError
from scipy import ndimage

from facturas_assets.documents.model import DocumentRejected

# Vector pages without a text layer are rendered at 300 dpi: on generated invoices it found
# 81.5 % of amounts and whole line descriptions exactly vs 78.7 % at 200 dpi, at no extra time
# (8-10 pt text gets a ~20 px x-height, where Tesseract's LSTM does best).
RENDER_DPI = 300
MIN_SCAN_RENDER_DPI = 150  # scans below this are still rendered at RENDER_DPI (tiny text)
# Pixel budget of one page sent to Tesseract (A4 at ~400 dpi); larger images are downscaled.
OCR_MAX_PIXELS = 16_000_000
# Above this an image is refused outright: decoding it alone could exhaust memory.
REJECT_PIXELS = 200_000_000
# Pillow's own decompression-bomb guard, set deliberately to our hard bound (it raises at 2x).
Image.MAX_IMAGE_PIXELS = REJECT_PIXELS
SKEW_WIDTH = 600  # px width at which skew is estimated (text lines stay a few px tall)
# Images without a usable dpi are assumed to span an A4 page across their shorter side.
A4_SHORT_SIDE_PT = 595.28


@dataclass(slots=True)
class PageImage:
    """A grayscale page image and the factor from its pixels to page points."""

    image: Image.Image
    points_per_pixel: float
    number: int
    note: str | None = None  # e.g. that it was downscaled

    @property
    def width_pt(self) -> float:
        """Page width in points."""
        return self.image.width * self.points_per_pixel

    @property
    def height_pt(self) -> float:
        """Page height in points."""
        return self.image.height * self.points_per_pixel


def scan_dpi(page: pdfium.PdfPage) -> float | None:
    """The resolution of the image a scanned page consists of, or None if it is not one.

    Rendering such a page above that resolution only interpolates pixels: on generated 150-200
    dpi scans, native resolution found 97.6 % of amounts vs 86.9 % when upscaled to 300 dpi,
    and Tesseract ran ~25 % faster.
    """
    width_pt, height_pt = page.get_size()
    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=2):
        left, bottom, right, top = obj.get_bounds()
        if (right - left) * (top - bottom) < 0.6 * width_pt * height_pt:
            continue
        px_w, px_h = obj.get_px_size()
        return min(px_w / ((right - left) / 72), px_h / ((top - bottom) / 72))
    return None


def render_pdf_page(doc: pdfium.PdfDocument, index: int, dpi: int = RENDER_DPI) -> PageImage:
    """One PDF page rendered in grayscale at dpi (a scan at its own lower dpi; big pages lower)."""
    page = doc[index]
    try:
        native = scan_dpi(page)
        if native is not None and MIN_SCAN_RENDER_DPI <= native < dpi:
            dpi = round(native)
        width_pt, height_pt = page.get_size()
        pixels = (width_pt * dpi / 72) * (height_pt * dpi / 72)
        note = None
        if pixels > OCR_MAX_PIXELS:
            dpi = max(36, int(dpi * math.sqrt(OCR_MAX_PIXELS / pixels)))
            note = f"page {index + 1} is {width_pt:.0f}x{height_pt:.0f} pt; rendered at {dpi} dpi"
        scale = dpi / 72
        bitmap = page.render(scale=scale, grayscale=True, may_draw_forms=True)
        image = bitmap.to_pil().convert("L")
    finally:
        page.close()
    return PageImage(image=image, points_per_pixel=1 / scale, number=index, note=note)


def count_image_frames(data: bytes) -> int:
    """Number of frames (pages) of a raster image file."""
    with _open_image(data) as img:
        return getattr(img, "n_frames", 1)


def load_image_page(data: bytes, frame: int = 0) -> PageImage:
    """Frame `frame` of a PNG/JPEG/TIFF as grayscale, upright (EXIF) and within the pixel budget.

    Memory stays near the decoded frame (pixels x channels): it is made gray, composited and
    shrunk to the OCR budget a strip at a time, and turned upright once small.
    """
    with _open_image(data) as img:
        if frame:
            img.seek(frame)
        w, h = img.size
        if w * h > REJECT_PIXELS:  # later TIFF frames can be larger than the first
            raise DocumentRejected(
                "image_too_large", f"page {frame + 1} is {w}x{h} px, above the pixel limit"
            )
        note = None
        if w * h > OCR_MAX_PIXELS:
            factor = math.sqrt(OCR_MAX_PIXELS / (w * h))
            target = (max(1, int(w * factor)), max(1, int(h * factor)))
            img.draft("L", target)  # JPEG decodes straight at a reduced scale: cheap
            note = f"image of {w}x{h} px ({w * h / 1e6:.0f} MP) downscaled for OCR"
        dpi = _image_dpi(img)
        orientation = img.getexif().get(ExifTags.Base.Orientation) if frame == 0 else None
        try:
            gray = _to_gray(img, _reduction(*img.size))
        except (OSError, ValueError, Image.DecompressionBombError) as exc:
            raise DocumentRejected(
                "corrupt_image", f"the image cannot be decoded ({exc})"
            ) from None
    gray = _upright(gray, orientation)
    if gray.width * gray.height > OCR_MAX_PIXELS:
        factor = math.sqrt(OCR_MAX_PIXELS / (gray.width * gray.height))
        gray = gray.resize((int(gray.width * factor), int(gray.height * factor)), Image.LANCZOS)
    # Points: from the file's dpi when plausible (scaled by any downscaling), else A4-sized.
    if dpi is not None:
        points_per_pixel = 72 / dpi * (max(w, h) / max(gray.width, gray.height))
    else:
        points_per_pixel = A4_SHORT_SIDE_PT / min(gray.width, gray.height)
    return PageImage(image=gray, points_per_pixel=points_per_pixel, number=frame, note=note)


def _reduction(width: int, height: int) -> int:
    """The integer box-filter factor that brings an image nearest above the OCR pixel budget."""
    if width * height <= OCR_MAX_PIXELS:
        return 1
    return max(1, int(1 / math.sqrt(OCR_MAX_PIXELS / (width * height))))


# EXIF orientations and the transposition that makes each upright (as ImageOps.exif_transpose).
_UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def _upright(image: Image.Image, orientation: object) -> Image.Image:
    """The page turned as its EXIF orientation says (on the small gray image: a cheap copy)."""
    method = _UPRIGHT.get(orientation) if isinstance(orientation, int) else None
    return image.transpose(method) if method is not None else image


def _open_image(data: bytes) -> Image.Image:
    """Open an image lazily, refusing decompression bombs before any pixel is decoded."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        found = re.search(r"\((\d+) pixels\)", str(exc))
        size = f"{int(found.group(1)) / 1e6:.0f} MP" if found else "its size"
        raise DocumentRejected(
            "image_too_large", f"image of {size} is above the {REJECT_PIXELS / 1e6:.0f} MP limit"
        ) from None
    except UnidentifiedImageError:
        # Pillow's message names the in-memory buffer (`<_io.BytesIO object at 0x...>`), not
        # the file: say what is wrong instead.
        raise DocumentRejected(
            "corrupt_image", "the image cannot be opened: not an image format Pillow knows"
        ) from None
    except (OSError, ValueError) as exc:
        raise DocumentRejected("corrupt_image", f"the image cannot be opened ({exc})") from None
    w, h = img.size
    if w * h > REJECT_PIXELS:
        img.close()
        raise DocumentRejected(
            "image_too_large",
            f"image of {w}x{h} px ({w * h / 1e6:.0f} MP) is above the "
            f"{REJECT_PIXELS / 1e6:.0f} MP limit",
        )
    return img


def _image_dpi(img: Image.Image) -> float | None:
    """The image's horizontal dpi when it is plausible for a scan (many files carry 72 or 1)."""
    dpi = img.info.get("dpi")
    if not dpi:
        return None
    try:
        value = float(dpi[0])
    except (TypeError, ValueError, IndexError):
        return None
    return value if 100 <= value <= 1200 else None


# Rows of the decoded image made gray at a time: a few MB of temporary copies per strip
# instead of several full-size RGBA copies (a 196 MP RGBA page peaked at 3.9 GB that way).
STRIP_PIXELS = 4_000_000


def _to_gray(img: Image.Image, reduce_by: int = 1) -> Image.Image:
    """8-bit grayscale shrunk `reduce_by` times (box filter), converted a strip of rows at a time."""
    width, height = img.size
    if width * height <= OCR_MAX_PIXELS:
        return _gray_strip(img)  # a page within the OCR budget: its full-size copies are small
    rows = max(1, STRIP_PIXELS // max(width, 1) // reduce_by) * reduce_by
    out = Image.new("L", (-(-width // reduce_by), -(-height // reduce_by)))
    for top in range(0, height, rows):
        strip = _gray_strip(img.crop((0, top, width, min(height, top + rows))))
        out.paste(strip.reduce(reduce_by) if reduce_by > 1 else strip, (0, top // reduce_by))
    return out


def _gray_strip(img: Image.Image) -> Image.Image:
    """8-bit grayscale, compositing transparency onto white (transparent PNGs are not black)."""
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        img = Image.alpha_composite(background, rgba)
    if img.mode == "I;16" or img.mode.startswith("I;16"):
        arr = np.asarray(img, dtype=np.uint16) >> 8
        return Image.fromarray(arr.astype(np.uint8), "L")
    return img.convert("L")


def is_blank(image: Image.Image) -> bool:
    """Whether a page has (almost) no ink: such pages skip Tesseract altogether."""
    small = image.reduce(4) if min(image.size) >= 400 else image
    arr = np.asarray(small)
    return float((arr < 160).mean()) < 0.0005


def estimate_skew(image: Image.Image, max_angle: float = 5.0) -> float:
    """Skew angle in degrees (counter-clockwise rotation that levels the text lines).

    Projection profile of a ~600 px wide ink mask: level text gives the sharpest row profile.
    A coarse 1-degree search then a 0.25-degree refinement: ~15 rotations of a small image.
    """
    factor = max(1, image.width // SKEW_WIDTH)
    small = image.reduce(factor) if factor > 1 else image
    ink = Image.fromarray(((np.asarray(small) < 160) * 255).astype(np.uint8), "L")
    if np.asarray(ink).mean() < 0.25:  # under ~0.1 % ink: nothing to level
        return 0.0
    scores: dict[float, float] = {}

    def sharpness(angle: float) -> float:
        if angle not in scores:
            rotated = ink.rotate(angle, resample=Image.NEAREST, fillcolor=0)
            profile = np.asarray(rotated, dtype=np.float32).sum(axis=1)
            scores[angle] = float(np.square(np.diff(profile)).sum())
        return scores[angle]

    best = max((float(a) for a in range(-int(max_angle), int(max_angle) + 1)), key=sharpness)
    best = max((best + step * 0.25 for step in range(-3, 4)), key=sharpness)
    return best if abs(best) >= 0.4 else 0.0


def deskew(image: Image.Image) -> tuple[Image.Image, float]:
    """The image levelled when its text is skewed by 0.4-5 degrees, and the angle applied."""
    angle = estimate_skew(image)
    if not angle:
        return image, 0.0
    return image.rotate(angle, resample=Image.BILINEAR, fillcolor=255), angle


# Light text on a dark band (letterheads, table header rows): Tesseract runs with its own
# inversion detection off (it costs a second pass per line), so such regions are inverted here.
# The page is judged in blocks of about DARK_BLOCK_PT: a block is dark when its median is below
# DARK_SHARE of the paper's level, and a dark region is inverted when more of its blocks hold
# light ink (bright outliers) than dark ink (a grey cell with black text stays as it is).
DARK_BLOCK_PT = 3.0
DARK_SHARE = 0.75
CANDIDATE_SHARE = 0.9  # blocks lighter than this share of the paper's mean are plain paper
GREY_SHARE = 0.85  # lighter parts of a dark band, if joined to it
PAPER_SHARE = 0.8  # pixels this light (share of the paper's level) may be paper
DARK_MEDIAN = 5
DARK_CLOSE = 9  # blocks (27 pt): gaps up to the height of a large title inside a band
DARK_MIN_BLOCKS = 48  # a region smaller than this (e.g. 48 x 9 pt) is no band or cell
INK_CONTRAST = 25  # grey levels an outlier must stand out of its block by to count as ink
# A band is mostly background with light letters on it; a bold word or title in grey toner has
# paper between its strokes (pixels nearer the dark level on generated scans: bands 0.87-0.94,
# bold titles and names 0.55-0.62, whose inversion erased them).
BAND_DARK_SHARE = 0.75


def invert_dark_regions(image: Image.Image, points_per_pixel: float) -> Image.Image:
    """The page with regions of light-on-dark text inverted to dark-on-light."""
    arr = np.asarray(image)
    block = max(2, round(DARK_BLOCK_PT / points_per_pixel))
    h, w = (arr.shape[0] // block) * block, (arr.shape[1] // block) * block
    if h < DARK_CLOSE * block or w < DARK_CLOSE * block:
        return image
    tiles = arr[:h, :w].reshape(h // block, block, w // block, block).transpose(0, 2, 1, 3)
    # Block means first (a box filter in C): most pages have no dark background and stop here.
    means = np.asarray(image.crop((0, 0, w, h)).reduce(block), dtype=np.float32)
    paper_mean = float(np.percentile(means, 90))
    if not (means < DARK_SHARE * paper_mean).any():
        return image
    # Order statistics only for blocks that are not plain paper: they are what costs.
    low, mid, high = means.copy(), means.copy(), means.copy()
    ys, xs = np.nonzero(means < CANDIDATE_SHARE * paper_mean)
    if len(ys):
        stats = np.percentile(tiles[ys, xs].reshape(len(ys), -1), (5, 50, 95), axis=-1)
        low[ys, xs], mid[ys, xs], high[ys, xs] = stats
    paper = float(np.percentile(mid, 90))
    dark = mid < DARK_SHARE * paper
    if not dark.any():
        return image
    dark = ndimage.median_filter(dark.astype(np.uint8), size=DARK_MEDIAN) > 0
    if not dark.any():
        return image
    # Hysteresis: a band lightened in places (worn toner, a gradient) stays one band as long as
    # its lighter blocks are still clearly darker than paper and joined to its dark ones.
    greyish, _ = ndimage.label(mid < GREY_SHARE * paper)
    dark |= np.isin(greyish, np.unique(greyish[dark & (greyish > 0)]))
    # Large light letters leave gaps in the band (a title row reads as light blocks): close
    # them, padding with the edge so that a band reaching the page border is not eaten away.
    pad = DARK_CLOSE // 2 + 1
    closed = ndimage.binary_closing(
        np.pad(dark, pad, mode="edge"), structure=np.ones((DARK_CLOSE, DARK_CLOSE), bool)
    )
    dark = closed[pad:-pad, pad:-pad] | dark
    # Closing can also bridge a band to the text under it, leaving thin spurs of paper in the
    # region that inversion would turn into black bars: an opening cuts them off.
    dark = ndimage.binary_opening(dark, structure=np.ones((3, 3), bool))
    light_ink = (high - mid) > (mid - low) + INK_CONTRAST
    dark_ink = (mid - low) > (high - mid) + INK_CONTRAST
    regions, count = ndimage.label(dark)
    out = arr.copy()
    inverted_any = np.zeros(arr.shape, bool)
    for region in range(1, count + 1):
        inside = regions == region
        if inside.sum() < DARK_MIN_BLOCKS or light_ink[inside].sum() <= dark_ink[inside].sum():
            continue  # too small for a band or a cell: the inside of a bold glyph
        mask = np.zeros(arr.shape, bool)
        mask[:h, :w] = inside.repeat(block, axis=0).repeat(block, axis=1)
        if not _mostly_dark(arr[mask], float(np.median(mid[inside])), paper):
            continue  # dark strokes with paper between them: bold text, not a band
        # Inverted, the band's background becomes mid-grey: stretch it back to white.
        plain = inside & ~light_ink
        background = 255 - float(np.median(mid[plain] if plain.any() else mid[inside]))
        inverted = (255 - out[mask].astype(np.float32)) * (255 / max(background, 1.0))
        out[mask] = np.clip(inverted, 0, 255).astype(np.uint8)
        inverted_any |= mask
    if inverted_any.any():
        _restore_paper(arr, out, inverted_any, paper)
    return Image.fromarray(out, "L")


def _mostly_dark(pixels: np.ndarray, level: float, paper: float) -> bool:
    """Whether most of a region's pixels are nearer its dark level than the paper (a band)."""
    return float((pixels < (level + paper) / 2).mean()) >= BAND_DARK_SHARE


def _restore_paper(arr: np.ndarray, out: np.ndarray, inverted: np.ndarray, paper: float) -> None:
    """Paper caught in a band's blocks (above a band that starts below the page edge, around
    its corners) turned black by the inversion: whitened again. It is told from the band's light
    letters by touching the paper outside the band; a black bar beside text spoils its reading.
    """
    ys, xs = np.nonzero(inverted)
    y0, y1 = max(ys.min() - 1, 0), min(ys.max() + 2, arr.shape[0])
    x0, x1 = max(xs.min() - 1, 0), min(xs.max() + 2, arr.shape[1])
    bright = arr[y0:y1, x0:x1] >= PAPER_SHARE * paper
    labels, _ = ndimage.label(bright)
    inside = inverted[y0:y1, x0:x1]
    outside = np.unique(labels[bright & ~inside])
    caught = np.isin(labels, outside[outside > 0]) & inside
    out[y0:y1, x0:x1][caught] = 255


# Table rules: dark runs at least RULE_MIN_LENGTH_PT long and at most RULE_MAX_WIDTH_PT thick.
# Tesseract reads bordered tables badly (rules merge with glyphs, cells get dropped); whitening
# the rules first lifted amount recall on generated scans from 71 % to 89 % (psm 6, 300 dpi).
RULE_MIN_LENGTH_PT = 24.0
RULE_MAX_WIDTH_PT = 2.5
_INK = 160


def _window_sums(mask: np.ndarray, length: int) -> np.ndarray:
    """Sums of every `length`-wide window along the last axis (via a cumulative sum)."""
    sums = np.zeros((*mask.shape[:-1], mask.shape[-1] + 1), np.int32)
    np.cumsum(mask, axis=-1, out=sums[..., 1:])
    return sums[..., length:] - sums[..., :-length]


def long_runs(mask: np.ndarray, length: int, axis: int) -> np.ndarray:
    """Pixels on a run of >= `length` set pixels along `axis` (a morphological opening)."""
    m = np.ascontiguousarray(np.moveaxis(mask, axis, -1))
    if m.shape[-1] < length:
        return np.zeros_like(mask)
    starts = _window_sums(m, length) == length  # windows made entirely of ink
    pad = [(0, 0)] * (m.ndim - 1) + [(length - 1, length - 1)]
    covered = _window_sums(np.pad(starts, pad), length) > 0  # pixels inside such a window
    return np.moveaxis(covered, -1, axis)


def remove_rules(image: Image.Image, points_per_pixel: float) -> Image.Image:
    """The page with thin horizontal/vertical table rules whitened; solid dark blocks are kept.

    Works on a min-pooled ink mask (2x, or 3x from ~250 dpi): thin rules survive pooling and
    there are 4-9 times fewer pixels to scan.
    """
    arr = np.asarray(image)
    # Pooling joins the letters of bold text at low resolution into runs as long as a rule.
    dpi = 72 / points_per_pixel
    pool = 3 if dpi >= 245 else 2 if dpi >= 180 else 1
    h, w = (arr.shape[0] // pool) * pool, (arr.shape[1] // pool) * pool
    if h < 4 * pool or w < 4 * pool:
        return image
    small = max_pool(arr[:h, :w] < _INK, pool)  # any ink in the block
    px_per_pt = 1 / (pool * points_per_pixel)
    length = max(8, round(RULE_MIN_LENGTH_PT * px_per_pt))
    thick = max(2, round(RULE_MAX_WIDTH_PT * px_per_pt))
    horizontal = long_runs(small, length, axis=1)
    vertical = long_runs(small, length, axis=0)
    if not horizontal.any() and not vertical.any():
        return image
    across = horizontal & ~long_runs(small, thick, axis=0)
    down = vertical & ~long_runs(small, thick, axis=1)
    if not across.any() and not down.any():
        return image
    # The rule's grey fringe (blur, JPEG) is left above the ink threshold: whitened with it, or
    # Tesseract reads it as a line of dashes that joins the rows above and below. Widened
    # across the rule only, so that letters touching a rule keep their strokes.
    rules = ndimage.binary_dilation(across, structure=np.ones((3, 1), bool))
    rules |= ndimage.binary_dilation(down, structure=np.ones((1, 3), bool))
    full = np.zeros(arr.shape, bool)
    full[:h, :w] = rules.repeat(pool, axis=0).repeat(pool, axis=1)
    out = arr.copy()
    out[full] = 255
    return Image.fromarray(out, "L")


# Grey table-header cells, faint or uneven toner and tinted paper: each pixel is divided by the
# page's local background (the lightest level around it), so that paper and grey cells become
# white while ink keeps its contrast, then the ink is stretched to black. Tesseract binarises
# globally (Otsu): without this, text inside grey cells merges with its cell and faint toner
# thins strokes. On generated scans it lifted invoice numbers from 85 % to 91 % and lines
# exactly read from 20 % to 32 %.
BACKGROUND_WINDOW_PT = 4.0  # wider than the thickest stroke of a bold title
BACKGROUND_POOL_PT = 1.0  # the background is estimated on a grid of about this pitch
PAPER_RATIO = 0.92  # pixels within 8 % of their background are paper (noise, JPEG ringing)
_LEVELS = np.arange(256, dtype=np.float32)


def max_pool(arr: np.ndarray, factor: int) -> np.ndarray:
    """Maximum over factor x factor blocks (for a mask: any set pixel), by strided views."""
    h, w = (arr.shape[0] // factor) * factor, (arr.shape[1] // factor) * factor
    out = arr[:h:factor, :w:factor].copy()
    for dy in range(factor):
        for dx in range(factor):
            if dy or dx:
                np.maximum(out, arr[dy:h:factor, dx:w:factor], out=out)
    return out


def flatten_background(image: Image.Image, points_per_pixel: float) -> Image.Image:
    """The page divided by its local background and its ink stretched to full contrast."""
    arr = np.asarray(image)
    pool = max(1, round(BACKGROUND_POOL_PT / points_per_pixel))
    h, w = (arr.shape[0] // pool) * pool, (arr.shape[1] // pool) * pool
    if h < 8 * pool or w < 8 * pool:
        return image
    small = max_pool(arr, pool)
    size = max(3, round(BACKGROUND_WINDOW_PT / (points_per_pixel * pool)))
    background = ndimage.uniform_filter(ndimage.maximum_filter(small, size=size), size=size)
    background = np.maximum(background, 1)
    # The darkest ink relative to its background, from one pixel per block (cheap).
    ratios = arr[:h:pool, :w:pool].astype(np.float32) / background
    dark = ratios[ratios < PAPER_RATIO]
    ink = float(np.percentile(dark, 5)) if dark.size else 0.0
    # One 256 x 256 table maps (background, pixel) to the output: no float work per pixel.
    span = max(PAPER_RATIO - ink, 0.05)
    table = (_LEVELS[None, :] / np.maximum(_LEVELS[:, None], 1) - ink) / span
    table = np.clip(table * 255, 0, 255).astype(np.uint8)
    full = np.asarray(Image.fromarray(background).resize((w, h), Image.NEAREST))
    if (h, w) != arr.shape:
        full = np.pad(full, ((0, arr.shape[0] - h), (0, arr.shape[1] - w)), mode="edge")
    return Image.fromarray(table[full, arr], "L")
