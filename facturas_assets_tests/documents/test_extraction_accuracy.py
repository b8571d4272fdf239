"""Accuracy on generated text PDFs from layouts held out of development (a floor that can fail)."""

from __future__ import annotations

from pathlib import Path

from facturas_assets.documents.extraction import extract_invoice
from facturas_assets.documents.reader import read_document
from facturas_assets.documents.validation import validate
from facturas_dev.accuracy import CORE_FIELDS, Tally
from facturas_dev.synth.generator import generate
from facturas_dev.synth.layouts import HELD_OUT_LAYOUTS


def test_held_out_text_pdfs(tmp_path: Path) -> None:
    generated = generate(
        40, tmp_path, seed=777, layouts=list(HELD_OUT_LAYOUTS), renderings=["text-pdf"], workers=1
    )
    tally = Tally()
    for item in generated:
        doc = read_document(item.path)
        assert doc.method == "text"
        tally.add(item.truth, validate(extract_invoice(doc)))
    acc = tally.accuracy()
    for name in CORE_FIELDS:
        assert acc[name] >= 0.97, (name, acc)
    assert acc["seller.tax_id"] >= 0.97 and acc["buyer.tax_id"] >= 0.97, acc
    assert acc["lines"] >= 0.95, acc
