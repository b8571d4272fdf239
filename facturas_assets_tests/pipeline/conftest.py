"""Stores and databases for the batch-step tests: local folder and S3 (moto), SQLite and MariaDB."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from dagster_aws.s3 import S3Resource
from sqlalchemy.engine import Engine

from facturas_assets.db import migrate
from facturas_assets.db.engine import create_engine
from facturas_assets.resources.object_store import LocalObjectStore, ObjectStore, S3ObjectStore


@pytest.fixture(params=["local", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> ObjectStore:
    """The landing bucket, as a local folder and as an S3 bucket on moto server."""
    if request.param == "local":
        return LocalObjectStore(bucket="mes-en-curso", root=str(tmp_path / "buckets"))
    request.getfixturevalue("aws_env")
    bucket = f"landing-{uuid.uuid4().hex[:8]}"
    boto3.client("s3").create_bucket(Bucket=bucket)
    return S3ObjectStore(
        bucket=bucket, s3=S3Resource(endpoint_url=request.getfixturevalue("aws_env"))
    )


@pytest.fixture(params=["sqlite", "mariadb"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A migrated `textil` database on SQLite and on the MariaDB server."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'textil.sqlite'}"
    else:
        url = request.getfixturevalue("mysql_url")
    eng = create_engine(url)
    migrate.upgrade(eng)
    yield eng
    eng.dispose()
