"""Labelled invoice files in a local Drive tree, and the resources training runs use in tests."""

from __future__ import annotations

import random
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import boto3
from dagster_aws.s3 import S3Resource
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from facturas_assets.db import migrate
from facturas_assets.resources import LocalDrive, LogMetrics, MySQLDatabase, S3ObjectStore
from facturas_assets.resources.mlflow_tracking import MLflowResource
from facturas_assets.resources.object_store import LocalObjectStore
from facturas_assets_tests.training.labelled_texts import labelled_texts

LABEL_FOLDER = {"preventiva": "preventiva", "correctiva": "correctivos"}  # both spellings in use


def text_pdf(text: str) -> bytes:
    """A one-page PDF with the text as its text layer."""
    from io import BytesIO

    buffer = BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    y = 800
    for line in text.splitlines():
        pdf.drawString(40, y, line)
        y -= 16
    pdf.save()
    return buffer.getvalue()


def write_split(
    root: Path, split_folder: str, texts: Sequence[str], labels: Sequence[str], prefix: str
) -> list[Path]:
    """Write each text as a PDF into <root>/<split_folder>/<label folder>/."""
    paths = []
    for i, (text, label) in enumerate(zip(texts, labels, strict=True)):
        folder = root / split_folder / LABEL_FOLDER[label]
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{prefix}_{i:04d}.pdf"
        path.write_bytes(text_pdf(text))
        paths.append(path)
    return paths


def populate(
    drive_root: Path,
    n_train: int = 120,
    n_test: int = 60,
    seed: int = 0,
    shuffle_train_labels: bool = False,
) -> None:
    """Fill invoices_train / invoices_test; optionally with train labels assigned at random."""
    texts, labels = labelled_texts(n_train, seed=seed)
    if shuffle_train_labels:
        labels = labels[:]
        random.Random(seed + 99).shuffle(labels)
    write_split(drive_root, "invoices_train", texts, labels, "tr")
    test_texts, test_labels = labelled_texts(n_test, seed=seed + 1000)
    write_split(drive_root, "invoices_test", test_texts, test_labels, "te")


def clear(drive_root: Path, split_folder: str) -> None:
    """Remove a split folder's files (a new labelling of the same invoices follows)."""
    import shutil

    shutil.rmtree(drive_root / split_folder, ignore_errors=True)


def s3_models_store(endpoint: str) -> S3ObjectStore:
    """A models store on a fresh bucket of the moto server."""
    bucket = f"textil-modelos-{uuid.uuid4().hex[:8]}"
    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1").create_bucket(Bucket=bucket)
    return S3ObjectStore(
        bucket=bucket, s3=S3Resource(endpoint_url=endpoint, region_name="us-east-1")
    )


def training_resources(home: Path, models_store: Any, mysql_url: str) -> dict[str, Any]:
    """Drive (local folders), models store, MariaDB, MLflow (SQLite in tmp), log metrics and the
    landing store (reviewed_corrections reads the reviewed originals' text from raw/)."""
    migrate.upgrade(mysql_url)
    return {
        "drive": LocalDrive(root=str(home / "drive")),
        "landing_store": LocalObjectStore(bucket="mes-en-curso", root=str(home / "buckets")),
        "models_store": models_store,
        "database": MySQLDatabase(url=mysql_url),
        "metrics": LogMetrics(),
        "mlflow": MLflowResource(
            tracking_uri=f"sqlite:///{home / 'mlflow.db'}",
            artifact_location=(home / "mlflow-artifacts").as_uri(),
        ),
    }
