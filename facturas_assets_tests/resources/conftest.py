"""Fixtures of the resource tests: fake servers, moto buckets and secrets, both implementations."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from dagster_aws.s3 import S3Resource

from facturas_assets.resources.drive import DriveResource, GoogleDrive, LocalDrive
from facturas_assets.resources.object_store import LocalObjectStore, ObjectStore, S3ObjectStore
from facturas_assets_tests.fakes.drive_server import DriveServer
from facturas_assets_tests.fakes.fault_proxy import FaultProxy
from facturas_assets_tests.fakes.slack_server import SlackServer


def unique(prefix: str) -> str:
    """A name no other test uses (moto is shared by the session)."""
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def put_secret(name: str, value: str | dict) -> None:
    """Create a secret in the moto server the environment points at."""
    text = value if isinstance(value, str) else json.dumps(value)
    boto3.client("secretsmanager", region_name="us-east-1").create_secret(
        Name=name, SecretString=text
    )


@pytest.fixture
def s3_bucket(aws_env: str) -> str:
    """A fresh bucket in moto."""
    name = unique("facturas-test")
    boto3.client("s3", region_name="us-east-1").create_bucket(Bucket=name)
    return name


@pytest.fixture
def s3_proxy(moto_endpoint: str) -> Iterator[FaultProxy]:
    """A fault-injecting proxy in front of moto."""
    with FaultProxy(moto_endpoint) as proxy:
        yield proxy


def s3_store(bucket: str, endpoint: str, max_attempts: int = 5, **kwargs: object) -> S3ObjectStore:
    """An S3ObjectStore on a bucket through the given endpoint."""
    s3 = S3Resource(region_name="us-east-1", endpoint_url=endpoint, max_attempts=max_attempts)
    return S3ObjectStore(bucket=bucket, s3=s3, **kwargs)


@pytest.fixture(params=["local", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> ObjectStore:
    """The same bucket contract, once per implementation."""
    if request.param == "local":
        return LocalObjectStore(bucket="contract-bucket", root=str(tmp_path / "buckets"))
    bucket = request.getfixturevalue("s3_bucket")
    return s3_store(bucket, request.getfixturevalue("aws_env"))


@pytest.fixture
def drive_server() -> Iterator[DriveServer]:
    """A fake Google Drive (HTTPS on loopback)."""
    with DriveServer() as server:
        yield server


@pytest.fixture
def slack_server() -> Iterator[SlackServer]:
    """A fake Slack incoming webhook."""
    with SlackServer() as server:
        yield server


def google_drive(server: DriveServer, **kwargs: object) -> GoogleDrive:
    """A GoogleDrive pointed at the fake, with an authorized-user secret stored in moto."""
    secret = unique("textil/google/oauth")
    put_secret(secret, server.authorized_user_info())
    return GoogleDrive(
        secret_name=secret,
        api_endpoint=server.api_endpoint,
        token_uri=server.token_uri,
        ca_certs=server.ca_file,
        **kwargs,
    )


@pytest.fixture(params=["local", "google"])
def drive(request: pytest.FixtureRequest, tmp_path: Path) -> DriveResource:
    """The same archive contract, once per implementation."""
    if request.param == "local":
        return LocalDrive(root=str(tmp_path / "drive"))
    request.getfixturevalue("aws_env")
    # page_size 2 so every listing of more than two items crosses pages.
    return google_drive(request.getfixturevalue("drive_server"), page_size=2)
