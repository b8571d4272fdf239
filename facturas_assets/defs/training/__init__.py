"""The training domain: its assets, sensors, schedules and checks."""

import dagster as dg

defs = dg.Definitions()
