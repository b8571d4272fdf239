"""Starting and following Dagster runs from Airflow (MWAA), over the Dagster webserver's GraphQL API.

Only `requests` is needed: MWAA has no Dagster installed, and these DAGs stay thin clients.
"""

from facturas_dagster.client import (
    DagsterClient,
    DagsterError,
    DagsterUnavailable,
    RunState,
    new_lote_id,
)

__all__ = ["DagsterClient", "DagsterError", "DagsterUnavailable", "RunState", "new_lote_id"]
