"""The Google Drive archive: folders on disk locally, Drive v3 (google-api-python-client) in prod."""

from __future__ import annotations

import hashlib
import io
import json
import mimetypes
import unicodedata
from abc import abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dagster as dg
from pydantic import Field, PrivateAttr

from facturas_assets import settings
from facturas_assets.resources._config import resolved
from facturas_assets.resources._files import TMP_PREFIX, atomic_write_bytes
from facturas_assets.resources.secrets import read_json_secret
from facturas_assets.settings import ConfigError

FOLDER_MIME = "application/vnd.google-apps.folder"
DRIVE_SCOPES = ("https://www.googleapis.com/auth/drive",)
# Hidden folder of LocalDrive's sidecar index, in every archive folder.
_LOCAL_META_DIR = ".drive"


class DriveFileNotFoundError(FileNotFoundError):
    """No file with that id or path in the archive."""


@dataclass(frozen=True)
class DriveFile:
    """One archived file; path is relative to the archive root ("histórico/f.pdf")."""

    id: str
    name: str
    path: str
    size: int
    mime_type: str
    sha256: str | None = None
    md5: str | None = None


def folder_parts(path: str) -> list[str]:
    """The folder names of a path like "invoices_train/preventiva" (NFC, no empty or dot parts)."""
    parts = [unicodedata.normalize("NFC", p) for p in path.strip("/").split("/") if p != ""]
    for part in parts:
        _check_name(part)
    return parts


def _check_name(name: str) -> str:
    """A file or folder name valid in both implementations (no slash, dot names or NUL)."""
    if not name or name in (".", "..") or "/" in name or "\x00" in name:
        raise ValueError(f"invalid Drive name {name!r}")
    if name.startswith(TMP_PREFIX) or name == _LOCAL_META_DIR:
        raise ValueError(f"reserved Drive name {name!r}")
    return unicodedata.normalize("NFC", name)


def _verified_sha256(data: bytes, sha256: str) -> str:
    """The given SHA-256 after checking it against data (archiving a wrong hash loses files)."""
    actual = hashlib.sha256(data).hexdigest()
    if actual != sha256.lower():
        raise ValueError(f"sha256 {sha256!r} does not match the data (which hashes to {actual})")
    return actual


class DriveResource(dg.ConfigurableResource):
    """An archive of files in folders; uploads are idempotent on the content's SHA-256."""

    @abstractmethod
    def folder_id(self, path: str) -> str:
        """Id of the folder at path under the root, creating missing folders ("" is the root)."""

    @abstractmethod
    def list_files(self, folder_path: str, recursive: bool = False) -> list[DriveFile]:
        """Files (not folders) in a folder, or in its whole subtree; [] if it does not exist."""

    @abstractmethod
    def upload(
        self, folder_path: str, name: str, data: bytes, mime_type: str, sha256: str
    ) -> DriveFile:
        """Store data in the folder, unless a file with the same SHA-256 already sits there."""

    @abstractmethod
    def download(self, file_id_or_path: str) -> bytes:
        """Content of a file given its id or its path ("histórico/f.pdf")."""

    @abstractmethod
    def remove(self, folder_path: str, sha256: str) -> bool:
        """Take the file holding that content out of the folder (Drive: to the trash); False
        when the folder holds no such file."""


# ---------------------------------------------------------------------------------------------
# Local folders


class LocalDrive(DriveResource):
    """Folders on disk; ids are paths relative to the root; SHA-256 kept in a sidecar index.

    Each folder holds a hidden ``.drive/`` with ``meta/<name>.json`` ({sha256, mime_type}) and
    ``sha256/<hex>`` (the name holding that content), so the idempotency check is one lookup.
    Files dropped in by hand (no sidecar) are hashed when listed.
    """

    root: str | None = Field(default=None, description="Archive folder (FACTURAS_HOME/drive).")

    def _root(self) -> Path:
        return Path(self.root) if self.root else settings.home() / "drive"

    def folder_id(self, path: str) -> str:
        """The folder's path relative to the root ("." for the root), created if missing."""
        parts = folder_parts(path)
        self._root().joinpath(*parts).mkdir(parents=True, exist_ok=True)
        return "/".join(parts) or "."

    def list_files(self, folder_path: str, recursive: bool = False) -> list[DriveFile]:
        """Files of a folder (and subfolders when recursive), sorted by path."""
        parts = folder_parts(folder_path)
        folder = self._root().joinpath(*parts)
        if not folder.is_dir():
            return []
        return list(self._iter_files(folder, "/".join(parts), recursive))

    def _iter_files(self, folder: Path, rel: str, recursive: bool) -> Iterator[DriveFile]:
        for entry in sorted(folder.iterdir(), key=lambda p: p.name):
            if entry.name == _LOCAL_META_DIR or entry.name.startswith(TMP_PREFIX):
                continue
            path = f"{rel}/{entry.name}" if rel else entry.name
            if entry.is_dir():
                if recursive:
                    yield from self._iter_files(entry, path, recursive)
            elif entry.is_file():
                yield self._describe(entry, path)

    def _describe(self, file: Path, path: str) -> DriveFile:
        meta_file = file.parent / _LOCAL_META_DIR / "meta" / f"{file.name}.json"
        try:
            meta = json.loads(meta_file.read_text("utf-8"))
        except (FileNotFoundError, json.JSONDecodeError):
            meta = {}
        sha = meta.get("sha256") or _file_sha256(file)
        mime = (
            meta.get("mime_type")
            or mimetypes.guess_type(file.name)[0]
            or "application/octet-stream"
        )
        return DriveFile(
            id=path, name=file.name, path=path, size=file.stat().st_size, mime_type=mime, sha256=sha
        )

    def upload(
        self, folder_path: str, name: str, data: bytes, mime_type: str, sha256: str
    ) -> DriveFile:
        """Write the file unless its SHA-256 is already in the folder; a name clash gets " (n)"."""
        sha = _verified_sha256(data, sha256)
        name = _check_name(name)
        rel = self.folder_id(folder_path)
        folder = self._root() if rel == "." else self._root().joinpath(*rel.split("/"))
        meta_dir = folder / _LOCAL_META_DIR
        index = meta_dir / "sha256" / sha
        if index.is_file():
            existing = index.read_text("utf-8")
            if (folder / existing).is_file():
                return self._describe(folder / existing, _join(rel, existing))
        target = _free_name(folder, name)
        atomic_write_bytes(target, data)
        meta = {"sha256": sha, "mime_type": mime_type}
        atomic_write_bytes(meta_dir / "meta" / f"{target.name}.json", json.dumps(meta).encode())
        # The index entry is written last: it marks the upload complete.
        atomic_write_bytes(index, target.name.encode("utf-8"))
        return DriveFile(
            id=_join(rel, target.name),
            name=target.name,
            path=_join(rel, target.name),
            size=len(data),
            mime_type=mime_type,
            sha256=sha,
        )

    def download(self, file_id_or_path: str) -> bytes:
        """Content of the file at that relative path (ids are paths here)."""
        parts = folder_parts(file_id_or_path)
        file = self._root().joinpath(*parts)
        if not parts or not file.is_file():
            raise DriveFileNotFoundError(f"no file {file_id_or_path!r} in the local Drive archive")
        return file.read_bytes()

    def remove(self, folder_path: str, sha256: str) -> bool:
        """Delete the file of that content and its sidecar entries (index entry first)."""
        parts = folder_parts(folder_path)
        folder = self._root().joinpath(*parts)
        index = folder / _LOCAL_META_DIR / "sha256" / sha256.lower()
        if not index.is_file():
            return False
        name = index.read_text("utf-8")
        index.unlink()
        (folder / _LOCAL_META_DIR / "meta" / f"{name}.json").unlink(missing_ok=True)
        (folder / name).unlink(missing_ok=True)
        return True


def _join(folder_rel: str, name: str) -> str:
    return name if folder_rel == "." else f"{folder_rel}/{name}"


def _free_name(folder: Path, name: str) -> Path:
    """name, or "stem (2).ext", "stem (3).ext"... whichever is free (Drive allows duplicates)."""
    candidate = folder / name
    stem, suffix = Path(name).stem, Path(name).suffix
    n = 2
    while candidate.exists():
        candidate = folder / f"{stem} ({n}){suffix}"
        n += 1
    return candidate


def _file_sha256(file: Path) -> str:
    digest = hashlib.sha256()
    with file.open("rb") as stream:
        while chunk := stream.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


# ---------------------------------------------------------------------------------------------
# Google Drive v3

_FILE_FIELDS = "id, name, mimeType, size, md5Checksum, sha256Checksum, appProperties"


def _q_literal(value: str) -> str:
    """A string literal for a Drive query (backslash and quote escaped)."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


class GoogleDrive(DriveResource):
    """Drive v3 through google-api-python-client, with credentials from Secrets Manager.

    The secret (default ``textil/google/oauth``) holds either a service-account key JSON or an
    authorized-user OAuth JSON (client_id, client_secret, refresh_token). Requests answered
    429/5xx are retried ``num_retries`` times with exponential backoff by the client library.
    """

    root_folder_id: str | None = Field(
        default=None,
        description="Folder the archive lives in (env FACTURAS_DRIVE_ROOT_FOLDER_ID); My Drive root when unset.",
    )
    shared_drive_id: str | None = Field(
        default=None, description="Id of the shared drive holding the root folder, if any."
    )
    secret_name: str = Field(default=settings.GOOGLE_SECRET, description="Credentials secret.")
    region_name: str = Field(default="us-east-1", description="Region of the secret.")
    api_endpoint: str | None = Field(
        default=None, description="Base URL of the Drive API (tests point it at a local server)."
    )
    token_uri: str | None = Field(
        default=None,
        description="OAuth token URL override (google-auth pins Google's for user credentials).",
    )
    ca_certs: str | None = Field(
        default=None,
        description="CA bundle to verify the API's TLS certificate (default: certifi).",
    )
    num_retries: int = Field(default=5, description="Retries of 429/5xx answers, with backoff.")
    timeout_seconds: int = Field(default=60, description="Socket timeout of each request.")
    page_size: int = Field(default=1000, description="Items per files.list page (max 1000).")
    resumable_threshold_bytes: int = Field(
        default=5 * 1024 * 1024, description="Uploads larger than this are resumable, in chunks."
    )
    chunk_size_bytes: int = Field(
        default=8 * 1024 * 1024, description="Resumable upload chunk (a multiple of 256 KiB)."
    )

    _service: Any = PrivateAttr(default=None)
    _folders: dict[str, str] = PrivateAttr(default_factory=dict)

    # -- plumbing -------------------------------------------------------------------------

    def _credentials(self) -> Any:
        from google.oauth2 import credentials as user_credentials
        from google.oauth2 import service_account

        info = read_json_secret(self.secret_name, self.region_name)
        creds: Any = None
        try:
            if info.get("type") == "service_account":
                creds = service_account.Credentials.from_service_account_info(
                    info, scopes=DRIVE_SCOPES
                )
            elif info.get("type") in (None, "authorized_user"):
                creds = user_credentials.Credentials.from_authorized_user_info(
                    info, scopes=DRIVE_SCOPES
                )
        except ValueError as exc:  # google-auth names the missing fields, never their values
            raise ConfigError(f"secret {self.secret_name!r}: {exc}") from None
        if creds is not None:
            return creds.with_token_uri(self.token_uri) if self.token_uri else creds
        raise ConfigError(
            f"secret {self.secret_name!r} is neither a service-account key nor an authorized-user "
            f"OAuth JSON (type={info.get('type')!r})"
        )

    def _drive(self) -> Any:
        """The Drive v3 service, built once per resource instance from the bundled discovery doc."""
        if self._service is None:
            import google_auth_httplib2
            import httplib2
            from google.api_core.client_options import ClientOptions
            from googleapiclient.discovery import build

            transport = httplib2.Http(timeout=self.timeout_seconds, ca_certs=self.ca_certs)
            # 308 is "resume incomplete" in resumable uploads, not a redirect (as build_http does).
            transport.redirect_codes = transport.redirect_codes - {308}
            http = google_auth_httplib2.AuthorizedHttp(self._credentials(), http=transport)
            options = ClientOptions(api_endpoint=self.api_endpoint) if self.api_endpoint else None
            self._service = build(
                "drive",
                "v3",
                http=http,
                client_options=options,
                static_discovery=True,
                cache_discovery=False,
            )
        return self._service

    def _run(self, request: Any) -> Any:
        """Execute a request with retries; refused credentials become a ConfigError."""
        from google.auth.exceptions import RefreshError

        try:
            return request.execute(num_retries=self.num_retries)
        except RefreshError as exc:
            if getattr(exc, "retryable", False):
                raise  # the token endpoint failed transiently: not a configuration problem
            raise ConfigError(
                f"Google refused the credentials in secret {self.secret_name!r}: {exc}"
            ) from None

    def _root_id(self) -> str:
        return resolved(self.root_folder_id) or "root"

    def _list_kwargs(self) -> dict[str, Any]:
        shared_drive = resolved(self.shared_drive_id)
        if shared_drive:
            return {
                "corpora": "drive",
                "driveId": shared_drive,
                "includeItemsFromAllDrives": True,
                "supportsAllDrives": True,
            }
        return {"includeItemsFromAllDrives": True, "supportsAllDrives": True}

    def _query(self, q: str, fields: str = _FILE_FIELDS) -> Iterator[dict[str, Any]]:
        """All items matching a query, page after page, oldest first."""
        token: str | None = None
        while True:
            page = self._run(
                self._drive()
                .files()
                .list(
                    q=q,
                    fields=f"nextPageToken, files({fields})",
                    pageSize=self.page_size,
                    pageToken=token,
                    orderBy="createdTime",
                    **self._list_kwargs(),
                )
            )
            yield from page.get("files", [])
            token = page.get("nextPageToken")
            if not token:
                return

    def _child_folder(self, parent_id: str, name: str) -> str | None:
        q = (
            f"{_q_literal(parent_id)} in parents and name = {_q_literal(name)} "
            f"and mimeType = '{FOLDER_MIME}' and trashed = false"
        )
        # The oldest wins should two runs ever have created the same folder at once.
        return next((item["id"] for item in self._query(q, "id")), None)

    def _find_folder(self, path: str, create: bool) -> str | None:
        parts = folder_parts(path)
        parent = self._root_id()
        walked: list[str] = []
        for part in parts:
            walked.append(part)
            key = "/".join(walked)
            cached = self._folders.get(key)
            if cached is None:
                cached = self._child_folder(parent, part)
                if cached is None:
                    if not create:
                        return None
                    body = {"name": part, "mimeType": FOLDER_MIME, "parents": [parent]}
                    created = self._run(
                        self._drive().files().create(body=body, fields="id", supportsAllDrives=True)
                    )
                    cached = created["id"]
                self._folders[key] = cached
            parent = cached
        return parent

    @staticmethod
    def _to_file(item: dict[str, Any], folder_path: str) -> DriveFile:
        name = item["name"]
        props = item.get("appProperties") or {}
        return DriveFile(
            id=item["id"],
            name=name,
            path=f"{folder_path}/{name}" if folder_path else name,
            size=int(item.get("size") or 0),
            mime_type=item.get("mimeType", "application/octet-stream"),
            sha256=props.get("sha256") or item.get("sha256Checksum"),
            md5=item.get("md5Checksum"),
        )

    # -- interface ------------------------------------------------------------------------

    def folder_id(self, path: str) -> str:
        """Id of the folder at path under root_folder_id, creating missing folders."""
        folder = self._find_folder(path, create=True)
        assert folder is not None
        return folder

    def list_files(self, folder_path: str, recursive: bool = False) -> list[DriveFile]:
        """Files in a folder (all pages), descending into subfolders when recursive."""
        folder = self._find_folder(folder_path, create=False)
        if folder is None:
            return []
        return list(self._files_in(folder, "/".join(folder_parts(folder_path)), recursive))

    def _files_in(self, folder_id: str, folder_path: str, recursive: bool) -> Iterator[DriveFile]:
        q = f"{_q_literal(folder_id)} in parents and trashed = false"
        for item in self._query(q):
            if item.get("mimeType") == FOLDER_MIME:
                if recursive:
                    sub = f"{folder_path}/{item['name']}" if folder_path else item["name"]
                    yield from self._files_in(item["id"], sub, recursive)
            else:
                yield self._to_file(item, folder_path)

    def upload(
        self, folder_path: str, name: str, data: bytes, mime_type: str, sha256: str
    ) -> DriveFile:
        """Upload with appProperties.sha256, or return the file already holding that content."""
        from googleapiclient.http import MediaIoBaseUpload

        sha = _verified_sha256(data, sha256)
        name = _check_name(name)
        folder = self.folder_id(folder_path)
        path = "/".join(folder_parts(folder_path))
        q = (
            f"{_q_literal(folder)} in parents and "
            f"appProperties has {{ key='sha256' and value={_q_literal(sha)} }} and trashed = false"
        )
        existing = next(iter(self._query(q)), None)
        if existing is not None:
            return self._to_file(existing, path)
        media = MediaIoBaseUpload(
            io.BytesIO(data),
            mimetype=mime_type,
            chunksize=self.chunk_size_bytes,
            resumable=len(data) > self.resumable_threshold_bytes,
        )
        body = {"name": name, "parents": [folder], "appProperties": {"sha256": sha}}
        created = self._run(
            self._drive()
            .files()
            .create(body=body, media_body=media, fields=_FILE_FIELDS, supportsAllDrives=True)
        )
        return self._to_file(created, path)

    def download(self, file_id_or_path: str) -> bytes:
        """Content by id; a value with "/" (or an unknown id) is taken as a path under the root."""
        from googleapiclient.errors import HttpError

        if "/" not in file_id_or_path:
            try:
                return self._get_media(file_id_or_path)
            except HttpError as exc:
                if exc.resp.status != 404:
                    raise
        file_id = self._file_id_at(file_id_or_path)
        if file_id is None:
            raise DriveFileNotFoundError(f"no file {file_id_or_path!r} in Google Drive")
        return self._get_media(file_id)

    def _get_media(self, file_id: str) -> bytes:
        request = self._drive().files().get_media(fileId=file_id, supportsAllDrives=True)
        return self._run(request)

    def remove(self, folder_path: str, sha256: str) -> bool:
        """Trash the folder's files holding that content (kept recoverable, as Drive does)."""
        folder = self._find_folder("/".join(folder_parts(folder_path)), create=False)
        if folder is None:
            return False
        q = (
            f"{_q_literal(folder)} in parents and appProperties has "
            f"{{ key='sha256' and value={_q_literal(sha256.lower())} }} and trashed = false"
        )
        found = [item["id"] for item in self._query(q, "id")]
        for file_id in found:
            self._run(
                self._drive()
                .files()
                .update(fileId=file_id, body={"trashed": True}, fields="id", supportsAllDrives=True)
            )
        return bool(found)

    def _file_id_at(self, path: str) -> str | None:
        parts = folder_parts(path)
        if not parts:
            return None
        folder = self._find_folder("/".join(parts[:-1]), create=False)
        if folder is None:
            return None
        q = (
            f"{_q_literal(folder)} in parents and name = {_q_literal(parts[-1])} "
            f"and mimeType != '{FOLDER_MIME}' and trashed = false"
        )
        return next((item["id"] for item in self._query(q, "id")), None)
