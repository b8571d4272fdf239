"""HTML → PDF with Debian's headless Chromium: one long-lived browser per process over DevTools.

Starting Chromium costs about a second, printing a page a fraction of that, so the first print
starts a browser that every later print in the process reuses (closed at exit). Scans of the
printed PDF reuse the generator's scanner (`generator.render_bytes`).
"""

from __future__ import annotations

import atexit
import contextlib
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium

from facturas_dev.cdp import CHROMIUM, Page, chromium

A4_INCHES = (8.27, 11.69)
_lock = threading.Lock()
_browser: dict[str, Any] = {}


def _page() -> Page:
    """This process's browser tab, started on first use and stopped at exit."""
    if "page" not in _browser:
        if not CHROMIUM:
            raise RuntimeError("Debian's chromium is not installed (apt-get install chromium)")
        profile = Path(tempfile.mkdtemp(prefix="facturas-html-"))
        stack = contextlib.ExitStack()
        _browser["page"] = stack.enter_context(chromium(profile))
        _browser["folder"] = Path(tempfile.mkdtemp(prefix="facturas-html-pages-"))

        def close() -> None:
            """Stop the browser and remove its profile and pages."""
            stack.close()
            shutil.rmtree(profile, ignore_errors=True)
            shutil.rmtree(_browser["folder"], ignore_errors=True)
            _browser.clear()

        atexit.register(close)
    return _browser["page"]


def print_html(html: str, page_numbers: str = "") -> bytes:
    """The PDF Chromium prints of `html` (A4, the page's own @page margins).

    `page_numbers`, e.g. "Page {p}/{n}", prints the browser's page counter in the footer.
    """
    with _lock:
        page = _page()
        path = _browser["folder"] / "invoice.html"
        path.write_text(html, encoding="utf-8")
        page.navigate(path.as_uri())
        options: dict[str, Any] = {
            "paperWidth": A4_INCHES[0],
            "paperHeight": A4_INCHES[1],
            "printBackground": True,
            "preferCSSPageSize": True,
        }
        if page_numbers:
            counter = page_numbers.format(
                p='<span class="pageNumber"></span>', n='<span class="totalPages"></span>'
            )
            options.update(
                displayHeaderFooter=True,
                headerTemplate="<span></span>",
                footerTemplate=(
                    '<div style="font-size:7pt;width:100%;text-align:right;'
                    f'margin-right:12mm;font-family:sans-serif">{counter}</div>'
                ),
            )
        return page.print_pdf(**options)


def page_count(pdf: bytes) -> int:
    """The number of pages of a PDF."""
    doc = pdfium.PdfDocument(pdf)
    try:
        return len(doc)
    finally:
        doc.close()
