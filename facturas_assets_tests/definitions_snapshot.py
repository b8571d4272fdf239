"""A JSON picture of the Definitions' graph: assets and their deps, checks, jobs, schedules, sensors.

Rewrite the committed snapshot after an intended change of the graph with
`FACTURAS_UPDATE_SNAPSHOT=1 pytest facturas_assets_tests/test_definitions_snapshot.py`
(or `make snapshot`), then review the diff like any other change.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import dagster as dg

SNAPSHOT_PATH = Path(__file__).parent / "snapshots" / "definitions.json"
UPDATE_ENV = "FACTURAS_UPDATE_SNAPSHOT"


def _assets(defs: dg.Definitions) -> dict[str, Any]:
    specs = {spec.key.to_user_string(): spec for spec in defs.resolve_all_asset_specs()}
    return {
        key: {
            "deps": sorted(d.asset_key.to_user_string() for d in spec.deps),
            "group": spec.group_name,
            "owners": sorted(spec.owners),
            "kinds": sorted(spec.kinds),
            "partitioned": spec.partitions_def is not None,
        }
        for key, spec in sorted(specs.items())
    }


def _checks(defs: dg.Definitions) -> list[str]:
    graph = defs.resolve_asset_graph()
    return sorted(key.to_user_string() for key in graph.asset_check_keys)


def definitions_snapshot(defs: dg.Definitions) -> dict[str, Any]:
    """The user-visible shape of defs, in a stable order, ready for json.dumps."""
    repo = defs.get_repository_def()
    jobs = {}
    for name in sorted(n for n in repo.job_names if not n.startswith("__")):
        job = defs.resolve_job_def(name)
        jobs[name] = sorted(k.to_user_string() for k in job.asset_layer.executable_asset_keys)
    return {
        "assets": _assets(defs),
        "asset_checks": _checks(defs),
        "jobs": jobs,
        "schedules": {
            s.name: {"cron": s.cron_schedule, "job": s.job_name, "timezone": s.execution_timezone}
            for s in sorted(repo.schedule_defs, key=lambda s: s.name)
        },
        "sensors": {
            s.name: sorted(t.job_name for t in s.targets)
            for s in sorted(repo.sensor_defs, key=lambda s: s.name)
        },
    }


def render(snapshot: dict[str, Any]) -> str:
    """The snapshot as the committed file holds it."""
    return json.dumps(snapshot, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
