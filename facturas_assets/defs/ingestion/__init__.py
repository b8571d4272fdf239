"""The ingestion domain: landing intake into the raw zone, the landing sensor and hourly schedule."""

import dagster as dg

from facturas_assets.defs.ingestion.assets import raw_invoices
from facturas_assets.defs.ingestion.sensors import landing_schedule, landing_sensor

defs = dg.Definitions(assets=[raw_invoices], sensors=[landing_sensor], schedules=[landing_schedule])
