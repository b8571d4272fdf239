"""Which batch owns a file's content: the first batch to claim a sha256 processes it, once."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from facturas_assets.db.tables import invoice_claims
from facturas_assets.db.upsert import chunks

# Hashes per SELECT ... IN (...) and per multi-row INSERT.
CLAIM_CHUNK = 500


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


def claim_many(engine: Engine, lote: str, items: list[tuple[str, str]]) -> dict[str, str]:
    """Claim every (sha256, landing_key) of a batch in one transaction; sha256 -> owning batch.

    Same outcome as `claim` per item, in a couple of statements instead of two transactions per
    file. When a racing batch claims one of the hashes meanwhile, the primary key rejects the
    insert and each hash is claimed on its own, so the database still picks exactly one owner.
    """
    if not items:
        return {}
    table = invoice_claims
    try:
        with engine.begin() as conn:
            owners: dict[str, str] = {}
            for part in chunks([sha for sha, _ in items], CLAIM_CHUNK):
                rows = conn.execute(
                    sa.select(table.c.sha256, table.c.lote).where(table.c.sha256.in_(part))
                )
                owners.update({sha: owner for sha, owner in rows})
            now = _now()
            new = [
                {"sha256": sha, "lote": lote, "landing_key": key, "claimed_at": now}
                for sha, key in items
                if sha not in owners
            ]
            for part in chunks(new, CLAIM_CHUNK):
                conn.execute(table.insert(), list(part))
            owners.update({row["sha256"]: lote for row in new})
        return owners
    except sa.exc.IntegrityError:
        return {sha: claim(engine, sha, lote, key) for sha, key in items}


def release(engine: Engine, sha256: str) -> bool:
    """Forget who owns a content hash, so a re-queued file is processed again."""
    with engine.begin() as conn:
        result = conn.execute(invoice_claims.delete().where(invoice_claims.c.sha256 == sha256))
        return result.rowcount > 0
