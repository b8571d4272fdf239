"""Secrets Manager reads against moto: plain, JSON, binary, and the ConfigErrors."""

from __future__ import annotations

import boto3
import pytest

from facturas_assets.resources.secrets import read_json_secret, read_secret, require_keys
from facturas_assets.settings import ConfigError
from facturas_assets_tests.resources.conftest import put_secret, unique


def test_plain_and_json_secrets(aws_env: str) -> None:
    plain, structured = unique("test/plain"), unique("test/json")
    put_secret(plain, "s3cr3t")
    put_secret(structured, {"webhook_url": "https://hooks.example/x"})
    assert read_secret(plain) == "s3cr3t"
    assert read_json_secret(structured) == {"webhook_url": "https://hooks.example/x"}


def test_binary_secret_is_decoded(aws_env: str) -> None:
    name = unique("test/binary")
    boto3.client("secretsmanager").create_secret(Name=name, SecretBinary=b'{"a": 1}')
    assert read_json_secret(name) == {"a": 1}


def test_missing_secret_names_it(aws_env: str) -> None:
    with pytest.raises(
        ConfigError, match=r"secret 'textil/nope-[0-9a-f]+' does not exist in AWS Secrets Manager"
    ):
        read_secret(unique("textil/nope"))


def test_invalid_json_names_the_secret_but_not_its_content(aws_env: str) -> None:
    name = unique("test/broken")
    put_secret(name, "password=hunter2")
    with pytest.raises(ConfigError, match="is not valid JSON") as info:
        read_json_secret(name)
    assert name in str(info.value)
    assert "hunter2" not in str(info.value)


def test_json_that_is_not_an_object(aws_env: str) -> None:
    name = unique("test/list")
    put_secret(name, "[1, 2]")
    with pytest.raises(ConfigError, match="not an object"):
        read_json_secret(name)


def test_require_keys_accepts_alternatives_and_lists_gaps() -> None:
    secret = {"user": "u", "dbname": "textil", "password": ""}
    assert require_keys(secret, "s", ("username", "user"), ("database", "dbname")) == [
        "u",
        "textil",
    ]
    with pytest.raises(ConfigError, match=r"lacks required key\(s\): password, host"):
        require_keys(secret, "s", ("password",), ("host",))


def test_unreachable_secrets_manager_is_a_config_error(
    aws_env: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from facturas_assets_tests.services import free_port

    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{free_port()}")
    with pytest.raises(ConfigError, match="textil/mysql/credentials.*could not be read"):
        read_secret("textil/mysql/credentials")
