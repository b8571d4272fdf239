"""A batch's tables as typed Parquet on the object store, and the IO manager that moves them.

`batch_table_io_manager` stores an asset's DataFrame output under `batches/<lote>/<table>.parquet`
of the `landing_store` resource (local folder or S3 alike) and loads it for downstream assets.
Each table has a declared Arrow schema (`pipeline.schemas`): a frame that does not fit it is
refused on write with the column named. An asset whose output holds several tables returns them
as a mapping of table name -> DataFrame and gets the same mapping back.
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping
from typing import Any

import dagster as dg
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from facturas_assets.pipeline import keys
from facturas_assets.pipeline.schemas import BATCH_TABLES, TableSpec
from facturas_assets.resources.object_store import ObjectStore

PARQUET = "application/vnd.apache.parquet"
JSON_TYPE = "json"  # how a JSON text column is shown in the column schema


class TableSchemaError(ValueError):
    """A frame (or a stored table) does not fit its table's declared schema."""


def _column(spec: TableSpec, field: pa.Field, values: pd.Series) -> pa.Array:
    """One column as its declared Arrow type, or a TableSchemaError naming it."""
    if field.name in spec.json_columns:
        values = values.map(lambda v: json.dumps(v, ensure_ascii=False))
    try:
        if len(values) and values.isna().all():  # all empty (NaN floats, say): nulls of its type
            array = pa.nulls(len(values), field.type)
        else:
            array = pa.array(values, type=field.type, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError, OverflowError) as exc:
        raise TableSchemaError(
            f"table {spec.name}: column {field.name!r} does not hold {field.type} values: {exc}"
        ) from None
    if not field.nullable and array.null_count:
        first = array.is_null().to_pylist().index(True)
        raise TableSchemaError(
            f"table {spec.name}: column {field.name!r} may not be empty, but {array.null_count} "
            f"rows are (first at row {first})"
        )
    return array


def to_arrow(spec: TableSpec, frame: pd.DataFrame) -> pa.Table:
    """The frame as an Arrow table of the spec's schema; refuses missing or undeclared columns."""
    missing = [c for c in spec.columns if c not in frame.columns]
    extra = [str(c) for c in frame.columns if c not in spec.columns]
    if missing or extra:
        problems = [f"missing column(s) {missing}"] if missing else []
        problems += [f"undeclared column(s) {extra}"] if extra else []
        raise TableSchemaError(f"table {spec.name}: {'; '.join(problems)}")
    arrays = [_column(spec, field, frame[field.name]) for field in spec.schema]
    return pa.Table.from_arrays(arrays, schema=spec.schema)


def from_arrow(spec: TableSpec, table: pa.Table) -> pd.DataFrame:
    """A stored table as a frame of the spec's columns and types (JSON columns decoded).

    Tables of earlier releases load too: an empty table without columns, columns added since
    (nullable: read as empty), and JSON columns Parquet kept as structs."""
    if table.num_rows == 0 and table.num_columns == 0:
        table = spec.schema.empty_table()
    missing = [spec.schema.field(c) for c in spec.columns if c not in table.column_names]
    required = [f.name for f in missing if not f.nullable]
    if required:
        raise TableSchemaError(f"stored table {spec.name}: missing column(s) {required}")
    for field in missing:
        table = table.append_column(field, pa.nulls(table.num_rows, field.type))
    for column in spec.json_columns:
        stored = table.column(column)
        if not pa.types.is_string(stored.type) and not pa.types.is_null(stored.type):
            values = [json.dumps(v, ensure_ascii=False, default=str) for v in stored.to_pylist()]
            table = table.set_column(table.column_names.index(column), column, pa.array(values))
    try:
        table = table.select(spec.columns).cast(spec.schema)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError) as exc:
        raise TableSchemaError(f"stored table {spec.name} does not fit its schema: {exc}") from None
    frame = table.to_pandas()
    for column in spec.json_columns:  # a column added since holds nulls, not JSON text
        frame[column] = frame[column].map(lambda v: None if v is None else json.loads(v))
    return frame


def column_schema(spec: TableSpec) -> dg.TableSchema:
    """The table's columns as Dagster shows them (`dagster/column_schema`)."""
    return dg.TableSchema(
        columns=[
            dg.TableColumn(
                field.name,
                JSON_TYPE if field.name in spec.json_columns else str(field.type),
                constraints=dg.TableColumnConstraints(nullable=field.nullable),
            )
            for field in spec.schema
        ]
    )


def definition_metadata(asset: str) -> dict[str, Any]:
    """An asset's column schemas: its first table's as `dagster/column_schema`, others beside."""
    first, *others = BATCH_TABLES[asset]
    return {
        "dagster/column_schema": column_schema(first),
        **{
            f"{spec.name}_columns": dg.MetadataValue.table_schema(column_schema(spec))
            for spec in others
        },
    }


class BatchTableStore:
    """Typed reads and writes of a batch's tables on an object store."""

    def __init__(self, store: ObjectStore) -> None:
        self.store = store

    @staticmethod
    def key(lote: str, spec: TableSpec) -> str:
        """Where a table of a batch lives."""
        return keys.batch_key(lote, f"{spec.name}.parquet")

    def write(self, lote: str, spec: TableSpec, frame: pd.DataFrame) -> str:
        """Check the frame against its schema and store it; returns its key."""
        return self._put(lote, spec, to_arrow(spec, frame))

    def _put(self, lote: str, spec: TableSpec, table: pa.Table) -> str:
        buffer = io.BytesIO()
        pq.write_table(table, buffer)
        key = self.key(lote, spec)
        self.store.write_bytes(key, buffer.getvalue(), PARQUET)
        return key

    def read(self, lote: str, spec: TableSpec) -> pd.DataFrame:
        """A stored table of the batch, typed as its schema says."""
        return from_arrow(
            spec, pq.read_table(io.BytesIO(self.store.read_bytes(self.key(lote, spec))))
        )

    def write_all(
        self,
        lote: str,
        specs: tuple[TableSpec, ...],
        value: pd.DataFrame | Mapping[str, pd.DataFrame],
    ) -> dict[str, str]:
        """Store an asset's value (one frame, or name -> frame for several tables); name -> key.
        Every table is checked before any is written: a refused value leaves the stored ones."""
        frames = _frames(specs, value)
        checked = {spec.name: to_arrow(spec, frames[spec.name]) for spec in specs}
        return {spec.name: self._put(lote, spec, checked[spec.name]) for spec in specs}

    def read_all(
        self, lote: str, specs: tuple[TableSpec, ...]
    ) -> pd.DataFrame | dict[str, pd.DataFrame]:
        """An asset's value as `write_all` took it."""
        frames = {spec.name: self.read(lote, spec) for spec in specs}
        return frames[specs[0].name] if len(specs) == 1 else frames


def _frames(
    specs: tuple[TableSpec, ...], value: pd.DataFrame | Mapping[str, pd.DataFrame]
) -> dict[str, pd.DataFrame]:
    """The value's frames by table name, refusing a value of the wrong shape."""
    names = [spec.name for spec in specs]
    if len(specs) == 1 and isinstance(value, pd.DataFrame):
        return {names[0]: value}
    if len(specs) > 1 and isinstance(value, Mapping) and sorted(value) == sorted(names):
        return dict(value)
    expected = "a DataFrame" if len(specs) == 1 else f"a mapping of {names} to DataFrames"
    raise TableSchemaError(f"expected {expected}, got {type(value).__name__}")


class BatchTableIOManager(dg.IOManager):
    """Stores and loads the batch tables of partitioned assets (see the module's docstring)."""

    def __init__(self, store: ObjectStore, tables: Mapping[str, tuple[TableSpec, ...]]) -> None:
        self.tables = BatchTableStore(store)
        self.specs = dict(tables)

    def _specs(self, asset_key: dg.AssetKey) -> tuple[TableSpec, ...]:
        name = asset_key.to_user_string()
        if name not in self.specs:
            raise dg.Failure(f"{name} has no declared batch table schema (pipeline/schemas.py)")
        return self.specs[name]

    def handle_output(self, context: dg.OutputContext, obj: Any) -> None:
        """Store the output of one batch, checked against its schema."""
        specs = self._specs(context.asset_key)
        if not context.has_asset_partitions or len(context.asset_partition_keys) != 1:
            raise dg.Failure(
                f"{context.asset_key.to_user_string()}: batch tables are one lote each"
            )
        lote = context.asset_partition_key
        stored = self.tables.write_all(lote, specs, obj)
        frames = _frames(specs, obj)
        first = specs[0]
        metadata: dict[str, Any] = {
            "dagster/row_count": len(frames[first.name]),
            "dagster/column_schema": column_schema(first),
            "uri": dg.MetadataValue.url(self.tables.store.uri(stored[first.name])),
        }
        for spec in specs[1:]:
            metadata[f"{spec.name}_rows"] = len(frames[spec.name])
            metadata[f"{spec.name}_uri"] = dg.MetadataValue.url(
                self.tables.store.uri(stored[spec.name])
            )
        context.add_output_metadata(metadata)

    def load_input(self, context: dg.InputContext) -> Any:
        """The upstream batch's tables; several lotes as lote -> value."""
        specs = self._specs(context.asset_key)
        if not context.has_asset_partitions:
            raise dg.Failure(f"{context.asset_key.to_user_string()}: batch tables are per lote")
        lotes = context.asset_partition_keys
        if len(lotes) == 1:
            return self.tables.read_all(lotes[0], specs)
        return {lote: self.tables.read_all(lote, specs) for lote in lotes}


@dg.io_manager(
    required_resource_keys={"landing_store"},
    description="Batch tables as typed Parquet under batches/<lote>/ of the landing store.",
)
def batch_table_io_manager(init_context: dg.InitResourceContext) -> BatchTableIOManager:
    """The IO manager on the `landing_store` resource bound in the same Definitions."""
    return BatchTableIOManager(init_context.resources.landing_store, BATCH_TABLES)
