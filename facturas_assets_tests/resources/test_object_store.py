"""ObjectStore: one contract for the local folder and S3 (moto), plus each one's specifics."""

from __future__ import annotations

import base64
import hashlib
import re
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import boto3
import pytest

from facturas_assets.resources.object_store import (
    LocalObjectStore,
    ObjectNotFoundError,
    ObjectStore,
    ObjectVersion,
    S3ObjectStore,
    key_problem,
)
from facturas_assets.settings import ConfigError
from facturas_assets_tests.fakes.fault_proxy import FaultProxy
from facturas_assets_tests.resources.conftest import s3_store, unique

# Chosen so that S3's byte order differs from a naive path sort: '-' < '.' < '/' < 'A' < 'a' < 'ñ'.
TRICKY_KEYS = ["a-b.pdf", "a.pdf", "a/x.pdf", "a/y/z.pdf", "A.pdf", "b.pdf", "ñandú.pdf"]


def keys(store: ObjectStore, **kwargs: object) -> list[str]:
    return [o.key for o in store.list_objects(**kwargs)]


def test_write_read_exists_delete(store: ObjectStore) -> None:
    store.write_bytes("in/f.pdf", b"%PDF-1.7 hola", content_type="application/pdf")
    assert store.exists("in/f.pdf")
    assert not store.exists("in/g.pdf")
    assert store.read_bytes("in/f.pdf") == b"%PDF-1.7 hola"
    store.write_bytes("in/f.pdf", b"replaced")
    assert store.read_bytes("in/f.pdf") == b"replaced"
    store.delete("in/f.pdf")
    assert not store.exists("in/f.pdf")
    store.delete("in/f.pdf")  # deleting twice is not an error
    assert keys(store) == []


def test_listing_reports_size_time_etag(store: ObjectStore) -> None:
    before = datetime.now(UTC) - timedelta(seconds=5)
    store.write_bytes("x/one.bin", b"12345")
    [obj] = list(store.list_objects("x/"))
    assert obj.key == "x/one.bin"
    assert obj.size == 5
    assert obj.last_modified.tzinfo is not None
    assert before <= obj.last_modified <= datetime.now(UTC) + timedelta(seconds=5)
    assert obj.etag
    store.write_bytes("x/one.bin", b"other content")
    [again] = list(store.list_objects("x/"))
    assert again.etag != obj.etag


def test_list_is_in_s3_key_order_with_prefix_and_start_after(store: ObjectStore) -> None:
    for key in reversed(TRICKY_KEYS):
        store.write_bytes(key, key.encode())
    expected = sorted(TRICKY_KEYS, key=lambda k: k.encode("utf-8"))
    assert keys(store) == expected
    assert keys(store, prefix="a") == [k for k in expected if k.startswith("a")]
    assert keys(store, prefix="a/") == ["a/x.pdf", "a/y/z.pdf"]
    assert keys(store, prefix="a/y") == ["a/y/z.pdf"]
    assert keys(store, prefix="nothing/") == []
    assert keys(store, start_after="a/x.pdf") == expected[expected.index("a/x.pdf") + 1 :]
    assert keys(store, prefix="a", start_after="a.pdf") == ["a/x.pdf", "a/y/z.pdf"]


def test_non_recursive_lists_only_direct_children(store: ObjectStore) -> None:
    for key in TRICKY_KEYS:
        store.write_bytes(key, b"x")
    assert keys(store, recursive=False) == ["A.pdf", "a-b.pdf", "a.pdf", "b.pdf", "ñandú.pdf"]
    assert keys(store, prefix="a/", recursive=False) == ["a/x.pdf"]
    # Delimiter semantics: "a" matches the files a-b.pdf and a.pdf, but a/... is a common prefix.
    assert keys(store, prefix="a", recursive=False) == ["a-b.pdf", "a.pdf"]


def test_pagination_returns_every_object_once(store: ObjectStore) -> None:
    written = [f"lote/{i:03d}.pdf" for i in range(23)]
    for key in written:
        store.write_bytes(key, key.encode())
    assert keys(store, prefix="lote/", page_size=5) == written
    assert keys(store, prefix="lote/", page_size=5, start_after="lote/019.pdf") == written[20:]


def test_copy_upload_download_sha256(store: ObjectStore, tmp_path: Path) -> None:
    data = bytes(range(256)) * 5000
    src = tmp_path / "src.bin"
    src.write_bytes(data)
    store.upload(src, "raw/original.bin")
    store.copy("raw/original.bin", "raw/copy.bin")
    out = tmp_path / "deep" / "out.bin"
    store.download("raw/copy.bin", out)
    assert out.read_bytes() == data
    assert store.sha256("raw/copy.bin") == hashlib.sha256(data).hexdigest()
    assert keys(store, prefix="raw/") == ["raw/copy.bin", "raw/original.bin"]


def test_missing_objects_raise_object_not_found(store: ObjectStore, tmp_path: Path) -> None:
    with pytest.raises(ObjectNotFoundError, match="nope.pdf"):
        store.read_bytes("nope.pdf")
    with pytest.raises(ObjectNotFoundError):
        store.sha256("nope.pdf")
    with pytest.raises(ObjectNotFoundError):
        store.copy("nope.pdf", "other.pdf")
    with pytest.raises(ObjectNotFoundError):
        store.download("nope.pdf", tmp_path / "x")


@pytest.mark.parametrize(
    "bad", ["", "/abs.pdf", "a/../b.pdf", "dir/", "a//b.pdf", "a\\b.pdf", "a\x07.pdf", "\udce9.pdf"]
)
def test_invalid_keys_are_refused(store: ObjectStore, bad: str) -> None:
    with pytest.raises(ValueError, match="invalid object key"):
        store.write_bytes(bad, b"x")


def test_uri_names_the_object(store: ObjectStore) -> None:
    store.write_bytes("m/model.keras", b"x")
    uri = store.uri("m/model.keras")
    if isinstance(store, S3ObjectStore):
        assert uri == f"s3://{store.bucket}/m/model.keras"
    else:
        assert uri.startswith("file://") and uri.endswith(f"/{store.bucket}/m/model.keras")


def test_delete_version_removes_only_what_was_read(store: ObjectStore) -> None:
    store.write_bytes("in.pdf", b"first")
    read = store.read_version("in.pdf")
    assert read.data == b"first"
    store.write_bytes("in.pdf", b"second upload")  # lands after the read
    assert store.delete_version("in.pdf", read.version) is False
    assert store.read_bytes("in.pdf") == b"second upload"
    again = store.read_version("in.pdf")
    assert store.delete_version("in.pdf", again.version) is True
    assert not store.exists("in.pdf")
    assert store.delete_version("in.pdf", again.version) is True  # already gone is fine
    with pytest.raises(ObjectNotFoundError):
        store.read_version("in.pdf")


def test_write_verified_and_stored_sha256(store: ObjectStore) -> None:
    data = b"%PDF raw copy"
    digest = hashlib.sha256(data).hexdigest()
    assert store.stored_sha256("raw/ab/x.pdf") is None
    store.write_verified("raw/ab/x.pdf", data, digest)
    assert store.read_bytes("raw/ab/x.pdf") == data
    assert store.stored_sha256("raw/ab/x.pdf") == digest
    store.write_bytes("plain.pdf", b"no checksum kept")  # hashed from its content instead
    assert store.stored_sha256("plain.pdf") == hashlib.sha256(b"no checksum kept").hexdigest()


def test_key_problem_names_what_cannot_be_stored() -> None:
    assert key_problem("factura ñ 1.pdf") is None
    assert key_problem("a\\b.pdf") == "backslash in name"
    assert key_problem("a\nb.pdf") == "control character in name"
    assert key_problem("\udce9.pdf") == "name is not valid UTF-8"
    assert key_problem("x" * 1025) == "key longer than 1024 bytes"


# --- local specifics ------------------------------------------------------------------------


def test_local_delete_version_compares_content_too(tmp_path: Path) -> None:
    store = LocalObjectStore(bucket="b", root=str(tmp_path))
    store.write_bytes("in.pdf", b"same size")
    read = store.read_version("in.pdf")
    # Same inode, size and times but other bytes (an in-place rewrite within one clock tick).
    other = ObjectVersion(read.version.version_id, read.version.etag, sha256="0" * 64)
    assert store.delete_version("in.pdf", other) is False and store.exists("in.pdf")
    assert store.delete_version("in.pdf", read.version) is True


def test_local_write_verified_refuses_content_of_another_hash(tmp_path: Path) -> None:
    store = LocalObjectStore(bucket="b", root=str(tmp_path))
    with pytest.raises(ValueError, match="does not hash to"):
        store.write_verified("raw/x.pdf", b"torn", hashlib.sha256(b"whole").hexdigest())
    assert not store.exists("raw/x.pdf")


def test_local_reads_never_follow_symlinks(tmp_path: Path) -> None:
    (tmp_path / "target.pdf").write_bytes(b"outside")
    store = LocalObjectStore(bucket="b", root=str(tmp_path / "buckets"))
    store.write_bytes("ok.pdf", b"x")
    (tmp_path / "buckets" / "b" / "link.pdf").symlink_to(tmp_path / "target.pdf")
    with pytest.raises(OSError, match="symlink to"):
        store.read_bytes("link.pdf")
    with pytest.raises(OSError, match="symlink to"):
        store.read_version("link.pdf")


def test_local_store_defaults_to_facturas_home(facturas_home: Path) -> None:
    store = LocalObjectStore(bucket="mes-en-curso")
    store.write_bytes("f.pdf", b"x")
    assert (facturas_home / "buckets" / "mes-en-curso" / "f.pdf").read_bytes() == b"x"


def test_local_key_colliding_with_a_folder_is_refused(tmp_path: Path) -> None:
    store = LocalObjectStore(bucket="b", root=str(tmp_path))
    store.write_bytes("a/b.pdf", b"x")
    with pytest.raises(ValueError, match="collides"):
        store.write_bytes("a", b"y")
    with pytest.raises(ValueError, match="collides"):
        store.write_bytes("a/b.pdf/c", b"y")
    assert store.read_bytes("a/b.pdf") == b"x"


def test_local_delete_prunes_empty_folders(tmp_path: Path) -> None:
    store = LocalObjectStore(bucket="b", root=str(tmp_path))
    store.write_bytes("a/b/c.pdf", b"x")
    store.delete("a/b/c.pdf")
    assert list((tmp_path / "b").iterdir()) == []


def test_local_writes_are_atomic_for_readers(tmp_path: Path) -> None:
    """A reader racing a writer sees the old or the new content, never a half-written file."""
    store = LocalObjectStore(bucket="b", root=str(tmp_path))
    old, new = b"A" * 4_000_000, b"B" * 4_000_000
    store.write_bytes("big.bin", old)
    seen: set[bytes] = set()
    stop = threading.Event()

    def read_loop() -> None:
        while not stop.is_set():
            data = store.read_bytes("big.bin")
            seen.add(data[:1] + data[-1:] + str(len(data)).encode())

    reader = threading.Thread(target=read_loop)
    reader.start()
    for i in range(6):
        store.write_bytes("big.bin", new if i % 2 == 0 else old)
    stop.set()
    reader.join()
    assert seen <= {b"AA4000000", b"BB4000000"}
    # No temporary file is left behind or listed.
    assert [p.name for p in (tmp_path / "b").iterdir()] == ["big.bin"]


# --- S3 specifics ---------------------------------------------------------------------------


def test_s3_list_uses_one_request_per_page(s3_bucket: str, s3_proxy: FaultProxy) -> None:
    store = s3_store(s3_bucket, s3_proxy.url)
    for i in range(12):
        store.write_bytes(f"p/{i:02d}", b"x")
    s3_proxy.requests.clear()
    assert len(keys(store, prefix="p/", page_size=5)) == 12
    lists = [r for r in s3_proxy.requests if r.query.get("list-type") == ["2"]]
    assert len(lists) == 3
    assert all(r.query["max-keys"] == ["5"] for r in lists)


def test_s3_verified_write_keeps_its_sha256_for_a_head(
    s3_bucket: str, s3_proxy: FaultProxy
) -> None:
    store = s3_store(s3_bucket, s3_proxy.url)
    data = b"%PDF raw copy"
    digest = hashlib.sha256(data).hexdigest()
    store.write_verified("raw/ab/x.pdf", data, digest)
    [put] = [r for r in s3_proxy.requests if r.method == "PUT"]
    assert (
        put.headers.get("x-amz-checksum-sha256") == base64.b64encode(bytes.fromhex(digest)).decode()
    )
    s3_proxy.requests.clear()
    assert store.stored_sha256("raw/ab/x.pdf") == digest
    assert [r.method for r in s3_proxy.requests] == ["HEAD"]  # no download to prove it


@pytest.mark.parametrize("status", [500, 503, 429])
def test_s3_retries_errors_with_backoff(s3_bucket: str, s3_proxy: FaultProxy, status: int) -> None:
    store = s3_store(s3_bucket, s3_proxy.url, max_attempts=4)
    store.write_bytes("r/f.pdf", b"content")
    s3_proxy.requests.clear()
    s3_proxy.fail_next(2, status)
    assert store.read_bytes("r/f.pdf") == b"content"
    attempts = [r for r in s3_proxy.requests if r.path.endswith("/r/f.pdf")]
    assert [r.status for r in attempts] == [status, status, 200]
    # Standard retry mode numbers its attempts (legacy mode sends no such header).
    numbered = [re.search(r"attempt=(\d+)", r.headers["amz-sdk-request"]) for r in attempts]
    assert [int(m.group(1)) for m in numbered if m] == [1, 2, 3]


def test_s3_gives_up_after_max_attempts(s3_bucket: str, s3_proxy: FaultProxy) -> None:
    from botocore.exceptions import ClientError

    store = s3_store(s3_bucket, s3_proxy.url, max_attempts=3)
    s3_proxy.fail_next(5, 500)
    with pytest.raises(ClientError, match="InternalError"):
        store.write_bytes("r/g.pdf", b"x")
    # botocore's legacy `max_attempts` key (which dagster-aws sets) counts retries after the first.
    assert [r.status for r in s3_proxy.requests] == [500] * 4


def test_s3_large_upload_is_multipart(s3_bucket: str, aws_env: str, tmp_path: Path) -> None:
    store = s3_store(s3_bucket, aws_env, multipart_threshold_mb=5)
    data = b"x" * (11 * 1024 * 1024)
    path = tmp_path / "big.bin"
    path.write_bytes(data)
    store.upload(path, "big.bin")
    head = boto3.client("s3").head_object(Bucket=s3_bucket, Key="big.bin")
    assert head["ETag"].strip('"').endswith("-3")  # three 5 MiB parts
    assert store.sha256("big.bin") == hashlib.sha256(data).hexdigest()


def test_s3_content_type_is_stored(s3_bucket: str, aws_env: str) -> None:
    s3_store(s3_bucket, aws_env).write_bytes("f.pdf", b"%PDF", content_type="application/pdf")
    head = boto3.client("s3").head_object(Bucket=s3_bucket, Key="f.pdf")
    assert head["ContentType"] == "application/pdf"


def test_s3_missing_bucket_is_a_config_error(aws_env: str) -> None:
    store = s3_store(unique("no-such-bucket"), aws_env)
    with pytest.raises(ConfigError, match="no-such-bucket.* does not exist"):
        list(store.list_objects())
