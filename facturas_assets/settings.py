"""Process-wide settings read from the environment, with clear errors for bad configuration."""

from __future__ import annotations

import os
from dataclasses import dataclass
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
METRIC_REVIEW_RATE = "ReviewRate"  # percent of the week's loaded invoices sent to review
METRIC_REVIEW_CORRECTIONS = "ReviewCorrections"  # per corrected field (dimension Field)

CATEGORIES = ("preventiva", "correctiva")

# The classifier abstains (label kept, document flagged for review) while its calibrated
# probability of "correctiva" lies strictly inside this band.
CLASSIFIER_UNCERTAIN_BAND: tuple[float, float] = (0.35, 0.65)

# Review: invoices the machine is unsure of are loaded as `pending_review` for a person to check.
INVOICE_STATUSES = ("loaded", "pending_review")
REVIEW_CORE_FIELDS = ("invoice_number", "issue_date", "net_total", "tax_total", "total")
# Party names and tax ids: wrong ones are the errors a core-field threshold lets through.
REVIEW_PARTY_FIELDS = ("seller.name", "seller.tax_id", "buyer.name", "buyer.tax_id")
DEFAULT_MIN_FIELD_CONFIDENCE = 0.5
# The least party threshold that leaves 99 % of the fields of unreviewed invoices right on
# randomized layouts held out of the calibration's fit (bench/bench_review.py --evaluate random:
# 25.1 % to review, 99.59 % right on read-32; 23.2 % and 99.80 % after the refit of read-36; at 0,
# 11.6 % and 97.42 %): names are the fields most often wrong.
DEFAULT_MIN_PARTY_CONFIDENCE = 0.3
# The classifier's own uncertain band is the review's default: one band, one place.
DEFAULT_CATEGORY_BAND = CLASSIFIER_UNCERTAIN_BAND


@dataclass(frozen=True, slots=True)
class ReviewSettings:
    """When a loaded invoice waits for a person.

    FACTURAS_REVIEW_MIN_FIELD_CONFIDENCE  a core field whose calibrated confidence (the chance it
                                          is right) is lower goes to review (default 0.5: the
                                          trade-off of bench/bench_review.py)
    FACTURAS_REVIEW_MIN_PARTY_CONFIDENCE  the same for the seller's and buyer's names and tax ids
                                          (default 0.3; 0 lets party fields send nothing)
    FACTURAS_REVIEW_CATEGORY_BAND         "low,high": a category probability inside it is unsure
                                          (default 0.35,0.65)
    """

    min_field_confidence: float = DEFAULT_MIN_FIELD_CONFIDENCE
    category_band: tuple[float, float] = DEFAULT_CATEGORY_BAND
    core_fields: tuple[str, ...] = REVIEW_CORE_FIELDS
    min_party_confidence: float = DEFAULT_MIN_PARTY_CONFIDENCE
    party_fields: tuple[str, ...] = REVIEW_PARTY_FIELDS

    @classmethod
    def from_env(cls) -> ReviewSettings:
        """Thresholds from the environment; ConfigError names the bad variable."""
        name = "FACTURAS_REVIEW_MIN_FIELD_CONFIDENCE"
        raw = os.environ.get(name) or str(DEFAULT_MIN_FIELD_CONFIDENCE)
        minimum = _unit_float(name, raw)
        name = "FACTURAS_REVIEW_MIN_PARTY_CONFIDENCE"
        party = _unit_float(name, os.environ.get(name) or str(DEFAULT_MIN_PARTY_CONFIDENCE))
        name = "FACTURAS_REVIEW_CATEGORY_BAND"
        raw = os.environ.get(name) or ",".join(str(v) for v in DEFAULT_CATEGORY_BAND)
        parts = raw.split(",")
        if len(parts) != 2:
            raise ConfigError(f"{name}={raw!r} must be two numbers 'low,high'")
        low, high = (_unit_float(name, p) for p in parts)
        if low > high:
            raise ConfigError(f"{name}={raw!r}: low is above high")
        return cls(
            min_field_confidence=minimum, category_band=(low, high), min_party_confidence=party
        )


def _unit_float(name: str, raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a number") from None
    if not 0.0 <= value <= 1.0:
        raise ConfigError(f"{name}={raw!r} must be within 0..1")
    return value
