"""Reading secrets from AWS Secrets Manager, with a ConfigError naming the secret on failure."""

from __future__ import annotations

import json
import os
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from facturas_assets.settings import ConfigError

DEFAULT_REGION = "us-east-1"

# Standard mode retries throttling and 5xx answers with exponential backoff and jitter.
_RETRY_CONFIG = Config(
    retries={"mode": "standard", "max_attempts": 5}, connect_timeout=10, read_timeout=30
)


def aws_region(region_name: str | None = None) -> str:
    """The region to use: the one given, else AWS_REGION / AWS_DEFAULT_REGION, else us-east-1."""
    return (
        region_name
        or os.environ.get("AWS_REGION")
        or os.environ.get("AWS_DEFAULT_REGION")
        or DEFAULT_REGION
    )


def read_secret(name: str, region_name: str | None = None) -> str:
    """The plain value of a Secrets Manager secret (SecretString, or SecretBinary as UTF-8)."""
    region = aws_region(region_name)
    client = boto3.client("secretsmanager", region_name=region, config=_RETRY_CONFIG)
    try:
        answer = client.get_secret_value(SecretId=name)
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "Unknown")
        if code == "ResourceNotFoundException":
            raise ConfigError(
                f"secret {name!r} does not exist in AWS Secrets Manager ({region})"
            ) from None
        raise ConfigError(
            f"secret {name!r} could not be read from AWS Secrets Manager ({region}): {code}"
        ) from None
    except BotoCoreError as exc:
        raise ConfigError(
            f"secret {name!r} could not be read from AWS Secrets Manager ({region}): {exc}"
        ) from None
    if "SecretString" in answer:
        return answer["SecretString"]
    try:
        return bytes(answer["SecretBinary"]).decode("utf-8")
    except (KeyError, UnicodeDecodeError):
        raise ConfigError(f"secret {name!r} holds neither text nor UTF-8 binary") from None


def read_json_secret(name: str, region_name: str | None = None) -> dict[str, Any]:
    """A Secrets Manager secret holding a JSON object, parsed."""
    raw = read_secret(name, region_name)
    try:
        value = json.loads(raw)
    except json.JSONDecodeError:
        # Never echo the content: it is a secret.
        raise ConfigError(f"secret {name!r} is not valid JSON") from None
    if not isinstance(value, dict):
        raise ConfigError(f"secret {name!r} is JSON but not an object")
    return value


def require_keys(secret: dict[str, Any], name: str, *alternatives: tuple[str, ...]) -> list[Any]:
    """For each group of alternative keys, the first present value; ConfigError naming the gaps."""
    values: list[Any] = []
    missing: list[str] = []
    for keys in alternatives:
        found = next((secret[k] for k in keys if secret.get(k) not in (None, "")), None)
        if found is None:
            missing.append("|".join(keys))
        values.append(found)
    if missing:
        raise ConfigError(f"secret {name!r} lacks required key(s): {', '.join(missing)}")
    return values
