"""A number candidate that is a party's tax id: valid by its check digits and printed after a
tax-id label elsewhere on the page. Header grids print the customer's tax id in a box beside
the invoice's number; the scorer may like its shape, but it is never the invoice's number."""

from __future__ import annotations

from facturas_assets.documents.extraction.candidates import NUMBER, FieldCandidate
from facturas_assets.documents.extraction.features import Context
from facturas_assets.documents.extraction.taxids import compact, is_valid_tax_id


def labelled_tax_ids(ctx: Context) -> dict[str, set[int]]:
    """Each valid tax id printed on a line with a tax-id label, and the ids of its words."""
    out: dict[str, set[int]] = {}
    for line in ctx.lines:
        if not any(m.kind == "tax_id" for m in ctx.labels.get(line.index, [])):
            continue
        for word in line.words:
            value = compact(word.text)
            if is_valid_tax_id(value):
                out.setdefault(value, set()).add(id(word))
    return out


def a_party_tax_id(cand: FieldCandidate, labelled: dict[str, set[int]]) -> bool:
    """Whether a number candidate reads a tax id printed after a tax-id label elsewhere."""
    if cand.field != NUMBER or len(cand.words) != 1:
        return False
    words = labelled.get(compact(str(cand.value)))
    return bool(words) and words != {id(cand.words[0])}
