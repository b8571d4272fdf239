"""Benchmark of the synthetic invoice generator: invoices per second for text PDFs and for scans.

Run: .venv/bin/python bench/bench_generator.py [--n 200] [--scans 40]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a plain checkout too

from facturas_dev.synth import generate  # noqa: E402


def measure(n: int, renderings: list[str], workers: int) -> tuple[float, int]:
    """Seconds to generate n invoices and the bytes written."""
    with tempfile.TemporaryDirectory(prefix="bench-synth-") as tmp:
        started = time.perf_counter()
        results = generate(n, Path(tmp), seed=2024, renderings=renderings, workers=workers)
        elapsed = time.perf_counter() - started
        size = sum(r.path.stat().st_size for r in results)
    return elapsed, size


def main() -> None:
    """Print invoices/s per rendering and worker count."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=200, help="text PDFs per measurement")
    parser.add_argument("--scans", type=int, default=40, help="scans per measurement")
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    print(f"synthetic invoice generator, {cores} cores, load average {os.getloadavg()[0]:.2f}")
    cases = [
        ("text-pdf", args.n, 1),
        ("text-pdf", args.n, 2),
        ("scan-image", args.scans, 2),
        ("scan-pdf", args.scans, 2),
    ]
    for rendering, n, workers in cases:
        elapsed, size = measure(n, [rendering], workers)
        print(
            f"{rendering:<10} n={n:<4} workers={workers}: {n / elapsed:6.1f} invoices/s "
            f"({elapsed:5.1f} s, {size / n / 1024:7.0f} KiB/invoice)"
        )


if __name__ == "__main__":
    main()
