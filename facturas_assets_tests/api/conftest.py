"""The review pages' world: a migrated MariaDB, a local raw zone, the fake Drive, a live API."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from sqlalchemy.engine import Engine

from facturas_assets.api.app import app
from facturas_assets.api.review import ReviewServices
from facturas_assets.db import migrate
from facturas_assets.db.engine import create_engine
from facturas_assets.db.load import load_batch
from facturas_assets.documents.reader import file_sha256
from facturas_assets.pipeline.archive import archive_batch
from facturas_assets.pipeline.manifest import BatchManifest, ManifestItem
from facturas_assets.pipeline.reading import batch_outcomes, read_batch
from facturas_assets.pipeline.tabulate import Classification, tabulate_batch
from facturas_assets.resources.drive import DriveResource
from facturas_assets.resources.object_store import LocalObjectStore, ObjectStore
from facturas_assets.settings import ReviewSettings
from facturas_assets_tests import services
from facturas_assets_tests.fakes.drive_server import DriveServer
from facturas_assets_tests.resources.conftest import google_drive
from facturas_dev.synth.generator import make_invoice, render

API_TOKEN = "review-test-token-0123456789"
LOTE = "20261206-000000-review"


@pytest.fixture
def review_engine(mysql_url: str) -> Iterator[Engine]:
    """A fresh MariaDB database migrated to head."""
    engine = create_engine(mysql_url)
    migrate.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def raw_store(tmp_path: Path) -> ObjectStore:
    """The landing bucket as a local folder (its raw/ and read/ zones)."""
    return LocalObjectStore(bucket="mes-en-curso", root=str(tmp_path / "buckets"))


@pytest.fixture
def fake_drive(aws_env: str) -> Iterator[DriveResource]:
    """GoogleDrive against the fake Drive server (credentials secret in moto)."""
    with DriveServer() as server:
        yield google_drive(server)


def load_unsure_invoice(
    engine: Engine, store: ObjectStore, drive: DriveResource, probability: float
) -> str:
    """Generate, read, tabulate and load one invoice whose category has `probability`;
    archive it to Drive like the batch does; returns its sha256."""
    truth = make_invoice(11, "levante_moderno", "preventiva", rendering="text-pdf", stem="unsure")
    data = render(truth)
    sha = file_sha256(data)
    item = ManifestItem(truth["file"], sha, f"raw/{sha[:2]}/{sha}.pdf", len(data))
    store.write_bytes(item.raw_key, data)
    manifest = BatchManifest(LOTE, "2026-12-06T00:00:00", [item])
    read_batch(store, manifest, workers=1)
    tables = tabulate_batch(
        LOTE,
        batch_outcomes(store, manifest),
        {sha: Classification("preventiva", probability)},
        lambda pairs: {},
        review=ReviewSettings(),
    )
    assert not tables.rejections, tables.rejections
    load_batch(engine, LOTE, tables.invoices, tables.lines)
    archive_batch(drive, store, [item], {sha: "preventiva"})
    return sha


@dataclass(frozen=True)
class LiveApi:
    url: str
    token: str


@pytest.fixture
def live_api(
    review_engine: Engine,
    raw_store: ObjectStore,
    fake_drive: DriveResource,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[LiveApi]:
    """The real app served by uvicorn on loopback, its review pages on MariaDB and fake Drive."""
    monkeypatch.setenv("FACTURAS_ENV", "local")
    monkeypatch.setenv("FACTURAS_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("FACTURAS_API_TOKEN", API_TOKEN)
    app.state.review = ReviewServices(lambda: review_engine, raw_store, fake_drive)
    port = services.free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield LiveApi(f"http://127.0.0.1:{port}", API_TOKEN)
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        del app.state.review
