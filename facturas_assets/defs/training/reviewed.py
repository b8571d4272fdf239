"""reviewed_corrections: invoices people reviewed, as labelled data for training and reading."""

import dagster as dg

from facturas_assets.defs.training.dataset import GROUP, OWNERS
from facturas_assets.resources.database import DatabaseResource
from facturas_assets.resources.object_store import ObjectStore
from facturas_assets.training.reviewed import PREFIX, reviewed_set, save_reviewed


@dg.asset(group_name=GROUP, owners=OWNERS, kinds={"mysql", "json"})
def reviewed_corrections(
    context: dg.AssetExecutionContext,
    database: DatabaseResource,
    landing_store: ObjectStore,
    models_store: ObjectStore,
) -> dg.MaterializeResult:
    """Reviewed invoices (text, category and fields as the reviewer left them), by content hash."""
    reviewed = reviewed_set(database.engine(), landing_store)
    for item in reviewed.skipped:
        context.log.warning(f"reviewed invoice {item['sha256'][:12]} left out: {item['reason']}")
    version = save_reviewed(models_store, reviewed)
    return dg.MaterializeResult(
        metadata={
            "version": version,
            "documents": len(reviewed.documents),
            "skipped": len(reviewed.skipped),
            "corrections_per_field": dg.MetadataValue.json(reviewed.corrections_per_field()),
            "key": dg.MetadataValue.url(models_store.uri(f"{PREFIX}/{version}.json")),
        },
        data_version=dg.DataVersion(version),
    )
