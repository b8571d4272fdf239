"""The ETL job end to end: overhead vs reading time, MySQL load speed, peak memory vs batch size.

Usage: .venv/bin/python bench/bench_etl.py [--invoices 500] [--sizes 250,1000] [--quick]
       [--database mysql|sqlite] [--skip-batch] [--skip-memory]

Each batch runs the whole graph (raw_invoices .. drive_archive) with `execute_in_process` on a
test Dagster instance, in a child process with its own FACTURAS_HOME (local environment; the
database is a fresh MariaDB database unless --database sqlite), while this process samples the
child's process tree (OCR workers included) for its peak resident memory.

1. A mixed batch (60 % text-pdf, 20 % scan-pdf, 20 % scan-image): orchestration, intake, database
   and Drive overhead <= 15 % of invoice_text (reading/OCR) seconds; MySQL >= 5,000 lines/s.
2. Batches of --sizes invoices (text PDFs plus a fixed number of scans, so OCR stays affordable):
   peak memory < 2 GiB and flat as the batch grows (largest / smallest <= 1.25).
Generated invoices and the small champion classifier are cached under bench/.cache/.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    CACHE_DIR,
    TreeMemorySampler,
    generated_files,
    mib,
    table,
    write_results,
)

OVERHEAD_TARGET = 0.15
LINES_PER_S_TARGET = 5000.0
PEAK_MEMORY_TARGET_MIB = 2048.0
FLAT_MEMORY_RATIO = 1.25
MIX = {"text-pdf": 0.6, "scan-pdf": 0.2, "scan-image": 0.2}
SEEDS = {"text-pdf": 41, "scan-pdf": 42, "scan-image": 43}
CHAMPION_DIR = CACHE_DIR / "etl-champion"
ASSETS = [
    "raw_invoices",
    "invoice_text",
    "classified_invoices",
    "invoice_tables",
    "invoice_rows",
    "drive_archive",
]
# Stages that are the batch's payload work; everything else is overhead.
READING = "invoice_text"
PAYLOAD = ("invoice_text", "classified_invoices", "invoice_tables")


# ---------------------------------------------------------------------------------------------
# Inputs (cached)


def champion_store_dir() -> Path:
    """A models bucket holding a small champion classifier, trained once and cached."""
    bucket = CHAMPION_DIR / "textil-modelos"
    if (bucket / "invoice_classifier" / "champion" / "model.keras").exists():
        return bucket
    from facturas_assets.resources.object_store import LocalObjectStore
    from facturas_dev.sample import publish_sample_champion
    from facturas_dev.synth import HELD_OUT_LAYOUTS

    print("training the bench champion classifier (cached in bench/.cache/etl-champion)")
    staging = CHAMPION_DIR.with_name("etl-champion.tmp")
    shutil.rmtree(staging, ignore_errors=True)
    store = LocalObjectStore(bucket="textil-modelos", root=str(staging))
    with tempfile.TemporaryDirectory(prefix="facturas-bench-train-") as tmp:
        publish_sample_champion(
            store, Path(tmp), n=160, seed=11, epochs=8, exclude_layouts=HELD_OUT_LAYOUTS
        )
    shutil.rmtree(CHAMPION_DIR, ignore_errors=True)
    staging.rename(CHAMPION_DIR)
    return bucket


def mixed_batch(n: int) -> list[tuple[str, str]]:
    """(landing key, cached file) pairs of n invoices split by MIX."""
    counts = {r: round(n * share) for r, share in MIX.items()}
    counts["text-pdf"] += n - sum(counts.values())
    files = []
    for rendering, count in counts.items():
        for path in generated_files(rendering, count, SEEDS[rendering]):
            files.append((f"{rendering}-{path.name}", str(path)))
    return files


def memory_batch(n: int, scans: int) -> list[tuple[str, str]]:
    """n invoices: a fixed number of scans (half PDF, half image), text PDFs for the rest."""
    scans = min(scans, n)
    counts = {"scan-pdf": scans // 2, "scan-image": scans - scans // 2, "text-pdf": n - scans}
    files = []
    for rendering, count in counts.items():
        for path in generated_files(rendering, count, SEEDS[rendering]):
            files.append((f"{rendering}-{path.name}", str(path)))
    return files


# ---------------------------------------------------------------------------------------------
# One batch, in a child process


def run_child(spec_path: Path) -> None:
    """Run one batch as the spec says and write what it measured next to the spec."""
    spec = json.loads(spec_path.read_text())
    home = Path(spec["home"])
    os.environ["FACTURAS_HOME"] = str(home)
    os.environ["FACTURAS_ENV"] = "local"
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")

    import dagster as dg

    from facturas_assets.db import migrate
    from facturas_assets.defs import etl, ingestion
    from facturas_assets.defs.batches import ETL_JOB_NAME, batch_partitions
    from facturas_assets.resources import MySQLDatabase, build_resources

    resources = build_resources()
    if spec["database_url"]:
        resources["database"] = MySQLDatabase(url=spec["database_url"])
    engine = resources["database"].engine()
    migrate.upgrade(engine)
    resources["database"].dispose()
    shutil.copytree(spec["champion"], home / "buckets" / "textil-modelos")
    landing = resources["landing_store"]
    for key, path in spec["files"]:
        landing.write_bytes(key, Path(path).read_bytes())

    defs = dg.Definitions.merge(ingestion.defs, etl.defs, dg.Definitions(resources=resources))
    job = defs.resolve_job_def(ETL_JOB_NAME)
    lote = spec["lote"]
    (home / "dagster").mkdir(parents=True, exist_ok=True)
    with dg.instance_for_test(temp_dir=str(home / "dagster")) as instance:
        instance.add_dynamic_partitions(batch_partitions.name, [lote])
        started = time.perf_counter()
        result = job.execute_in_process(
            instance=instance,
            partition_key=lote,
            run_config={
                "ops": {"raw_invoices": {"config": {"landing_keys": [k for k, _ in spec["files"]]}}}
            },
            raise_on_error=False,
        )
        wall = time.perf_counter() - started
        steps = _step_seconds(instance, result.run_id)
    metadata = {}
    for event in result.get_asset_materialization_events():
        mat = event.step_materialization_data.materialization
        metadata[mat.asset_key.to_user_string()] = {
            k: _plain(v.value) for k, v in mat.metadata.items()
        }
    checks = {
        f"{e.asset_key.to_user_string()}.{e.check_name}": e.passed
        for e in result.get_asset_check_evaluations()
    }
    out = {
        "success": result.success,
        "wall_seconds": wall,
        "step_seconds": steps,
        "metadata": metadata,
        "checks": checks,
        "documents": len(spec["files"]),
    }
    Path(spec["out"]).write_text(json.dumps(out, indent=1, default=str))


def _plain(value: Any) -> Any:
    """A metadata value as JSON-friendly data."""
    if isinstance(value, int | float | str | bool | dict | list) or value is None:
        return value
    records = getattr(value, "records", None)  # a table: counts per category, reason, stage
    if records is not None:
        return [record.data for record in records]
    return str(value)


def _step_seconds(instance: Any, run_id: str) -> dict[str, float]:
    """Seconds from STEP_START to STEP_SUCCESS/FAILURE of each step, from the event log."""
    starts: dict[str, float] = {}
    seconds: dict[str, float] = {}
    for entry in instance.all_logs(run_id):
        event = entry.dagster_event
        if event is None or event.step_key is None:
            continue
        if event.event_type_value == "STEP_START":
            starts[event.step_key] = entry.timestamp
        elif event.event_type_value in ("STEP_SUCCESS", "STEP_FAILURE") and (
            event.step_key in starts
        ):
            seconds[event.step_key] = entry.timestamp - starts[event.step_key]
    return seconds


def run_batch(
    files: list[tuple[str, str]], lote: str, database: str, champion: Path
) -> dict[str, Any]:
    """One batch in a child process; its figures plus the peak memory of its process tree."""
    with tempfile.TemporaryDirectory(prefix="facturas-bench-etl-") as tmp:
        spec = {
            "home": str(Path(tmp) / "home"),
            "files": files,
            "lote": lote,
            "champion": str(champion),
            "out": str(Path(tmp) / "out.json"),
            "database_url": None,
        }
        with _database(database) as url:
            spec["database_url"] = url
            spec_path = Path(tmp) / "spec.json"
            spec_path.write_text(json.dumps(spec))
            env = {**os.environ, "OMP_THREAD_LIMIT": "1", "PYTHONUNBUFFERED": "1"}
            started = time.perf_counter()
            proc = subprocess.Popen(
                [sys.executable, __file__, "--child", str(spec_path)],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=open(Path(tmp) / "child.log", "wb"),  # noqa: SIM115 (closed with the dir)
            )
            with TreeMemorySampler(proc.pid) as memory:
                code = proc.wait()
            elapsed = time.perf_counter() - started
            if code != 0 or not Path(spec["out"]).exists():
                log = (Path(tmp) / "child.log").read_text(errors="replace")[-4000:]
                raise RuntimeError(f"batch {lote} failed (exit {code}):\n{log}")
            out = json.loads(Path(spec["out"]).read_text())
    out["process_seconds"] = elapsed
    out["peak_rss_tree_mib"] = mib(memory.peak_total)
    out["peak_rss_single_mib"] = mib(memory.peak_single)
    out["peak_processes"] = memory.peak_processes
    out["process_peaks_mib"] = memory.top()
    # Tree RSS over time, thinned to about 200 points: where in the run the peak sits.
    step = max(1, len(memory.timeline) // 200)
    out["tree_rss_timeline_mib"] = [
        (round(t, 1), round(mib(v))) for t, v in memory.timeline[::step]
    ]
    out["database"] = database
    return out


class _database:
    """A fresh MariaDB database for one batch (dropped afterwards), or None for local SQLite."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._ctx: Any = None

    def __enter__(self) -> str | None:
        if self.kind != "mysql":
            return None
        from facturas_assets_tests import services

        self._ctx = services.mysql_database(prefix="facturas_bench_etl")
        return services.mysql_url(self._ctx.__enter__())

    def __exit__(self, *exc: object) -> None:
        if self._ctx is not None:
            self._ctx.__exit__(*exc)


# ---------------------------------------------------------------------------------------------
# Reports


def breakdown(out: dict[str, Any]) -> dict[str, Any]:
    """Seconds per asset, orchestration between them, and overhead relative to reading."""
    meta = out["metadata"]
    asset_s = {a: float(meta.get(a, {}).get("seconds", 0.0)) for a in ASSETS}
    wall = out["wall_seconds"]
    reading = asset_s[READING]
    orchestration = wall - sum(asset_s.values())
    overhead = wall - sum(asset_s[a] for a in PAYLOAD)
    return {
        "asset_seconds": asset_s,
        "wall_seconds": wall,
        "reading_seconds": reading,
        "orchestration_seconds": orchestration,
        "overhead_seconds": overhead,
        "overhead_ratio": overhead / reading if reading else float("inf"),
        "wall_minus_reading_ratio": (wall - reading) / reading if reading else float("inf"),
    }


def print_batch(out: dict[str, Any], parts: dict[str, Any]) -> None:
    """The per-stage table of one batch."""
    reading = parts["reading_seconds"]
    steps = out["step_seconds"]
    rows = []
    for asset in ASSETS:
        s = parts["asset_seconds"][asset]
        kind = "reading" if asset == READING else "payload" if asset in PAYLOAD else "overhead"
        rows.append([asset, kind, s, steps.get(asset, 0.0), 100 * s / reading if reading else 0])
    rows.append(
        ["orchestration", "overhead", parts["orchestration_seconds"], None,
         100 * parts["orchestration_seconds"] / reading if reading else 0]
    )  # fmt: skip
    rows.append(["run wall time", "", parts["wall_seconds"], None, None])
    print(table(rows, ["stage", "kind", "asset s", "step s", "% of reading"]))
    text = out["metadata"].get("invoice_text", {})
    tables = out["metadata"].get("invoice_tables", {})
    print(
        f"documents {out['documents']}, pages {text.get('pages')}, by method "
        f"{text.get('by_method')}, loaded {tables.get('invoices')}, lines {tables.get('lines')}, "
        f"quarantined {tables.get('quarantined')} {tables.get('quarantine_reasons')}"
    )


def main() -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=500, help="size of the mixed batch")
    parser.add_argument("--sizes", default="250,1000", help="batch sizes of the memory runs")
    parser.add_argument("--memory-scans", type=int, default=20, help="scans in each memory run")
    parser.add_argument("--database", choices=["mysql", "sqlite"], default="mysql")
    parser.add_argument("--quick", action="store_true", help="100-invoice batch, sizes 50,200")
    parser.add_argument("--skip-batch", action="store_true", help="no mixed batch run")
    parser.add_argument("--skip-memory", action="store_true", help="no memory runs")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_child(args.child)
        return 0
    if args.quick:
        args.invoices, args.sizes, args.memory_scans = 100, "50,200", 10
    sizes = sorted(int(s) for s in args.sizes.split(",") if s.strip())

    champion = champion_store_dir()
    results: dict[str, Any] = {"args": vars(args) | {"child": None}, "cpus": os.cpu_count()}
    ok = True
    if not args.skip_batch:
        files = mixed_batch(args.invoices)
        print(f"\n== mixed batch of {len(files)} invoices ({args.database}), whole graph")
        out = run_batch(files, f"bench-mixed-{len(files)}", args.database, champion)
        parts = breakdown(out)
        print_batch(out, parts)
        rows_meta = out["metadata"].get("invoice_rows", {})
        lines_per_s = float(rows_meta.get("lines_per_second", 0.0))
        overhead_ok = parts["overhead_ratio"] <= OVERHEAD_TARGET
        load_ok = args.database != "mysql" or lines_per_s >= LINES_PER_S_TARGET
        print(
            f"overhead (intake + database + Drive + orchestration) = "
            f"{parts['overhead_seconds']:.2f} s = {100 * parts['overhead_ratio']:.1f} % of reading "
            f"(target <= {100 * OVERHEAD_TARGET:.0f} %): {'met' if overhead_ok else 'NOT met'}"
        )
        print(
            f"wall - reading = {parts['wall_seconds'] - parts['reading_seconds']:.2f} s = "
            f"{100 * parts['wall_minus_reading_ratio']:.1f} % of reading (classification and "
            f"extraction included)"
        )
        print(
            f"{args.database} load: {rows_meta.get('lines_written')} lines in "
            f"{rows_meta.get('seconds')} s = {lines_per_s:,.0f} lines/s "
            f"(target >= {LINES_PER_S_TARGET:,.0f}): {'met' if load_ok else 'NOT met'}"
        )
        print(
            f"peak memory: {out['peak_rss_tree_mib']:,.0f} MiB (process tree, sum of RSS), "
            f"largest process {out['peak_rss_single_mib']:,.0f} MiB; run success {out['success']}"
        )
        ok &= overhead_ok and load_ok and out["success"]
        results["mixed_batch"] = {**out, "breakdown": parts, "lines_per_second": lines_per_s}
    if not args.skip_memory:
        memory_rows, runs = [], []
        for n in sizes:
            files = memory_batch(n, args.memory_scans)
            print(f"\n== memory run: {n} invoices ({min(args.memory_scans, n)} scans)")
            out = run_batch(files, f"bench-memory-{n}", args.database, champion)
            runs.append(out)
            text = out["metadata"].get("invoice_text", {})
            memory_rows.append(
                [n, text.get("pages"), out["wall_seconds"], out["peak_rss_tree_mib"],
                 out["peak_rss_single_mib"], out["peak_processes"], out["success"]]
            )  # fmt: skip
        print()
        for n, out in zip(sizes, runs, strict=True):
            print(f"largest processes of the {n}-invoice run (peak RSS):")
            for pid, name, size in out["process_peaks_mib"]:
                print(f"  {size:8,.0f} MiB  pid {pid}  {name[:90]}")
        print(
            table(
                memory_rows,
                ["invoices", "pages", "run s", "peak tree MiB", "largest proc MiB", "procs", "ok"],
            )
        )
        peaks = [r["peak_rss_tree_mib"] for r in runs]
        ratio = max(peaks) / min(peaks) if peaks and min(peaks) else float("inf")
        under = max(peaks) < PEAK_MEMORY_TARGET_MIB
        flat = ratio <= FLAT_MEMORY_RATIO
        print(
            f"peak memory {max(peaks):,.0f} MiB (target < {PEAK_MEMORY_TARGET_MIB:,.0f}): "
            f"{'met' if under else 'NOT met'}; largest / smallest batch = {ratio:.2f} "
            f"(flat: <= {FLAT_MEMORY_RATIO}): {'met' if flat else 'NOT met'}"
        )
        ok &= under and flat and all(r["success"] for r in runs)
        results["memory"] = {"sizes": sizes, "runs": runs, "ratio": ratio}
    results["targets_met"] = ok
    print(f"\nresults: {write_results('etl', results)}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
