"""Field labels OCR misread by a letter, told from names."""

from __future__ import annotations

import pytest

from facturas_assets.documents.extraction.near_label import near_label


@pytest.mark.parametrize(
    "text",
    [
        "Destinatario",  # the label itself
        "RECHNUNGSEMPFANGE",  # a letter lost
        "Destinatarlo",  # a letter changed
        "Datos del cliente:",
        "Kundennummerr",  # a letter added
    ],
)
def test_labels_and_labels_a_letter_away(text: str) -> None:
    assert near_label(text)


@pytest.mark.parametrize(
    "text",
    [
        "Tintes del Sur, S.L.",
        "Jordi Puig Serra",
        "Cooperativa Textil de Baza",
        "Webtechnik GmbH",
        "Kunde",  # too short to tell: a letter from too many words
        "",
    ],
)
def test_names_are_no_labels(text: str) -> None:
    assert not near_label(text)
