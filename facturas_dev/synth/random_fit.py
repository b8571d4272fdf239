"""Whether a drawn layout fits the page: labels, values and names inside their boxes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from reportlab.pdfbase import pdfmetrics

from facturas_dev.synth.fonts import ensure_font
from facturas_dev.synth.formats import format_date
from facturas_dev.synth.layouts import Layout
from facturas_dev.synth.pdf import COLUMN_WIDTH, PAGE_W, SIDEBAR_W

SAMPLE_DATES = (date(2025, 9, 30), date(2024, 12, 28), date(2023, 2, 14))
BIG_AMOUNT = Decimal("99999.99")  # the widest amount the totals are checked with


def _sample_values(layout: Layout) -> dict[str, str]:
    """The widest values a header field may print in this layout."""
    dates = [
        format_date(d, layout.date_style, layout.wording_language or layout.language)
        for d in SAMPLE_DATES
    ]
    number = layout.number_format.format(yyyy=2025, yy=25, mm=12, n=9999, s="B")
    widest_date = max(dates, key=len)
    return {
        "number": number,
        "date": widest_date,
        "due": widest_date,
        "service_date": widest_date,
        "order": "PED-99999",
        "customer_code": "9999",
        "contract": "CM-2025-250",
    }


Width = Callable[..., float]  # width(text, bold=False, size=None) in points


def fits(layout: Layout) -> bool:
    """Whether the header, title, table and totals of `layout` stay inside their boxes."""
    fonts = layout.fonts
    for face in (fonts.regular, fonts.bold):
        ensure_font(face)

    def width(text: str, bold: bool = False, at: float | None = None) -> float:
        """Printed width of `text`."""
        return pdfmetrics.stringWidth(
            text, fonts.bold if bold else fonts.regular, at or layout.size
        )

    x0 = layout.margin + (SIDEBAR_W if layout.letterhead == "sidebar" else 0.0)
    span = PAGE_W - layout.margin - x0
    values = _sample_values(layout)
    money = layout.numbers.amount(BIG_AMOUNT)
    return (
        _letterhead_fits(layout, width, span)
        and _title_fits(layout, width, span, values["number"])
        and _meta_fits(layout, width, span, values)
        and _totals_fit(layout, width, span, money)
        and _table_fits(layout, width, span, money)
    )


def _title_fits(layout: Layout, width: Width, span: float, number: str) -> bool:
    """The title line (with the number when printed there) in each place it may go."""
    size = layout.size
    title = (
        layout.title_number.format(title=layout.label("title"), number=number)
        if layout.title_number
        else layout.label("title")
    )
    col_w = (span - 18) / 2
    if layout.letterhead == "right" and width(title, True, size + 14) > span / 2 - 20:
        return False
    if layout.title_pos == "meta" and width(title, True, size + 2) > col_w - 12:
        return False
    return width(title, True, size + 9) <= span * 0.6


def _meta_fits(layout: Layout, width: Width, span: float, values: dict[str, str]) -> bool:
    """Each header label with its widest value inside the meta block's style."""
    fields, style = layout.meta_fields, layout.meta_style
    col_w = (span - 18) / 2
    if style == "box":
        return all(width(layout.label(f), True) + width(values[f]) + 28 <= col_w for f in fields)
    if style == "list":
        label_w = max(width(layout.label(f) + ":", True) for f in fields) + 6
        return label_w + max(width(values[f]) for f in fields) + 4 <= col_w
    if style == "stack":
        return all(max(width(layout.label(f), True), width(values[f])) <= col_w - 4 for f in fields)
    if style == "band":
        cell = span / len(fields)
        return all(
            max(width(layout.label(f), True, layout.size - 0.5), width(values[f])) <= cell - 8
            for f in fields
        )
    if style == "inline":
        return (
            sum(width(layout.label(f) + ": ", True) + width(values[f]) + 24 for f in fields) <= span
        )
    return True


def _totals_fit(layout: Layout, width: Width, span: float, money: str) -> bool:
    """The totals labels beside the widest amount in the totals style."""
    size, style = layout.size, layout.totals_style
    tax = layout.label("tax").format(rate="21,00 %")
    labels = (layout.label("net"), tax, layout.label("total"))
    if style == "band":
        cell = span / 4
        heads = [
            layout.label("net"),
            layout.labels.get("band_rate", ""),
            layout.labels.get("band_tax", ""),
            layout.label("total"),
        ]
        return all(width(h, True, size - 0.5) <= cell - 10 for h in heads) and (
            width(money, True) <= cell - 10
        )
    if style == "box":
        return all(width(t, True) + width(money, True) + 26 <= 215 for t in labels)
    if style == "left":
        return all(
            width(t, True, size + 1) + width(money, True, size + 1) + 12 <= 230 for t in labels
        )
    return True


def _table_fits(layout: Layout, width: Width, span: float, money: str) -> bool:
    """The fixed columns leave the description column room for its text."""
    fixed = sum(
        max(
            COLUMN_WIDTH[key] * layout.size / 9,
            width(layout.label(key), True) + 10,
            width(money) + 12 if key in ("unit_price", "amount") else 0,
        )
        for key in layout.columns
        if key != "description"
    )
    return span - fixed >= 150


def _letterhead_fits(layout: Layout, width: Width, span: float) -> bool:
    """Whether the issuer's name and lines stay clear of what shares their band (see pdf.py)."""
    size, iss, kind = layout.size, layout.issuer, layout.letterhead
    phone = f"{layout.label('phone')} {iss.phone}"
    if kind == "banner":  # contact lines right-aligned beside the name
        side = (*iss.address, phone, iss.email)
        return (
            width(iss.name, True, size + 8) + max(width(x, False, size - 1.5) for x in side) + 12
            <= span
        )
    if kind == "underline":
        side = (phone, iss.email, iss.web)
        return (
            width(iss.name, True, size + 8) + max(width(x, False, size - 1) for x in side) + 12
            <= span
        )
    if kind == "right":  # the big title on the left, the name right-aligned
        return (
            width(layout.label("title"), True, size + 14) + width(iss.name, True, size + 5) + 20
            <= span
        )
    if kind == "boxed":
        contact = f"{phone} · {iss.email}"
        lines = [width(x, False, size - 0.5) for x in (*iss.address, contact)]
        return max(*lines, width(iss.name, True, size + 2)) <= 255 - 16
    if kind == "logo":
        return width(iss.name, True, size + 5) <= span - 60
    return width(iss.name, True, size + 9) <= span
