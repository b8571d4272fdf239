"""Augmentation of classifier training texts: seeded, label-keeping rewording and layout changes."""

from __future__ import annotations

import random
import re
from collections import Counter

import pytest

from facturas_assets.documents.classifier.augment import (
    boilerplate_lines,
    drop_boilerplate,
    line_key,
    mix_lines,
    shuffle_lines,
    substitute_synonyms,
    with_reworded_copies,
)
from facturas_assets.documents.classifier.vocabulary import GROUPS, word_index
from facturas_assets_tests.training.labelled_texts import labelled_texts

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)?")
INDEX = word_index()


def groups_in(text: str) -> list[str]:
    """The vocabulary group of each vocabulary word of a text, in order."""
    return [INDEX[w.lower()].name for w in _WORD.findall(text) if w.lower() in INDEX]


def test_every_group_covers_the_nine_languages_and_leans_one_way():
    leanings = {g.leaning for g in GROUPS}
    assert leanings == {"preventive", "corrective", "neutral"}
    for group in GROUPS:
        assert len(set(group.words)) >= 8, group.name
    assert not {g.name for g in GROUPS if g.leaning == "preventive"} & {
        g.name for g in GROUPS if g.leaning == "corrective"
    }


def test_synonyms_are_seeded_and_stay_in_their_group():
    text = "Reparación urgente tras avería del telar.\nRevisión periódica y lubricación programada"
    a = substitute_synonyms(text, random.Random(4), 1.0)
    assert a == substitute_synonyms(text, random.Random(4), 1.0)
    assert a != text
    assert groups_in(a) == groups_in(text)  # each cue swapped for one of the same meaning
    assert substitute_synonyms(text, random.Random(4), 0.0) == text
    with pytest.raises(ValueError, match="substitution rate"):
        substitute_synonyms(text, random.Random(4), 1.5)


def test_synonyms_keep_capitals():
    out = substitute_synonyms("REPARACIÓN Reparación reparación", random.Random(0), 1.0)
    first, second, third = out.split()
    assert first.isupper() and second[0].isupper() and second[1:].islower() and third.islower()


def test_shuffled_lines_are_the_same_lines():
    text = "\n".join(f"line {i}" for i in range(20))
    out = shuffle_lines(text, random.Random(2))
    assert out != text and sorted(out.split("\n")) == sorted(text.split("\n"))
    assert out == shuffle_lines(text, random.Random(2))


def test_boilerplate_is_what_both_classes_share():
    texts = [
        "FACTURA 001\nPago a 30 días\nReparación de avería",
        "FACTURA 002\nPago a 30 días\nReparación urgente",
        "FACTURA 003\nPago a 30 días\nSustitución de motor roto",
        "FACTURA 004\nPago a 30 días\nRevisión periódica",
        "FACTURA 005\nPago a 30 días\nRevisión periódica",
        "FACTURA 006\nPago a 30 días\nLubricación programada\nRevisión periódica",
    ]
    labels = ["correctiva"] * 3 + ["preventiva"] * 3
    furniture = boilerplate_lines(texts, labels)
    # "Revisión periódica" is in 3 preventive invoices but no corrective one: content, not furniture.
    assert furniture == {line_key("FACTURA 000"), line_key("Pago a 30 días")}
    assert drop_boilerplate(texts[0], random.Random(0), furniture) == "Reparación de avería"
    assert boilerplate_lines(texts[:3], labels[:3]) == frozenset()


def test_reworded_copies_are_seeded_and_keep_labels():
    texts, labels = labelled_texts(40, seed=3)
    x, y = with_reworded_copies(texts, labels, 2, seed=5)
    assert x[:40] == texts and y == labels * 3
    assert (x, y) == with_reworded_copies(texts, labels, 2, seed=5)
    assert x != with_reworded_copies(texts, labels, 2, seed=6)[0]
    changed = sum(a != b for a, b in zip(x[40:80], texts, strict=True))
    assert changed >= 35
    mixed = 0
    for copy, original, label in zip(x[40:], texts * 2, labels * 2, strict=True):
        # Without OCR noise, rewording and line moves keep every cue's meaning; corrective copies
        # may gain lines of preventive invoices, never lose a cue.
        kept, before = Counter(groups_in(copy)), Counter(groups_in(original))
        if label == "preventiva":
            assert kept == before
        else:
            assert kept >= before
            mixed += kept != before
    assert mixed >= 10
    with pytest.raises(ValueError, match="copies"):
        with_reworded_copies(texts, labels, -1, seed=5)


def test_mixed_lines_come_from_the_donor_and_keep_the_text():
    text = "FACTURA 1\nReparación de avería del motor\nTotal 100"
    donor = "FACTURA 2\nRevisión periódica del telar\nLubricación programada\nTotal 200"
    furniture = frozenset({line_key("FACTURA 0"), line_key("Total 0")})
    out = mix_lines(text, random.Random(1), donor, furniture)
    assert out == mix_lines(text, random.Random(1), donor, furniture)
    added = Counter(out.split("\n")) - Counter(text.split("\n"))
    assert added and set(added) <= {"Revisión periódica del telar", "Lubricación programada"}
    assert not Counter(text.split("\n")) - Counter(out.split("\n"))
    assert mix_lines(text, random.Random(1), "FACTURA 3\nTotal 5", furniture) == text
