"""GET /health: are the database and Dagster reachable?

/health answers without authentication, so its details name no host, user or URL: the full
error goes to the service log.
"""

from __future__ import annotations

import asyncio
import logging

import sqlalchemy as sa
from fastapi.concurrency import run_in_threadpool

from facturas_assets.api.dagster_client import DagsterClient, DagsterError, DagsterUnavailable
from facturas_assets.api.schemas import Check, Health
from facturas_assets.resources.database import DatabaseResource

CHECK_TIMEOUT_S = 10.0

log = logging.getLogger(__name__)


def _ping(database: DatabaseResource) -> None:
    with database.engine().connect() as conn:
        conn.execute(sa.text("SELECT 1"))


async def database_check(database: DatabaseResource) -> Check:
    """One round trip to the database."""
    try:
        await asyncio.wait_for(run_in_threadpool(_ping, database), CHECK_TIMEOUT_S)
    except TimeoutError:
        log.warning("health: database did not answer within %.0f s", CHECK_TIMEOUT_S)
        return Check(ok=False, detail=f"no answer within {CHECK_TIMEOUT_S:.0f} s")
    except Exception as exc:  # any failure is the answer here: reported, never raised
        log.warning("health: database not reachable: %s", exc)
        return Check(ok=False, detail=f"not reachable ({type(exc).__name__})")
    return Check(ok=True, detail="reachable")


async def dagster_check(dagster: DagsterClient) -> Check:
    """Dagster's GraphQL endpoint answers (its version is asked, not shown: /health is public)."""
    try:
        await asyncio.wait_for(dagster.version(), CHECK_TIMEOUT_S)
    except TimeoutError:
        log.warning("health: Dagster did not answer within %.0f s", CHECK_TIMEOUT_S)
        return Check(ok=False, detail=f"no answer within {CHECK_TIMEOUT_S:.0f} s")
    except DagsterError as exc:
        log.warning("health: %s", exc)
        kind = "not reachable" if isinstance(exc, DagsterUnavailable) else "GraphQL error"
        return Check(ok=False, detail=kind)
    return Check(ok=True, detail="reachable")


async def health(database: DatabaseResource, dagster: DagsterClient) -> Health:
    """Both checks, run concurrently."""
    db, dg = await asyncio.gather(database_check(database), dagster_check(dagster))
    return Health(status="ok" if db.ok and dg.ok else "unavailable", database=db, dagster=dg)
