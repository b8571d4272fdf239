"""Process-wide settings read from the environment, with clear errors for bad configuration."""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path


class ConfigError(RuntimeError):
    """A configuration problem, reported at start-up with one message naming what is missing."""


class Environment(StrEnum):
    LOCAL = "local"
    PROD = "prod"


def current_environment() -> Environment:
    """The environment named by FACTURAS_ENV (local when unset)."""
    raw = os.environ.get("FACTURAS_ENV", "local").strip().lower()
    try:
        return Environment(raw)
    except ValueError:
        allowed = ", ".join(e.value for e in Environment)
        raise ConfigError(
            f"FACTURAS_ENV={raw!r} is not a known environment (use one of: {allowed})"
        ) from None


def home() -> Path:
    """Root folder of the local environment's state (landing, buckets, drive, sqlite, mlflow)."""
    return Path(os.environ.get("FACTURAS_HOME", Path.cwd() / ".facturas")).resolve()


def require_env(name: str, purpose: str) -> str:
    """The value of an environment variable, or a ConfigError saying what it is for."""
    value = os.environ.get(name)
    if not value:
        raise ConfigError(f"environment variable {name} is not set ({purpose})")
    return value


# External names (DESIGN.md): the contract with the outside, kept exactly.
LANDING_BUCKET = "mes-en-curso"
MODELS_BUCKET = "textil-modelos"
MLFLOW_ARTIFACTS_BUCKET = "textil-mlflow-artifacts"
DAGS_BUCKET = "etl-facturas-airflow-dags"
DRIFT_BUCKET = "textil-drift-data"

MYSQL_SECRET = "textil/mysql/credentials"
AWS_SECRET = "textil/aws/credentials"
GOOGLE_SECRET = "textil/google/oauth"
SLACK_SECRET = "textil/slack/webhook"

DRIVE_HISTORY_FOLDER = "histórico"
DRIVE_CORRECTIVE_FOLDER = "correctivos"
DRIVE_PREVENTIVE_FOLDER = "preventivos"
DRIVE_TRAIN_FOLDER = "invoices_train"
DRIVE_TEST_FOLDER = "invoices_test"

METRIC_NAMESPACE = "Textil/Facturas"
METRIC_TRAINING_ACCURACY = "TrainingAccuracy"
METRIC_TRAINING_LOSS = "TrainingLoss"
METRIC_ETL_PROCESSING_TIME = "ETLProcessingTime"

CATEGORIES = ("preventiva", "correctiva")

# The classifier abstains (label kept, document flagged for review) while its calibrated
# probability of "correctiva" lies strictly inside this band.
CLASSIFIER_UNCERTAIN_BAND: tuple[float, float] = (0.35, 0.65)
