"""Turn positioned words back into plain text lines in reading order."""

from __future__ import annotations

from facturas_assets.documents.model import Page, Word


def group_lines(words: list[Word], tolerance: float = 0.5) -> list[list[Word]]:
    """Words grouped into visual lines: same page, vertical centres within `tolerance` x height."""
    ordered = sorted(words, key=lambda w: (w.page, (w.y0 + w.y1) / 2, w.x0))
    lines: list[list[Word]] = []
    for word in ordered:
        centre = (word.y0 + word.y1) / 2
        if lines:
            last = lines[-1]
            ref = last[-1]
            ref_centre = (ref.y0 + ref.y1) / 2
            height = max(ref.y1 - ref.y0, word.y1 - word.y0, 1.0)
            if ref.page == word.page and abs(centre - ref_centre) <= tolerance * height:
                last.append(word)
                continue
        lines.append([word])
    return [sorted(line, key=lambda w: w.x0) for line in lines]


def pages_text(pages: list[Page]) -> str:
    """All pages as text: one line per visual line, pages separated by a form feed."""
    chunks = []
    for page in pages:
        lines = group_lines(page.words)
        chunks.append("\n".join(" ".join(w.text for w in line) for line in lines))
    return "\f".join(chunks)
