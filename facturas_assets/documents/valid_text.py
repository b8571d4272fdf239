"""Text made valid Unicode where reading hands it on: no lone surrogate goes any further.

A PDF's ToUnicode map (or a broken converter) can yield half of a UTF-16 surrogate pair. Python
keeps it in a str, but UTF-8 encoders (JSON files, Parquet, MySQL, TensorFlow) refuse it, so it
must not leave the reading stage.
"""

from __future__ import annotations

from dataclasses import replace

from facturas_assets.documents.model import (
    DocumentRejected,
    InvoiceData,
    Page,
    Party,
    ReadDocument,
)

REPLACEMENT = "\ufffd"


def valid_unicode(text: str) -> str:
    """`text` with surrogate halves of a pair joined into one character and lone ones replaced."""
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    # Through UTF-16: a high half followed by a low half decodes to the character they encode.
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def _opt(text: str | None) -> str | None:
    return None if text is None else valid_unicode(text)


def _valid_invoice(data: InvoiceData) -> InvoiceData:
    return replace(
        data,
        invoice_number=_opt(data.invoice_number),
        currency=_opt(data.currency),
        seller=Party(_opt(data.seller.name), _opt(data.seller.tax_id)),
        buyer=Party(_opt(data.buyer.name), _opt(data.buyer.tax_id)),
        lines=[replace(ln, description=_opt(ln.description)) for ln in data.lines],
        warnings=[valid_unicode(w) for w in data.warnings],
    )


def _valid_page(page: Page) -> Page:
    words = []
    for word in page.words:
        text = valid_unicode(word.text)
        words.append(word if text is word.text else replace(word, text=text))
    return Page(page.number, page.width, page.height, words)


def valid_read(
    outcome: ReadDocument | DocumentRejected,
) -> ReadDocument | DocumentRejected:
    """A read result whose every text (words, e-invoice fields, warnings, detail) is valid."""
    if isinstance(outcome, DocumentRejected):
        detail = valid_unicode(outcome.detail)
        if detail is outcome.detail:
            return outcome
        cleaned = DocumentRejected(outcome.reason, detail)
        for attr in ("source", "sha256"):  # the reader's tags of a batch's rejections
            if hasattr(outcome, attr):
                setattr(cleaned, attr, getattr(outcome, attr))
        return cleaned
    return replace(
        outcome,
        pages=[_valid_page(p) for p in outcome.pages],
        einvoice=None if outcome.einvoice is None else _valid_invoice(outcome.einvoice),
        warnings=[valid_unicode(w) for w in outcome.warnings],
    )
