"""A local HTTP server speaking the Google Drive v3 subset the archive uses, plus an OAuth token URL.

Served: POST /token (refresh_token and JWT-bearer grants), GET /drive/v3/files (files.list with
`q`, `fields`, `pageSize`, `pageToken`, `orderBy`), POST /drive/v3/files (metadata-only create),
POST /upload/drive/v3/files (uploadType=multipart | media | resumable), PUT of resumable chunks,
GET /drive/v3/files/<id> (metadata, or content with alt=media). Requests need a Bearer token the
token URL issued. It speaks HTTPS with a self-signed certificate (`ca_file`): point GoogleDrive at
it with api_endpoint=`api_endpoint`, token_uri=`token_uri`, ca_certs=`ca_file`.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import re
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs

from facturas_assets_tests.fakes.http_base import FakeServer, Recorded

FOLDER_MIME = "application/vnd.google-apps.folder"
ROOT_ID = "0AFakeRootFolderId"
_DEFAULT_FIELDS = {"kind", "id", "name", "mimeType"}
_JSON = {"Content-Type": "application/json; charset=UTF-8"}


@dataclass
class StoredFile:
    """A file or folder held by the fake."""

    id: str
    name: str
    mime_type: str
    parents: list[str]
    created: datetime
    app_properties: dict[str, str] = field(default_factory=dict)
    content: bytes | None = None
    trashed: bool = False

    def resource(self) -> dict[str, Any]:
        """The Drive v3 File resource (all the fields the fake knows)."""
        out: dict[str, Any] = {
            "kind": "drive#file",
            "id": self.id,
            "name": self.name,
            "mimeType": self.mime_type,
            "parents": list(self.parents),
            "createdTime": self.created.isoformat().replace("+00:00", "Z"),
            "trashed": self.trashed,
        }
        if self.app_properties:
            out["appProperties"] = dict(self.app_properties)
        if self.content is not None:
            out["size"] = str(len(self.content))  # int64 travels as a JSON string
            out["md5Checksum"] = hashlib.md5(self.content).hexdigest()
            out["sha256Checksum"] = hashlib.sha256(self.content).hexdigest()
        return out


class DriveApiError(Exception):
    """An error answer in Drive's JSON error format."""

    def __init__(self, status: int, reason: str, message: str) -> None:
        super().__init__(message)
        self.status, self.reason, self.message = status, reason, message

    def answer(self) -> tuple[int, dict[str, str], bytes]:
        body = {
            "error": {
                "code": self.status,
                "message": self.message,
                "errors": [{"domain": "global", "reason": self.reason, "message": self.message}],
            }
        }
        return self.status, _JSON, json.dumps(body).encode()


# ------------------------------------------------------------------------------------------
# The `q` query language (the subset used): conditions joined by `and`.

_TOKEN = re.compile(
    r"\s*(?:(?P<str>'(?:[^'\\]|\\.)*')|(?P<op>!=|=|\{|\})|(?P<word>[A-Za-z_][A-Za-z0-9_]*))"
)

Predicate = Callable[[StoredFile], bool]


def _tokens(q: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    q = q.rstrip()
    while pos < len(q):
        match = _TOKEN.match(q, pos)
        if not match or match.end() == pos:
            raise DriveApiError(400, "invalid", f"Invalid Value: cannot parse q at {q[pos:]!r}")
        kind = match.lastgroup or ""
        text = match.group(kind)
        if kind == "str":
            text = re.sub(r"\\(.)", r"\1", text[1:-1])
        out.append((kind, text))
        pos = match.end()
    return out


def parse_query(q: str) -> list[Predicate]:
    """Predicates that all must hold, from a Drive `q` string; 400 for anything unsupported."""
    tokens = _tokens(q)
    predicates: list[Predicate] = []
    i = 0

    def expect(kind: str, text: str | None = None) -> str:
        nonlocal i
        if i >= len(tokens) or tokens[i][0] != kind or (text and tokens[i][1] != text):
            raise DriveApiError(400, "invalid", f"Invalid Value: unexpected token in q: {q!r}")
        i += 1
        return tokens[i - 1][1]

    while True:
        kind, text = tokens[i] if i < len(tokens) else ("", "")
        if kind == "str":
            parent = expect("str")
            parent = ROOT_ID if parent == "root" else parent
            expect("word", "in")
            expect("word", "parents")
            predicates.append(lambda f, p=parent: p in f.parents)
        elif kind == "word" and text == "appProperties":
            expect("word")
            expect("word", "has")
            expect("op", "{")
            expect("word", "key")
            expect("op", "=")
            key = expect("str")
            expect("word", "and")
            expect("word", "value")
            expect("op", "=")
            value = expect("str")
            expect("op", "}")
            predicates.append(lambda f, k=key, v=value: f.app_properties.get(k) == v)
        elif kind == "word" and text in ("name", "mimeType"):
            attr = {"name": "name", "mimeType": "mime_type"}[expect("word")]
            op = expect("op")
            value = expect("str")
            if op not in ("=", "!="):
                raise DriveApiError(400, "invalid", f"Invalid Value: operator {op} in q")
            predicates.append(lambda f, a=attr, o=op, v=value: (getattr(f, a) == v) == (o == "="))
        elif kind == "word" and text == "trashed":
            expect("word")
            op = expect("op")
            flag = expect("word")
            if flag not in ("true", "false") or op not in ("=", "!="):
                raise DriveApiError(400, "invalid", f"Invalid Value: trashed {op} {flag}")
            wanted = (flag == "true") == (op == "=")
            predicates.append(lambda f, w=wanted: f.trashed == w)
        else:
            raise DriveApiError(400, "invalid", f"Invalid Value: unsupported q: {q!r}")
        if i == len(tokens):
            return predicates
        expect("word", "and")


def _select(resource: dict[str, Any], fields: str | None) -> dict[str, Any]:
    """A File resource reduced to a `fields` list ("id, name, appProperties" or "*")."""
    if fields is None:
        wanted = _DEFAULT_FIELDS
    else:
        wanted = {f.strip() for f in fields.split(",") if f.strip()}
    if "*" in wanted:
        return resource
    return {k: v for k, v in resource.items() if k in wanted}


def _split_list_fields(fields: str | None) -> tuple[bool, str | None]:
    """From files.list `fields`: whether nextPageToken is wanted, and the per-file fields."""
    if fields is None:
        return True, None
    match = re.search(r"files\(([^)]*)\)", fields)
    rest = re.sub(r"files\([^)]*\)", "", fields)
    top = {f.strip() for f in rest.split(",") if f.strip()}
    if match is None and "files" not in top and "*" not in top:
        raise DriveApiError(400, "invalid", f"Invalid field selection {fields}")
    per_file = match.group(1) if match else "*"
    return ("nextPageToken" in top or "*" in top), per_file


# ------------------------------------------------------------------------------------------


@dataclass
class _Upload:
    metadata: dict[str, Any]
    total: int | None
    received: bytearray = field(default_factory=bytearray)


class DriveServer(FakeServer):
    """The fake Drive: an in-memory tree of files under a root folder."""

    def __init__(self) -> None:
        # HTTPS: googleapiclient keeps the https scheme of media URLs whatever the api_endpoint.
        super().__init__(tls=True)
        self.files: dict[str, StoredFile] = {}
        self.tokens: set[str] = set()
        self.token_grants: list[str] = []
        self._uploads: dict[str, _Upload] = {}
        self._clock = itertools.count()
        self._epoch = datetime(2024, 1, 1, tzinfo=UTC)
        self._data_lock = threading.RLock()
        self.files[ROOT_ID] = StoredFile(ROOT_ID, "My Drive", FOLDER_MIME, [], self._epoch)

    @property
    def api_endpoint(self) -> str:
        """Value for ClientOptions(api_endpoint=...)."""
        return self.url + "/drive/v3/"

    @property
    def token_uri(self) -> str:
        """OAuth token URL to put in credentials JSON."""
        return self.url + "/token"

    def authorized_user_info(self) -> dict[str, str]:
        """An authorized-user OAuth JSON whose refresh goes to this server."""
        return {
            "type": "authorized_user",
            "client_id": "fake-client.apps.googleusercontent.com",
            "client_secret": "fake-client-secret",
            "refresh_token": "fake-refresh-token",
            "token_uri": self.token_uri,
        }

    def fault_body(self, status: int) -> bytes:
        """Drive's JSON error body for injected answers."""
        reason = "rateLimitExceeded" if status == 429 else "backendError"
        return DriveApiError(status, reason, "injected by the fake server").answer()[2]

    # -- helpers for tests -----------------------------------------------------------------

    def add_folder(self, name: str, parent: str = ROOT_ID) -> str:
        """Create a folder directly (e.g. the configured root folder); returns its id."""
        return self._create({"name": name, "mimeType": FOLDER_MIME, "parents": [parent]}, None).id

    def children(self, parent: str) -> list[StoredFile]:
        """Untrashed items in a folder, oldest first."""
        return [f for f in self._ordered() if parent in f.parents and not f.trashed]

    def _ordered(self) -> list[StoredFile]:
        with self._data_lock:
            return sorted(self.files.values(), key=lambda f: (f.created, f.id))

    def _create(self, metadata: dict[str, Any], content: bytes | None) -> StoredFile:
        with self._data_lock:
            parents = metadata.get("parents") or [ROOT_ID]
            parents = [ROOT_ID if p == "root" else p for p in parents]
            for parent in parents:
                folder = self.files.get(parent)
                if folder is None or folder.mime_type != FOLDER_MIME:
                    raise DriveApiError(404, "notFound", f"File not found: {parent}.")
            name = metadata.get("name") or "Untitled"
            mime = metadata.get("mimeType") or "application/octet-stream"
            if mime == FOLDER_MIME and content is not None:
                raise DriveApiError(400, "invalid", "A folder cannot have content")
            stored = StoredFile(
                id=uuid.uuid4().hex,
                name=name,
                mime_type=mime,
                parents=parents,
                created=self._epoch + timedelta(milliseconds=next(self._clock)),
                app_properties=dict(metadata.get("appProperties") or {}),
                content=None if mime == FOLDER_MIME else (content or b""),
            )
            self.files[stored.id] = stored
            return stored

    # -- request handling -------------------------------------------------------------------

    def handle(self, request: Recorded) -> tuple[int, dict[str, str], bytes]:
        """Route one request."""
        try:
            if request.path == "/token" and request.method == "POST":
                return self._token(request)
            self._authorize(request)
            return self._route(request)
        except DriveApiError as exc:
            return exc.answer()

    def _token(self, request: Recorded) -> tuple[int, dict[str, str], bytes]:
        form = {k: v[0] for k, v in parse_qs(request.body.decode()).items()}
        grant = form.get("grant_type", "")
        if grant == "refresh_token":
            ok = form.get("refresh_token") and form.get("client_id") and form.get("client_secret")
        elif grant == "urn:ietf:params:oauth:grant-type:jwt-bearer":
            ok = _jwt_claims(form.get("assertion", "")).get("iss")
        else:
            ok = False
        if not ok:
            body = {"error": "invalid_grant", "error_description": "Bad Request"}
            return 400, _JSON, json.dumps(body).encode()
        token = f"ya29.fake-{uuid.uuid4().hex}"
        with self._data_lock:
            self.tokens.add(token)
            self.token_grants.append(grant)
        body = {"access_token": token, "expires_in": 3599, "token_type": "Bearer"}
        return 200, _JSON, json.dumps(body).encode()

    def _authorize(self, request: Recorded) -> None:
        auth = request.headers.get("authorization", "")
        if not auth.startswith("Bearer ") or auth[7:] not in self.tokens:
            raise DriveApiError(401, "authError", "Request had invalid authentication credentials.")

    def _route(self, request: Recorded) -> tuple[int, dict[str, str], bytes]:
        path, method = request.path, request.method
        arg = {k: v[-1] for k, v in request.query.items()}
        if path == "/drive/v3/files" and method == "GET":
            return self._list(arg)
        if path == "/drive/v3/files" and method == "POST":
            metadata = json.loads(request.body or b"{}")
            return self._file_answer(self._create(metadata, None), arg.get("fields"))
        if path.startswith("/drive/v3/files/") and method == "GET":
            return self._get(path.rsplit("/", 1)[1], arg)
        if path.startswith("/drive/v3/files/") and method == "PATCH":
            return self._update(path.rsplit("/", 1)[1], request, arg)
        if path == "/upload/drive/v3/files":
            return self._upload(request, arg)
        raise DriveApiError(404, "notFound", f"No route for {method} {path}")

    def _list(self, arg: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        predicates = parse_query(arg["q"]) if arg.get("q") else []
        with_token, per_file = _split_list_fields(arg.get("fields"))
        items = [f for f in self._ordered() if f.id != ROOT_ID and all(p(f) for p in predicates)]
        order = arg.get("orderBy", "")
        if order:
            keys = [k.strip() for k in order.split(",")]
            for key in reversed(keys):
                name, _, direction = key.partition(" ")
                attr = {"createdTime": "created", "name": "name"}.get(name)
                if attr is None:
                    raise DriveApiError(400, "invalid", f"Invalid orderBy: {name}")
                items.sort(key=lambda f, a=attr: getattr(f, a), reverse=direction == "desc")
        size = min(int(arg.get("pageSize") or 100), 1000)
        start = int(arg.get("pageToken") or 0)
        page = items[start : start + size]
        body: dict[str, Any] = {"kind": "drive#fileList", "incompleteSearch": False}
        body["files"] = [_select(f.resource(), per_file) for f in page]
        if start + size < len(items) and with_token:
            body["nextPageToken"] = str(start + size)
        return 200, _JSON, json.dumps(body).encode()

    def _get(self, file_id: str, arg: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        stored = self.files.get(ROOT_ID if file_id == "root" else file_id)
        if stored is None:
            raise DriveApiError(404, "notFound", f"File not found: {file_id}.")
        if arg.get("alt") == "media":
            if stored.content is None:
                raise DriveApiError(
                    403, "fileNotDownloadable", "Only files with binary content can be downloaded."
                )
            return 200, {"Content-Type": stored.mime_type}, stored.content
        return self._file_answer(stored, arg.get("fields"))

    def _update(
        self, file_id: str, request: Recorded, arg: dict[str, str]
    ) -> tuple[int, dict[str, str], bytes]:
        """files.update of metadata: only `trashed` is supported."""
        stored = self.files.get(file_id)
        if stored is None:
            raise DriveApiError(404, "notFound", f"File not found: {file_id}.")
        body = json.loads(request.body or b"{}")
        if set(body) - {"trashed"}:
            raise DriveApiError(400, "badRequest", f"Unsupported update: {sorted(body)}")
        stored.trashed = bool(body.get("trashed", stored.trashed))
        return self._file_answer(stored, arg.get("fields"))

    def _file_answer(
        self, stored: StoredFile, fields: str | None
    ) -> tuple[int, dict[str, str], bytes]:
        return 200, _JSON, json.dumps(_select(stored.resource(), fields)).encode()

    def _upload(self, request: Recorded, arg: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        kind = arg.get("uploadType")
        if kind == "multipart" and request.method == "POST":
            metadata, media_type, content = _parse_multipart(request)
            metadata.setdefault("mimeType", media_type)
            return self._file_answer(self._create(metadata, content), arg.get("fields"))
        if kind == "media" and request.method == "POST":
            metadata = {"mimeType": request.headers.get("content-type")}
            return self._file_answer(self._create(metadata, request.body), arg.get("fields"))
        if kind == "resumable" and request.method == "POST":
            metadata = json.loads(request.body or b"{}")
            metadata.setdefault("mimeType", request.headers.get("x-upload-content-type"))
            total = request.headers.get("x-upload-content-length")
            upload_id = uuid.uuid4().hex
            with self._data_lock:
                self._uploads[upload_id] = _Upload(metadata, int(total) if total else None)
            query = "&".join(f"{k}={v}" for k, v in arg.items())
            location = f"{self.url}/upload/drive/v3/files?{query}&upload_id={upload_id}"
            return 200, {"Location": location, **_JSON}, b""
        if kind == "resumable" and request.method == "PUT":
            return self._resumable_chunk(request, arg)
        raise DriveApiError(400, "badRequest", f"Unsupported upload: {request.method} {kind}")

    def _resumable_chunk(
        self, request: Recorded, arg: dict[str, str]
    ) -> tuple[int, dict[str, str], bytes]:
        upload = self._uploads.get(arg.get("upload_id", ""))
        if upload is None:
            raise DriveApiError(404, "notFound", "Upload session not found")
        match = re.fullmatch(
            r"bytes (\*|(\d+)-(\d+))/(\d+|\*)", request.headers.get("content-range", "")
        )
        if match is None:
            raise DriveApiError(400, "badContent", "Bad Content-Range")
        if match.group(4) != "*":
            upload.total = int(match.group(4))
        if match.group(1) != "*":
            start, end = int(match.group(2)), int(match.group(3))
            if start != len(upload.received) or end - start + 1 != len(request.body):
                raise DriveApiError(400, "badContent", "Chunk does not continue the upload")
            upload.received.extend(request.body)
        if upload.total is not None and len(upload.received) >= upload.total:
            stored = self._create(upload.metadata, bytes(upload.received))
            self._uploads.pop(arg["upload_id"], None)
            return self._file_answer(stored, arg.get("fields"))
        headers = {"Range": f"bytes=0-{len(upload.received) - 1}"} if upload.received else {}
        return 308, headers, b""


def _parse_multipart(request: Recorded) -> tuple[dict[str, Any], str, bytes]:
    """(metadata, media content type, media bytes) of a multipart/related upload body."""
    ctype = request.headers.get("content-type", "")
    match = re.search(r'boundary="?([^";]+)"?', ctype)
    if not ctype.startswith("multipart/related") or match is None:
        raise DriveApiError(400, "badContent", "Expected multipart/related with a boundary")
    delimiter = b"--" + match.group(1).encode()
    sections = request.body.split(delimiter)
    parts = []
    for section in sections[1:]:
        if section.startswith(b"--"):
            break
        # The email generator googleapiclient uses writes bare LF line ends; accept CRLF too.
        eol = b"\r\n" if section.startswith(b"\r\n") else b"\n"
        head, _, content = section[len(eol) :].partition(eol + eol)
        if content.endswith(eol):
            content = content[: -len(eol)]
        headers = {}
        for line in head.split(eol):
            key, _, value = line.decode("latin-1").partition(":")
            headers[key.strip().lower()] = value.strip()
        if headers.get("content-transfer-encoding", "").lower() == "base64":
            content = base64.b64decode(content)
        parts.append((headers, content))
    if len(parts) != 2:
        raise DriveApiError(400, "badContent", f"Expected 2 multipart parts, got {len(parts)}")
    metadata = json.loads(parts[0][1])
    return metadata, parts[1][0].get("content-type", "application/octet-stream"), parts[1][1]


def _jwt_claims(assertion: str) -> dict[str, Any]:
    """The payload of a JWT (signature not checked: the fake trusts the test's own key)."""
    try:
        payload = assertion.split(".")[1]
        return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError):
        return {}
