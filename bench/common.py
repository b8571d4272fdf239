"""Shared helpers of the benchmarks: cached generated invoices, peak memory, tables and results."""

from __future__ import annotations

import json
import sys
import threading
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psutil
from tabulate import tabulate

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
CACHE_DIR = BENCH_DIR / ".cache"  # git-ignored
RESULTS_DIR = BENCH_DIR / "results"  # git-ignored

if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


def generated_files(rendering: str, n: int, seed: int) -> list[Path]:
    """The first n invoices of one rendering and seed, generated once into bench/.cache/invoices.

    The generator's plan is prefix-stable for one rendering (invoice i is the same whatever n
    is), so a larger request regenerates the folder and the smaller sets stay valid.
    """
    from facturas_dev.synth import generate

    folder = CACHE_DIR / "invoices" / f"{rendering}-seed{seed}"
    marker = folder / ".count"
    have = int(marker.read_text()) if marker.exists() else 0
    if have < n:
        started = time.monotonic()
        print(f"generating {n} {rendering} invoices into {folder} (cached for later runs)")
        generate(n, folder, seed=seed, renderings=[rendering], progress=True)
        marker.write_text(str(n))
        print(f"  {n} {rendering} in {time.monotonic() - started:.1f} s")
    files = sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and not p.name.startswith(".") and not p.name.endswith(".truth.json")
    )
    return files[:n]


def generated_set(folder: Path, kind: str, n: int, seed: int, layouts: list[str]) -> list[Path]:
    """Generated files of one kind ('text' or 'scan') from `layouts` in `folder`, made once."""
    from facturas_dev.synth import generate

    renderings = ["text-pdf"] if kind == "text" else ["scan-image", "scan-pdf"]
    if not (folder / "done").exists():
        generate(n, folder, seed=seed, layouts=layouts, renderings=renderings)
        (folder / "done").write_text("ok")
    suffixes = {".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff"}
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in suffixes)


def table(rows: Sequence[Sequence[Any]], headers: Sequence[str]) -> str:
    """A plain-text table with right-aligned numbers."""
    return tabulate(rows, headers=headers, tablefmt="simple", floatfmt=",.3f", intfmt=",")


def write_results(name: str, data: dict[str, Any]) -> Path:
    """Results as JSON in bench/results/<name>-<UTC time>.json (and <name>-latest.json)."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    body = json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n"
    path = RESULTS_DIR / f"{name}-{stamp}.json"
    path.write_text(body, encoding="utf-8")
    (RESULTS_DIR / f"{name}-latest.json").write_text(body, encoding="utf-8")
    return path


class TreeMemorySampler:
    """Samples the resident memory of a process and all its descendants on a thread.

    `peak_total` is the highest sum of RSS over the tree seen at one instant (an upper bound:
    pages shared by forked workers count once per process); `peak_single` the largest process.
    """

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        self.pid = pid
        self.interval = interval
        self.peak_total = 0
        self.peak_single = 0
        self.peak_processes = 0
        self.samples = 0
        self.per_process: dict[int, tuple[str, int]] = {}  # pid -> (command, peak RSS)
        self.timeline: list[tuple[float, int]] = []  # (seconds since start, tree RSS)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeMemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def top(self, n: int = 6) -> list[tuple[int, str, float]]:
        """The n processes with the highest peak RSS: (pid, command, MiB)."""
        ranked = sorted(self.per_process.items(), key=lambda kv: -kv[1][1])[:n]
        return [(pid, name, mib(peak)) for pid, (name, peak) in ranked]

    def _run(self) -> None:
        started = time.monotonic()
        try:
            root = psutil.Process(self.pid)
        except psutil.NoSuchProcess:
            return
        while not self._stop.is_set():
            try:
                procs = [root, *root.children(recursive=True)]
            except psutil.NoSuchProcess:
                return
            sizes = []
            for proc in procs:
                try:
                    rss = proc.memory_info().rss
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    continue
                sizes.append(rss)
                name, peak = self.per_process.get(proc.pid, (None, 0))
                if name is None:
                    try:
                        name = " ".join(proc.cmdline())[:120]
                    except (psutil.NoSuchProcess, psutil.AccessDenied):
                        name = "?"
                self.per_process[proc.pid] = (name, max(peak, rss))
            if sizes:
                self.samples += 1
                self.timeline.append((time.monotonic() - started, sum(sizes)))
                self.peak_total = max(self.peak_total, sum(sizes))
                self.peak_single = max(self.peak_single, max(sizes))
                self.peak_processes = max(self.peak_processes, len(sizes))
            self._stop.wait(self.interval)


def mib(n_bytes: float) -> float:
    """Bytes as MiB."""
    return n_bytes / (1024 * 1024)


def logistic_spec(
    x: Any, y: Any, c: float, max_iter: int, sample_weight: Any = None
) -> dict[str, Any]:
    """A logistic regression fitted on standardised features, as the learned scorers' JSON
    spec (standardisation, coefficients, intercept; evaluated in numpy by
    facturas_assets.documents.extraction.scorer.FieldModel)."""
    from sklearn.linear_model import LogisticRegression

    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    lr = LogisticRegression(C=c, max_iter=max_iter)
    lr.fit((x - mean) / scale, y, sample_weight=sample_weight)
    return {
        "type": "logistic",
        "mean": mean.round(6).tolist(),
        "scale": scale.round(6).tolist(),
        "coef": lr.coef_[0].round(6).tolist(),
        "intercept": round(float(lr.intercept_[0]), 6),
    }
