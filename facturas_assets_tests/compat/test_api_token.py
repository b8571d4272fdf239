"""Where the API token comes from: Secrets Manager `textil/api/token` in prod (moto server here),
FACTURAS_API_TOKEN locally; bad configuration is a ConfigError naming the source."""

from __future__ import annotations

import uuid

import boto3
import pytest

from facturas_assets.api.auth import API_TOKEN_SECRET, TokenSource
from facturas_assets.api.settings import ApiSettings
from facturas_assets.resources.secrets import read_secret
from facturas_assets.settings import ConfigError, Environment


def _secrets_client(endpoint: str):
    return boto3.client("secretsmanager", endpoint_url=endpoint, region_name="us-east-1")


def test_prod_token_comes_from_secrets_manager_and_follows_rotation(aws_env: str) -> None:
    client = _secrets_client(aws_env)
    name = f"{API_TOKEN_SECRET}-{uuid.uuid4().hex[:8]}"
    client.create_secret(Name=name, SecretString="first-token-0123456789")
    tokens = TokenSource(Environment.PROD, read=lambda _: read_secret(name), refresh_seconds=0)
    assert tokens.current() == "first-token-0123456789"
    client.put_secret_value(SecretId=name, SecretString='{"token": "second-token-0123456789"}')
    assert tokens.current() == "second-token-0123456789"
    client.delete_secret(SecretId=name, ForceDeleteWithoutRecovery=True)
    # A failed refresh keeps serving the last good token.
    assert tokens.current() == "second-token-0123456789"


def test_prod_without_the_secret_fails_with_its_name(aws_env: str) -> None:
    with pytest.raises(ConfigError, match="textil/api/token"):
        TokenSource(Environment.PROD).current()


def test_local_token_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FACTURAS_API_TOKEN", raising=False)
    with pytest.raises(ConfigError, match="FACTURAS_API_TOKEN is not set"):
        TokenSource(Environment.LOCAL).current()
    monkeypatch.setenv("FACTURAS_API_TOKEN", "short")
    with pytest.raises(ConfigError, match="shorter than 16"):
        TokenSource(Environment.LOCAL).current()
    monkeypatch.setenv("FACTURAS_API_TOKEN", "a-long-enough-local-token")
    assert TokenSource(Environment.LOCAL).current() == "a-long-enough-local-token"


def test_settings_reject_bad_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DAGSTER_GRAPHQL_URL", "dagster:3000")
    with pytest.raises(ConfigError, match="DAGSTER_GRAPHQL_URL"):
        ApiSettings.from_env()
    monkeypatch.setenv("DAGSTER_GRAPHQL_URL", "http://dagster:3000/graphql")
    monkeypatch.setenv("DAGSTER_RUN_CONFIG", "[1]")
    with pytest.raises(ConfigError, match="DAGSTER_RUN_CONFIG must be a JSON object"):
        ApiSettings.from_env()
    monkeypatch.setenv("DAGSTER_RUN_CONFIG", '{"execution": {"config": {"in_process": {}}}}')
    monkeypatch.setenv("DAGSTER_TIMEOUT_S", "0")
    with pytest.raises(ConfigError, match="DAGSTER_TIMEOUT_S"):
        ApiSettings.from_env()
    monkeypatch.delenv("DAGSTER_TIMEOUT_S")
    settings = ApiSettings.from_env()
    assert settings.run_config == {"execution": {"config": {"in_process": {}}}}
    assert settings.dagster_timeout_s == 15.0
