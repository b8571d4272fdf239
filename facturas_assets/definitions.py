"""The one Definitions object of the platform (workspace.yaml points here)."""

import dagster as dg

from facturas_assets.defs import etl, ingestion, monitoring, training
from facturas_assets.resources import build_resources

defs = dg.Definitions.merge(
    ingestion.defs,
    etl.defs,
    training.defs,
    monitoring.defs,
    dg.Definitions(resources=build_resources()),
)
