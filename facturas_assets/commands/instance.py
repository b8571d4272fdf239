"""The local Dagster instance the `facturas` commands and `make dev` share."""

from __future__ import annotations

import os
from pathlib import Path

from facturas_assets import settings

LOCAL_INSTANCE_YAML = """\
# The local development instance of `facturas demo` and `make dev`: Dagster's default SQLite
# storage in this folder and runs in subprocesses of the webserver. Production uses the
# repository's top-level dagster.yaml (MySQL storage, ECS run launcher) instead.
telemetry:
  enabled: false
"""


def dagster_home() -> Path:
    """The local Dagster instance lives beside the rest of the local state (UI reads it too)."""
    home = Path(os.environ.setdefault("DAGSTER_HOME", str(settings.home() / "dagster")))
    home.mkdir(parents=True, exist_ok=True)
    instance_yaml = home / "dagster.yaml"
    if not instance_yaml.exists():
        instance_yaml.write_text(LOCAL_INSTANCE_YAML)
    return home
