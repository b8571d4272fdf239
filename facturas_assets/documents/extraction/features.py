"""Features of invoice-number and issue-date candidates that carry over between layouts.

Each candidate is described by the labels around it (the nearest one to its left on its line
and the nearest one above it, their kind and strength, and whether a label of another field is
the nearer), its shape, its place on the page, its size, OCR's certainty and the rule-based
score; dates also by how they rank among the document's dates.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

import numpy as np

from facturas_assets.documents.extraction import lexicon
from facturas_assets.documents.extraction.candidates import DATE, NUMBER, FieldCandidate
from facturas_assets.documents.extraction.dates import EARLIEST, latest_plausible
from facturas_assets.documents.extraction.labels import TOTAL_KINDS, LabelMatch
from facturas_assets.documents.extraction.layout import Line, median, x_overlap
from facturas_assets.documents.extraction.text import token_key
from facturas_assets.documents.model import Page, Word

# Groups of label kinds a feature tells apart. "due" and "reference" split the lexicon's
# "other" kind by the words of its phrases.
GROUPS = ("own", "rival", "due", "reference", "party", "totals", "misc")
_ABOVE_LINES = 4  # lines above a candidate searched for a label
_ABOVE_HEIGHTS = 4.0  # ... at most this many line heights away
_MAX_GAP = 30.0


def _words_of(kind: str) -> set[str]:
    """Every token key of the lexicon's phrases of one header kind."""
    return {token_key(t) for p in lexicon.HEADER_LABELS[kind] for t in p.split()} - {""}


_ISSUE_WORDS = _words_of("issue_date") | _words_of("invoice_number")
_DUE_WORDS = _words_of("due_date") - _ISSUE_WORDS
# Contacts and page marks: a number right of them is a phone, an account or a page.
_CONTACT_WORDS = frozenset(
    {"iban", "bic", "swift", "tel", "telf", "tfno", "tlf", "phone", "fax", "mobile", "movil"}
    | {"telefono", "telefone", "telephone", "telefon", "email", "mail", "www", "web", "cp"}
    | {"ccc", "bank", "banco", "account", "konto", "cuenta", "conta", "compte"}
    | {token_key(w) for w in lexicon.ALL_PAGE_WORDS}
)

_NEAR_GAP = 3.0  # a value this many line heights right of its label reads as beside it

LABEL_FEATURES = tuple(
    [f"left_{g}" for g in GROUPS]
    + ["left_strength", "left_gap", "left_same_cell", "left_between", "left_none"]
    + [f"above_{g}" for g in GROUPS]
    + ["above_strength", "above_dist", "above_overlap", "above_aligned", "above_none"]
    + ["nearest_own", "nearest_rival", "contact_left", "in_prose", "left_near"]
)
SHAPE_FEATURES = (
    "length",
    "digit_share",
    "letters",
    "separators",
    "year_part",
    "all_digits",
    "starts_letter",
    "two_tokens",
    "digits_le2",
    "digits_5",
    "digits_9plus",
    "wordlike",
)
PLACE_FEATURES = (
    "later_page",
    "rel_x",
    "rel_y",
    "top_third",
    "right_half",
    "font_rel",
    "in_table",
    "confidence",
    "rule_score",
    "rule_pick",
    "rule_any",
    "doc_rank",
)
DATE_FEATURES = (
    "qualified",
    "ambiguous",
    "earliest",
    "latest",
    "plausible",
    "distinct_dates",
    "same_as_latest",
)
FEATURES: dict[str, tuple[str, ...]] = {
    # How often a value is printed is left to numbers: the generator prints its issue date
    # again as service and due date, which would teach a habit of its own.
    NUMBER: (*LABEL_FEATURES, *SHAPE_FEATURES, *PLACE_FEATURES, "repeats"),
    DATE: (*LABEL_FEATURES, *PLACE_FEATURES, *DATE_FEATURES),
}


@dataclass(slots=True)
class Context:
    """What the features of a document's candidates are computed against."""

    lines: list[Line]
    labels: dict[int, list[LabelMatch]]
    table_lines: set[int]
    pages: dict[int, Page]
    median_height: dict[int, float]
    first_page: int


def build_context(
    lines: list[Line],
    labels: dict[int, list[LabelMatch]],
    table_lines: set[int],
    pages: list[Page],
) -> Context:
    """The context of one document."""
    heights: dict[int, list[float]] = {}
    for line in lines:
        for w in line.words:
            heights.setdefault(w.page, []).append(w.y1 - w.y0)
    by_page = {p.number: p for p in pages}
    return Context(
        lines,
        labels,
        set(table_lines),
        by_page,
        {k: max(median(v), 1.0) for k, v in heights.items()},
        min(by_page) if by_page else 0,
    )


def label_group(label: LabelMatch, words: list[Word], field: str) -> str:
    """The group of a label seen from one field's candidate."""
    kind = label.kind
    if kind == field:
        return "own"
    if kind in (NUMBER, DATE):
        return "rival"
    if kind in TOTAL_KINDS:
        return "totals"
    if kind in ("seller", "buyer", "tax_id"):
        return "party"
    keys = {token_key(w.text) for w in words}
    if keys & _DUE_WORDS:
        return "due"
    return "reference" if kind == "other" else "misc"


def _index_in(line: Line, word: Word) -> int:
    """The position of a word in its line (by identity)."""
    return next((i for i, w in enumerate(line.words) if w is word), len(line.words))


def _left(cand: FieldCandidate, ctx: Context) -> dict[str, float]:
    """The nearest label left of the candidate on its own line."""
    line = cand.line
    first = _index_in(line, cand.words[0])
    before = [m for m in ctx.labels.get(line.index, []) if m.end <= first]
    out = {f"left_{g}": 0.0 for g in GROUPS}
    if not before:
        return {**out, "left_strength": 0.0, "left_gap": _MAX_GAP, "left_same_cell": 0.0,
                "left_between": 5.0, "left_none": 1.0}  # fmt: skip
    label = max(before, key=lambda m: m.end)
    words = line.words[label.start : label.end]
    out[f"left_{label_group(label, words, cand.field)}"] = 1.0
    gap = (cand.words[0].x0 - words[-1].x1) / line.height
    cell = next((c for c in line.cells if any(w is cand.words[0] for w in c.words)), None)
    same = cell is not None and any(w is words[0] for w in cell.words)
    between = first - label.end
    return {
        **out,
        "left_strength": label.strength,
        "left_gap": float(np.clip(gap, 0.0, _MAX_GAP)),
        "left_same_cell": float(same),
        "left_between": float(min(between, 5)),
        "left_none": 0.0,
        "_dist": max(gap, 0.0),
        "_group": label_group(label, words, cand.field),  # type: ignore[dict-item]
    }


def _above(cand: FieldCandidate, ctx: Context) -> dict[str, float]:
    """The nearest label above the candidate that overlaps it horizontally."""
    line = cand.line
    x0, x1 = cand.words[0].x0, max(w.x1 for w in cand.words)
    out = {f"above_{g}": 0.0 for g in GROUPS}
    for k in range(line.index - 1, max(-1, line.index - 1 - _ABOVE_LINES), -1):
        other = ctx.lines[k]
        if other.page != line.page:
            break
        dist = (line.y0 - other.y1) / line.height
        if dist > _ABOVE_HEIGHTS or k in ctx.table_lines:
            break  # too far, or across the items table: its head names its own columns
        hits = []
        for m in ctx.labels.get(k, []):
            words = other.words[m.start : m.end]
            lx0, lx1 = words[0].x0, max(w.x1 for w in words)
            over = x_overlap(lx0, lx1, x0 - 2, x1 + 2)
            if over > 0:
                hits.append((over / max(lx1 - lx0, 1.0), m, words, lx0))
        if hits:
            over, m, words, lx0 = max(hits, key=lambda h: h[0])
            group = label_group(m, words, cand.field)
            out[f"above_{group}"] = 1.0
            return {
                **out,
                "above_strength": m.strength,
                "above_dist": float(np.clip(dist, 0.0, _ABOVE_HEIGHTS)),
                "above_overlap": float(min(over, 1.0)),
                "above_aligned": float(abs(lx0 - x0) < line.height),
                "above_none": 0.0,
                "_dist": max(dist, 0.0) * 3.0,  # a line below weighs like three gaps beside
                "_group": group,  # type: ignore[dict-item]
            }
    return {**out, "above_strength": 0.0, "above_dist": _ABOVE_HEIGHTS, "above_overlap": 0.0,
            "above_aligned": 0.0, "above_none": 1.0}  # fmt: skip


def _label_features(cand: FieldCandidate, ctx: Context) -> dict[str, float]:
    """Left and above labels, and which of them is the nearer."""
    left, above = _left(cand, ctx), _above(cand, ctx)
    near = [f for f in (left, above) if "_group" in f]
    nearest = min(near, key=lambda f: f["_dist"])["_group"] if near else ""
    if "_group" in left and left["left_gap"] < _NEAR_GAP:
        nearest = left["_group"]  # a label just left on the same line is the value's own
    line = cand.line
    first = _index_in(line, cand.words[0])
    keys = [token_key(w.text) for w in line.words[max(0, first - 3) : first]]
    # Words before the candidate in its cell: a sentence, not a label and its value.
    cell = next((c for c in line.cells if any(w is cand.words[0] for w in c.words)), None)
    prose = 0
    if cell is not None:
        prose = sum(1 for w in cell.words if w.x0 < cand.words[0].x0 and len(w.text) >= 2)
    feats = {k: v for k, v in {**left, **above}.items() if not k.startswith("_")}
    feats.update(
        left_near=float(feats["left_none"] == 0 and feats["left_gap"] < _NEAR_GAP),
        nearest_own=float(nearest == "own"),
        nearest_rival=float(nearest not in ("", "own")),
        contact_left=float(any(k in _CONTACT_WORDS for k in keys)),
        in_prose=float(prose >= 3),
    )
    return feats


def _shape(cand: FieldCandidate) -> dict[str, float]:
    """The token's shape: length, digits, letters, separators, a year inside it."""
    text = str(cand.value)
    digits = sum(ch.isdigit() for ch in text)
    letters = sum(ch.isalpha() for ch in text)
    compact = text.replace(" ", "")
    return {
        "length": min(len(compact), 20) / 20,
        "digit_share": digits / max(len(compact), 1),
        "letters": float(letters > 0),
        "separators": float(min(sum(ch in "-/._" for ch in text), 3)),
        "year_part": float(any(f"{y}" in text for y in range(2000, 2031))),
        "all_digits": float(compact.isdigit()),
        "starts_letter": float(compact[:1].isalpha()),
        "two_tokens": float(" " in text),
        "digits_le2": float(digits <= 2),
        "digits_5": float(digits == 5 and compact.isdigit()),
        "digits_9plus": float(digits >= 9),
        "wordlike": cand.extra.get("wordlike", float(digits == 0)),
    }


def _place(cand: FieldCandidate, ctx: Context) -> dict[str, float]:
    """Where the candidate is, how large and how surely read."""
    w0 = cand.words[0]
    page = ctx.pages.get(w0.page)
    width = page.width if page else max(w.x1 for w in cand.line.words)
    height = page.height if page else max(cand.line.y1, 1.0)
    rel_y = w0.y0 / max(height, 1.0)
    rel_x = w0.x0 / max(width, 1.0)
    font = median([w.y1 - w.y0 for w in cand.words]) / ctx.median_height.get(w0.page, 1.0)
    return {
        "later_page": float(w0.page != ctx.first_page),
        "rel_x": float(np.clip(rel_x, 0, 1)),
        "rel_y": float(np.clip(rel_y, 0, 1)),
        "top_third": float(rel_y < 1 / 3),
        "right_half": float(rel_x >= 0.5),
        "font_rel": float(np.clip(font, 0, 4)),
        "in_table": float(cand.line.index in ctx.table_lines),
        "confidence": min(w.confidence for w in cand.words),
        "rule_score": cand.rule_score,
    }


def feature_matrix(cands: list[FieldCandidate], ctx: Context, field: str) -> np.ndarray:
    """One row of FEATURES[field] per candidate."""
    names = FEATURES[field]
    if not cands:
        return np.zeros((0, len(names)))
    best_rule = max(c.rule_score for c in cands)
    values = Counter(c.value for c in cands)
    order = {id(c): n for n, c in enumerate(sorted(cands, key=_reading_order))}
    dates = sorted({c.value for c in cands if isinstance(c.value, date)})
    rows = []
    for cand in cands:
        f = {**_label_features(cand, ctx), **_place(cand, ctx)}
        f["rule_pick"] = float(best_rule > 0 and cand.rule_score == best_rule)
        f["rule_any"] = float(cand.rule_score > 0)
        f["repeats"] = float(min(values[cand.value], 3))
        f["doc_rank"] = min(order[id(cand)] / 10, 3.0)
        if field == NUMBER:
            f.update(_shape(cand))
        else:
            f.update(_date_features(cand, dates))
        rows.append([f[n] for n in names])
    return np.asarray(rows, dtype=float)


def _reading_order(cand: FieldCandidate) -> tuple[int, int, float]:
    """Document order: page, line, x."""
    return (cand.words[0].page, cand.line.index, cand.words[0].x0)


def _date_features(cand: FieldCandidate, dates: list[date]) -> dict[str, float]:
    """How a date ranks among the document's dates and whether it is a plausible issue date."""
    value = cand.value
    assert isinstance(value, date)
    plausible = [d for d in dates if EARLIEST <= d <= latest_plausible()]
    return {
        "qualified": float(cand.qualified),
        "ambiguous": float(cand.ambiguous),
        "earliest": float(bool(plausible) and value == plausible[0]),
        "latest": float(bool(plausible) and value == plausible[-1] and len(plausible) > 1),
        "plausible": float(EARLIEST <= value <= latest_plausible()),
        "distinct_dates": float(min(len(dates), 5)),
        "same_as_latest": float(len(plausible) == 1),
    }


def beside_other_label(cand: FieldCandidate, ctx: Context) -> bool:
    """A value written right after a label of another field on its line ("Vencimiento:
    25/11/2022"): that field's value, whatever a model makes of it."""
    left = _left(cand, ctx)
    other = left.get("_group") in ("rival", "due", "reference")
    return (other and left["left_between"] == 0 and left["left_same_cell"] == 1) or (
        cand.field == DATE and _dated_reference(cand, ctx)
    )


# Words between another document's id and its date ("factura 2024-F-8041 de 3 de marzo").
_DATED = frozenset({"de", "del", "of", "du", "vom", "from", "dated", "da", "do", "di", "van"})


def _dated_reference(cand: FieldCandidate, ctx: Context) -> bool:
    """A date right after another document's label and id ("Rectifica la factura 2024-F-8041
    de 3 de marzo de 2024", "Corrects invoice 2025087373 of 26.08.2025"): that document's."""
    line = cand.line
    first = _index_in(line, cand.words[0])
    for m in ctx.labels.get(line.index, []):
        words = line.words[m.start : m.end]
        if m.end > first or label_group(m, words, DATE) != "reference":
            continue
        between = [token_key(w.text) for w in line.words[m.end : first]]
        has_digit = bool(between) and any(ch.isdigit() for ch in between[0])
        if has_digit and len(between) <= 3 and all(k in _DATED for k in between[1:] if k):
            return True
    return False
