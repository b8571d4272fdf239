"""The ingestion domain: its assets, sensors, schedules and checks."""

import dagster as dg

defs = dg.Definitions()
