"""Synthetic invoices of a textile-machinery maintenance business, with exact ground truth."""

from facturas_dev.synth.content import CATEGORIES
from facturas_dev.synth.excluded_layouts import EXCLUDED_LAYOUTS
from facturas_dev.synth.generator import (
    DEFAULT_RENDERING_WEIGHTS,
    RENDERINGS,
    GeneratedInvoice,
    generate,
    make_invoice,
    render,
)
from facturas_dev.synth.layouts import HELD_OUT_LAYOUTS, LAYOUTS, Layout

__all__ = [
    "CATEGORIES",
    "DEFAULT_RENDERING_WEIGHTS",
    "EXCLUDED_LAYOUTS",
    "HELD_OUT_LAYOUTS",
    "LAYOUTS",
    "RENDERINGS",
    "GeneratedInvoice",
    "Layout",
    "generate",
    "make_invoice",
    "render",
]
