"""The generated set: files, ground-truth shape, coverage, arithmetic and valid tax ids."""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from stdnum.es import nif as es_nif
from stdnum.eu import vat as eu_vat

from facturas_assets.documents.model import InvoiceData, invoice_from_json, invoice_to_json
from facturas_dev.synth import HELD_OUT_LAYOUTS, LAYOUTS, GeneratedInvoice, catalog
from facturas_dev.synth.generator import plan

EXTRA_KEYS = {"category", "layout", "rendering", "language", "pages", "file", "tax_rate", "seed"}
MONEY = re.compile(r"^-?\d+\.\d{2}$")


def test_files_and_truths_side_by_side(generated: tuple[Path, list[GeneratedInvoice]]) -> None:
    out, results = generated
    truths = sorted(out.glob("*.truth.json"))
    files = sorted(p for p in out.iterdir() if not p.name.endswith(".truth.json"))
    assert len(results) == len(truths) == len(files) == 200
    for item in results:
        assert item.path.exists() and item.truth_path.exists()
        assert item.truth_path.name == item.path.name.split(".")[0] + ".truth.json"
        assert json.loads(item.truth_path.read_text(encoding="utf-8")) == item.truth
        assert item.truth["file"] == item.path.name


def test_coverage(generated: tuple[Path, list[GeneratedInvoice]]) -> None:
    _, results = generated
    truths = [r.truth for r in results]
    assert set(Counter(t["category"] for t in truths)) == {"preventiva", "correctiva"}
    assert len({t["layout"] for t in truths}) >= 10
    assert set(t["rendering"] for t in truths) == {"text-pdf", "scan-image", "scan-pdf"}
    assert {t["language"] for t in truths} >= {"es", "en", "pt", "fr", "it"}
    assert {t["tax_rate"] for t in truths} == {"21.00", "10.00", "0.00"}
    pages = Counter(t["pages"] for t in truths)
    assert set(pages) <= {1, 2, 3} and pages[1] and pages[2]
    by_layout = defaultdict(set)
    for t in truths:
        by_layout[t["layout"]].add(t["category"])
    assert all(cats == {"preventiva", "correctiva"} for cats in by_layout.values()), by_layout


def test_truth_has_the_model_shape(generated: tuple[Path, list[GeneratedInvoice]]) -> None:
    _, results = generated
    base_keys = set(invoice_to_json(InvoiceData()))
    for r in results:
        t = r.truth
        assert set(t) == base_keys | EXTRA_KEYS
        core = {k: v for k, v in t.items() if k in base_keys}
        assert invoice_to_json(invoice_from_json(core)) == core
        assert t["currency"] == "EUR"
        for key in ("net_total", "tax_total", "total"):
            assert MONEY.match(t[key]), (key, t[key])
        for line in t["lines"]:
            assert MONEY.match(line["amount"])
            assert line["unit_price"] is None or MONEY.match(line["unit_price"])
            assert line["description"] and "\n" not in line["description"]


def test_totals_arithmetic(generated: tuple[Path, list[GeneratedInvoice]]) -> None:
    _, results = generated
    cent = Decimal("0.01")
    for r in results:
        t = r.truth
        net, tax, total = Decimal(t["net_total"]), Decimal(t["tax_total"]), Decimal(t["total"])
        assert sum(Decimal(ln["amount"]) for ln in t["lines"]) == net
        rows = t["tax_breakdown"]  # several rates or a recargo: each rate taxed on its base
        if rows:
            assert sum(Decimal(r["base"]) for r in rows) == net
            assert sum(Decimal(r["tax"]) for r in rows) == tax
            for r in rows:
                share = Decimal(r["base"]) * Decimal(r["rate"]) / 100
                assert share.quantize(cent, ROUND_HALF_UP) == Decimal(r["tax"])
        else:
            assert (net * Decimal(t["tax_rate"]) / 100).quantize(cent, ROUND_HALF_UP) == tax
        recargo = Decimal(t["recargo_total"] or 0)
        withheld = Decimal(t["withholding_total"] or 0).copy_sign(net)  # stated positive
        assert net + tax + recargo - withheld == total
        for ln in t["lines"]:
            amount = Decimal(ln["amount"])
            if ln["quantity"] is None:  # a global discount line (positive on a credit note)
                assert (amount < 0) == (net > 0)
                continue
            gross = (Decimal(ln["quantity"]) * Decimal(ln["unit_price"])).quantize(
                cent, ROUND_HALF_UP
            )
            # equal, or a line discount of at most 20 % (a credit note's lines are negated)
            assert abs(gross) * Decimal("0.8") - cent <= abs(amount) <= abs(gross)


def test_tax_ids_are_valid(generated: tuple[Path, list[GeneratedInvoice]]) -> None:
    _, results = generated
    seen = set()
    for r in results:
        for party in ("seller", "buyer"):
            tax_id = r.truth[party]["tax_id"]
            valid = eu_vat.is_valid(tax_id) if tax_id[:2].isalpha() else es_nif.is_valid(tax_id)
            assert valid, (r.path.name, party, tax_id)
            if tax_id[:2].isalpha():
                seen.add(tax_id[:2])
            else:
                seen.add("NIE" if tax_id[0] in "XYZ" else "DNI" if tax_id[0].isdigit() else "CIF")
    assert {"PT", "FR", "IT", "IE", "ES", "CIF", "DNI", "NIE"} <= seen


def _kind(description: str, language: str) -> str | None:
    for kind, pool in (
        ("corrective", catalog.CORRECTIVE),
        ("preventive", catalog.PREVENTIVE),
        ("worn", catalog.WORN),
    ):
        for template in pool[language]:
            if description.startswith(template.split("{")[0]):
                return kind
    return None


def test_category_follows_the_work_done(generated: tuple[Path, list[GeneratedInvoice]]) -> None:
    """correctiva iff a line repairs a failure; worn parts in planned visits stay preventiva."""
    _, results = generated
    mixes = Counter()
    for r in results:
        kinds = [_kind(ln["description"], r.truth["language"]) for ln in r.truth["lines"]]
        expected = "correctiva" if "corrective" in kinds else "preventiva"
        assert r.truth["category"] == expected, r.path.name
        assert "corrective" in kinds or "preventive" in kinds
        if expected == "preventiva" and "worn" in kinds:
            mixes["preventive-with-worn-part"] += 1
        if expected == "correctiva" and "preventive" in kinds:
            mixes["repair-with-scheduled-work"] += 1
    assert mixes["preventive-with-worn-part"] and mixes["repair-with-scheduled-work"]


def test_discounts_and_wrapped_descriptions_occur(
    generated: tuple[Path, list[GeneratedInvoice]],
) -> None:
    _, results = generated
    lines = [ln for r in results for ln in r.truth["lines"]]
    assert any(ln["quantity"] is None for ln in lines)  # global discount lines
    assert any(len(ln["description"]) > 90 for ln in lines)  # wrap onto several printed lines


def test_plan_holds_layouts_out() -> None:
    assert (
        len(LAYOUTS) >= 12 and len(HELD_OUT_LAYOUTS) == 3 and set(HELD_OUT_LAYOUTS) <= set(LAYOUTS)
    )
    jobs = plan(300, seed=1, exclude_layouts=HELD_OUT_LAYOUTS)
    assert not {j.layout for j in jobs} & set(HELD_OUT_LAYOUTS)
    assert {j.layout for j in jobs} == set(LAYOUTS) - set(HELD_OUT_LAYOUTS)
    only = plan(
        10, seed=1, layouts=HELD_OUT_LAYOUTS, categories=["correctiva"], renderings=["scan-pdf"]
    )
    assert {j.layout for j in only} == set(HELD_OUT_LAYOUTS)
    assert {(j.category, j.rendering) for j in only} == {("correctiva", "scan-pdf")}


def test_plan_rejects_bad_input() -> None:
    import pytest

    with pytest.raises(ValueError, match="unknown layout"):
        plan(3, layouts=["no_such_layout"])
    with pytest.raises(ValueError, match="no layouts left"):
        plan(3, layouts=["valles_banner"], exclude_layouts=["valles_banner"])
    with pytest.raises(ValueError, match="unknown rendering"):
        plan(3, renderings=["fax"])
    with pytest.raises(ValueError, match="unknown category"):
        plan(3, categories=["mixta"])
