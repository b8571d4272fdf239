"""`facturas extract` / `classify`: the JSON-lines contract other tools read."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from facturas_assets_tests.documents.odd_pdfs import text_pdf, words_pdf
from facturas_assets_tests.documents.test_odd_text import CREDIT_NOTE, priced_table
from facturas_dev.synth import generate

FACTURAS = str(Path(sys.executable).with_name("facturas"))
KEYS = {
    "source", "sha256", "status", "reason", "method", "invoice_number", "issue_date", "currency",
    "net_total", "tax_total", "total", "seller", "buyer", "lines", "category",
    "category_confidence", "warnings",
    # the Spanish invoice's, added beside the keys above (which are unchanged)
    "withholding_rate", "withholding_total", "recargo_total", "tax_breakdown",
}  # fmt: skip


def _run(*args: str, env_home: Path, **env: str) -> subprocess.CompletedProcess:
    base = {"PATH": "/usr/bin:/bin", "FACTURAS_HOME": str(env_home), "OMP_THREAD_LIMIT": "1"}
    if "PYTHONPATH" in os.environ:  # the checkout under test, when it is not the installed one
        base["PYTHONPATH"] = os.environ["PYTHONPATH"]
    return subprocess.run(
        [FACTURAS, *args],
        capture_output=True,
        text=True,
        timeout=600,
        env=base | env,
    )


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    generate(3, docs, seed=5, renderings=["text-pdf"])
    (docs / "vacia.pdf").write_bytes(b"")
    (docs / "notas.txt").write_text("not an invoice type: skipped when walking folders")
    return docs


def test_extract_prints_one_object_per_document(folder: Path, tmp_path: Path):
    done = _run("extract", str(folder), "--format", "jsonl", env_home=tmp_path / "home")
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(records) == 4  # three invoices and the empty file; .txt and .json skipped
    for record in records:
        assert set(record) == KEYS
    by_name = {Path(r["source"]).name: r for r in records}
    empty = by_name.pop("vacia.pdf")
    assert empty["status"] == "quarantined" and empty["reason"].startswith("empty_file")
    for name, record in by_name.items():
        truth = json.loads((folder / name.replace(".pdf", ".truth.json")).read_text())
        assert record["method"] == "text"
        assert record["total"] == truth["total"]
        assert record["issue_date"] == truth["issue_date"]
        assert record["category"] is None  # no model in this environment: said in warnings
        assert any(w.startswith("no_model") for w in record["warnings"])


def test_a_named_unsupported_file_is_quarantined_not_an_error(folder: Path, tmp_path: Path):
    done = _run("classify", str(folder / "notas.txt"), env_home=tmp_path / "home")
    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout)
    assert record["status"] == "quarantined" and record["reason"].startswith("unsupported_type")


def test_usage_errors_exit_non_zero(tmp_path: Path):
    assert _run("extract", str(tmp_path / "missing.pdf"), env_home=tmp_path).returncode == 2
    assert _run("extract", env_home=tmp_path).returncode == 2
    missing = str(tmp_path / "missing.txt")
    assert (
        _run("extract", str(tmp_path), "--vocabulary", missing, env_home=tmp_path).returncode == 2
    )


def test_text_readings_are_never_mended_by_a_vocabulary(folder: Path, tmp_path: Path):
    words = tmp_path / "descripciones.txt"
    words.write_text("Revisión\nSustitución del rodamiento\n", encoding="utf-8")
    plain = _run("extract", str(folder), env_home=tmp_path / "a")
    taught = _run("extract", str(folder), "--vocabulary", str(words), env_home=tmp_path / "b")
    assert taught.returncode == 0, taught.stderr
    assert taught.stdout == plain.stdout


def test_configuration_errors_are_one_clear_line(tmp_path: Path):
    done = subprocess.run(
        [FACTURAS, "db", "current"],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "FACTURAS_ENV": "staging", "FACTURAS_HOME": str(tmp_path)},
    )
    assert done.returncode == 1
    assert "configuration error: FACTURAS_ENV='staging'" in done.stderr
    assert "Traceback" not in done.stderr


def test_documents_that_crashed_the_command_each_get_their_line(folder: Path, tmp_path: Path):
    (folder / "abono.pdf").write_bytes(text_pdf(CREDIT_NOTE, {"X": "D800"}))  # lone surrogate
    (folder / "sin-importe.pdf").write_bytes(words_pdf(priced_table().pages))
    odd_name = os.fsencode(folder) + b"/factura-\xff\xfe.pdf"  # not UTF-8
    with open(odd_name, "wb") as fh:
        fh.write((folder / "sin-importe.pdf").read_bytes())
    done = _run("extract", str(folder), env_home=tmp_path / "home")
    assert done.returncode == 0, done.stderr
    records = {Path(r["source"]).name: r for r in map(json.loads, done.stdout.splitlines())}
    assert len(records) == 7  # three invoices, the empty file and the three above
    assert "factura-\\xff\\xfe.pdf" in records  # the name's bytes, shown as escapes
    for record in records.values():
        assert set(record) == KEYS
        assert not (record["reason"] or "").startswith(("reader_error", "read_error"))
    assert records["sin-importe.pdf"]["status"] == "ok"
    assert len(records["sin-importe.pdf"]["lines"]) == 2


def test_documents_over_their_deadline_get_a_line_and_the_exit_status_says_so(
    folder: Path, tmp_path: Path
):
    invoices = [str(p) for p in sorted(folder.glob("*.pdf")) if p.stat().st_size]
    slow = {"FACTURAS_EXTRACTION_SECONDS": "1e-4"}  # no extraction finishes in 0.1 ms
    done = _run("extract", *invoices, env_home=tmp_path / "home", **slow)
    assert done.returncode == 3, done.stderr
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["source"] for r in records] == invoices  # every document still has its line
    for record in records:
        assert set(record) == KEYS
        assert record["status"] == "quarantined"
        assert record["reason"].startswith("resource_limit: extract: ResourceLimitExceeded")
    assert "3 document(s) failed" in done.stderr
