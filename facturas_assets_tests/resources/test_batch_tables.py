"""The batch table IO manager: typed Parquet per lote on the local and the S3 object store."""

import io
import json
from datetime import date, datetime
from decimal import Decimal

import dagster as dg
import numpy as np
import pandas as pd
import pytest

from facturas_assets.pipeline.schemas import CLASSIFIED, INVOICES, LINES, QUARANTINE
from facturas_assets.resources import BATCH_IO_MANAGER, build_resources
from facturas_assets.resources.batch_tables import (
    BatchTableStore,
    TableSchemaError,
    batch_table_io_manager,
    to_arrow,
)
from facturas_assets.resources.object_store import ObjectStore

LOTES = ["20260105-000000-a", "20260105-000000-b"]
PARTITIONS = dg.StaticPartitionsDefinition(LOTES)


def _classified(lote: str) -> pd.DataFrame:
    """A classification table that differs per lote (one failed document among them)."""
    return pd.DataFrame(
        [
            {"sha256": f"{lote}-1", "category": "preventiva", "confidence": 0.91},
            {"sha256": f"{lote}-2", "category": None, "reason": "reader_error", "detail": "x"},
        ],
        columns=CLASSIFIED.columns,
    )


def _invoice(sha: str, **fields: object) -> dict:
    row = {
        "sha256": sha, "lote": LOTES[0], "source_key": f"{sha}.pdf", "category": "correctiva",
        "category_confidence": 0.7, "read_method": "ocr", "invoice_number": "F-1",
        "issue_date": date(2026, 1, 2), "currency": "EUR", "net_total": Decimal("100.00"),
        "tax_total": Decimal("21.00"), "total": Decimal("121.00"), "seller_name": "Peñalara S.L.",
        "seller_tax_id": "B12345674", "buyer_name": None, "buyer_tax_id": None,
        "field_confidence": {"total": 0.99}, "warnings": ["importe en €"], "status": "loaded",
        "review_reasons": [], "withholding_rate": Decimal("15.0000"),
        "withholding_total": Decimal("15.00"), "recargo_total": None,
        "tax_breakdown": [{"rate": "21.00", "base": "100.00", "tax": "21.00"}],
    }  # fmt: skip
    return {**row, **fields}


def _tables() -> dict[str, pd.DataFrame]:
    lines = [
        {"invoice_sha256": "a" * 64, "line_no": 1, "description": "Revisión",
         "quantity": Decimal("1.2500"), "unit_price": Decimal("80.0000"),
         "amount": Decimal("100.00")},
    ]  # fmt: skip
    quarantine = [
        {"sha256": "b" * 64, "lote": LOTES[0], "source_key": "vacia.pdf", "stored_key": None,
         "reason": "empty_file", "detail": "0 bytes", "created_at": datetime(2026, 1, 2, 3, 4)},
    ]  # fmt: skip
    return {
        INVOICES.name: pd.DataFrame([_invoice("a" * 64)], columns=INVOICES.columns),
        LINES.name: pd.DataFrame(lines, columns=LINES.columns),
        QUARANTINE.name: pd.DataFrame(quarantine, columns=QUARANTINE.columns),
    }


@dg.asset(name="classified_invoices", partitions_def=PARTITIONS, io_manager_key=BATCH_IO_MANAGER)
def classified(context: dg.AssetExecutionContext) -> pd.DataFrame:
    """A classification table per lote."""
    return _classified(context.partition_key)


@dg.asset(partitions_def=PARTITIONS)
def reads_classified(
    context: dg.AssetExecutionContext, classified_invoices: pd.DataFrame
) -> dg.MaterializeResult:
    """Checks that it got the table of its own lote."""
    assert classified_invoices["sha256"].tolist() == [f"{context.partition_key}-1",
                                                      f"{context.partition_key}-2"]  # fmt: skip
    return dg.MaterializeResult(metadata={"rows": len(classified_invoices)})


def _records(frame: pd.DataFrame) -> list[dict]:
    """Rows with every kind of missing value as None."""
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def _resources(store: ObjectStore) -> dict:
    return {"landing_store": store, BATCH_IO_MANAGER: batch_table_io_manager}


def test_a_frame_round_trips_per_lote(store: ObjectStore) -> None:
    for lote in LOTES:
        result = dg.materialize(
            [classified, reads_classified], partition_key=lote, resources=_resources(store)
        )
        assert result.success
        written = result.asset_materializations_for_node("classified_invoices")[0].metadata
        assert written["dagster/row_count"].value == 2
        columns = [c.name for c in written["dagster/column_schema"].value.columns]
        assert columns == CLASSIFIED.columns
    for lote in LOTES:  # each lote kept its own table, where earlier releases kept it
        stored = BatchTableStore(store).read(lote, CLASSIFIED)
        assert store.exists(f"batches/{lote}/classified.parquet")
        assert _records(stored) == _records(_classified(lote))


def test_a_table_set_keeps_its_types(store: ObjectStore) -> None:
    tables = BatchTableStore(store)
    specs = (INVOICES, LINES, QUARANTINE)
    keys = tables.write_all(LOTES[0], specs, _tables())
    assert keys == {s.name: f"batches/{LOTES[0]}/{s.name}.parquet" for s in specs}
    back = tables.read_all(LOTES[0], specs)
    invoice = back["invoices"].iloc[0]
    assert invoice["total"] == Decimal("121.00") and isinstance(invoice["total"], Decimal)
    assert invoice["issue_date"] == date(2026, 1, 2)
    assert invoice["field_confidence"] == {"total": 0.99}
    assert invoice["warnings"] == ["importe en €"]
    assert list(invoice["review_reasons"]) == []
    assert invoice["tax_breakdown"] == [{"rate": "21.00", "base": "100.00", "tax": "21.00"}]
    assert invoice["withholding_rate"] == Decimal("15") and invoice["recargo_total"] is None
    assert back["lines"].iloc[0]["quantity"] == Decimal("1.25")
    assert back["quarantine"].iloc[0]["created_at"] == pd.Timestamp(2026, 1, 2, 3, 4)
    assert back["quarantine"].iloc[0]["stored_key"] is None
    # What was read is written again unchanged (a later step setting documents apart).
    tables.write_all(LOTES[0], specs, back)
    again = tables.read_all(LOTES[0], specs)
    for name in back:
        pd.testing.assert_frame_equal(again[name], back[name])


@pytest.mark.parametrize(
    ("fields", "column"),
    [
        ({"net_total": "cien euros"}, "net_total"),
        ({"total": Decimal("121.005")}, "total"),  # more decimals than the MySQL column keeps
        ({"sha256": None}, "sha256"),
        ({"issue_date": "mañana"}, "issue_date"),
    ],
)
def test_a_frame_that_breaks_its_schema_is_refused_naming_the_column(
    fields: dict, column: str
) -> None:
    frame = pd.DataFrame([_invoice("a" * 64), _invoice("c" * 64, **fields)])
    with pytest.raises(TableSchemaError, match=f"table invoices: column '{column}'"):
        to_arrow(INVOICES, frame)


def test_a_column_left_empty_is_nulls_of_its_type() -> None:
    # A frame built with columns= fills a key no row has with NaN floats.
    frame = pd.DataFrame([_invoice("a" * 64)]).drop(columns=["withholding_rate"])
    table = to_arrow(INVOICES, frame.reindex(columns=INVOICES.columns))
    assert table.column("withholding_rate").null_count == 1


def test_missing_and_undeclared_columns_are_named() -> None:
    frame = _classified(LOTES[0]).drop(columns=["confidence"]).assign(score=1.0)
    with pytest.raises(TableSchemaError) as raised:
        to_arrow(CLASSIFIED, frame)
    assert "missing column(s) ['confidence']" in str(raised.value)
    assert "undeclared column(s) ['score']" in str(raised.value)


def test_the_run_fails_before_anything_is_stored(store: ObjectStore) -> None:
    @dg.asset(
        name="classified_invoices", partitions_def=PARTITIONS, io_manager_key=BATCH_IO_MANAGER
    )
    def bad() -> pd.DataFrame:
        """A classification whose confidence is text."""
        return _classified(LOTES[0]).assign(confidence="alta")

    with pytest.raises(Exception, match="column 'confidence' does not hold double"):
        dg.materialize([bad], partition_key=LOTES[0], resources=_resources(store))
    assert not store.exists(f"batches/{LOTES[0]}/classified.parquet")


def test_a_table_set_is_written_whole_or_not_at_all(store: ObjectStore) -> None:
    tables = _tables()
    tables["lines"] = tables["lines"].assign(line_no=None)  # the second table breaks its schema
    with pytest.raises(TableSchemaError, match="table lines: column 'line_no' may not be empty"):
        BatchTableStore(store).write_all(LOTES[0], (INVOICES, LINES, QUARANTINE), tables)
    assert not store.exists(f"batches/{LOTES[0]}/invoices.parquet")


def test_tables_of_earlier_releases_still_load(store: ObjectStore) -> None:
    """Written as pipeline/artifacts.py did: pandas' own types, JSON text, the tax breakdown as
    structs, an empty quarantine table without columns, and before the withholding columns."""
    invoices = pd.DataFrame([_invoice("a" * 64), _invoice("d" * 64, tax_breakdown=None)])
    invoices = invoices.drop(columns=["withholding_rate", "withholding_total", "recargo_total"])
    for column in ("field_confidence", "warnings"):
        invoices[column] = invoices[column].map(lambda v: json.dumps(v, ensure_ascii=False))
    for name, frame in (("invoices", invoices), ("quarantine", pd.DataFrame([]))):
        buffer = io.BytesIO()
        frame.to_parquet(buffer, index=False)
        store.write_bytes(f"batches/{LOTES[1]}/{name}.parquet", buffer.getvalue())
    tables = BatchTableStore(store)
    old = tables.read(LOTES[1], INVOICES).iloc[0]
    assert old["total"] == Decimal("121.00") and old["field_confidence"] == {"total": 0.99}
    assert isinstance(old["review_reasons"], np.ndarray)  # as pandas read it before
    assert old["tax_breakdown"] == [{"rate": "21.00", "base": "100.00", "tax": "21.00"}]
    assert old["withholding_total"] is None
    assert tables.read(LOTES[1], INVOICES).iloc[1]["tax_breakdown"] is None
    empty = tables.read(LOTES[1], QUARANTINE)
    assert empty.empty and list(empty.columns) == QUARANTINE.columns


def test_the_resources_bind_it_to_the_landing_store(facturas_home) -> None:
    resources = build_resources()
    defs = dg.Definitions(assets=[classified, reads_classified], resources=resources)
    result = defs.resolve_implicit_global_asset_job_def().execute_in_process(partition_key=LOTES[0])
    assert result.success
    assert resources["landing_store"].exists(f"batches/{LOTES[0]}/classified.parquet")


@dg.asset(ins={"classified_invoices": dg.AssetIn()})
def every_lote(classified_invoices: dict) -> dg.MaterializeResult:
    """An unpartitioned asset reading the tables of every lote."""
    assert sorted(classified_invoices) == LOTES
    for lote, frame in classified_invoices.items():
        assert frame["sha256"].iloc[0] == f"{lote}-1"
    return dg.MaterializeResult()


def test_a_downstream_of_every_lote_gets_them_by_lote(store: ObjectStore) -> None:
    resources = _resources(store)
    with dg.instance_for_test() as instance:
        for lote in LOTES:
            dg.materialize([classified], partition_key=lote, resources=resources, instance=instance)
        result = dg.materialize(
            [classified, every_lote], selection=[every_lote], resources=resources, instance=instance
        )
    assert result.success
