"""Turn positioned words back into plain text lines in reading order."""

from __future__ import annotations

from facturas_assets.documents.model import Page, Word


def group_lines(words: list[Word], tolerance: float = 0.5) -> list[list[Word]]:
    """Words grouped into visual lines: same page, vertical centres within `tolerance` x height.

    A word is compared with the mean centre and the median height of the line so far, not with
    the last word added: a tall OCR speck or rule remnant would otherwise chain two lines.
    """
    ordered = sorted(words, key=lambda w: (w.page, (w.y0 + w.y1) / 2, w.x0))
    lines: list[list[Word]] = []
    centre_sum = 0.0
    heights: list[float] = []
    for word in ordered:
        centre = (word.y0 + word.y1) / 2
        if lines and lines[-1][-1].page == word.page:
            line_centre = centre_sum / len(lines[-1])
            typical = sorted(heights)[len(heights) // 2]
            height = max(min(typical, word.y1 - word.y0), 1.0)
            if abs(centre - line_centre) <= tolerance * max(height, 0.5 * typical):
                lines[-1].append(word)
                centre_sum += centre
                heights.append(word.y1 - word.y0)
                continue
        lines.append([word])
        centre_sum, heights = centre, [word.y1 - word.y0]
    return [sorted(line, key=lambda w: w.x0) for line in lines]


def pages_text(pages: list[Page]) -> str:
    """All pages as text: one line per visual line, pages separated by a form feed."""
    chunks = []
    for page in pages:
        lines = group_lines(page.words)
        chunks.append("\n".join(" ".join(w.text for w in line) for line in lines))
    return "\f".join(chunks)
