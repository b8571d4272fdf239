"""The learned number/date scorer: candidates, features, weights file and choices on hand-made pages."""

from __future__ import annotations

import json
from datetime import date

import numpy as np
import pytest

from facturas_assets.documents.extraction import extract_pages
from facturas_assets.documents.extraction.candidates import (
    DATE,
    NUMBER,
    date_candidates,
    is_id_like,
    number_candidates,
)
from facturas_assets.documents.extraction.extract import line_labels
from facturas_assets.documents.extraction.features import (
    FEATURES,
    beside_other_label,
    build_context,
    feature_matrix,
)
from facturas_assets.documents.extraction.header import choose, rule_forms
from facturas_assets.documents.extraction.layout import build_lines
from facturas_assets.documents.extraction.scorer import (
    WEIGHTS,
    FieldModel,
    ScorerFormatError,
    default_scorer,
    load_scorer,
)
from facturas_assets.documents.model import Page, Word

CHAR = 5.0  # average glyph width at size 10, in points


class Sheet:
    """Pages of words as a text layer reports them (one Word per token)."""

    def __init__(self) -> None:
        self.pages: list[Page] = [Page(0, 595, 842)]

    def text(self, x: float, y: float, text: str, size: float = 10) -> None:
        """Words of `text` from (x, y) rightwards."""
        page = self.pages[-1]
        for token in text.split(" "):
            if token:
                w = len(token) * CHAR * size / 10
                page.words.append(Word(token, x, y, x + w, y + size, page.number, 1.0))
            x += (len(token) + 1) * CHAR * size / 10


def _features(sheet: Sheet, field: str) -> tuple[list, np.ndarray]:
    """The candidates of one field on a sheet and their feature rows."""
    lines = build_lines(sheet.pages)
    labels = {ln.index: line_labels(ln) for ln in lines}
    ctx = build_context(lines, labels, set(), sheet.pages)
    cands = number_candidates(lines) if field == NUMBER else date_candidates(lines)
    return cands, feature_matrix(cands, ctx, field)


def _row(cands: list, x: np.ndarray, value: object, field: str) -> dict[str, float]:
    """The named features of the candidate with `value`."""
    i = next(i for i, c in enumerate(cands) if c.value == value)
    return dict(zip(FEATURES[field], x[i], strict=True))


def test_id_like_tokens() -> None:
    assert is_id_like("A-2024/0117")
    assert is_id_like("4711")
    assert not is_id_like("12/03/2024")  # a date
    assert not is_id_like("1.234,50")  # an amount
    assert not is_id_like("Factura")  # no digit
    assert not is_id_like("7")  # too short


def test_candidates_come_from_every_line_not_only_labelled_ones() -> None:
    s = Sheet()
    s.text(40, 40, "FT 2024/118")  # a series and a number, no label at all
    s.text(40, 400, "Observaciones 31.05.2024")
    lines = build_lines(s.pages)
    numbers = {c.value for c in number_candidates(lines)}
    assert {"2024/118", "FT 2024/118"} <= numbers
    assert [c.value for c in date_candidates(lines)] == [date(2024, 5, 31)]


def test_label_features_tell_own_labels_from_other_fields() -> None:
    s = Sheet()
    s.text(40, 40, "Rechnungsnummer: RE-5521")
    s.text(40, 60, "Bestellnummer: 88120")
    s.text(300, 40, "Fälligkeitsdatum")
    s.text(300, 54, "30.06.2024")
    s.text(40, 80, "Rechnungsdatum: 31.05.2024")
    cands, x = _features(s, NUMBER)
    own, order = _row(cands, x, "RE-5521", NUMBER), _row(cands, x, "88120", NUMBER)
    assert own["left_own"] == 1 and own["nearest_own"] == 1 and own["left_same_cell"] == 1
    assert order["left_own"] == 0 and order["left_reference"] == 1 and order["nearest_rival"] == 1
    assert own["letters"] == 1 and order["all_digits"] == 1 and order["digits_5"] == 1
    cands, x = _features(s, DATE)
    due, issued = _row(cands, x, date(2024, 6, 30), DATE), _row(cands, x, date(2024, 5, 31), DATE)
    assert due["above_due"] == 1 and due["above_own"] == 0 and due["latest"] == 1
    assert issued["left_own"] == 1 and issued["earliest"] == 1


def test_a_value_right_after_another_fields_label_is_vetoed() -> None:
    s = Sheet()
    s.text(40, 40, "Vencimiento: 25/11/2022")
    s.text(40, 60, "Fecha: 26/10/2022")
    lines = build_lines(s.pages)
    ctx = build_context(lines, {ln.index: line_labels(ln) for ln in lines}, set(), s.pages)
    vetoed = {c.value: beside_other_label(c, ctx) for c in date_candidates(lines)}
    assert vetoed == {date(2022, 11, 25): True, date(2022, 10, 26): False}


def test_logistic_and_tree_inference() -> None:
    x = np.array([[0.0, 2.0], [1.0, -1.0]])
    logistic = FieldModel(
        ("a", "b"),
        {
            "type": "logistic",
            "mean": [0.5, 0.0],
            "scale": [0.5, 2.0],
            "coef": [1.0, 2.0],
            "intercept": -0.5,
        },  # fmt: skip
    )
    want = 1 / (1 + np.exp(-np.array([-1.0 + 2.0 - 0.5, 1.0 - 1.0 - 0.5])))
    assert np.allclose(logistic.probabilities(x), want)
    # One split on feature b at 0.5: left leaf -1, right leaf +2.
    tree = {"feature": [1, -2, -2], "threshold": [0.5, -2, -2], "left": [1, -1, -1],
            "right": [2, -1, -1], "value": [0.0, -1.0, 2.0]}  # fmt: skip
    trees = FieldModel(
        ("a", "b"), {"type": "trees", "init": 0.1, "learning_rate": 0.5, "trees": [tree, tree]}
    )
    assert np.allclose(trees.log_odds(x), [0.1 + 2.0, 0.1 - 1.0])


def test_committed_weights_load_and_match_the_feature_lists() -> None:
    data = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    scorer = default_scorer()
    for field in (NUMBER, DATE):
        assert tuple(data["fields"][field]["features"]) == FEATURES[field]
        assert scorer.models[field].features == FEATURES[field]
        row = np.zeros((1, len(FEATURES[field])))
        assert 0.0 <= scorer.models[field].probabilities(row)[0] <= 1.0
    assert data["trained_on"]
    data["fields"][NUMBER]["features"] = data["fields"][NUMBER]["features"][:-1]
    with pytest.raises(ScorerFormatError):
        load_scorer(data)


def test_number_beside_a_known_label_in_an_unusual_place() -> None:
    # Italian labels, the number printed at the foot of the page beside its label, an order
    # number and a phone at the head: no layout puts its number there.
    s = Sheet()
    s.text(40, 40, "Tel. 0461 998877")
    s.text(40, 54, "Ordine n. 77812")
    s.text(40, 120, "Descrizione")
    s.text(300, 120, "Quantità")
    s.text(400, 120, "Importo")
    s.text(40, 134, "Consulenza tecnica")
    s.text(300, 134, "3")
    s.text(400, 134, "300,00")
    s.text(300, 400, "Totale")
    s.text(400, 400, "366,00 €")
    s.text(40, 780, "Fattura n. 2024/FE/0931 del 14/03/2024")
    data = extract_pages(s.pages)
    assert data.invoice_number == "2024/FE/0931"
    assert data.issue_date == date(2024, 3, 14)


def test_due_date_is_not_taken_for_the_issue_date() -> None:
    # The due date first and alone under its label; the issue date later, beside its own.
    s = Sheet()
    s.text(350, 40, "Date d'échéance")
    s.text(350, 54, "15/07/2024")
    s.text(40, 90, "Facture N° F-2024-3310")
    s.text(40, 104, "Date de facture : 15/06/2024")
    s.text(300, 400, "Total TTC")
    s.text(400, 400, "120,00 €")
    data = extract_pages(s.pages)
    assert data.issue_date == date(2024, 6, 15)
    assert data.invoice_number == "F-2024-3310"


def test_basic_iso_dates_are_candidates() -> None:
    s = Sheet()
    s.text(40, 40, "Date 20260815 Ref 12345678")  # eight digits, only the first a date
    values = [c.value for c in date_candidates(build_lines(s.pages))]
    assert values == [date(2026, 8, 15)]


def test_the_rules_reading_says_whether_the_series_belongs_to_the_id() -> None:
    s = Sheet()
    s.text(40, 40, "FT 2024/118")
    cands = number_candidates(build_lines(s.pages))
    single = next(i for i, c in enumerate(cands) if c.value == "2024/118")
    double = next(i for i, c in enumerate(cands) if c.value == "FT 2024/118")
    probs = np.zeros(len(cands))
    probs[single] = 0.9  # the scorer prefers the bare id ...
    probs[double] = 0.6
    cands[double].rule_score = 1.0  # ... the rules read it with its series
    no = [False] * len(cands)
    assert choose(probs, no, no, 0.05, rule_forms(cands)) == double
    assert choose(probs, no, no, 0.05) == single
    assert choose(probs, no, no, 0.95) is None  # nothing likely enough
