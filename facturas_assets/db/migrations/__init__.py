"""Alembic migrations of the `textil` database (see facturas_assets.db.migrate)."""
