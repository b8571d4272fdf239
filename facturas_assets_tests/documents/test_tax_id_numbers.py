"""A party's tax id is never the invoice's number, wherever the page prints it again."""

from __future__ import annotations

from facturas_assets.documents.extraction.candidates import number_candidates
from facturas_assets.documents.extraction.extract import header_labels, page_lines
from facturas_assets.documents.extraction.features import build_context
from facturas_assets.documents.extraction.tax_id_numbers import a_party_tax_id, labelled_tax_ids
from facturas_assets_tests.documents.test_extraction import Sheet


def test_a_labelled_tax_id_printed_again_in_a_grid_of_header_values_is_no_number() -> None:
    s = Sheet()
    s.text(40, 74, "Tax ID P.IVA: ESB20508404")
    for x, head, value in [(40, "INVOICE NO", "F2022-2805"), (240, "ACCOUNT", "ESB20508404")]:
        s.text(x, 120, head)
        s.text(x, 134, value)
    pages, lines = page_lines(s.pages, False)
    labels = header_labels(lines, set())
    ids = labelled_tax_ids(build_context(lines, labels, set(), pages))
    flagged = {
        (c.line.index, str(c.value)) for c in number_candidates(lines) if a_party_tax_id(c, ids)
    }
    # the grid's copy is vetoed; the labelled one is the tax id's own reading; the number is free
    assert flagged == {(lines[-1].index, "ESB20508404")}
