"""Same seed, same files: across runs, worker counts and the render() API."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from facturas_dev.synth import generate, make_invoice, render


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_same_seed_same_text_pdfs_and_truths(tmp_path: Path) -> None:
    a = generate(40, tmp_path / "a", seed=99, renderings=["text-pdf"], workers=1)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)  # a live thread makes the pool spawn, not fork
    other.start()
    try:
        b = generate(40, tmp_path / "b", seed=99, renderings=["text-pdf"], workers=2)
    finally:
        stop.set()
        other.join()
    assert [x.truth for x in a] == [y.truth for y in b]
    assert _snapshot(tmp_path / "a") == _snapshot(tmp_path / "b")
    c = generate(40, tmp_path / "c", seed=100, renderings=["text-pdf"], workers=1)
    assert [x.truth for x in a] != [z.truth for z in c]


def test_same_seed_same_scans(tmp_path: Path) -> None:
    kinds = {"scan-image": 1.0, "scan-pdf": 1.0}
    generate(2, tmp_path / "a", seed=7, renderings=kinds, layouts=["petrov_minimal"])
    generate(2, tmp_path / "b", seed=7, renderings=kinds, layouts=["petrov_minimal"])
    assert _snapshot(tmp_path / "a") == _snapshot(tmp_path / "b")


def test_make_invoice_and_render_agree_with_generate(tmp_path: Path) -> None:
    item = generate(1, tmp_path, seed=3, renderings=["text-pdf"])[0]
    truth = make_invoice(
        item.truth["seed"], item.truth["layout"], item.truth["category"], stem="inv-000001"
    )
    assert truth == item.truth
    assert render(truth) == item.path.read_bytes()
    tampered = dict(truth, total="1.00")
    with pytest.raises(ValueError, match="does not match"):
        render(tampered)
