"""Intake against what users really drop into landing: rewrites mid-intake, odd names, symlinks."""

from __future__ import annotations

import hashlib
import json
import os
import threading
import uuid
from pathlib import Path

import boto3
import pytest
from dagster_aws.s3 import S3Resource

from facturas_assets.db import load as db_load
from facturas_assets.pipeline import claims, keys
from facturas_assets.pipeline.intake import intake_batch
from facturas_assets.pipeline.manifest import BatchManifest, load_manifest
from facturas_assets.pipeline.planning import plan_batches
from facturas_assets.pipeline.quarantine import requeue
from facturas_assets.resources.object_store import LocalObjectStore, ObjectStore, S3ObjectStore


@pytest.fixture(params=["local", "s3-versioned", "s3-unversioned"])
def landing(request: pytest.FixtureRequest, tmp_path: Path) -> ObjectStore:
    """The landing bucket as a local folder, and on moto S3 with versioning on (as in prod) and off."""
    if request.param == "local":
        return LocalObjectStore(bucket="mes-en-curso", root=str(tmp_path / "buckets"))
    endpoint = request.getfixturevalue("aws_env")
    bucket = f"landing-{uuid.uuid4().hex[:8]}"
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket=bucket)
    if request.param == "s3-versioned":
        s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    return S3ObjectStore(bucket=bucket, s3=S3Resource(endpoint_url=endpoint))


def _claimer(engine):
    return lambda sha, lote, key: claims.claim(engine, sha, lote, key)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _land_raw_name(store: ObjectStore, key: str, data: bytes) -> None:
    """Put an object under a name the store's own writes refuse, as a user's upload would."""
    if isinstance(store, S3ObjectStore):
        boto3.client("s3").put_object(Bucket=store.bucket, Key=key, Body=data)
    else:
        folder = Path(store.root or "") / store.bucket
        folder.mkdir(parents=True, exist_ok=True)
        (folder / key).write_bytes(data)


def _all_contents(store: ObjectStore) -> list[bytes]:
    return [store.read_bytes(o.key) for o in store.list_objects()]


@pytest.mark.parametrize("rewrite", ["replace", "in_place"])
def test_a_file_rewritten_during_intake_stays_for_the_next_batch(landing, engine, rewrite):
    old, new = b"%PDF first upload", b"%PDF second upload"  # same size: in-place keeps size
    landing.write_bytes("a.pdf", old)
    landing.write_bytes("b.pdf", b"%PDF b")

    def upload_again(n: int) -> None:
        # Runs after a.pdf was read and copied, before landing is cleared.
        if n != 1:
            return
        if rewrite == "in_place" and isinstance(landing, LocalObjectStore):
            with (Path(landing.root or "") / landing.bucket / "a.pdf").open("r+b") as f:
                f.write(new)
        else:
            landing.write_bytes("a.pdf", new)

    first = intake_batch(landing, "L1", ["a.pdf", "b.pdf"], _claimer(engine), upload_again)
    by_key = {i.landing_key: i for i in first.manifest.items}
    assert by_key["a.pdf"].sha256 == _sha(old)  # what was copied is processed in this batch
    assert landing.read_bytes(by_key["a.pdf"].raw_key) == old
    assert landing.read_bytes("a.pdf") == new  # the new upload was not deleted
    assert not landing.exists("b.pdf")

    second = intake_batch(landing, "L2", ["a.pdf"], _claimer(engine))
    assert [i.sha256 for i in second.manifest.new_items] == [_sha(new)]
    assert not landing.exists("a.pdf")


def test_an_unchanged_file_is_removed_once_copied(landing, engine):
    landing.write_bytes("a.pdf", b"%PDF a")
    result = intake_batch(landing, "L1", ["a.pdf"], _claimer(engine))
    assert result.left_in_landing == []
    assert [o.key for o in landing.list_objects(recursive=False)] == []
    if isinstance(landing, S3ObjectStore):
        # No delete marker and no stale version left behind: the raw zone holds the content.
        versions = boto3.client("s3").list_object_versions(Bucket=landing.bucket, Prefix="a.pdf")
        assert versions.get("Versions", []) == [] and versions.get("DeleteMarkers", []) == []


def test_a_torn_raw_copy_is_rewritten_before_landing_is_cleared(landing, engine):
    data = b"%PDF the whole invoice"
    raw = keys.raw_key(_sha(data), "a.pdf")
    landing.write_bytes(raw, data[:9])  # an earlier copy cut short under the content's name
    landing.write_bytes("a.pdf", data)
    intake_batch(landing, "L1", ["a.pdf"], _claimer(engine))
    assert landing.read_bytes(raw) == data
    assert not landing.exists("a.pdf")


@pytest.mark.parametrize(
    ("name", "problem"),
    [("fact\\ura 7.pdf", "backslash"), ("ctrl\x07bell.pdf", "control character")],
)
def test_an_unstorable_name_is_quarantined_without_blocking_the_batch(
    landing, engine, name, problem
):
    _land_raw_name(landing, name, b"%PDF odd name")
    landing.write_bytes("ok.pdf", b"%PDF fine")

    [batch] = plan_batches(landing).batches
    assert sorted(batch.landing_keys) == sorted([name, "ok.pdf"])
    result = intake_batch(landing, batch.lote, batch.landing_keys, _claimer(engine))

    manifest = load_manifest(landing, batch.lote)
    assert [i.landing_key for i in manifest.new_items] == ["ok.pdf"]
    [item] = manifest.quarantined
    assert item.quarantine_reason == "unsafe_name" and problem in item.quarantine_detail
    assert name.encode().hex() in item.quarantine_detail  # the exact original name is kept
    sha = _sha(b"%PDF odd name")
    stored = keys.quarantine_key(batch.lote, sha, "x.pdf")  # sha256-named, the .pdf kept
    assert landing.read_bytes(stored) == b"%PDF odd name"
    reason = json.loads(landing.read_bytes(keys.quarantine_reason_key(batch.lote, sha)))
    assert reason["reason"] == "unsafe_name" and reason["landing_key"] == keys.display_name(name)
    assert [o.key for o in landing.list_objects(recursive=False)] == []  # nothing left behind

    # Its quarantine row goes into the database as is (count in = 1 new + 1 quarantined).
    assert db_load.record_quarantine(engine, result.quarantine_rows) == 1
    [row] = result.quarantine_rows
    assert row["stored_key"] == stored and row["source_key"] == keys.display_name(name)


def test_a_non_utf8_file_name_is_planned_and_quarantined(tmp_path, engine):
    store = LocalObjectStore(bucket="mes-en-curso", root=str(tmp_path / "buckets"))
    store.write_bytes("ok.pdf", b"%PDF fine")
    folder = os.fsencode(tmp_path / "buckets" / "mes-en-curso")
    with open(os.path.join(folder, b"factura-\xe9\xff.pdf"), "wb") as f:  # Latin-1 upload
        f.write(b"%PDF latin1 name")

    [batch] = plan_batches(store).batches
    assert len(batch.landing_keys) == 2
    result = intake_batch(store, batch.lote, batch.landing_keys, _claimer(engine))

    # The manifest is plain UTF-8 JSON again, with a printable name.
    manifest = BatchManifest.from_json(store.read_bytes(keys.manifest_key(batch.lote)))
    [item] = manifest.quarantined
    assert item.landing_key == "factura-\\xe9\\xff.pdf"
    assert b"factura-\xe9\xff.pdf".hex() in item.quarantine_detail
    assert store.read_bytes(result.quarantine_rows[0]["stored_key"]) == b"%PDF latin1 name"
    db_load.record_quarantine(engine, result.quarantine_rows)
    assert sorted(os.listdir(folder)) == [b"batches", b"quarantine", b"raw"]  # landing is clear


def test_a_symlink_in_local_landing_is_quarantined_and_never_followed(tmp_path, engine):
    secret = tmp_path / "outside" / "secret.pdf"
    secret.parent.mkdir()
    secret.write_bytes(b"%PDF not for the platform")
    store = LocalObjectStore(bucket="mes-en-curso", root=str(tmp_path / "buckets"))
    store.write_bytes("ok.pdf", b"%PDF fine")
    landing_dir = tmp_path / "buckets" / "mes-en-curso"
    (landing_dir / "link.pdf").symlink_to(secret)
    (landing_dir / "dir-link").symlink_to(secret.parent, target_is_directory=True)

    [batch] = plan_batches(store).batches
    result = intake_batch(store, batch.lote, batch.landing_keys, _claimer(engine))

    assert [i.landing_key for i in result.manifest.new_items] == ["ok.pdf"]
    reasons = {i.landing_key: i.quarantine_reason for i in result.manifest.quarantined}
    assert reasons == {"link.pdf": "symlink", "dir-link": "symlink"}
    assert all(b"not for the platform" not in data for data in _all_contents(store))
    assert secret.read_bytes() == b"%PDF not for the platform"  # the target is untouched
    assert not (landing_dir / "link.pdf").is_symlink()  # the link itself left landing
    rows = {r["source_key"]: r for r in result.quarantine_rows}
    assert rows["link.pdf"]["stored_key"] is None and str(secret) in rows["link.pdf"]["detail"]
    assert db_load.record_quarantine(engine, result.quarantine_rows) == 2


def test_a_fifo_in_local_landing_does_not_block_intake(tmp_path, engine):
    store = LocalObjectStore(bucket="mes-en-curso", root=str(tmp_path / "buckets"))
    store.write_bytes("ok.pdf", b"%PDF fine")
    fifo = tmp_path / "buckets" / "mes-en-curso" / "pipe.pdf"
    os.mkfifo(fifo)
    results = []
    worker = threading.Thread(
        target=lambda: results.append(
            intake_batch(store, "L1", ["ok.pdf", "pipe.pdf"], _claimer(engine))
        ),
        daemon=True,  # opening a fifo for reading would block until a writer comes
    )
    worker.start()
    worker.join(timeout=30)
    if worker.is_alive():  # release a reader stuck in open(), so the test process can end
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    assert results, "intake blocked on a fifo in landing"
    [item] = results[0].manifest.quarantined
    assert item.landing_key == "pipe.pdf" and item.quarantine_reason == "not_a_file"


def test_requeue_puts_a_bad_name_back_under_its_sha256_and_skips_symlinks(tmp_path, engine):
    store = LocalObjectStore(bucket="mes-en-curso", root=str(tmp_path / "buckets"))
    _land_raw_name(store, "fact\\ura.pdf", b"%PDF odd name")
    (tmp_path / "target.pdf").write_bytes(b"%PDF outside")
    (tmp_path / "buckets" / "mes-en-curso" / "link.pdf").symlink_to(tmp_path / "target.pdf")
    result = intake_batch(store, "L1", ["fact\\ura.pdf", "link.pdf"], _claimer(engine))
    db_load.record_quarantine(engine, result.quarantine_rows)

    put_back = requeue(store, engine, lote="L1")
    assert put_back == [f"{_sha(b'%PDF odd name')}.pdf"]
    assert store.read_bytes(put_back[0]) == b"%PDF odd name"
