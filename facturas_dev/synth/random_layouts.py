"""Randomized layouts: every look the renderer supports and label wordings drawn from wide pools.

`random_layout(seed)` is the layout named "random:<seed>" (the same seed, the same layout);
`random_layout_names(n, seed)` names n of them. The reader's rules were written on the hand-made
layouts of `layouts.py`; these measure it, and fit its calibration, on looks nobody tuned it for.
"""

from __future__ import annotations

import random
import re
from functools import lru_cache

from facturas_dev.synth import layouts as base
from facturas_dev.synth.formats import NumberStyle
from facturas_dev.synth.layouts import RANDOM_PREFIX, Fonts, Layout, drawn_names
from facturas_dev.synth.random_fit import fits
from facturas_dev.synth.random_issuers import random_issuer
from facturas_dev.synth.random_wordings import CONTENT_LANGUAGE, WORDINGS

WORDING_WEIGHTS = {
    "es": 3.0,
    "ca": 1.2,
    "gl": 0.8,
    "pt": 1.0,
    "fr": 1.0,
    "it": 1.0,
    "de": 1.0,
    "en": 1.5,
}
FONTS: tuple[Fonts, ...] = (
    base.HELVETICA,
    base.TIMES,
    base.COURIER,
    base.DEJAVU_SANS,
    base.DEJAVU_CONDENSED,
    base.DEJAVU_SERIF,
    base.LIBERATION_SANS,
    base.LIBERATION_SERIF,
    base.LIBERATION_MONO,
)
LETTERHEADS = (
    "banner",
    "centered",
    "logo",
    "right",
    "boxed",
    "plain",
    "sidebar",
    "underline",
    "contacts",
)
META_STYLES = ("box", "list", "band", "inline", "stack")
TABLE_RULES = ("grid", "horizontal", "zebra", "plain", "header-fill", "outer")
TOTALS_STYLES = ("box", "rows", "band", "left")
EXTRA_META = ("due", "order", "customer_code", "contract", "service_date")
META_KEYS = ("number", "date", *EXTRA_META)
TABLE_KEYS = ("code", "description", "qty", "unit_price", "discount", "amount")
TOTAL_KEYS = ("net", "tax", "total")
NUMBER_FORMATS = (
    "F{yyyy}-{n:05d}",
    "{yyyy}/{n:04d}",
    "{n:05d}",
    "{n}",
    "A-{n:06d}",
    "FAC{yy:02d}{n:05d}",
    "{s}{yy:02d}/{n:04d}",
    "{yyyy}{mm:02d}{n:03d}",
    "FV {yyyy}/{n}",
    "INV-{n:06d}",
    "{yy:02d}-{n:04d}",
    "R{yyyy}.{n:04d}",
    "FT {s}{yyyy}/{n}",
    "{n}/{yy:02d}",
    "{yyyy}-F-{n:04d}",
    "FA-{yyyy}{mm:02d}-{n:03d}",
    "{s}-{yyyy}-{n:04d}",
)
# "{title} <number mark> {number}" per wording language: the number printed in the title line.
TITLE_NUMBER = {
    "es": (
        "{title} Nº {number}",
        "{title} {number}",
        "{title} núm. {number}",
        "{title} N.º {number}",
    ),
    "ca": ("{title} núm. {number}", "{title} {number}"),
    "gl": ("{title} nº {number}", "{title} {number}"),
    "pt": ("{title} n.º {number}", "{title} {number}", "{title} Nº {number}"),
    "fr": ("{title} n° {number}", "{title} N° {number}", "{title} {number}"),
    "it": ("{title} n. {number}", "{title} nr. {number}", "{title} {number}"),
    "de": ("{title} Nr. {number}", "{title} {number}"),
    "en": ("{title} #{number}", "{title} No. {number}", "{title} {number}"),
}
DATE_STYLES = ("dmy-slash", "dmy-dash", "dmy-dot", "iso", "long")
MAX_TRIES = 200
_PLACEHOLDER = re.compile(r"(\{[a-z]+\})")


def random_layout(seed: int) -> Layout:
    """The randomized layout of `seed`, named "random:<seed>"; drawn again until it fits the page."""
    return _random_layout(int(seed))


@lru_cache(maxsize=4096)
def _random_layout(seed: int) -> Layout:
    """Cached draw (the generator asks for the layout of every invoice it builds)."""
    rng = random.Random(f"facturas-random-layout:{seed}")
    for _ in range(MAX_TRIES):
        layout = _draw(rng, f"{RANDOM_PREFIX}{seed}")
        if fits(layout):
            return layout
    raise RuntimeError(f"no fitting random layout for seed {seed}")  # pragma: no cover


def random_layout_names(n: int, seed: int = 0) -> list[str]:
    """n distinct randomized layout names drawn reproducibly from `seed`."""
    return drawn_names(RANDOM_PREFIX, n, f"facturas-random-layout-names:{seed}")


def wording_language(layout: Layout) -> str:
    """The language a layout's labels are written in."""
    return layout.wording_language or layout.language


# ------------------------------------------------------------------ drawing
def _weighted(rng: random.Random, weights: dict[str, float]) -> str:
    """One key drawn by weight."""
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def recase(text: str, case: str) -> str:
    """The label in a case variant ('as-is', 'upper', 'title', 'lower'), placeholders untouched."""
    if case == "as-is":
        return text
    parts = _PLACEHOLDER.split(text)
    change = {"upper": str.upper, "title": str.title, "lower": str.lower}[case]
    return "".join(p if _PLACEHOLDER.fullmatch(p) else change(p) for p in parts)


def _with_colon(text: str) -> str:
    """The label ending in a colon (once)."""
    return text if text.rstrip().endswith(":") else text.rstrip() + ":"


def _without_colon(text: str) -> str:
    """The label without a trailing colon (the list and inline styles print their own)."""
    return text.rstrip().rstrip(":").rstrip()


def _labels(
    rng: random.Random, wording: str, meta_style: str, meta_fields: tuple[str, ...]
) -> dict[str, str]:
    """One wording per label key, in this layout's case and colon habits."""
    pools = WORDINGS[wording]
    labels = {key: rng.choice(pool) for key, pool in pools.items()}
    case = {
        "meta": rng.choice(("as-is", "as-is", "upper", "title")),
        "table": rng.choice(("as-is", "as-is", "upper", "title", "lower")),
        "totals": rng.choice(("as-is", "as-is", "upper")),
    }
    meta_colon = meta_style in ("box", "band", "stack") and rng.random() < 0.35
    for key in META_KEYS:
        text = recase(_without_colon(labels[key]), case["meta"])
        # Only the block's own labels: the notes print "<due>: <date>" with their own colon.
        labels[key] = _with_colon(text) if meta_colon and key in meta_fields else text
    for key in TABLE_KEYS:
        labels[key] = recase(_without_colon(labels[key]), case["table"])
    totals_colon = rng.random() < 0.25
    for key in TOTAL_KEYS:
        text = recase(labels[key], case["totals"])
        labels[key] = _with_colon(text) if totals_colon else text
    if rng.random() < 0.3:
        labels["buyer"] = _with_colon(labels["buyer"])
    if rng.random() < 0.2:
        labels["buyer"] = labels["buyer"].upper()
    return labels


def _numbers(rng: random.Random, wording: str) -> NumberStyle:
    """Separators and currency placement, most often the wording country's habit."""
    if wording == "en":
        decimal, thousands = ".", rng.choice((",", ",", ""))
    elif rng.random() < 0.1:  # invoicing programs that print 1234.56 whatever the country
        decimal, thousands = ".", rng.choice((",", ""))
    else:
        local = {"fr": " ", "pt": " ", "de": "."}.get(wording, ".")
        decimal, thousands = ",", rng.choice((local, local, ".", ""))
    symbol = "€" if rng.random() < 0.8 else "EUR"
    prefix = rng.random() < (0.7 if wording == "en" else 0.12)
    return NumberStyle(
        decimal=decimal,
        thousands=thousands,
        symbol=symbol,
        symbol_prefix=prefix,
        symbol_space=symbol == "EUR" or rng.random() < 0.7,
        symbol_in_table=rng.random() < 0.5,
    )


def _columns(rng: random.Random) -> tuple[str, ...]:
    """Table columns: description, quantity, unit price, amount last, code and discount optional."""
    middle = ["qty", "unit_price"]
    if rng.random() < 0.35:
        middle.append("discount")
    if rng.random() < 0.12:
        middle[0], middle[1] = middle[1], middle[0]
    columns = ["description", *middle]
    if rng.random() < 0.2:  # the quantity first, as many Spanish programs print it
        columns = ["qty", "description", *[c for c in middle if c != "qty"]]
    if rng.random() < 0.4:
        columns.insert(0 if rng.random() < 0.85 else 1, "code")
    return (*columns, "amount")


def _meta_fields(rng: random.Random, style: str, number_in_title: bool) -> tuple[str, ...]:
    """Which header fields the meta block prints, in which order (number and date always)."""
    most = {"inline": 3, "band": 5}.get(style, 5)
    extras = rng.sample(EXTRA_META, k=rng.randint(0, most - 2))
    fields = ["number", "date", *extras]
    if rng.random() < 0.5:
        rng.shuffle(fields)
    elif rng.random() < 0.3:
        fields[0], fields[1] = fields[1], fields[0]
    if number_in_title and rng.random() < 0.6:
        fields.remove("number")
    return tuple(fields)


def _draw(rng: random.Random, name: str) -> Layout:
    """One draw of every option; `fits` decides whether it is kept."""
    wording = _weighted(rng, WORDING_WEIGHTS)
    letterhead = rng.choice(LETTERHEADS)
    meta_style = rng.choice(META_STYLES)
    title_pos = rng.choice(("left", "right", "center", "meta" if meta_style == "box" else "left"))
    number_in_title = rng.random() < 0.2
    title_number = rng.choice(TITLE_NUMBER[wording]) if number_in_title else ""
    dates = ("dmy-slash", "dmy-slash", "long", "long") if wording == "en" else DATE_STYLES
    accent = tuple(round(rng.uniform(0.0, 0.65), 2) for _ in range(3))
    meta_fields = _meta_fields(rng, meta_style, number_in_title)
    return Layout(
        name=name,
        language=CONTENT_LANGUAGE[wording],
        wording_language=wording,
        issuer=random_issuer(rng, wording),
        number_format=rng.choice(NUMBER_FORMATS),
        fonts=rng.choice(FONTS),
        size=rng.choice((7.5, 8.0, 8.5, 9.0, 9.5, 10.0, 10.5)),
        accent=accent,  # type: ignore[arg-type]
        letterhead=letterhead,
        title_pos=title_pos,
        meta_style=meta_style,
        meta_side=rng.choice(("left", "right")),
        meta_fields=meta_fields,
        buyer_style=rng.choice(("box", "plain", "window")),
        buyer_side=rng.choice(("left", "right")),
        labels=_labels(rng, wording, meta_style, meta_fields),
        date_style=rng.choice(dates),
        numbers=_numbers(rng, wording),
        qty_decimals=2 if rng.random() < 0.3 else None,
        columns=_columns(rng),
        table_rules=rng.choice(TABLE_RULES),
        totals_style=rng.choice(TOTALS_STYLES),
        percent_places=rng.choice((0, 0, 1, 2)),
        carry_forward=rng.random() < 0.3,
        page_number_pos=rng.choice(("right", "center", "top")),
        margin=float(rng.randint(30, 60)),
        title_number=title_number,
    )
