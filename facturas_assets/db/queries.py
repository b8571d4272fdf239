"""Reads of the `textil` database used by checks and summaries."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import nullcontext

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from facturas_assets.db.tables import (
    invoice_lines,
    invoices,
    metadata,
    review_queue,
    views_metadata,
)
from facturas_assets.db.upsert import chunks


def row_counts(engine: Engine | Connection) -> dict[str, int]:
    """Number of rows in every table and `ventas_*` view."""
    counts: dict[str, int] = {}
    with engine.connect() if isinstance(engine, Engine) else nullcontext(engine) as conn:
        for name, table in [*metadata.tables.items(), *views_metadata.tables.items()]:
            counts[name] = conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
    return counts


def find_invoice_numbers(
    engine: Engine | Connection, pairs: Iterable[tuple[str, str]], *, chunk_size: int = 300
) -> dict[tuple[str, str], set[str]]:
    """Loaded invoices with these (seller_tax_id, invoice_number): pair -> sha256s holding it.

    A pair coming back with a sha256 other than the incoming document's is a duplicate number.
    """
    wanted = sorted({(s, n) for s, n in pairs if s is not None and n is not None})
    found: dict[tuple[str, str], set[str]] = {}
    key = sa.tuple_(invoices.c.seller_tax_id, invoices.c.invoice_number)
    cols = (invoices.c.seller_tax_id, invoices.c.invoice_number, invoices.c.sha256)
    with engine.connect() if isinstance(engine, Engine) else nullcontext(engine) as conn:
        for part in chunks(wanted, chunk_size):
            for seller, number, digest in conn.execute(sa.select(*cols).where(key.in_(part))):
                found.setdefault((seller, number), set()).add(digest)
    return found


EXACT_READ_METHODS = ("einvoice", "text")


def exact_readings() -> sa.ColumnElement[bool]:
    """Invoices whose fields can teach: read exactly, or checked by a reviewer (who may have
    corrected an OCR slip); never one still waiting for review."""
    reviewed = sa.select(review_queue.c.sha256).where(review_queue.c.reviewed_at.is_not(None))
    return sa.and_(
        invoices.c.status == "loaded",
        sa.or_(invoices.c.read_method.in_(EXACT_READ_METHODS), invoices.c.sha256.in_(reviewed)),
    )


def exact_descriptions(engine: Engine | Connection, *, limit: int = 50_000) -> list[str]:
    """Item descriptions of the latest invoices read exactly (e-invoice, text layer, reviewed).

    They are the vocabulary that mends OCR slips in scanned invoices' descriptions.
    """
    query = (
        sa.select(invoice_lines.c.description)
        .join(invoices, invoices.c.sha256 == invoice_lines.c.invoice_sha256)
        .where(exact_readings())
        .where(invoice_lines.c.description.is_not(None))
        .order_by(invoices.c.loaded_at.desc(), invoice_lines.c.invoice_sha256)
        .limit(limit)
    )
    with engine.connect() if isinstance(engine, Engine) else nullcontext(engine) as conn:
        return [row[0] for row in conn.execute(query)]


def exact_invoice_numbers(
    engine: Engine | Connection, *, limit: int = 50_000
) -> list[tuple[str, str]]:
    """(seller tax id, invoice number) of the latest invoices read exactly: the series letters
    each seller's numbers begin with."""
    query = (
        sa.select(invoices.c.seller_tax_id, invoices.c.invoice_number)
        .where(exact_readings(), invoices.c.seller_tax_id.is_not(None))
        .order_by(invoices.c.loaded_at.desc(), invoices.c.sha256)
        .limit(limit)
    )
    with engine.connect() if isinstance(engine, Engine) else nullcontext(engine) as conn:
        return [tuple(row) for row in conn.execute(query)]


def exact_parties(engine: Engine | Connection) -> list[tuple[str, str]]:
    """(name, tax id) of every seller and buyer of invoices read exactly, each pair once.

    They give scans whose tax id is unreadable the id their party is known by.
    """
    exact = exact_readings()
    pairs: set[tuple[str, str]] = set()
    with engine.connect() if isinstance(engine, Engine) else nullcontext(engine) as conn:
        for name, tax_id in (
            (invoices.c.seller_name, invoices.c.seller_tax_id),
            (invoices.c.buyer_name, invoices.c.buyer_tax_id),
        ):
            query = sa.select(name, tax_id).where(exact, name.is_not(None), tax_id.is_not(None))
            pairs.update(tuple(row) for row in conn.execute(query.distinct()))
    return sorted(pairs)
