"""The HTTP API of the old service (`GET /health`, `POST /train_model`, ...): a thin client of
Dagster's GraphQL API. Served by `uvicorn facturas_assets.api.app:app`."""
