"""The legal mentions generated issuers print: each country's own shape, drawn at random."""

from __future__ import annotations

import random

from facturas_dev.synth.legal_mentions import atcud, legal_line
from facturas_dev.synth.random_issuers import random_issuer

_SHAPES = {
    ("ES", "es"): ("Registro Mercantil", "R.M."),
    ("ES", "ca"): ("Registre Mercantil", "R.M."),
    ("PT", "pt"): ("C.R.C.", "programa certificado"),
    ("FR", "fr"): ("RCS",),
    ("IT", "it"): ("R.E.A.",),
    ("DE", "de"): ("HRB",),
    ("IE", "en"): ("No.",),
}


def test_each_country_prints_its_own_registry_mention() -> None:
    for (country, wording), marks in _SHAPES.items():
        lines = {legal_line(random.Random(seed), country, wording) for seed in range(30)}
        assert len(lines) == 30, "drawn afresh for every issuer"
        assert all(any(mark in line for mark in marks) for line in lines), (country, lines)


def test_an_issuer_prints_its_name_then_its_mention() -> None:
    for wording in ("es", "pt", "fr", "it", "de", "en"):
        issuers = [random_issuer(random.Random(seed), wording) for seed in range(40)]
        printed = [i for i in issuers if i.registry]
        assert printed, wording
        assert all(i.registry.startswith(f"{i.name} · ") for i in printed)


def test_atcud_ends_with_the_documents_sequential_number() -> None:
    code = atcud(random.Random(3), "FT 2025/0042")
    series, _, sequence = code.partition("-")
    assert len(series) == 8 and series.isalnum() and sequence == "42"
