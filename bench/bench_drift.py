"""Drift report benchmark: 100,000 reference and 100,000 current invoices x 20 features.

Times detect_drift (per-feature tests + domain classifier) and the HTML report, and prints the
figures. Target: under 15 s in total on 2 cores. Run: `.venv/bin/python bench/bench_drift.py`.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import write_results  # noqa: E402  (puts the repository on sys.path)

from facturas_assets.drift import detect_drift, render_html  # noqa: E402

N_NUMERIC = 15
N_CATEGORICAL = 5
TARGET_SECONDS = 15.0


def invoices(n: int, seed: int, shift: float = 0.0) -> tuple[pd.DataFrame, dict[str, str]]:
    """Invoice-like features: log amounts, counts, rates, scores and a few categories."""
    rng = np.random.default_rng(seed)
    data: dict[str, np.ndarray] = {}
    for i in range(N_NUMERIC):
        kind = i % 5
        if kind == 0:
            data[f"log_amount_{i:02d}"] = rng.normal(6.5 + shift, 1.1, n)
        elif kind == 1:
            data[f"count_{i:02d}"] = rng.poisson(3.0, n).astype(float)
        elif kind == 2:
            data[f"rate_{i:02d}"] = rng.choice([0.21, 0.10, 0.04, 0.0], n, p=[0.8, 0.1, 0.05, 0.05])
        elif kind == 3:
            data[f"score_{i:02d}"] = rng.beta(30, 1.5, n)
        else:
            data[f"chars_{i:02d}"] = np.clip(rng.normal(40, 12, n), 1, None)
    for i in range(N_CATEGORICAL):
        levels = [f"c{j}" for j in range(2 + 5 * i)]
        weights = np.linspace(1, 3, len(levels))
        data[f"category_{i}"] = rng.choice(levels, n, p=weights / weights.sum())
    frame = pd.DataFrame(data)
    kinds = {
        name: ("numeric" if name in list(data)[:N_NUMERIC] else "categorical") for name in data
    }
    return frame, kinds


def main() -> None:
    """Build the inputs, time the report, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100_000, help="invoices per side")
    parser.add_argument("--shift", type=float, default=0.2, help="current log-amount shift")
    args = parser.parse_args()

    reference, kinds = invoices(args.n, seed=1)
    current, _ = invoices(args.n, seed=2, shift=args.shift)

    cpu_start, start = time.process_time(), time.perf_counter()
    report = detect_drift(reference, current, kinds=kinds)
    cpu_detected, detected = time.process_time(), time.perf_counter()
    page = render_html(report, reference, current)
    cpu_rendered, rendered = time.process_time(), time.perf_counter()
    json_bytes = len(report.to_json().encode())

    total = rendered - start
    print(
        f"drift report: {args.n:,} reference + {args.n:,} current invoices x {len(kinds)} features"
    )
    print(f"  verdict            {report.verdict} (drifted: {', '.join(report.drifted_features)})")
    print(f"  domain AUC         {report.multivariate.auc:.3f}")
    # CPU time beside wall time: on a shared machine the wall clock also counts other work.
    print(
        f"  detect_drift       {detected - start:6.2f} s wall {cpu_detected - cpu_start:6.2f} s CPU"
    )
    print(
        f"  render_html        {rendered - detected:6.2f} s wall {cpu_rendered - cpu_detected:6.2f} s CPU"
    )
    print(
        f"  total              {total:6.2f} s wall {cpu_rendered - cpu_start:6.2f} s CPU"
        f"   (target < {TARGET_SECONDS:.0f} s)"
    )
    print(f"  html size          {len(page.encode()) / 1024:6.0f} KiB (limit 1024 KiB)")
    print(f"  json size          {json_bytes / 1024:6.1f} KiB")
    path = write_results(
        "drift",
        {
            "invoices_per_side": args.n,
            "features": len(kinds),
            "verdict": report.verdict,
            "detect_seconds": round(detected - start, 3),
            "html_seconds": round(rendered - detected, 3),
            "total_seconds": round(total, 3),
            "total_cpu_seconds": round(cpu_rendered - cpu_start, 3),
            "html_bytes": len(page.encode()),
            "target_seconds": TARGET_SECONDS,
        },
    )
    print(f"  results            {path}")


if __name__ == "__main__":
    main()
