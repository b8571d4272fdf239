"""Which batch owns a file's content: the first batch to claim a sha256 processes it, once."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from facturas_assets.db.tables import invoice_claims


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def claim(engine: Engine, sha256: str, lote: str, landing_key: str) -> str:
    """Claim a content hash for a batch; returns the batch that owns it (maybe another one).

    The primary key on sha256 makes the database the arbiter: two batches racing on the same
    file (or the same file uploaded twice) end with exactly one owner.
    """
    with engine.begin() as conn:
        owner = conn.execute(
            sa.select(invoice_claims.c.lote).where(invoice_claims.c.sha256 == sha256)
        ).scalar_one_or_none()
        if owner is not None:
            return owner
    try:
        with engine.begin() as conn:
            conn.execute(
                invoice_claims.insert().values(
                    sha256=sha256, lote=lote, landing_key=landing_key, claimed_at=_now()
                )
            )
        return lote
    except sa.exc.IntegrityError:
        with engine.begin() as conn:
            return conn.execute(
                sa.select(invoice_claims.c.lote).where(invoice_claims.c.sha256 == sha256)
            ).scalar_one()


def release(engine: Engine, sha256: str) -> bool:
    """Forget who owns a content hash, so a re-queued file is processed again."""
    with engine.begin() as conn:
        result = conn.execute(invoice_claims.delete().where(invoice_claims.c.sha256 == sha256))
        return result.rowcount > 0
