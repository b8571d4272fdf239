"""Object storage for invoices and models: a local folder per bucket, or S3 through dagster-aws."""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import errno
import hashlib
import io
import os
import shutil
import stat
import unicodedata
from abc import abstractmethod
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

import dagster as dg
from boto3.s3.transfer import TransferConfig
from botocore.exceptions import ClientError, NoCredentialsError
from dagster_aws.s3 import S3Resource
from pydantic import Field, PrivateAttr

from facturas_assets import settings
from facturas_assets.resources._files import TMP_PREFIX, atomic_write
from facturas_assets.settings import ConfigError

_CHUNK = 1024 * 1024


class ObjectNotFoundError(FileNotFoundError):
    """The requested key does not exist in the bucket."""


@dataclass(frozen=True)
class StoredObject:
    """One object of a bucket as a listing reports it."""

    key: str
    size: int
    last_modified: datetime
    etag: str


@dataclass(frozen=True)
class ObjectVersion:
    """Which exact object a read saw: S3 VersionId and ETag, or a local file's identity."""

    version_id: str | None  # None (or S3's "null") when the bucket does not version objects
    etag: str
    # Local files only: their content hash, since an in-place rewrite of the same size within
    # one timestamp tick keeps the inode, size and times.
    sha256: str | None = None


@dataclass(frozen=True)
class VersionedContent:
    """An object's whole content together with the version it was read from."""

    data: bytes
    version: ObjectVersion


class ObjectChangingError(OSError):
    """An object kept changing while it was read (still being written): try again later."""


class NotRegularObjectError(OSError):
    """A landing entry that is not a plain file (a symlink, fifo, socket...): never read."""

    def __init__(self, key: str, reason: str, detail: str, version: ObjectVersion) -> None:
        super().__init__(f"{key!r} is not a regular file: {detail}")
        self.key = key
        self.reason = reason  # "symlink" or "not_a_file"
        self.detail = detail
        self.version = version  # of the entry itself, so it can be removed without following it


S3_MAX_KEY_BYTES = 1024


def key_problem(key: str) -> str | None:
    """Why a key cannot be stored as is by both implementations; None when it can.

    Platform keys must also survive JSON, MySQL, Drive and logs: valid UTF-8 (a local file name
    that is not arrives as surrogate escapes), no control characters, no backslash (a path
    separator elsewhere), no empty, '.', '..', hidden-temp or trailing-slash parts.
    """
    if not key:
        return "empty key"
    try:
        size = len(key.encode("utf-8"))
    except UnicodeEncodeError:
        return "name is not valid UTF-8"
    if size > S3_MAX_KEY_BYTES:
        return f"key longer than {S3_MAX_KEY_BYTES} bytes"
    if any(unicodedata.category(ch) == "Cc" for ch in key):
        return "control character in name"
    if "\\" in key:
        return "backslash in name"
    if key.startswith("/") or key.endswith("/"):
        return "leading or trailing slash"
    if any(p in ("", ".", "..") or p.startswith(TMP_PREFIX) for p in key.split("/")):
        return "empty, '.', '..' or reserved part in key"
    return None


def _check_key(key: str) -> str:
    """A key usable by both implementations (key_problem finds nothing wrong with it)."""
    problem = key_problem(key)
    if problem is not None:
        raise ValueError(f"invalid object key {key!r}: {problem}")
    return key


def _check_landed_key(key: str) -> str:
    """A key found by listing, read or removed as is: only keys that could escape the bucket
    (absolute, '..', empty parts, NUL) are refused; backslashes and odd bytes are not."""
    if not key or key.startswith("/") or "\x00" in key:
        raise ValueError(f"invalid object key {key!r}")
    if any(p in ("", ".", "..") for p in key.split("/")):
        raise ValueError(f"invalid object key {key!r}")
    return key


class ObjectStore(dg.ConfigurableResource):
    """One bucket of objects addressed by S3-style keys ("a/b/c.pdf")."""

    bucket: str = Field(description="Bucket name (a folder under root for the local store).")

    @abstractmethod
    def list_objects(
        self,
        prefix: str = "",
        start_after: str | None = None,
        recursive: bool = True,
        page_size: int = 1000,
    ) -> Iterator[StoredObject]:
        """Objects whose key starts with prefix, in S3 (UTF-8 byte) order, after start_after.

        recursive=False lists only keys directly under the prefix (S3 Delimiter="/").
        """

    @abstractmethod
    def read_bytes(self, key: str) -> bytes:
        """The whole content of an object."""

    @abstractmethod
    def download(self, key: str, path: Path) -> None:
        """Copy an object into a local file (parents created)."""

    @abstractmethod
    def write_bytes(self, key: str, data: bytes, content_type: str | None = None) -> None:
        """Create or replace an object with the given content."""

    @abstractmethod
    def upload(self, path: Path, key: str) -> None:
        """Create or replace an object from a local file."""

    @abstractmethod
    def copy(self, src_key: str, dst_key: str) -> None:
        """Copy one object to another key of the same bucket."""

    @abstractmethod
    def delete(self, key: str) -> None:
        """Remove an object (no error if it is already gone)."""

    @abstractmethod
    def read_version(self, key: str) -> VersionedContent:
        """The content of an object found by listing (any name it has), and its exact version.

        Raises ObjectNotFoundError when it is gone, NotRegularObjectError for a local entry that
        is not a plain file (never followed nor read), ObjectChangingError for a local file
        still being written.
        """

    @abstractmethod
    def delete_version(self, key: str, version: ObjectVersion) -> bool:
        """Remove exactly the version of an object that was read, never a newer upload.

        Returns False when the key now holds other content and was left alone. On a versioned
        bucket only that version goes (no delete marker): a newer upload stays current.
        """

    @abstractmethod
    def exists(self, key: str) -> bool:
        """Whether an object exists at key."""

    @abstractmethod
    def uri(self, key: str) -> str:
        """A link to the object for run metadata (s3://bucket/key or file:///path)."""

    @abstractmethod
    def _open(self, key: str) -> contextlib.AbstractContextManager[BinaryIO]:
        """A readable stream over the object's content."""

    def sha256(self, key: str) -> str:
        """Hex SHA-256 of an object's content, streamed (the object is never held in memory)."""
        digest = hashlib.sha256()
        with self._open(key) as stream:
            while chunk := stream.read(_CHUNK):
                digest.update(chunk)
        return digest.hexdigest()

    def stored_sha256(self, key: str) -> str | None:
        """Hex SHA-256 of an object as the store can prove it; None when there is no object."""
        try:
            return self.sha256(key)
        except ObjectNotFoundError:
            return None

    def write_verified(self, key: str, data: bytes, sha256: str) -> None:
        """Create or replace an object whose content must hash to sha256 (else ValueError)."""
        if hashlib.sha256(data).hexdigest() != sha256:
            raise ValueError(f"content for {key!r} does not hash to {sha256}")
        self.write_bytes(key, data)


class LocalObjectStore(ObjectStore):
    """A bucket as the folder root/bucket; writes are atomic (temp file + rename)."""

    root: str | None = Field(
        default=None, description="Folder holding one folder per bucket (FACTURAS_HOME/buckets)."
    )

    def _bucket_dir(self) -> Path:
        root = Path(self.root) if self.root else settings.home() / "buckets"
        return root / self.bucket

    def _path(self, key: str) -> Path:
        return self._bucket_dir().joinpath(*_check_key(key).split("/"))

    def _landed_path(self, key: str) -> Path:
        return self._bucket_dir().joinpath(*_check_landed_key(key).split("/"))

    def list_objects(
        self,
        prefix: str = "",
        start_after: str | None = None,
        recursive: bool = True,
        page_size: int = 1000,
    ) -> Iterator[StoredObject]:
        """Objects under prefix in S3 key order, walking only the folders that can match."""
        if page_size < 1:
            raise ValueError("page_size must be positive")
        base = self._bucket_dir()
        if not base.is_dir():
            return
        # Start at the deepest folder fully named by the prefix.
        head, _, _ = prefix.rpartition("/")
        if head and any(p in ("", ".", "..") for p in head.split("/")):
            return  # no stored key can have such a prefix (_check_key rejects them)
        start_dir = base.joinpath(*head.split("/")) if head else base
        if not start_dir.is_dir():
            return
        yield from self._walk(start_dir, head + "/" if head else "", prefix, start_after, recursive)

    def _walk(
        self,
        folder: Path,
        key_prefix: str,
        prefix: str,
        start_after: str | None,
        recursive: bool,
    ) -> Iterator[StoredObject]:
        try:
            entries = list(os.scandir(folder))
        except FileNotFoundError:
            return
        # A folder "d" stands for the keys "d/...", which sort as "d/" does.
        ordered = []
        for entry in entries:
            if entry.name.startswith(TMP_PREFIX):
                continue
            is_dir = entry.is_dir(follow_symlinks=False)
            key = key_prefix + entry.name + ("/" if is_dir else "")
            ordered.append((key, is_dir, entry))
        # Code-point order of str equals S3's UTF-8 byte order.
        ordered.sort(key=lambda item: item[0])
        for key, is_dir, entry in ordered:
            if is_dir:
                # Skip subtrees that cannot hold a key matching the prefix or after start_after.
                if not (key.startswith(prefix) or prefix.startswith(key)):
                    continue
                if (
                    start_after is not None
                    and key < start_after
                    and not start_after.startswith(key)
                ):
                    continue
                if not recursive and key.startswith(prefix):
                    continue
                yield from self._walk(Path(entry.path), key, prefix, start_after, recursive)
                continue
            if not key.startswith(prefix):
                continue
            if start_after is not None and key <= start_after:
                continue
            try:
                stat = entry.stat(follow_symlinks=False)
            except FileNotFoundError:  # deleted while listing
                continue
            yield StoredObject(
                key=key,
                size=stat.st_size,
                last_modified=datetime.fromtimestamp(stat.st_mtime, tz=UTC),
                # Cheap stand-in for S3's MD5 ETag: changes whenever the content is rewritten.
                etag=f"{stat.st_mtime_ns:x}-{stat.st_size:x}",
            )

    def _open_file(self, key: str, path: Path) -> BinaryIO:
        """Open an object's file without following a symlink in its place, nor blocking on a
        fifo: a bucket holds plain files only."""
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            raise ObjectNotFoundError(f"no object {key!r} in bucket {self.bucket!r}") from None
        except OSError as exc:
            if exc.errno != errno.ELOOP:
                raise
            try:
                target = os.readlink(path)  # the link's own text; its target is never opened
                version = _file_version(path.lstat())
            except FileNotFoundError:
                raise ObjectNotFoundError(f"no object {key!r} in bucket {self.bucket!r}") from None
            detail = f"symlink to {target!r}"
            raise NotRegularObjectError(key, "symlink", detail, version) from None
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            os.close(fd)
            if stat.S_ISDIR(info.st_mode):  # a folder is a prefix of keys, not an object
                raise ObjectNotFoundError(f"no object {key!r} in bucket {self.bucket!r}")
            detail = f"{stat.filemode(info.st_mode)} entry, not a regular file"
            raise NotRegularObjectError(key, "not_a_file", detail, _file_version(info))
        return os.fdopen(fd, "rb")

    @contextlib.contextmanager
    def _open(self, key: str) -> Iterator[BinaryIO]:
        with self._open_file(key, self._path(key)) as stream:
            yield stream

    def _put(self, key: str, fill: Callable[[BinaryIO], object]) -> None:
        """Atomic write of an object's file; S3 keys that cannot coexist as files are refused."""
        try:
            atomic_write(self._path(key), fill)
        except (IsADirectoryError, NotADirectoryError, FileExistsError):
            raise ValueError(
                f"key {key!r} collides with another key's folder in local bucket {self.bucket!r} "
                "(a key cannot be both an object and a prefix of other keys here)"
            ) from None

    def read_bytes(self, key: str) -> bytes:
        """The whole content of an object."""
        with self._open(key) as stream:
            return stream.read()

    def download(self, key: str, path: Path) -> None:
        """Copy an object into a local file (parents created, written atomically)."""
        with self._open(key) as stream:
            atomic_write(Path(path), lambda out: shutil.copyfileobj(stream, out, _CHUNK))

    def write_bytes(self, key: str, data: bytes, content_type: str | None = None) -> None:
        """Create or replace an object atomically (content_type is not kept locally)."""
        self._put(key, lambda out: out.write(data))

    def upload(self, path: Path, key: str) -> None:
        """Create or replace an object from a local file, atomically."""
        with Path(path).open("rb") as src:
            self._put(key, lambda out: shutil.copyfileobj(src, out, _CHUNK))

    def copy(self, src_key: str, dst_key: str) -> None:
        """Copy one object to another key, atomically."""
        with self._open(src_key) as src:
            self._put(dst_key, lambda out: shutil.copyfileobj(src, out, _CHUNK))

    def delete(self, key: str) -> None:
        """Remove an object and any folders it leaves empty (S3 has no empty folders)."""
        path = self._path(key)
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        base = self._bucket_dir()
        parent = path.parent
        while parent != base and base in parent.parents:
            try:
                parent.rmdir()
            except OSError:  # not empty, or already removed by a concurrent delete
                break
            parent = parent.parent

    def read_version(self, key: str) -> VersionedContent:
        """Content, file identity and content hash read through one descriptor."""
        path = self._landed_path(key)
        for _ in range(_STABLE_READ_ATTEMPTS):
            with self._open_file(key, path) as stream:
                before = _file_version(os.fstat(stream.fileno()))
                data = stream.read()
                after = _file_version(os.fstat(stream.fileno()))
            if before == after:  # else rewritten mid-read: the bytes may be torn, read again
                digest = hashlib.sha256(data).hexdigest()
                return VersionedContent(data, dataclasses.replace(after, sha256=digest))
        raise ObjectChangingError(f"{key!r} kept changing while it was read")

    def delete_version(self, key: str, version: ObjectVersion) -> bool:
        """Unlink the entry only while it is still the one read: same identity and content."""
        path = self._landed_path(key)
        try:
            current = _file_version(path.lstat())  # lstat: a symlink is compared, not followed
        except FileNotFoundError:
            return True  # already gone
        if current.etag != version.etag:
            return False  # replaced or rewritten since it was read: the next batch takes it
        if version.sha256 is not None:
            digest = hashlib.sha256()
            try:
                with self._open_file(key, path) as stream:
                    while chunk := stream.read(_CHUNK):
                        digest.update(chunk)
            except ObjectNotFoundError:
                return True  # removed meanwhile (a racing batch that copied the same file)
            except NotRegularObjectError:
                return False  # replaced by something else meanwhile: left for the next batch
            if digest.hexdigest() != version.sha256:
                return False
        # A replacement landing between these checks and the unlink is a window of
        # microseconds, no longer the length of a batch's copy.
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        return True

    def exists(self, key: str) -> bool:
        """Whether an object exists at key."""
        return self._path(key).is_file()

    def uri(self, key: str) -> str:
        """file:// URI of the object's file."""
        return self._path(key).resolve().as_uri()


_STABLE_READ_ATTEMPTS = 3


def _file_version(info: os.stat_result) -> ObjectVersion:
    """A local file's identity: any rewrite changes its times, any replacement its inode."""
    ident = (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
    return ObjectVersion(version_id=None, etag="-".join(f"{n:x}" for n in ident))


class S3ObjectStore(ObjectStore):
    """A bucket in S3, through dagster-aws's S3Resource (standard-mode retries with backoff)."""

    s3: S3Resource = Field(
        description="dagster-aws S3 resource: region, endpoint_url, max_attempts (retries)."
    )
    multipart_threshold_mb: int = Field(
        default=16, description="Uploads larger than this use S3 multipart (managed transfer)."
    )

    _client: Any = PrivateAttr(default=None)

    def _s3(self) -> Any:
        # One client per resource instance: boto3 clients are thread-safe and pool connections.
        if self._client is None:
            self._client = self.s3.get_client()
        return self._client

    def _transfer_config(self) -> TransferConfig:
        size = self.multipart_threshold_mb * 1024 * 1024
        return TransferConfig(multipart_threshold=size, multipart_chunksize=size)

    @contextlib.contextmanager
    def _errors(self, key: str | None = None) -> Iterator[None]:
        """Translate S3 errors: missing key -> ObjectNotFoundError, missing bucket -> ConfigError."""
        try:
            yield
        except ClientError as exc:
            error = exc.response.get("Error", {})
            code = str(error.get("Code", ""))
            if code == "NoSuchBucket":
                raise ConfigError(f"S3 bucket {self.bucket!r} does not exist") from None
            if code in ("NoSuchKey", "404", "NotFound"):
                raise ObjectNotFoundError(f"no object {key!r} in bucket {self.bucket!r}") from None
            raise
        except NoCredentialsError:
            raise ConfigError(
                f"no AWS credentials found for S3 bucket {self.bucket!r} "
                "(set an instance/task role or AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)"
            ) from None

    def list_objects(
        self,
        prefix: str = "",
        start_after: str | None = None,
        recursive: bool = True,
        page_size: int = 1000,
    ) -> Iterator[StoredObject]:
        """Objects under prefix via ListObjectsV2 pages of page_size keys."""
        if page_size < 1:
            raise ValueError("page_size must be positive")
        kwargs: dict[str, Any] = {"Bucket": self.bucket, "Prefix": prefix}
        if start_after:
            kwargs["StartAfter"] = start_after
        if not recursive:
            kwargs["Delimiter"] = "/"
        paginator = self._s3().get_paginator("list_objects_v2")
        with self._errors():
            for page in paginator.paginate(**kwargs, PaginationConfig={"PageSize": page_size}):
                for item in page.get("Contents", []):
                    yield StoredObject(
                        key=item["Key"],
                        size=int(item["Size"]),
                        last_modified=item["LastModified"],
                        etag=str(item.get("ETag", "")).strip('"'),
                    )

    @contextlib.contextmanager
    def _open(self, key: str) -> Iterator[BinaryIO]:
        with self._errors(key):
            body = self._s3().get_object(Bucket=self.bucket, Key=_check_key(key))["Body"]
        try:
            yield body
        finally:
            body.close()

    def read_bytes(self, key: str) -> bytes:
        """The whole content of an object."""
        with self._open(key) as body:
            return body.read()

    def download(self, key: str, path: Path) -> None:
        """Managed (multipart, parallel) download into a local file."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._errors(key):
            self._s3().download_file(
                self.bucket, _check_key(key), str(path), Config=self._transfer_config()
            )

    def write_bytes(self, key: str, data: bytes, content_type: str | None = None) -> None:
        """Create or replace an object (managed transfer: multipart when large)."""
        extra = {"ContentType": content_type} if content_type else {}
        with self._errors(key):
            self._s3().upload_fileobj(
                io.BytesIO(data),
                self.bucket,
                _check_key(key),
                ExtraArgs=extra,
                Config=self._transfer_config(),
            )

    def write_verified(self, key: str, data: bytes, sha256: str) -> None:
        """One PUT carrying the SHA-256: S3 refuses to store bytes that do not hash to it, and
        keeps it with the object, so stored_sha256 later answers from a HEAD request."""
        checksum = base64.b64encode(bytes.fromhex(sha256)).decode()
        with self._errors(key):
            self._s3().put_object(
                Bucket=self.bucket,
                Key=_check_key(key),
                Body=data,
                ChecksumAlgorithm="SHA256",
                ChecksumSHA256=checksum,
            )

    def stored_sha256(self, key: str) -> str | None:
        """The SHA-256 checksum S3 keeps with the object (one HEAD), else the content's hash."""
        try:
            with self._errors(key):
                head = self._s3().head_object(
                    Bucket=self.bucket, Key=_check_key(key), ChecksumMode="ENABLED"
                )
        except ObjectNotFoundError:
            return None
        stored = head.get("ChecksumSHA256")
        # A multipart upload's checksum is of its parts ("...-N"): not the content's own hash.
        if (
            stored
            and "-" not in stored
            and head.get("ChecksumType", "FULL_OBJECT") == "FULL_OBJECT"
        ):
            return base64.b64decode(stored).hex()
        return super().stored_sha256(key)  # written without one: read and hashed

    def upload(self, path: Path, key: str) -> None:
        """Create or replace an object from a local file (managed transfer)."""
        with self._errors(key):
            self._s3().upload_file(
                str(path), self.bucket, _check_key(key), Config=self._transfer_config()
            )

    def copy(self, src_key: str, dst_key: str) -> None:
        """Server-side copy within the bucket (managed: multipart copy for large objects)."""
        with self._errors(src_key):
            self._s3().copy(
                {"Bucket": self.bucket, "Key": _check_key(src_key)},
                self.bucket,
                _check_key(dst_key),
                Config=self._transfer_config(),
            )

    def delete(self, key: str) -> None:
        """Remove an object (S3 delete is idempotent)."""
        with self._errors(key):
            self._s3().delete_object(Bucket=self.bucket, Key=_check_key(key))

    def read_version(self, key: str) -> VersionedContent:
        """One GET: the body and the VersionId/ETag of exactly what it returned."""
        with self._errors(key):
            response = self._s3().get_object(Bucket=self.bucket, Key=_check_landed_key(key))
        with contextlib.closing(response["Body"]) as body:
            data = body.read()
        version = ObjectVersion(
            version_id=response.get("VersionId"), etag=str(response.get("ETag", "")).strip('"')
        )
        return VersionedContent(data, version)

    def delete_version(self, key: str, version: ObjectVersion) -> bool:
        """Version-specific delete on a versioned bucket, else a conditional (If-Match) delete."""
        key = _check_landed_key(key)
        kwargs: dict[str, Any] = {"Bucket": self.bucket, "Key": key}
        if version.version_id and version.version_id != "null":
            kwargs["VersionId"] = version.version_id
        else:
            kwargs["IfMatch"] = f'"{version.etag}"'
        try:
            with self._errors(key):
                self._s3().delete_object(**kwargs)
        except ObjectNotFoundError:
            return True  # already gone
        except ClientError as exc:
            code = str(exc.response.get("Error", {}).get("Code", ""))
            if code in ("PreconditionFailed", "412"):
                return False  # replaced since it was read
            raise
        return True

    def exists(self, key: str) -> bool:
        """Whether an object exists at key (HEAD request)."""
        try:
            with self._errors(key):
                self._s3().head_object(Bucket=self.bucket, Key=_check_key(key))
        except ObjectNotFoundError:
            return False
        return True

    def uri(self, key: str) -> str:
        """s3://bucket/key."""
        return f"s3://{self.bucket}/{_check_key(key)}"
