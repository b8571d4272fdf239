"""A Dagster instance, invoice rows in a real database, and a stored feature baseline."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import dagster as dg
import pytest
from sqlalchemy.engine import Engine

from facturas_assets.db import load as db_load
from facturas_assets.drift.features import Baseline
from facturas_assets.resources.object_store import ObjectStore
from facturas_assets_tests.drift.synthetic import db_rows, feature_frame, invoice_frames


@pytest.fixture
def instance() -> Iterator[dg.DagsterInstance]:
    """A throwaway Dagster instance (its own run and event storage)."""
    with dg.instance_for_test() as inst:
        yield inst


def load_invoices(engine: Engine, n: int, seed: int, lote: str, **world: object) -> None:
    """Load n synthetic invoices (with lines) through the platform's batch loader, a day ago."""
    heads, lines = invoice_frames(n, seed, **world)  # type: ignore[arg-type]
    head_rows, line_rows = db_rows(heads, lines)
    loaded_at = datetime.now(UTC).replace(tzinfo=None, microsecond=0) - timedelta(days=1)
    db_load.load_batch(engine, lote, head_rows, line_rows, loaded_at=loaded_at)


def store_baseline(models_store: ObjectStore, n: int = 2000) -> Baseline:
    """A baseline of n invoices of the stable synthetic world, saved as feature_baseline does."""
    baseline = Baseline.from_frame(feature_frame(n, seed=0), extra={"model_version": "1"})
    baseline.save(models_store)
    return baseline
