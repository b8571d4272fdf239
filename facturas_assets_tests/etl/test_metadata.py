"""What the Dagster UI shows of a batch: row counts, column schemas, tables and readable text."""

from pathlib import Path

import dagster as dg

from facturas_assets.definitions import defs
from facturas_assets.pipeline.schemas import CLASSIFIED, INVOICES
from facturas_assets_tests.etl.conftest import land_generated, run_batch

LOTE = "20260104-000000-meta"


def _metadata(result: dg.ExecuteInProcessResult, asset: str) -> dict:
    (materialization,) = result.asset_materializations_for_node(asset)
    return materialization.metadata


def _rows(value: dg.TableMetadataValue) -> list[dict]:
    return [record.data for record in value.records]


def test_a_batch_materializes_counts_schemas_and_tables(
    local_resources, instance, tmp_path: Path
) -> None:
    store = local_resources["landing_store"]
    names = land_generated(store, tmp_path, 3, seed=51, renderings=["text-pdf"])
    # Not an image for all its PNG signature: Pillow's message names an in-memory buffer.
    store.write_bytes("no-es-factura.pdf", b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    result = run_batch(local_resources, LOTE, [*names, "no-es-factura.pdf"], instance)
    assert result.success

    classified = _metadata(result, "classified_invoices")
    assert classified["dagster/row_count"].value == 3  # the unreadable file is never classified
    schema = classified["dagster/column_schema"].value
    assert [c.name for c in schema.columns] == CLASSIFIED.columns
    assert sum(r["count"] for r in _rows(classified["by_category"].value)) == 3

    tables = _metadata(result, "invoice_tables")
    assert tables["dagster/row_count"].value == 3 == tables["invoices"].value
    assert tables["lines_rows"].value == tables["lines"].value > 3
    assert tables["quarantine_rows"].value == 1
    (quarantined,) = _rows(tables["quarantine_detail"].value)
    assert quarantined["document"] == "no-es-factura.pdf"
    assert quarantined["reason"] == "corrupt_image"
    assert "<_io." not in quarantined["detail"] and "not an image format" in quarantined["detail"]
    assert _rows(tables["quarantine_reasons"].value) == [{"reason": "corrupt_image", "count": 1}]

    assert _metadata(result, "invoice_rows")["dagster/row_count"].value == 3

    archive = _metadata(result, "drive_archive")
    stages = [r["stage"] for r in _rows(archive["stage_seconds"].value)]
    assert stages == ["raw_invoices", "invoice_text", "classified_invoices", "invoice_tables",
                      "invoice_rows", "drive_archive"]  # fmt: skip
    assert all(r["seconds"] >= 0 for r in _rows(archive["stage_seconds"].value))
    by_category = _rows(archive["by_category"].value)
    assert sum(r["invoices"] for r in by_category) == 3
    assert {r["category"] for r in by_category} <= {"preventiva", "correctiva"}
    summary = archive["summary"].value
    assert "| documents in | 4 |" in summary and "- `corrupt_image`: 1" in summary


def test_the_definitions_declare_columns_kinds_and_freshness() -> None:
    specs = {s.key.to_user_string(): s for s in defs.resolve_all_asset_specs()}
    tables = specs["invoice_tables"].metadata
    assert [c.name for c in tables["dagster/column_schema"].columns] == INVOICES.columns
    assert {"lines_columns", "quarantine_columns"} <= set(tables)
    assert specs["invoice_rows"].freshness_policy.fail_window.to_timedelta().total_seconds() == 3600
    for name in ("raw_invoices", "invoice_text", "classified_invoices", "invoice_tables",
                 "invoice_rows", "drive_archive", "reading_memory"):  # fmt: skip
        reference = specs[name].metadata["dagster/code_references"].code_references[0]
        source = Path(reference.file_path).read_text().splitlines()
        assert f"def {name}(" in "\n".join(source[reference.line_number - 1 :][:40]), name
