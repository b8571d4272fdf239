"""DriveResource: one archive contract for local folders and Google Drive (the fake Drive v3)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from facturas_assets.resources.drive import (
    DriveFileNotFoundError,
    DriveResource,
    GoogleDrive,
    LocalDrive,
)
from facturas_assets.settings import ConfigError
from facturas_assets_tests.fakes.drive_server import FOLDER_MIME, DriveServer
from facturas_assets_tests.resources.conftest import google_drive, put_secret, unique


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def put(drive: DriveResource, folder: str, name: str, data: bytes, mime: str = "application/pdf"):
    return drive.upload(folder, name, data, mime, sha(data))


def test_folder_id_creates_once_and_nests(drive: DriveResource) -> None:
    first = drive.folder_id("histórico")
    assert drive.folder_id("histórico") == first
    nested = drive.folder_id("invoices_train/preventiva")
    assert nested == drive.folder_id("/invoices_train/preventiva/")
    assert nested != drive.folder_id("invoices_train")


def test_upload_list_download(drive: DriveResource) -> None:
    pdf = b"%PDF-1.7\r\n binary \x00\xff\r\n--boundary-lookalike\n"
    stored = put(drive, "histórico", "F-2024-001.pdf", pdf)
    assert (stored.name, stored.path, stored.size) == (
        "F-2024-001.pdf",
        "histórico/F-2024-001.pdf",
        len(pdf),
    )
    assert stored.sha256 == sha(pdf)
    assert stored.mime_type == "application/pdf"
    [listed] = drive.list_files("histórico")
    assert listed == stored
    assert drive.download(stored.id) == pdf
    assert drive.download("histórico/F-2024-001.pdf") == pdf


def test_upload_is_idempotent_on_sha256(drive: DriveResource) -> None:
    data = b"same invoice"
    first = put(drive, "correctivos", "a.pdf", data)
    again = put(drive, "correctivos", "renamed.pdf", data)
    assert again.id == first.id
    assert [f.name for f in drive.list_files("correctivos")] == ["a.pdf"]
    # The same content in another folder is another file.
    other = put(drive, "preventivos", "a.pdf", data)
    assert other.id != first.id


def test_remove_takes_a_content_out_of_one_folder_only(drive: DriveResource) -> None:
    data, other = b"reclassified invoice", b"another invoice"
    put(drive, "preventivos", "a.pdf", data)
    put(drive, "preventivos", "b.pdf", other)
    put(drive, "histórico", "a.pdf", data)
    assert drive.remove("preventivos", sha(data)) is True
    assert [f.name for f in drive.list_files("preventivos")] == ["b.pdf"]
    assert [f.name for f in drive.list_files("histórico")] == ["a.pdf"]
    assert drive.remove("preventivos", sha(data)) is False  # nothing left to remove
    assert drive.remove("never-made", sha(data)) is False
    # Uploading it again after the removal stores it afresh.
    assert put(drive, "preventivos", "a.pdf", data).sha256 == sha(data)
    assert len(drive.list_files("preventivos")) == 2


def test_same_name_different_content_keeps_both(drive: DriveResource) -> None:
    put(drive, "histórico", "factura.pdf", b"one")
    put(drive, "histórico", "factura.pdf", b"two")
    files = drive.list_files("histórico")
    assert sorted(f.sha256 for f in files) == sorted([sha(b"one"), sha(b"two")])
    assert sorted(drive.download(f.id) for f in files) == [b"one", b"two"]


def test_listing_pages_and_recursion(drive: DriveResource) -> None:
    for i in range(5):
        put(drive, "invoices_train/preventiva", f"p{i}.pdf", f"p{i}".encode())
    for i in range(3):
        put(drive, "invoices_train/correctiva", f"c{i}.pdf", f"c{i}".encode())
    put(drive, "invoices_train", "labels.json", b"{}", "application/json")
    assert [f.name for f in drive.list_files("invoices_train")] == ["labels.json"]
    every = drive.list_files("invoices_train", recursive=True)
    assert sorted(f.path for f in every) == sorted(
        [f"invoices_train/preventiva/p{i}.pdf" for i in range(5)]
        + [f"invoices_train/correctiva/c{i}.pdf" for i in range(3)]
        + ["invoices_train/labels.json"]
    )
    assert {f.sha256 for f in every} >= {sha(b"p0"), sha(b"c2")}


def test_missing_things(drive: DriveResource) -> None:
    assert drive.list_files("no/such/folder") == []
    with pytest.raises(DriveFileNotFoundError):
        drive.download("histórico/absent.pdf")
    with pytest.raises(DriveFileNotFoundError):
        drive.download("absent-id")


def test_bad_input_is_refused(drive: DriveResource) -> None:
    with pytest.raises(ValueError, match="does not match the data"):
        drive.upload("histórico", "f.pdf", b"data", "application/pdf", sha(b"other"))
    with pytest.raises(ValueError, match="invalid Drive name"):
        put(drive, "histórico", "a/b.pdf", b"x")
    with pytest.raises(ValueError, match="invalid Drive name"):
        drive.folder_id("a/../b")


def test_names_with_quotes_and_accents(drive: DriveResource) -> None:
    stored = put(drive, "clientes/O'Brien \\ Hijos", "nº 1 'urgente'.pdf", b"q")
    assert drive.download(stored.path) == b"q"
    assert [f.name for f in drive.list_files("clientes/O'Brien \\ Hijos")] == ["nº 1 'urgente'.pdf"]


# --- local specifics ------------------------------------------------------------------------


def test_local_drive_layout_and_hand_dropped_files(facturas_home: Path) -> None:
    drive = LocalDrive()
    put(drive, "histórico", "a.pdf", b"a")
    folder = facturas_home / "drive" / "histórico"
    assert (folder / "a.pdf").read_bytes() == b"a"
    (folder / "dropped.pdf").write_bytes(b"by hand")
    listed = {f.name: f for f in drive.list_files("histórico")}
    assert set(listed) == {"a.pdf", "dropped.pdf"}
    assert listed["dropped.pdf"].sha256 == sha(b"by hand")


# --- Google specifics -----------------------------------------------------------------------


def test_google_upload_of_known_content_sends_no_media(
    aws_env: str, drive_server: DriveServer
) -> None:
    drive = google_drive(drive_server)
    put(drive, "histórico", "a.pdf", b"x")
    uploads_before = len(drive_server.requests_to("/upload/"))
    put(drive, "histórico", "a.pdf", b"x")
    assert len(drive_server.requests_to("/upload/")) == uploads_before == 1
    [stored] = drive_server.children(drive.folder_id("histórico"))
    assert stored.app_properties == {"sha256": sha(b"x")}


def test_google_resumable_upload_in_chunks(aws_env: str, drive_server: DriveServer) -> None:
    drive = google_drive(drive_server, resumable_threshold_bytes=0, chunk_size_bytes=256 * 1024)
    data = bytes(range(256)) * 3000  # 768000 bytes: three chunks
    stored = put(drive, "histórico", "scan.tiff", data, "image/tiff")
    chunks = [r for r in drive_server.requests_to("/upload/") if r.method == "PUT"]
    assert len(chunks) == 3
    assert [r.status for r in chunks] == [308, 308, 200]
    assert drive.download(stored.id) == data
    assert stored.md5 == hashlib.md5(data).hexdigest()


@pytest.mark.parametrize(("status", "failures"), [(500, 2), (503, 1), (429, 1)])
def test_google_retries_errors(
    aws_env: str, drive_server: DriveServer, status: int, failures: int
) -> None:
    drive = google_drive(drive_server, num_retries=3)
    drive.folder_id("histórico")
    drive_server.fail_next(failures, status, path_prefix="/upload/")
    stored = put(drive, "histórico", "a.pdf", b"retried")
    uploads = drive_server.requests_to("/upload/")
    assert [r.status for r in uploads] == [status] * failures + [200]
    assert len(drive_server.children(drive.folder_id("histórico"))) == 1
    drive_server.fail_next(1, status, path_prefix="/drive/v3/files/")
    assert drive.download(stored.id) == b"retried"
    downloads = drive_server.requests_to(f"/drive/v3/files/{stored.id}")
    assert [r.status for r in downloads] == [status, 200]


def test_google_gives_up_after_num_retries(aws_env: str, drive_server: DriveServer) -> None:
    from googleapiclient.errors import HttpError

    drive = google_drive(drive_server, num_retries=1)
    drive_server.fail_next(5, 500, path_prefix="/drive/")
    with pytest.raises(HttpError) as info:
        drive.list_files("histórico")
    assert info.value.resp.status == 500
    assert [r.status for r in drive_server.requests_to("/drive/")] == [500, 500]


def test_google_token_endpoint_outage_is_retried(aws_env: str, drive_server: DriveServer) -> None:
    drive = google_drive(drive_server)
    drive_server.fail_next(1, 503, path_prefix="/token")
    assert drive.list_files("histórico") == []
    assert [r.status for r in drive_server.requests_to("/token")] == [503, 200]


def test_google_root_folder_id_is_honoured(aws_env: str, drive_server: DriveServer) -> None:
    root = drive_server.add_folder("Textil archive")
    drive = google_drive(drive_server, root_folder_id=root)
    put(drive, "histórico", "a.pdf", b"a")
    [historico] = drive_server.children(root)
    assert (historico.name, historico.mime_type) == ("histórico", FOLDER_MIME)
    assert [f.name for f in drive_server.children(historico.id)] == ["a.pdf"]


def test_google_service_account_credentials(aws_env: str, drive_server: DriveServer) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    secret = unique("textil/google/oauth")
    put_secret(
        secret,
        {
            "type": "service_account",
            "project_id": "textil",
            "private_key_id": "k1",
            "private_key": pem,
            "client_email": "etl@textil.iam.gserviceaccount.com",
            "client_id": "1",
            "token_uri": drive_server.token_uri,
        },
    )
    drive = GoogleDrive(
        secret_name=secret, api_endpoint=drive_server.api_endpoint, ca_certs=drive_server.ca_file
    )
    put(drive, "histórico", "sa.pdf", b"sa")
    assert drive_server.token_grants == ["urn:ietf:params:oauth:grant-type:jwt-bearer"]


def test_google_authorized_user_credentials_refresh(
    aws_env: str, drive_server: DriveServer
) -> None:
    drive = google_drive(drive_server)
    assert drive.list_files("") == []
    assert drive_server.token_grants == ["refresh_token"]
    auth = {r.headers.get("authorization") for r in drive_server.requests if r.path != "/token"}
    assert auth == {f"Bearer {next(iter(drive_server.tokens))}"}


def test_google_missing_secret_is_a_config_error(aws_env: str, drive_server: DriveServer) -> None:
    name = unique("textil/google/oauth")
    drive = GoogleDrive(secret_name=name, api_endpoint=drive_server.api_endpoint)
    with pytest.raises(ConfigError, match=f"secret '{name}' does not exist"):
        drive.folder_id("histórico")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ({"type": "authorized_user", "client_id": "x"}, "missing fields"),
        ({"installed": {"client_id": "x"}, "type": "installed"}, "neither a service-account"),
    ],
)
def test_google_unusable_secret_is_a_config_error(
    aws_env: str, drive_server: DriveServer, content: dict, message: str
) -> None:
    name = unique("textil/google/oauth")
    put_secret(name, content)
    with pytest.raises(ConfigError, match=message):
        GoogleDrive(secret_name=name, api_endpoint=drive_server.api_endpoint).folder_id("x")


def test_google_refused_credentials_are_a_config_error(
    aws_env: str, drive_server: DriveServer
) -> None:
    name = unique("textil/google/oauth")
    info = drive_server.authorized_user_info() | {"refresh_token": ""}
    put_secret(name, json.dumps(info))
    drive = GoogleDrive(
        secret_name=name,
        api_endpoint=drive_server.api_endpoint,
        token_uri=drive_server.token_uri,
        ca_certs=drive_server.ca_file,
    )
    with pytest.raises(ConfigError, match=f"Google refused the credentials in secret '{name}'"):
        drive.folder_id("histórico")
