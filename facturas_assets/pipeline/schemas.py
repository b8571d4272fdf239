"""The typed tables a batch stores: each table's columns as an Arrow schema, checked on write.

Stored as `batches/<lote>/<name>.parquet` in the landing bucket (the layout of earlier releases).
Amounts have the precision of their MySQL columns, so a value the database would refuse is
refused when the table is written.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

AMOUNT = pa.decimal128(14, 2)  # invoices.net_total / tax_total / total, invoice_lines.amount
MEASURE = pa.decimal128(14, 4)  # invoice_lines.quantity / unit_price
PERCENT = pa.decimal128(7, 4)  # invoices.withholding_rate


@dataclass(frozen=True, slots=True)
class TableSpec:
    """One table of a batch: its file name, Arrow schema and the columns stored as JSON text."""

    name: str
    schema: pa.Schema
    # dict/list values travel as JSON text: Parquet would otherwise infer a struct per batch
    # from whichever keys happen to appear.
    json_columns: tuple[str, ...] = ()

    @property
    def columns(self) -> list[str]:
        """The column names in order."""
        return list(self.schema.names)


def _required(name: str, kind: pa.DataType) -> pa.Field:
    return pa.field(name, kind, nullable=False)


CLASSIFIED = TableSpec(
    "classified",
    pa.schema(
        [
            _required("sha256", pa.string()),
            ("category", pa.string()),  # null when the classifier failed on the document
            ("confidence", pa.float64()),
            ("reason", pa.string()),  # the failure's quarantine reason and detail, else null
            ("detail", pa.string()),
        ]
    ),
)

INVOICES = TableSpec(
    "invoices",
    pa.schema(
        [
            _required("sha256", pa.string()),
            _required("lote", pa.string()),
            _required("source_key", pa.string()),
            _required("category", pa.string()),
            ("category_confidence", pa.float64()),
            _required("read_method", pa.string()),
            ("invoice_number", pa.string()),
            ("issue_date", pa.date32()),
            ("currency", pa.string()),
            ("net_total", AMOUNT),
            ("tax_total", AMOUNT),
            ("total", AMOUNT),
            ("seller_name", pa.string()),
            ("seller_tax_id", pa.string()),
            ("buyer_name", pa.string()),
            ("buyer_tax_id", pa.string()),
            ("field_confidence", pa.string()),
            ("warnings", pa.string()),
            _required("status", pa.string()),
            ("review_reasons", pa.list_(pa.string())),
            ("withholding_rate", PERCENT),
            ("withholding_total", AMOUNT),
            ("recargo_total", AMOUNT),
            ("tax_breakdown", pa.string()),  # per rate, decimals as strings
        ]
    ),
    json_columns=("field_confidence", "warnings", "tax_breakdown"),
)

LINES = TableSpec(
    "lines",
    pa.schema(
        [
            _required("invoice_sha256", pa.string()),
            _required("line_no", pa.int64()),
            ("description", pa.string()),
            ("quantity", MEASURE),
            ("unit_price", MEASURE),
            ("amount", AMOUNT),
        ]
    ),
)

QUARANTINE = TableSpec(
    "quarantine",
    pa.schema(
        [
            _required("sha256", pa.string()),
            _required("lote", pa.string()),
            _required("source_key", pa.string()),
            ("stored_key", pa.string()),  # null when the original was never copied (a symlink)
            _required("reason", pa.string()),
            ("detail", pa.string()),
            _required("created_at", pa.timestamp("us")),
        ]
    ),
)

# Asset -> the tables its output holds (one table: a DataFrame; several: name -> DataFrame).
BATCH_TABLES: dict[str, tuple[TableSpec, ...]] = {
    "classified_invoices": (CLASSIFIED,),
    "invoice_tables": (INVOICES, LINES, QUARANTINE),
}
