"""Migration 0004_spanish: withholding, recargo and the tax breakdown, loaded idempotently."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from facturas_assets.db import migrate
from facturas_assets.db.engine import create_engine
from facturas_assets.db.load import load_batch
from facturas_assets.db.tables import invoices
from facturas_assets.documents.model import TaxBreakdown, breakdown_to_json
from facturas_assets_tests.db.factories import invoice

NEW_COLUMNS = {"withholding_rate", "withholding_total", "recargo_total", "tax_breakdown"}


def _spanish_invoice(label: str) -> tuple[dict, list[dict]]:
    """A header whose total deducts 15 % IRPF and adds a 5.2 % recargo, taxed at two rates."""
    head, lines = invoice(label, n_lines=2)
    rows = [
        TaxBreakdown(Decimal("21"), Decimal("1000.00"), Decimal("210.00"), Decimal("5.2"),
                     Decimal("52.00"), "standard"),
        TaxBreakdown(Decimal("10"), Decimal("200.00"), Decimal("20.00"), category="standard"),
    ]  # fmt: skip
    head.update(
        net_total=Decimal("1200.00"),
        tax_total=Decimal("230.00"),
        total=Decimal("1302.00"),
        withholding_rate=Decimal("15"),
        withholding_total=Decimal("180.00"),
        recargo_total=Decimal("52.00"),
        tax_breakdown=breakdown_to_json(rows),
    )
    return head, lines


def _rows(engine: sa.Engine) -> list[dict]:
    cols = [invoices.c[name] for name in ("sha256", *sorted(NEW_COLUMNS))]
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(sa.select(*cols).order_by("sha256"))]


def test_upgrade_load_twice_and_downgrade(db_url: str, tmp_path: Path) -> None:
    """Rows loaded before the migration survive it; a batch loaded twice (once through Parquet,
    as the pipeline hands it over) gives the same rows; downgrading drops only the columns."""
    engine = create_engine(db_url)
    try:
        migrate.upgrade(engine, "0003")
        old_head, old_lines = invoice("anterior")
        with engine.begin() as conn:
            conn.execute(
                sa.insert(invoices), [{**old_head, "lote": "l0", "loaded_at": datetime(2024, 1, 1)}]
            )
        migrate.upgrade(engine, "0004_spanish")
        assert migrate.current_revision(engine) == "0004_spanish"

        head, lines = _spanish_invoice("irpf")
        load_batch(engine, "l1", [head], lines)
        first = _rows(engine)
        frame = pd.DataFrame([head])
        frame.to_parquet(tmp_path / "invoices.parquet")
        load_batch(engine, "l1", pd.read_parquet(tmp_path / "invoices.parquet"), lines)
        assert _rows(engine) == first
        loaded = next(r for r in first if r["sha256"] == head["sha256"])
        assert loaded["withholding_total"] == Decimal("180.00")
        assert loaded["withholding_rate"] == Decimal("15")
        assert loaded["recargo_total"] == Decimal("52.00")
        assert loaded["tax_breakdown"] == head["tax_breakdown"]
        before = next(r for r in first if r["sha256"] == old_head["sha256"])
        assert before["tax_breakdown"] is None and before["withholding_total"] is None

        migrate.downgrade(engine, "0003")
        with engine.connect() as conn:
            names = {c["name"] for c in sa.inspect(conn).get_columns("invoices")}
            count = conn.execute(sa.text("SELECT COUNT(*) FROM invoices")).scalar_one()
        assert not names & NEW_COLUMNS and count == 2
    finally:
        engine.dispose()
