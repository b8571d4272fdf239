"""A number sign opening a line that goes on from the line right above it.

Wrapped text breaks anywhere: "... Processado por programa certificado" / "n.º 527/AT", "...
Registered in Ireland, CRO" / "No. 285235". Read line by line, the sign opens a line of its own
and looks like the invoice number's label; it numbers what the line above ends with.
"""

from __future__ import annotations

from facturas_assets.documents.extraction.labels import (
    LabelMatch,
    ends_naming_a_thing,
    opens_with_bare_sign,
)
from facturas_assets.documents.extraction.layout import Line
from facturas_assets.documents.extraction.text import token_key

_WRAP_GAP = 0.3  # line heights between a wrapped line and the one it goes on from, at most
_MIN_WORDS = 4  # words of the line above: running text, not a title or a label
_ENDS_SENTENCE = (":", ".", ";")
_SIGNS = frozenset({"n", "no", "nr", "nro", "#"})  # the sign itself, not the word "number"


def signs_after_wraps(
    lines: list[Line], labels: dict[int, list[LabelMatch]]
) -> dict[int, list[LabelMatch]]:
    """The labels with each number sign that opens a wrapped line made another field's."""
    out = dict(labels)
    for above, line in zip(lines, lines[1:], strict=False):
        found = labels.get(line.index)
        texts = [w.text for w in line.words]
        if not found or not opens_with_bare_sign(texts, found):
            continue
        if token_key(texts[0]) not in _SIGNS or texts[found[0].end - 1].endswith(":"):
            continue  # a label of its own: "Number:", "Nº:"
        if not _goes_on_from(above, line):
            continue
        above_found = labels.get(above.index, [])
        if any(m.kind == "invoice_number" for m in above_found):
            continue
        if ends_naming_a_thing([w.text for w in above.words], above_found):
            sign = found[0]
            out[line.index] = [LabelMatch("other", sign.start, sign.end, sign.strength), *found[1:]]
    return out


def _goes_on_from(above: Line, line: Line) -> bool:
    """Whether `line` is the next line of running text ending in `above`."""
    if above.page != line.page or len(above.words) < _MIN_WORDS:
        return False
    last = above.words[-1].text
    if last.endswith(_ENDS_SENTENCE) or not token_key(last).isalpha():
        return False  # a sentence's end, or a value (a date, an amount) ending a labelled line
    if above.cells[-1].x0 > line.words[0].x1 + line.height:
        return False  # the line above ends in a column of its own (an address beside labels)
    gap = line.y0 - above.y1
    return -_WRAP_GAP * line.height <= gap <= _WRAP_GAP * line.height
