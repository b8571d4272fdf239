"""Start-up cost of the CLI: `facturas extract` and `facturas classify` on one text PDF.

Usage: .venv/bin/python bench/bench_startup.py [--repeat 3]
Each command runs as its own process (what a user types), in a local environment without a
champion model and then with one (a small classifier trained once here): wall time and peak
resident memory of the process. TensorFlow is imported only where a model is used.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import REPO, generated_files, table, write_results

FACTURAS = Path(sys.executable).parent / "facturas"


def _run_once(command: str, pdf: Path, home: Path) -> tuple[float, float]:
    """Seconds and peak RSS (MiB) of one `facturas COMMAND pdf` process."""
    env = {**os.environ, "FACTURAS_HOME": str(home), "FACTURAS_ENV": "local"}
    # A forked child per run: RUSAGE_CHILDREN then holds that run's peak alone.
    read, write = os.pipe()
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        with subprocess.Popen(
            [str(FACTURAS), command, str(pdf)], env=env, stdout=subprocess.DEVNULL
        ) as proc:
            proc.wait()
        peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        os.write(write, f"{proc.returncode} {peak_kib}".encode())
        os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    seconds = time.monotonic() - started
    code, peak_kib = os.read(read, 64).decode().split()
    os.close(read)
    if code != "0":
        raise SystemExit(f"facturas {command} exited {code}")
    return seconds, int(peak_kib) / 1024


def _champion(home: Path) -> None:
    """A small champion classifier in the local models bucket of `home`."""
    sys.path.insert(0, str(REPO))
    from facturas_assets.resources.object_store import LocalObjectStore
    from facturas_dev.sample import publish_sample_champion

    store = LocalObjectStore(bucket="textil-modelos", root=str(home / "buckets"))
    publish_sample_champion(store, home / "train", n=60, seed=5, epochs=2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    pdf = generated_files("text-pdf", 1, seed=1)[0]
    rows, results = [], {}
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as tmp:
        home = Path(tmp)
        for model in ("no model", "champion"):
            if model == "champion":
                _champion(home)
            for command in ("extract", "classify"):
                runs = [_run_once(command, pdf, home) for _ in range(args.repeat)]
                seconds = statistics.median(s for s, _ in runs)
                peak = max(m for _, m in runs)
                rows.append([command, model, f"{seconds:.2f}", f"{peak:.0f}"])
                results[f"{command}/{model}"] = {"seconds": seconds, "peak_mib": peak}
    print(table(rows, ["command", "model", "seconds (median)", "peak RSS MiB"]))
    write_results("startup", results)


if __name__ == "__main__":
    main()
