"""The second look at an unsure party name: a candidate the confidence model trusts clearly more
takes its place; a sure name, the other party's name and a street never do."""

from __future__ import annotations

import pytest

from facturas_assets.documents.extraction import extract_pages, party_second_look
from facturas_assets.documents.extraction.party_blocks import Block
from facturas_assets.documents.extraction.party_names import NameReading
from facturas_assets.documents.extraction.party_second_look import (
    SURE,
    UNSURE,
    Pick,
    second_look,
)
from facturas_assets.documents.model import Word
from facturas_assets_tests.documents.test_extraction import Sheet


def _block(source: str) -> Block:
    return Block("seller", 0, 0.0, 100.0, 0.5, [], source)


def _look(current: Pick | None, named: dict[str, tuple[str, float]], other: str | None = None):
    """second_look over candidate blocks named {source: (name, model confidence)}."""
    blocks = [_block(source) for source in named]

    def read(block: Block) -> NameReading:
        return NameReading(named[block.source][0], [], 0, False)

    def judge(block: Block, reading: NameReading) -> float:
        return named[block.source][1]

    return second_look(current, lambda: blocks, read, judge, other)


def _current(name: str, confidence: float) -> Pick:
    return Pick(_block("letterhead"), NameReading(name, [], 0, False), confidence)


def test_a_sure_name_is_kept_and_no_candidate_is_read() -> None:
    current = _current("Talleres Ebro, S.L.", UNSURE)

    def never() -> list[Block]:
        raise AssertionError("candidates read for a sure name")

    assert second_look(current, never, lambda b: None, lambda b, r: 1.0, None) is current


def test_an_unsure_name_gives_way_to_a_clearly_trusted_one() -> None:
    current = _current("TEB", 0.1)
    found = _look(current, {"footer": ("Talleres Ebro, S.L.", 0.9), "address": ("Otra", 0.8)})
    assert found is not None and found.reading.text == "Talleres Ebro, S.L."
    assert found.confidence == 0.9


@pytest.mark.parametrize(
    ("name", "confidence", "other"),
    [
        ("Talleres Ebro, S.L.", SURE - 0.01, None),  # not trusted enough
        ("Tintes del Sur, S.L.", 0.95, "Tintes del Sur, S.L."),  # the other party's name
        ("Hintere Zollamtsstraße", 0.95, None),  # a street
        ("Calle Mayor", 0.95, None),
    ],
)
def test_candidates_that_never_replace_an_unsure_name(name: str, confidence: float, other) -> None:
    current = _current("TEB", 0.1)
    assert _look(current, {"footer": (name, confidence)}, other) is current


def test_the_most_trusted_candidate_wins() -> None:
    current = _current("TEB", 0.1)
    named = {"footer": ("Talleres Ebro", SURE), "address": ("Talleres Ebro, S.L.", 0.95)}
    assert _look(current, named).reading.text == "Talleres Ebro, S.L."


def test_a_missing_name_is_found_among_the_candidates() -> None:
    found = _look(None, {"footer": ("Talleres Ebro, S.L.", SURE)})
    assert found is not None and found.reading.text == "Talleres Ebro, S.L."
    assert _look(None, {"footer": ("Talleres Ebro, S.L.", SURE - 0.1)}) is None


def test_a_label_read_as_a_name_gives_way_or_leaves_no_name() -> None:
    # "Rechnungsempfänger" with its umlaut and last letter lost: a heading, not the buyer.
    misread = _current("RECHNUNGSEMPFANGE", 0.95)
    found = _look(misread, {"address": ("Tintes del Sur, S.L.", SURE)})
    assert found is not None and found.reading.text == "Tintes del Sur, S.L."
    assert _look(misread, {"address": ("Tintes del Sur, S.L.", SURE - 0.1)}) is None
    # ... and a label is never a candidate either.
    assert _look(_current("TEB", 0.1), {"label": ("Destinatarlo", 0.99)}).reading.text == "TEB"


def test_a_scanned_legal_name_over_a_brand_set_large_is_found_next_to_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def sheet() -> Sheet:
        s = Sheet()
        s.text(40, 30, "Jordi Puig Serra", 9, conf=0.95)
        s.text(40, 44, "Makserv", 26, conf=0.95)  # the brand, set large
        s.text(40, 80, "Rúa de Urzaiz 8", 9, conf=0.95)
        s.text(40, 92, "36214 Vigo (Pontevedra)", 9, conf=0.95)
        s.text(40, 104, "Tfno. 960 820 459 - billing@jordipuigserra.es", 9, conf=0.95)
        s.text(330, 40, "Factura nº: 2025-0117", conf=0.95)
        s.text(330, 54, "Fecha: 24/07/2025", conf=0.95)
        rows = ["Cliente", "Tejidos del Sur, S.L.", "Pol. Ind. Norte 4", "NIF: A58818501"]
        s.block(300, 130, rows)
        s.totals([("Base imponible", "100,00"), ("IVA 21 %", "21,00"), ("Total", "121,00 €")])
        return s

    assert extract_pages(sheet().pages, ocr=True).seller.name == "Jordi Puig Serra"
    monkeypatch.setattr(party_second_look, "NEIGHBOURS", 0)
    assert extract_pages(sheet().pages, ocr=True).seller.name != "Jordi Puig Serra"


def test_a_brand_ocr_read_larger_before_the_name_is_judged_without_it() -> None:
    """OCR'd "Indline  Trame Service SAS", the brand's box larger than every other word's: the
    name without it is judged too, and the model's preference stands; a first word no larger
    than the rest is never cut."""

    def ocr(texts: list[tuple[str, float]]) -> list[Word]:
        words, x = [], 40.0
        for text, height in texts:
            words.append(Word(text, x, 42 - height, x + 7 * len(text), 42, 0, 0.95))
            x += 7 * len(text) + 5
        return words

    def look(words: list[Word], judged: dict[str, float]) -> str | None:
        block = Block("seller", 0, words[0].x0, words[-1].x1, 0.7, [(0, words)], "letterhead")

        def read(b: Block) -> NameReading:
            ws = b.runs[0][1]
            return NameReading(" ".join(w.text for w in ws), ws, 0, False)

        def judge(b: Block, reading: NameReading) -> float:
            return judged[reading.text]

        current = Pick(block, read(block), judged[read(block).text])
        found = second_look(current, list, read, judge, None)
        return None if found is None else found.reading.text

    brand = ocr([("Indline", 16), ("Trame", 12), ("Service", 12), ("SAS", 12)])
    assert look(brand, {"Indline Trame Service SAS": 0.6, "Trame Service SAS": 0.9}) == (
        "Trame Service SAS"
    )
    assert look(brand, {"Indline Trame Service SAS": 0.9, "Trame Service SAS": 0.8}) == (
        "Indline Trame Service SAS"
    )
    level = ocr([("Cooperativa", 12), ("Trame", 12), ("Service", 12), ("SAS", 12)])
    judged = {"Cooperativa Trame Service SAS": 0.6, "Trame Service SAS": 0.9}
    assert look(level, judged) == "Cooperativa Trame Service SAS"
