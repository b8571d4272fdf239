"""The invoice number and issue date chosen by the learned scorer among all candidates."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from facturas_assets.documents.extraction.candidates import (
    DATE,
    NUMBER,
    FieldCandidate,
    date_candidates,
    number_candidates,
    with_rule_candidates,
)
from facturas_assets.documents.extraction.features import (
    Context,
    beside_other_label,
    build_context,
)
from facturas_assets.documents.extraction.fields import Candidate
from facturas_assets.documents.extraction.labels import LabelMatch
from facturas_assets.documents.extraction.layout import Line
from facturas_assets.documents.extraction.scorer import FieldScorer, default_scorer
from facturas_assets.documents.extraction.tax_id_numbers import a_party_tax_id, labelled_tax_ids
from facturas_assets.documents.model import Page

# Below this probability the best candidate is no answer: a document may state no number, or
# only a due date.
MIN_PROBABILITY = {NUMBER: 0.05, DATE: 0.05}


@dataclass(slots=True)
class HeaderCandidates:
    """A document's candidates for both fields and the context their features need."""

    context: Context
    by_field: dict[str, list[FieldCandidate]]


def header_candidates(
    lines: list[Line],
    labels: dict[int, list[LabelMatch]],
    table_lines: set[int],
    pages: list[Page],
    rule: list[Candidate],
) -> HeaderCandidates:
    """Every candidate of the number and date, the label-anchored ones merged in."""
    ctx = build_context(lines, labels, table_lines, pages)
    return HeaderCandidates(
        ctx,
        {
            NUMBER: with_rule_candidates(number_candidates(lines), rule, lines, NUMBER),
            DATE: with_rule_candidates(date_candidates(lines), rule, lines, DATE),
        },
    )


def learned_pick(
    found: HeaderCandidates, field: str, scorer: FieldScorer | None = None
) -> tuple[FieldCandidate, float] | None:
    """The scorer's choice for one field with its raw confidence, None when nothing is likely.

    The confidence of a number is its probability less the chance that a rival id is the one:
    the scorer's probabilities are not exclusive, and two ids both likely mean the page does
    not say which is the invoice's (on randomized layouts this ranks right against wrong picks
    with an AUROC of 0.99 on text, against 0.85 for the probability alone).
    """
    cands = found.by_field[field]
    probs = (scorer or default_scorer()).score(field, cands, found.context)
    tax_ids = labelled_tax_ids(found.context) if field == NUMBER else {}
    vetoed = [beside_other_label(c, found.context) or a_party_tax_id(c, tax_ids) for c in cands]
    qualified = [c.qualified for c in cands]
    best = choose(probs, vetoed, qualified, MIN_PROBABILITY[field], rule_forms(cands))
    if best is None:
        return None
    confidence = float(probs[best])
    if field == NUMBER:
        confidence *= 1.0 - rival_probability(cands, probs, best)
    return cands[best], confidence


def rival_probability(cands: list[FieldCandidate], probs: np.ndarray, best: int) -> float:
    """The highest probability of a candidate that reads another id than `best` (the same id
    with or without its series code, "FT 2024/118" and "2024/118", is no rival)."""
    chosen = str(cands[best].value)
    rivals = [
        float(probs[i])
        for i, cand in enumerate(cands)
        if chosen not in str(cand.value) and str(cand.value) not in chosen
    ]
    return max(rivals, default=0.0)


def rule_forms(cands: list[FieldCandidate]) -> list[int]:
    """For each candidate, the candidate the rules prefer among the readings of the same id
    (those sharing a word with it: with or without the series code before it, "FT 2024/118" or
    "2024/118", or its digit groups, "A 2025 0613"); itself when the rules read none of them."""
    by_word: dict[int, list[int]] = {}
    for i, cand in enumerate(cands):
        for word in cand.words:
            by_word.setdefault(id(word), []).append(i)
    out = list(range(len(cands)))
    for i, cand in enumerate(cands):
        # Readings sharing a word with this one: its id with or without series and groups.
        group = {j for word in cand.words for j in by_word[id(word)]}
        ruled = max(sorted(group), key=lambda j: cands[j].rule_score)
        if cands[ruled].rule_score > 0:
            out[i] = ruled
    return out


def choose(
    probs: np.ndarray,
    vetoed: list[bool],
    qualified: list[bool],
    least: float,
    forms: list[int] | None = None,
) -> int | None:
    """The index of the most probable candidate not vetoed, None below `least`.

    A date whose label names another date ("Fecha servicio") is taken only when no plain one
    is likely: the qualifier is read by the rules, which no layout's weights should overrule.
    Whether an id is printed with its series code is the invoice's convention, not a matter of
    layout: the scorer picks the id, the rules' reading of it (`forms`) says how it is written.
    """
    allowed = [i for i in range(len(probs)) if not vetoed[i] and probs[i] >= least]
    plain = [i for i in allowed if not qualified[i]]
    pool = plain or allowed
    if not pool:
        return None
    best = max(pool, key=lambda i: probs[i])
    return best if forms is None else forms[best]
