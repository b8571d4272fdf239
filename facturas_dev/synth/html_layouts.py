"""Randomized HTML invoice templates: structures of web invoicing apps, printed by Chromium.

`html_layout(seed)` is the template named "html:<seed>" (the same seed, the same template);
`html_layout_names(n, seed)` names n of them. A template keeps a randomized base layout
(`random_layouts`) for what content needs (issuer, wording language and labels, number style,
columns) and draws its own structure on top: where the seller, buyer, number and date go, which
distractor references stand near the number, how lines and totals are laid out, and the CSS.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from functools import lru_cache

from facturas_dev.synth.formats import NumberStyle
from facturas_dev.synth.html_wordings import HTML_WORDINGS
from facturas_dev.synth.layouts import Layout, drawn_names, is_seeded_name, seed_named
from facturas_dev.synth.random_layouts import random_layout, recase, wording_language

HTML_PREFIX = "html:"
HEADERS = ("left-right", "right-left", "centered", "footer-only", "sidebar", "acronym")
META_STYLES = ("kv-table", "kv-far", "above", "line", "title", "badge", "sentence", "split-size")
BUYER_STYLES = ("window", "box", "plain", "beside")
TOTALS_STYLES = ("table", "right-lines", "band", "breakdown")
DISTRACTORS = (
    "customer_code",
    "order",
    "delivery_note",
    "contract",
    "project",
    "your_ref",
    "our_ref",
    "page",
    "account",
    "due",
)
# Invoice numbers wider than the generator's: series letters, slashes, dashes, dots, spaces,
# lowercase, year suffixes, long digit strings and leading zeros.
NUMBER_FORMATS = (
    "{s}{yyyy}/{n:04d}",
    "FV-{yy:02d}.{n:05d}",
    "{n:06d}/{yy:02d}",
    "A {yyyy} {n:04d}",
    "f{yy:02d}-{n:04d}",
    "{n}-{yyyy}",
    "{yyyy}{mm:02d}{dd:02d}{n:04d}",
    "00{n:07d}",
    "{s}{s}-{n:05d}",
    "INV/{yyyy}/{mm:02d}/{n:04d}",
    "{yyyy}.{n:05d}",
    "R-{n:04d}/{yyyy}",
    "{n:04d}.{yy:02d}",
    "FAC.{yyyy}.{n:05d}",
    "E{yy:02d}{n:06d}",
    "{yyyy}-{n:03d}",
    "fra-{n:05d}",
    "{s}/{n}/{yy:02d}",
    "{n:08d}",
    "V{yyyy}{n:05d}",
    "{s}{n:03d}-{yy:02d}",
    "SF {yyyy}/{n:05d}",
)
FONT_STACKS = (
    "'DejaVu Sans', sans-serif",
    "'DejaVu Sans Condensed', 'DejaVu Sans', sans-serif",
    "'DejaVu Serif', serif",
    "'Liberation Sans', Arial, sans-serif",
    "'Liberation Serif', 'Times New Roman', serif",
    "'Liberation Mono', monospace",
    "'Liberation Sans Narrow', 'Liberation Sans', sans-serif",
)
DATE_STYLES = ("dmy-slash", "dmy-dash", "dmy-dot", "iso", "long", "dmy-short", "abbr")


@dataclass(frozen=True, slots=True)
class HtmlLayout:
    """One HTML invoice template; `base` is the randomized layout its content is drawn for."""

    name: str
    base: Layout
    number_format: str
    header: str  # see HEADERS
    meta_style: str  # see META_STYLES
    meta_side: str  # left, right
    distractors: tuple[str, ...]  # extra references printed beside the number and date
    distractor_labels: dict[str, str]
    buyer_style: str  # see BUYER_STYLES
    buyer_side: str  # left, right
    columns: tuple[str, ...]
    unit_column: bool
    vat_column: bool
    sub_lines: bool  # a second, smaller row of detail under some descriptions
    totals_style: str  # see TOTALS_STYLES
    totals_side: str  # left, right, full
    prepayment: bool  # a deposit deducted after the total: "amount due" below it
    currency_mark: str  # symbol, code, none (no currency printed at all)
    date_style: str
    font: str
    size: float
    accent: str  # CSS colour
    rules: str  # grid, lines, zebra, none
    footer_registry: bool  # seller's legal line (registry, tax id, IBAN) in a footer
    page_numbers: bool  # "Page 1/1" printed by the browser's footer
    number_case: str  # as-is, lower, upper: the number's letters as printed
    labels: dict[str, str]

    @property
    def wording(self) -> str:
        """The language the labels are written in."""
        return wording_language(self.base)

    @property
    def numbers(self) -> NumberStyle:
        """How amounts print (the base layout's separators, this template's currency mark)."""
        return self.base.numbers


def is_html_name(name: str) -> bool:
    """Whether `name` names an HTML template ("html:<integer seed>")."""
    return is_seeded_name(HTML_PREFIX, name)


def html_layout(seed: int) -> HtmlLayout:
    """The HTML template of `seed`, named "html:<seed>"."""
    return _html_layout(int(seed))


def html_layout_named(name: str) -> HtmlLayout:
    """The HTML template called "html:<seed>"."""
    return html_layout(seed_named(HTML_PREFIX, name, "an HTML template"))


def html_layout_names(n: int, seed: int = 0) -> list[str]:
    """n distinct HTML template names drawn reproducibly from `seed`."""
    return drawn_names(HTML_PREFIX, n, f"facturas-html-layout-names:{seed}")


@lru_cache(maxsize=4096)
def _html_layout(seed: int) -> HtmlLayout:
    """Cached draw (content building and rendering both ask for it)."""
    rng = random.Random(f"facturas-html-layout:{seed}")
    base = random_layout(rng.getrandbits(31))
    return _draw(rng, f"{HTML_PREFIX}{seed}", base)


def _numbers(rng: random.Random, base: NumberStyle, mark: str) -> NumberStyle:
    """The base separators with this template's currency mark and placement."""
    if mark == "none":
        return replace(base, symbol="", symbol_in_table=False)
    symbol = "€" if mark == "symbol" else "EUR"
    return replace(
        base,
        symbol=symbol,
        symbol_space=symbol == "EUR" or rng.random() < 0.7,
        symbol_in_table=rng.random() < 0.4,
    )


def _columns(rng: random.Random, base: Layout) -> tuple[str, ...]:
    """The base columns, sometimes reordered as web apps print them (amount not always last)."""
    columns = list(base.columns)
    if rng.random() < 0.15 and "code" in columns:
        columns.remove("code")
        columns.insert(len(columns) - 1, "code")
    return tuple(columns)


def _distractors(rng: random.Random, style: str) -> tuple[str, ...]:
    """Which other references stand near the number (more in a row of header cells)."""
    most = 5 if style in ("above", "kv-table", "kv-far") else 2
    return tuple(rng.sample(DISTRACTORS, k=rng.randint(0 if most == 2 else 1, most)))


def _distractor_labels(rng: random.Random, wording: str, base: Layout, case: str) -> dict[str, str]:
    """A label for every distractor: the shared pools where they have one, else this module's."""
    own = HTML_WORDINGS[wording]
    labels = {
        "customer_code": base.label("customer_code"),
        "order": base.label("order"),
        "contract": base.label("contract"),
        "due": base.label("due"),
        **{k: rng.choice(own[k]) for k in ("delivery_note", "project", "your_ref", "our_ref")},
        "account": rng.choice(own["account"]),
        "page": rng.choice(own["page"]),
    }
    return {k: recase(v.rstrip(":").strip(), case) for k, v in labels.items()}


def _draw(rng: random.Random, name: str, base: Layout) -> HtmlLayout:
    """One draw of every structural option."""
    wording = wording_language(base)
    meta_style = rng.choice(META_STYLES)
    mark = rng.choices(("symbol", "code", "none"), weights=(6, 3, 1))[0]
    base = replace(base, numbers=_numbers(rng, base.numbers, mark))
    case = rng.choice(("as-is", "as-is", "upper", "title"))
    own = HTML_WORDINGS[wording]
    total = base.label("total").rstrip(" :").casefold()
    labels = {
        "unit": rng.choice(own["unit"]),
        "vat_col": rng.choice(own["vat_col"]),
        "prepaid": rng.choice(own["prepaid"]),
        # The amount still due never takes the total's own wording ("Balance due" twice).
        "due_amount": rng.choice(
            [w for w in own["due_amount"] if w.casefold() != total] or own["due_amount"]
        ),
        "sentence": rng.choice(own["sentence"]),
        "line": rng.choice(own["line"]),
    }
    dates = ("dmy-slash", "long", "abbr", "iso") if wording == "en" else DATE_STYLES
    accent = "#{:02x}{:02x}{:02x}".format(*(rng.randint(0, 150) for _ in range(3)))
    layout = HtmlLayout(
        name=name,
        base=base,
        number_format=rng.choice(NUMBER_FORMATS),
        header=rng.choice(HEADERS),
        meta_style=meta_style,
        meta_side=rng.choice(("left", "right", "right")),
        distractors=_distractors(rng, meta_style),
        distractor_labels=_distractor_labels(rng, wording, base, case),
        buyer_style=rng.choice(BUYER_STYLES),
        buyer_side=rng.choice(("left", "right")),
        columns=_columns(rng, base),
        unit_column=rng.random() < 0.3,
        vat_column=rng.random() < 0.3,
        sub_lines=rng.random() < 0.25,
        totals_style=rng.choice(TOTALS_STYLES),
        totals_side=rng.choice(("right", "right", "left", "full")),
        prepayment=rng.random() < 0.08,
        currency_mark=mark,
        date_style=rng.choice(dates),
        font=rng.choice(FONT_STACKS),
        size=rng.choice((8.0, 8.5, 9.0, 9.5, 10.0, 10.5, 11.0)),
        accent=accent,
        rules=rng.choice(("grid", "lines", "zebra", "none")),
        footer_registry=rng.random() < 0.5,
        page_numbers=rng.random() < 0.4,
        number_case=rng.choices(("as-is", "lower", "upper"), weights=(8, 1, 1))[0],
        labels=labels,
    )
    if wording == "pt" and rng.random() < 0.7:
        # Portugal's unique document code, printed beside the number on every invoice.
        layout = replace(
            layout,
            distractors=(*layout.distractors, "atcud"),
            distractor_labels={**layout.distractor_labels, "atcud": "ATCUD"},
        )
    return layout


def option_keys(layout: HtmlLayout) -> dict[str, str]:
    """The structure options a benchmark breaks its figures down by."""
    return {
        "language": layout.wording,
        "header": layout.header,
        "meta_style": layout.meta_style,
        "buyer_style": layout.buyer_style,
        "totals_style": layout.totals_style,
        "currency_mark": layout.currency_mark,
        "date_style": layout.date_style,
        "distractors": str(min(len(layout.distractors), 3)) + ("+" if layout.distractors else ""),
    }
