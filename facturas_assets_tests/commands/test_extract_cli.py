"""`facturas extract` / `classify`: the JSON-lines contract other tools read."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from facturas_assets.synth import generate

FACTURAS = str(Path(sys.executable).with_name("facturas"))
KEYS = {
    "source", "sha256", "status", "reason", "method", "invoice_number", "issue_date", "currency",
    "net_total", "tax_total", "total", "seller", "buyer", "lines", "category",
    "category_confidence", "warnings",
}  # fmt: skip


def _run(*args: str, env_home: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [FACTURAS, *args],
        capture_output=True,
        text=True,
        timeout=600,
        env={"PATH": "/usr/bin:/bin", "FACTURAS_HOME": str(env_home), "OMP_THREAD_LIMIT": "1"},
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
