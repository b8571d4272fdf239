"""Intake of one batch: landing files copied into the raw zone and removed, files per second.

Usage: .venv/bin/python bench/bench_intake.py [--files 500] [--kib 80] [--stores local,s3]

Lands --files distinct files of --kib KiB each, then times `intake_batch` (read with its version,
raw copy carrying its sha256, claims on SQLite, manifest, version-exact delete):
  local   a LocalObjectStore folder on this disk
  s3      a versioned bucket on moto server (loopback: no network latency, unlike AWS)
No target: the figure shows what intake's safety (verified copy, exact delete) costs per file.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import REPO, table, write_results  # noqa: E402

sys.path.insert(0, str(REPO))


@contextlib.contextmanager
def _store(kind: str, tmp: Path) -> Iterator[Any]:
    """The landing bucket: a local folder, or a versioned bucket on a fresh moto server."""
    from facturas_assets.resources.object_store import LocalObjectStore, S3ObjectStore

    if kind == "local":
        yield LocalObjectStore(bucket="mes-en-curso", root=str(tmp / "buckets"))
        return
    import boto3
    from dagster_aws.s3 import S3Resource

    from facturas_assets_tests.services import moto_server

    with moto_server() as endpoint:
        os.environ.update(AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench")
        bucket = f"landing-{uuid.uuid4().hex[:8]}"
        client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
        client.create_bucket(Bucket=bucket)
        client.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
        yield S3ObjectStore(
            bucket=bucket, s3=S3Resource(region_name="us-east-1", endpoint_url=endpoint)
        )


def run(kind: str, files: int, kib: int) -> dict[str, Any]:
    """Land the files, intake them as one batch; the timing."""
    from facturas_assets.db import migrate
    from facturas_assets.db.engine import create_engine
    from facturas_assets.pipeline import claims
    from facturas_assets.pipeline.intake import intake_batch

    with (
        tempfile.TemporaryDirectory(prefix="bench-intake-") as tmp,
        _store(kind, Path(tmp)) as store,
    ):
        engine = create_engine(f"sqlite:///{tmp}/textil.sqlite")
        migrate.upgrade(engine)
        names = [f"factura_{i:05d}.pdf" for i in range(files)]
        for name in names:
            store.write_bytes(name, os.urandom(kib * 1024))
        started = time.perf_counter()
        result = intake_batch(
            store,
            "BENCH",
            names,
            claim_many=lambda lote, items: claims.claim_many(engine, lote, items),
        )
        seconds = time.perf_counter() - started
        assert len(result.manifest.new_items) == files
        assert not any(store.exists(n) for n in names[:10])
        engine.dispose()
    return {
        "store": kind,
        "files": files,
        "kib": kib,
        "seconds": seconds,
        "files_per_s": files / seconds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=500)
    parser.add_argument("--kib", type=int, default=80)
    parser.add_argument("--stores", default="local,s3")
    args = parser.parse_args()
    rows = [run(kind, args.files, args.kib) for kind in args.stores.split(",")]
    print(
        table(
            [[r["store"], r["files"], r["kib"], r["seconds"], r["files_per_s"]] for r in rows],
            ["store", "files", "KiB", "seconds", "files/s"],
        )
    )
    print(f"results: {write_results('intake', {'runs': rows})}")


if __name__ == "__main__":
    main()
