"""Generate invoice files with exact ground truth beside each one (`<stem>.truth.json`)."""

from __future__ import annotations

import hashlib
import json
import os
import random
import sys
import threading
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_all_start_methods, get_context
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import Any

from facturas_dev.synth.content import CATEGORIES, SynthInvoice, build_invoice, trim_last_line
from facturas_dev.synth.excluded_content import vary
from facturas_dev.synth.excluded_layouts import ExcludedLayout
from facturas_dev.synth.layouts import Layout, layout_named, resolve_layouts
from facturas_dev.synth.pdf import render_text_pdf
from facturas_dev.synth.scan import (
    encode_image,
    image_extension,
    image_only_pdf,
    scan_pages,
    scan_params,
)

RENDERINGS = ("text-pdf", "scan-image", "scan-pdf")
DEFAULT_RENDERING_WEIGHTS: Mapping[str, float] = {
    "text-pdf": 0.5,
    "scan-image": 0.25,
    "scan-pdf": 0.25,
}
MAX_PAGES = 3
PARALLEL_FROM = 40  # below this many invoices a process pool costs more than it saves


@dataclass(frozen=True, slots=True)
class GeneratedInvoice:
    """One generated file, its ground-truth file and the ground truth itself."""

    path: Path
    truth_path: Path
    truth: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Job:
    """What to generate at one index."""

    index: int
    seed: int
    layout: str
    category: str
    rendering: str


def invoice_seed(seed: int, index: int) -> int:
    """The per-invoice seed (48 bits) of invoice `index` in a run with `seed`."""
    digest = hashlib.sha256(f"facturas-synth:{seed}:{index}".encode()).digest()
    return int.from_bytes(digest[:6], "big")


def _layout(layout: str | Layout) -> Layout:
    return layout if isinstance(layout, Layout) else layout_named(layout)


def _check_rendering(rendering: str) -> None:
    if rendering not in RENDERINGS:
        raise ValueError(f"unknown rendering {rendering!r} (use one of {', '.join(RENDERINGS)})")


def build(
    seed: int, layout: str | Layout, category: str | None = None
) -> tuple[SynthInvoice, bytes, int]:
    """The invoice of `seed` with its digital PDF and page count (long invoices trimmed to 3 pages)."""
    lay = _layout(layout)
    inv = build_invoice(seed, lay, category)
    if isinstance(lay, ExcludedLayout):
        inv = vary(inv, lay)
    pdf, pages = render_text_pdf(inv, lay)
    while pages > MAX_PAGES:
        if not trim_last_line(inv):
            raise RuntimeError(f"invoice seed {seed} does not fit in {MAX_PAGES} pages")
        pdf, pages = render_text_pdf(inv, lay)
    return inv, pdf, pages


def file_suffix(inv: SynthInvoice, rendering: str, pages: int) -> str:
    """The extension of the rendered file: .pdf, or .png/.jpg/.tif for scan images."""
    _check_rendering(rendering)
    if rendering == "scan-image":
        return image_extension(scan_params(inv.seed, pages, inv.language))
    return ".pdf"


def render_bytes(inv: SynthInvoice, pdf: bytes, pages: int, rendering: str) -> bytes:
    """The file of `inv` in `rendering`: its digital PDF as is, or a scan of it."""
    if rendering == "text-pdf":
        return pdf
    params = scan_params(inv.seed, pages, inv.language)
    images = scan_pages(pdf, params, inv.seed, inv.issue_date)
    return (
        encode_image(images, params)
        if rendering == "scan-image"
        else image_only_pdf(images, params)
    )


def make_invoice(
    seed_or_rng: int | random.Random,
    layout: str | Layout,
    category: str | None = None,
    rendering: str = "text-pdf",
    stem: str | None = None,
) -> dict[str, Any]:
    """Ground truth of one invoice (no file written); `render(truth)` draws it."""
    _check_rendering(rendering)
    seed = (
        seed_or_rng.getrandbits(48) if isinstance(seed_or_rng, random.Random) else int(seed_or_rng)
    )
    inv, _, pages = build(seed, layout, category)
    name = (stem or f"inv-{seed}") + file_suffix(inv, rendering, pages)
    return inv.truth(rendering, pages, name)


def render(truth: Mapping[str, Any], rendering: str | None = None) -> bytes:
    """The file bytes of the invoice described by `truth` (its own rendering unless given)."""
    rendering = rendering or truth["rendering"]
    _check_rendering(rendering)
    inv, pdf, pages = build(int(truth["seed"]), truth["layout"], truth["category"])
    rebuilt = inv.truth(truth["rendering"], pages, truth["file"])
    if rebuilt != dict(truth):
        raise ValueError(
            f"truth of {truth.get('file')!r} does not match what seed {truth['seed']} generates"
        )
    return render_bytes(inv, pdf, pages, rendering)


def _weights(renderings: Sequence[str] | Mapping[str, float] | None) -> dict[str, float]:
    if renderings is None:
        weights = dict(DEFAULT_RENDERING_WEIGHTS)
    elif isinstance(renderings, Mapping):
        weights = {k: float(v) for k, v in renderings.items()}
    else:
        weights = {r: 1.0 for r in renderings}
    for name, weight in weights.items():
        _check_rendering(name)
        if weight < 0:
            raise ValueError(f"rendering weight of {name} is negative")
    weights = {k: v for k, v in weights.items() if v > 0}
    if not weights:
        raise ValueError("no rendering selected")
    return weights


def _quotas(n: int, weights: dict[str, float]) -> list[str]:
    """Exactly n labels split by weight (largest remainder), so small runs still cover every one."""
    total = sum(weights.values())
    exact = {k: n * w / total for k, w in weights.items()}
    counts = {k: int(v) for k, v in exact.items()}
    for k in sorted(exact, key=lambda k: (counts[k] - exact[k], list(weights).index(k)))[
        : n - sum(counts.values())
    ]:
        counts[k] += 1
    return [k for k in weights for _ in range(counts[k])]


def plan(
    n: int,
    seed: int = 0,
    layouts: Sequence[str] | None = None,
    exclude_layouts: Sequence[str] = (),
    renderings: Sequence[str] | Mapping[str, float] | None = None,
    categories: Sequence[str] | None = None,
) -> list[Job]:
    """The jobs of a run: layouts in shuffled cycles, balanced categories, renderings by quota."""
    if n < 0:
        raise ValueError("n must be >= 0")
    names = resolve_layouts(layouts, exclude_layouts)
    cats = list(CATEGORIES if categories is None else categories)
    for cat in cats:
        if cat not in CATEGORIES:
            raise ValueError(f"unknown category {cat!r} (use one of {', '.join(CATEGORIES)})")
    if not cats:
        raise ValueError("no category selected")
    rng = random.Random(f"facturas-plan:{seed}")

    def cycled(items: list[str]) -> Iterator[str]:
        """The items over and over, reshuffled every round."""
        while True:
            batch = list(items)
            rng.shuffle(batch)
            yield from batch

    layout_seq, cat_seq = cycled(names), cycled(cats)
    chosen = [(next(layout_seq), next(cat_seq)) for _ in range(n)]
    rendering_seq = _quotas(n, _weights(renderings))
    rng.shuffle(rendering_seq)
    return [
        Job(i + 1, invoice_seed(seed, i + 1), lay, cat, rendering_seq[i])
        for i, (lay, cat) in enumerate(chosen)
    ]


def produce(job: Job, out: Path) -> GeneratedInvoice:
    """Build, render and write one job's file and ground truth."""
    inv, pdf, pages = build(job.seed, job.layout, job.category)
    stem = f"inv-{job.index:06d}"
    path = out / (stem + file_suffix(inv, job.rendering, pages))
    truth = inv.truth(job.rendering, pages, path.name)
    path.write_bytes(render_bytes(inv, pdf, pages, job.rendering))
    truth_path = out / f"{stem}.truth.json"
    truth_path.write_text(json.dumps(truth, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return GeneratedInvoice(path, truth_path, truth)


def _pool_context() -> BaseContext:
    """fork when this process runs no other thread (fast, no re-import), else spawn (thread-safe)."""
    if threading.active_count() == 1 and "fork" in get_all_start_methods():
        return get_context("fork")
    return get_context("spawn")


def _produce_args(args: tuple[Job, Path]) -> GeneratedInvoice:
    return produce(*args)


def generate(
    n: int,
    out: Path,
    seed: int = 0,
    layouts: Sequence[str] | None = None,
    exclude_layouts: Sequence[str] = (),
    renderings: Sequence[str] | Mapping[str, float] | None = None,
    categories: Sequence[str] | None = None,
    workers: int | None = None,
    progress: bool = False,
) -> list[GeneratedInvoice]:
    """Write n invoices and their ground truth into `out`; the same seed gives the same files."""
    jobs = plan(n, seed, layouts, exclude_layouts, renderings, categories)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    if workers is None:
        workers = 1 if n < PARALLEL_FROM else min(2, os.cpu_count() or 1)
    if workers < 1:
        raise ValueError("workers must be >= 1")
    results: list[GeneratedInvoice] = []
    step = max(1, n // 20)

    def report(done: int) -> None:
        """Progress on stderr, about twenty updates per run."""
        if progress and (done % step == 0 or done == n):
            sys.stderr.write(f"\rgenerated {done}/{n}")
            if done == n:
                sys.stderr.write("\n")
            sys.stderr.flush()

    if workers == 1 or n <= 1:
        for job in jobs:
            results.append(produce(job, out))
            report(len(results))
        return results
    chunk = max(1, min(16, n // (workers * 6)))
    with ProcessPoolExecutor(max_workers=workers, mp_context=_pool_context()) as pool:
        for item in pool.map(_produce_args, [(job, out) for job in jobs], chunksize=chunk):
            results.append(item)
            report(len(results))
    return results
