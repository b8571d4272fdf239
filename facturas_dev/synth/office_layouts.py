"""Randomized office-software invoice templates, printed by Chromium: "office:<seed>".

These imitate how desktop invoicing programs and word-processor / spreadsheet templates lay out
an invoice (Spanish small-business tools, ERP reports, Word and Excel templates of several
countries): parties in a two-cell bordered table, a bill-to / ship-to pair, the client's block
first and the seller on the right, the seller only as a strip under the logo plus a footer
block, client data as label/value rows; a row of header boxes (number | date | client code |
client tax id | page | payment); text lines and delivery-note headings inside the line table; a
Spanish tax breakdown table; a horizontal totals strip; a big "amount due" box; bank box,
registry text and privacy paragraph in the footer; window-envelope letters (the addressee with no
label where a left or right envelope window is, a one-line return address over it, the seller's
legal details in the footer); bilingual labels ("Faktura / Factura", or the second label under
the first in small italics); tax printed per rate where content has several rates (rows "VAT 20 %
on 1,234.00", three-column rows, a rate | base | tax table); no currency mark anywhere; thousands
grouped by a space or an apostrophe.

`office_layout(seed)` is the template named "office:<seed>" (the same seed, the same template);
`office_layout_names(n, seed)` names n of them. As the HTML templates do, a template keeps a
randomized base layout (`random_layouts`) for what content needs (issuer, wording language and
labels, number separators, columns) and draws its own structure on top.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from functools import lru_cache

from facturas_dev.synth.formats import NumberStyle
from facturas_dev.synth.layouts import Layout, drawn_names, is_seeded_name, seed_named
from facturas_dev.synth.office_wordings import (
    BASQUE_LABELS,
    LABEL_KEYS,
    OFFICE_WORDINGS,
    SECOND_LANGUAGES,
)
from facturas_dev.synth.random_layouts import random_layout, wording_language

OFFICE_PREFIX = "office:"
PARTIES = ("two-cell", "ship-to", "client-first", "strip-footer", "client-rows")
LOGOS = ("initials", "brand", "none")
TITLE_STYLES = ("plain", "number", "band")
META_STYLES = ("grid", "kv-right", "stacked")
TAX_PLACES = ("under-name", "header", "footer")
LINE_RULES = ("grid", "none", "zebra", "rules")
TOTALS_STYLES = ("vertical", "strip", "breakdown-under", "breakdown-beside")
# Window-envelope letters: the addressee with no label where an envelope window is (left: DIN 5008
# at 20 mm; right: Spanish and French windows at 100-110 mm), the legal details in the footer.
WINDOWS = ("none", "left", "right")
RETURN_LINES = ("none", "labelled", "bare")  # the sender on one tiny line over the addressee
BILINGUAL = ("none", "slash", "stacked")  # labels "A / B", or B under A in small italics
TAX_ROWS = ("as-base", "on-rows", "columns", "rate-table")  # tax per rate (several rates only)
GROUPINGS = ("as-drawn", "space", "apostrophe")  # thousands: 1 234,56 / 1'234.56
PAIR_MARK = "\ue000"  # between the two labels of a stacked pair
DISTRACTORS = ("order", "delivery_note", "your_ref", "due", "delivery_date", "period", "agent")
# Numbering as invoicing programs print it: series and year prefixes, slashes, long counters.
NUMBER_FORMATS = (
    "{yyyy}/{n:06d}",
    "FV{yy:02d}-{n:04d}",
    "{s}-{n}",
    "{yy:02d}/{n:04d}",
    "F{yyyy}-{n:03d}",
    "{n:07d}",
    "FRA {yy:02d}/{n:05d}",
    "{s}{yy:02d}{n:05d}",
    "{yyyy}-{s}-{n:04d}",
    "RE{yyyy}{n:04d}",
    "{n:05d}-{s}",
    "FT {s}{yyyy}/{n}",
    "{yy:02d}.{mm:02d}.{n:03d}",
    "SI-{n:06d}",
)
FONT_STACKS = (
    "'Liberation Sans', Arial, sans-serif",
    "'Liberation Serif', 'Times New Roman', serif",
    "'DejaVu Sans', Verdana, sans-serif",
    "'DejaVu Sans Condensed', 'DejaVu Sans', sans-serif",
    "'DejaVu Serif', Georgia, serif",
    "'Liberation Mono', 'Courier New', monospace",
    "'DejaVu Sans Light', 'DejaVu Sans', sans-serif",
)
DATE_STYLES = ("dmy-slash", "dmy-slash", "dmy-dash", "dmy-dot", "iso", "long", "dmy-short", "abbr")
EN_DATE_STYLES = ("dmy-slash", "long", "abbr", "iso")
# Office palettes: the template accents (navy, teal, burgundy, green, grey, orange).
ACCENTS = ("#1f3864", "#2e75b6", "#0e6655", "#7b241c", "#385723", "#404040", "#c55a11", "#5b2c6f")


@dataclass(frozen=True, slots=True)
class OfficeLayout:
    """One office-software template; `base` is the randomized layout its content is drawn for."""

    name: str
    base: Layout
    number_format: str
    number_case: str  # as-is, upper
    parties: str  # see PARTIES
    seller_first: bool  # in the two-cell table, the seller's cell on the left
    logo: str  # see LOGOS
    logo_side: str  # left, right
    title_style: str  # see TITLE_STYLES
    meta_style: str  # see META_STYLES
    distractors: tuple[str, ...]
    tax_place: str  # where the seller's tax id stands: see TAX_PLACES
    columns: tuple[str, ...]
    unit_column: bool
    vat_column: bool
    comments: bool  # text-only rows between items
    groups: bool  # delivery-note headings inside the line table
    line_rules: str  # see LINE_RULES
    centred_numbers: bool
    totals_style: str  # see TOTALS_STYLES
    big_total: bool  # the total repeated in a big coloured box
    bank_box: bool
    registry: bool
    privacy: bool
    fixed_footer: bool  # the footer repeated at the foot of every page
    page_numbers: bool  # "Página 1 de 2" printed by the browser's footer
    currency_mark: str  # symbol, code, none (no currency printed)
    date_style: str
    font: str
    size: float
    accent: str
    label_case: str  # as-is, upper
    grey_labels: bool
    words: dict[str, str]  # one drawn entry of each office wording pool
    window: str = "none"  # see WINDOWS
    window_left: int = 20  # mm from the paper's left edge
    window_top: int = 50  # mm from the paper's top edge
    return_line: str = "none"  # see RETURN_LINES
    window_buyer_tax: str = "label"  # label, bare: the buyer's tax id in the window block
    letterhead_name: bool = True  # the seller's name in the letterhead (else only the footer)
    bilingual: str = "none"  # see BILINGUAL
    second: str = ""  # the second language of bilingual labels
    second_first: bool = False  # the second language's label printed first
    tax_rows: str = "as-base"  # see TAX_ROWS
    grouping: str = "as-drawn"  # see GROUPINGS

    @property
    def wording(self) -> str:
        """The language the labels are written in."""
        return wording_language(self.base)

    @property
    def numbers(self) -> NumberStyle:
        """How amounts print (the base layout's separators, this template's currency mark)."""
        return self.base.numbers


def is_office_name(name: str) -> bool:
    """Whether `name` names an office template ("office:<integer seed>")."""
    return is_seeded_name(OFFICE_PREFIX, name)


def office_layout(seed: int) -> OfficeLayout:
    """The office template of `seed`, named "office:<seed>"."""
    return _office_layout(int(seed))


def office_layout_named(name: str) -> OfficeLayout:
    """The office template called "office:<seed>"."""
    return office_layout(seed_named(OFFICE_PREFIX, name, "an office template"))


def office_layout_names(n: int, seed: int = 0) -> list[str]:
    """n distinct office template names drawn reproducibly from `seed`."""
    return drawn_names(OFFICE_PREFIX, n, f"facturas-office-layout-names:{seed}")


@lru_cache(maxsize=4096)
def _office_layout(seed: int) -> OfficeLayout:
    """Cached draw (content building and rendering both ask for it)."""
    rng = random.Random(f"facturas-office-layout:{seed}")
    base = random_layout(rng.getrandbits(31))
    return _draw(rng, f"{OFFICE_PREFIX}{seed}", base)


def _numbers(rng: random.Random, base: NumberStyle, mark: str) -> NumberStyle:
    """The base separators with this template's currency mark."""
    if mark == "none":
        return replace(base, symbol="", symbol_in_table=False)
    symbol = "€" if mark == "symbol" else "EUR"
    return replace(
        base,
        symbol=symbol,
        symbol_space=symbol == "EUR" or rng.random() < 0.8,
        symbol_in_table=rng.random() < 0.3,
    )


def _grouping(rng: random.Random, wording: str, base: NumberStyle) -> tuple[str, NumberStyle]:
    """Thousands grouped by a space (fr, pt) or an apostrophe (Swiss de, fr, it), sometimes."""
    if wording in ("fr", "pt") and rng.random() < 0.35:
        return "space", replace(base, decimal=",", thousands=rng.choice((" ", "\u00a0")))
    if wording in ("de", "fr", "it") and rng.random() < 0.3:
        return "apostrophe", replace(base, decimal=".", thousands="'")
    return "as-drawn", base


def _pair(first: str, second: str, style: str) -> str:
    """Two labels printed together: "A / B", or B under A (marked); one colon at the end."""
    colon = ":" if first.rstrip().endswith(":") else ""
    a, b = (x.rstrip().rstrip(":").rstrip() for x in (first, second))
    if a.lower() == b.lower():
        return first
    return f"{a}{PAIR_MARK}{b}{colon}" if style == "stacked" else f"{a} / {b}{colon}"


def _words(
    rng: random.Random, wording: str, bilingual: str, second: str, second_first: bool
) -> dict[str, str]:
    """One entry of each pool; on bilingual templates each label paired with the second
    language's (tax id prefixes always "A / B": a line break would part a label from its id)."""
    pools = OFFICE_WORDINGS.get(wording, OFFICE_WORDINGS["es"])
    words = {key: rng.choice(pool) for key, pool in sorted(pools.items())}
    if bilingual == "none":
        return words
    others = BASQUE_LABELS if second == "eu" else OFFICE_WORDINGS[second]
    for key in LABEL_KEYS:
        if key not in words or key not in others:
            continue
        style = "slash" if key in ("seller_tax", "buyer_tax") else bilingual
        other = rng.choice(others[key])
        pair = (other, words[key]) if second_first else (words[key], other)
        words[key] = _pair(*pair, style)
    return words


def _columns(rng: random.Random, base: Layout) -> tuple[str, ...]:
    """The base columns in an office program's order: code first, quantity first, or as drawn."""
    columns = list(base.columns)
    if "code" not in columns and rng.random() < 0.35:
        columns.insert(0, "code")
    if "discount" not in columns and rng.random() < 0.2:
        columns.insert(len(columns) - 1, "discount")
    if rng.random() < 0.3 and "qty" in columns:  # Cant. | Descripción | Precio | Importe
        columns.remove("qty")
        at = columns.index("description")
        columns.insert(at, "qty")
    return tuple(columns)


def _draw(rng: random.Random, name: str, base: Layout) -> OfficeLayout:
    """One draw of every structural option."""
    wording = wording_language(base)
    mark = rng.choices(("symbol", "code", "none"), weights=(6, 3, 2))[0]
    base = replace(base, numbers=_numbers(rng, base.numbers, mark))
    grouping, numbers = _grouping(rng, wording, base.numbers)
    base = replace(base, numbers=numbers)
    meta_style = rng.choice(META_STYLES)
    parties = rng.choice(PARTIES)
    tax_place = "footer" if parties == "strip-footer" else rng.choice(TAX_PLACES)
    window = rng.choices(WINDOWS, weights=(6, 2, 2))[0]
    window_tax_top = rng.random() < 0.4
    if window != "none":
        tax_place = "under-name" if window_tax_top else "footer"
    bilingual = rng.choices(BILINGUAL, weights=(6, 2, 2))[0]
    second = rng.choice(SECOND_LANGUAGES.get(wording, ("en",)))
    second_first = rng.random() < 0.4
    most = 4 if meta_style == "grid" else 3
    return OfficeLayout(
        name=name,
        base=base,
        number_format=rng.choice(NUMBER_FORMATS),
        number_case=rng.choices(("as-is", "upper"), weights=(9, 1))[0],
        parties=parties,
        seller_first=rng.random() < 0.6,
        logo=rng.choice(LOGOS),
        logo_side=rng.choice(("left", "left", "right")),
        title_style=rng.choice(TITLE_STYLES),
        meta_style=meta_style,
        distractors=tuple(rng.sample(DISTRACTORS, k=rng.randint(0, most))),
        tax_place=tax_place,
        columns=_columns(rng, base),
        unit_column=rng.random() < 0.25,
        vat_column=rng.random() < 0.3,
        comments=rng.random() < 0.3,
        groups=rng.random() < 0.25,
        line_rules=rng.choice(LINE_RULES),
        centred_numbers=rng.random() < 0.25,
        totals_style=rng.choice(TOTALS_STYLES),
        big_total=rng.random() < 0.45,
        bank_box=rng.random() < 0.4,
        registry=rng.random() < 0.5,
        privacy=rng.random() < 0.35,
        fixed_footer=rng.random() < 0.3,
        page_numbers=rng.random() < 0.45,
        currency_mark=mark,
        date_style=rng.choice(EN_DATE_STYLES if wording == "en" else DATE_STYLES),
        font=rng.choice(FONT_STACKS),
        size=rng.choice((8.0, 8.5, 9.0, 9.5, 10.0, 10.5)),
        accent=rng.choice(ACCENTS),
        label_case=rng.choice(("as-is", "as-is", "upper")),
        grey_labels=rng.random() < 0.5,
        words=_words(rng, wording, bilingual, second, second_first),
        window=window,
        window_left=rng.choice((20, 22, 25)) if window == "left" else rng.choice((100, 105, 110)),
        window_top=rng.choice((45, 50, 55, 60)),
        return_line=rng.choice(RETURN_LINES),
        window_buyer_tax=rng.choice(("label", "label", "bare")),
        letterhead_name=rng.random() < 0.7,
        bilingual=bilingual,
        second=second if bilingual != "none" else "",
        second_first=second_first,
        tax_rows=rng.choice(TAX_ROWS),
        grouping=grouping,
    )


def option_keys(layout: OfficeLayout) -> dict[str, str]:
    """The structure options a benchmark breaks its figures down by."""
    return {
        "language": layout.wording,
        "parties": layout.parties,
        "logo": layout.logo,
        "title_style": layout.title_style,
        "meta_style": layout.meta_style,
        "totals_style": layout.totals_style,
        "tax_place": layout.tax_place,
        "currency_mark": layout.currency_mark,
        "window": layout.window
        if layout.window == "none"
        else f"{layout.window}/{'tax-top' if layout.tax_place == 'under-name' else 'tax-footer'}",
        "bilingual": layout.bilingual
        if layout.bilingual == "none"
        else f"{layout.bilingual}:{layout.second}",
        "tax_rows": layout.tax_rows,
        "grouping": layout.grouping,
        "extra_rows": "groups+comments"
        if layout.groups and layout.comments
        else "groups"
        if layout.groups
        else "comments"
        if layout.comments
        else "none",
    }
