"""Landing sensor ticks over a large landing prefix in S3 (moto server): seconds per tick.

Usage: .venv/bin/python bench/bench_sensor.py [--objects 50000] [--threads 32] [--full-pass]

Starts moto_server on a free loopback port, fills the landing bucket with --objects small files
(a thread pool of boto3 put_object calls), then evaluates `landing_sensor` with
`dg.build_sensor_context` and the S3ObjectStore resource:
  first tick            no cursor: a new pass from the top of landing
  continuing tick       from the first tick's cursor
  after intake          the files of the two batches' ticks deleted (as raw_invoices does),
                        then a tick from the cursor and a new pass from the top
  tail tick             cursor near the end: lists the rest and resets the cursor
  (--full-pass)         ticks from the top until the pass ends: worst and total seconds
Target: every tick < 10 s.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import REPO, table, write_results  # noqa: E402

TICK_TARGET_S = 10.0
BUCKET = "mes-en-curso"


def _client(endpoint: str, threads: int) -> Any:
    import boto3
    from botocore.config import Config

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        config=Config(max_pool_connections=threads, retries={"mode": "standard"}),
    )


def fill_landing(client: Any, n: int, threads: int) -> list[str]:
    """n small objects at the top of the landing bucket; returns their keys, sorted."""
    keys = [f"factura_{i:06d}.pdf" for i in range(n)]

    def put(key: str) -> None:
        client.put_object(Bucket=BUCKET, Key=key, Body=b"%PDF-1.4 " + key.encode())

    started = time.monotonic()
    with ThreadPoolExecutor(threads) as pool:
        for done, _ in enumerate(pool.map(put, keys), start=1):
            if done % 10_000 == 0:
                print(f"  {done:,} objects put ({time.monotonic() - started:.0f} s)")
    print(f"{n:,} objects put in {time.monotonic() - started:.1f} s")
    return sorted(keys)


def delete_keys(client: Any, keys: list[str], threads: int) -> None:
    """Remove landing files the way intake does after copying them (one delete per file)."""
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(lambda k: client.delete_object(Bucket=BUCKET, Key=k), keys))


def tick(store: Any, instance: Any, cursor: str | None) -> dict[str, Any]:
    """One sensor evaluation: seconds, batches and files requested, the new cursor."""
    import dagster as dg

    from facturas_assets.defs.ingestion.sensors import landing_sensor

    with dg.build_sensor_context(
        instance=instance, cursor=cursor, resources={"landing_store": store}
    ) as context:
        started = time.perf_counter()
        result = landing_sensor(context)
        seconds = time.perf_counter() - started
    requested = [
        key
        for request in result.run_requests or []
        for key in request.run_config["ops"]["raw_invoices"]["config"]["landing_keys"]
    ]
    return {
        "seconds": seconds,
        "batches": len(result.run_requests or []),
        "files": len(requested),
        "requested": requested,
        "cursor": result.cursor,
        "after": json.loads(result.cursor)["after"] if result.cursor else None,
        "skip_reason": result.skip_reason.skip_message if result.skip_reason else None,
    }


def listed(keys: list[str], before: str | None, after: str | None) -> int:
    """How many present keys the tick walked: from its cursor up to the new one (or the end)."""
    import bisect

    start = bisect.bisect_right(keys, before) if before else 0
    end = bisect.bisect_right(keys, after) if after else len(keys)
    return end - start


def run(endpoint: str, n: int, threads: int, full_pass: bool) -> dict[str, Any]:
    """Fill landing, evaluate the ticks, print the table; the figures."""
    import dagster as dg
    from dagster_aws.s3 import S3Resource

    from facturas_assets.resources.object_store import S3ObjectStore

    client = _client(endpoint, threads)
    client.create_bucket(Bucket=BUCKET)
    keys = fill_landing(client, n, threads)
    store = S3ObjectStore(
        bucket=BUCKET, s3=S3Resource(region_name="us-east-1", endpoint_url=endpoint)
    )
    page_s = []
    for start in (None, keys[len(keys) // 2]):
        started = time.perf_counter()
        extra = {"StartAfter": start} if start else {}
        client.list_objects_v2(Bucket=BUCKET, Delimiter="/", MaxKeys=1000, **extra)
        page_s.append(time.perf_counter() - started)
    print(
        f"bare ListObjectsV2 page of 1,000 keys on moto: {page_s[0]:.2f} s from the top, "
        f"{page_s[1]:.2f} s from the middle"
    )
    rows: list[dict[str, Any]] = []

    def record(name: str, cursor: str | None, present: list[str]) -> dict[str, Any]:
        out = tick(store, instance, cursor)
        before = json.loads(cursor)["after"] if cursor else None
        out["name"] = name
        out["listed"] = listed(present, before, out["after"])
        rows.append(out)
        print(
            f"{name:<28} {out['seconds']:6.2f} s  listed {out['listed']:>6,}  "
            f"files {out['files']:>5,} in {out['batches']} batches"
        )
        return out

    with dg.instance_for_test() as instance:
        first = record("first tick (no cursor)", None, keys)
        second = record("continuing from cursor", first["cursor"], keys)
        taken = first["requested"] + second["requested"]
        started = time.monotonic()
        delete_keys(client, taken, threads)
        print(f"intake: {len(taken):,} landing files deleted in {time.monotonic() - started:.1f} s")
        present = sorted(set(keys) - set(taken))
        record("after intake, from cursor", second["cursor"], present)
        record("after intake, new pass", None, present)
        near_end = json.dumps({"after": present[-1000]})
        tail = record("tail (reaches the end)", near_end, present)
        if tail["after"] is not None:
            print("  (the tail tick stopped at its time budget before the end of landing)")
        sweep: list[float] = []
        if full_pass:
            cursor, files = None, 0
            while True:
                out = tick(store, instance, cursor)
                sweep.append(out["seconds"])
                files += out["files"]
                cursor = out["cursor"]
                if out["after"] is None:
                    break
            print(
                f"full pass: {len(sweep)} ticks, {files:,} files, {sum(sweep):.1f} s in all, "
                f"slowest tick {max(sweep):.2f} s"
            )
    print()
    print(
        table(
            [[r["name"], r["seconds"], r["listed"], r["files"], r["batches"]] for r in rows],
            ["tick", "seconds", "objects listed", "files requested", "batches"],
        )
    )
    slowest = max(r["seconds"] for r in rows + [{"seconds": s} for s in sweep])
    ok = slowest < TICK_TARGET_S
    print(
        f"slowest tick {slowest:.2f} s over {n:,} landing objects "
        f"(target < {TICK_TARGET_S:.0f} s): {'met' if ok else 'NOT met'}"
    )
    for r in rows:
        del r["requested"]
    return {
        "objects": n,
        "list_page_seconds": page_s,
        "ticks": rows,
        "full_pass_seconds": sweep,
        "slowest_seconds": slowest,
        "target_met": ok,
    }


def main() -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--objects", type=int, default=50_000)
    parser.add_argument("--threads", type=int, default=32, help="put_object threads")
    parser.add_argument("--full-pass", action="store_true", help="also walk all of landing")
    parser.add_argument("--quick", action="store_true", help="5,000 objects")
    args = parser.parse_args()
    if args.quick:
        args.objects = 5_000
    # Fake credentials for the local moto server only.
    for name, value in (
        ("AWS_ACCESS_KEY_ID", "testing"),
        ("AWS_SECRET_ACCESS_KEY", "testing"),
        ("AWS_DEFAULT_REGION", "us-east-1"),
    ):
        os.environ[name] = value
    os.environ.pop("AWS_PROFILE", None)
    sys.path.insert(0, str(REPO))
    from facturas_assets_tests import services

    with services.moto_server() as endpoint:
        results = run(endpoint, args.objects, args.threads, args.full_pass)
    print(f"results: {write_results('sensor', results)}")
    return 0 if results["target_met"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
