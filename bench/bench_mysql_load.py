"""MySQL load speed: one batch of invoices and lines into MariaDB, loaded twice (idempotent re-run).

Usage: .venv/bin/python bench/bench_mysql_load.py [--invoices 1000] [--lines 10] [--url URL]
Without --url it makes (and drops) a scratch database on the test MariaDB at 127.0.0.1:3306.
Target: >= 5,000 lines/s.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import random
import sys
import time
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from facturas_assets.db import migrate  # noqa: E402
from facturas_assets.db.engine import create_engine  # noqa: E402
from facturas_assets.db.load import load_batch  # noqa: E402
from facturas_assets.db.tables import invoice_lines, invoices  # noqa: E402

TARGET_LINES_PER_S = 5000
WORK = [
    "Revisión periódica del telar Picanol nº {n}",
    "Lubricación programada de cojinetes, engranajes y excéntricas",
    "Sustitución de rodamiento averiado en el plegador",
    "Reparación urgente de la lanzadera (mano de obra, 2 técnicos)",
    "Ajuste de tensión de urdimbre y calibración de sensores",
    "Cambio de correa dentada — repuesto original 45 €/ud",
]


def make_batch(n_invoices: int, n_lines: int, seed: int) -> tuple[list[dict], list[dict]]:
    """Synthetic header and line rows with Spanish text and exact decimals."""
    rng = random.Random(seed)
    heads, lines = [], []
    for i in range(n_invoices):
        sha = hashlib.sha256(f"bench-{seed}-{i}".encode()).hexdigest()
        net = Decimal(0)
        for no in range(1, n_lines + 1):
            qty = Decimal(rng.randint(1, 400)) / 4
            price = Decimal(rng.randint(100, 9_999_99)) / 100
            amount = (qty * price).quantize(Decimal("0.01"))
            net += amount
            lines.append(
                {
                    "invoice_sha256": sha,
                    "line_no": no,
                    "description": rng.choice(WORK).format(n=no),
                    "quantity": qty,
                    "unit_price": price,
                    "amount": amount,
                }
            )
        tax = (net * Decimal("0.21")).quantize(Decimal("0.01"))
        heads.append(
            {
                "sha256": sha,
                "source_key": f"mes-en-curso/factura_{i:05d}.pdf",
                "category": rng.choice(["preventiva", "correctiva"]),
                "category_confidence": rng.random(),
                "read_method": rng.choice(["text", "ocr", "einvoice"]),
                "invoice_number": f"F-2024/{i:05d}",
                "issue_date": date(2024, 1, 1) + timedelta(days=rng.randint(0, 365)),
                "currency": "EUR",
                "net_total": net,
                "tax_total": tax,
                "total": net + tax,
                "seller_name": "Mantenimientos Textiles Peñalara, S.L.",
                "seller_tax_id": "B12345674",
                "buyer_name": f"Hilaturas Núñez nº {rng.randint(1, 50)}, S.A.",
                "buyer_tax_id": "A58818501",
                "field_confidence": {"total": 0.99, "invoice_number": 0.97},
                "warnings": [],
            }
        )
    return heads, lines


@contextlib.contextmanager
def scratch_database() -> Iterator[str]:
    """A throwaway MariaDB database on the test server."""
    from facturas_assets_tests import services

    with services.mysql_database(prefix="facturas_bench") as name:
        yield services.mysql_url(name)


def run(url: str, n_invoices: int, n_lines: int) -> bool:
    """Migrate, load the batch twice, print figures; True when the target is met."""
    engine = create_engine(url)
    migrate.upgrade(engine)
    heads, lines = make_batch(n_invoices, n_lines, seed=7)
    print(
        f"batch: {n_invoices} invoices x {n_lines} lines = {len(lines)} lines ({engine.dialect.name})"
    )
    rates = []
    for attempt in ("first load", "re-run (same batch)"):
        start = time.perf_counter()
        result = load_batch(engine, "bench-lote", heads, lines)
        elapsed = time.perf_counter() - start
        rate = result.lines_written / elapsed
        rates.append(rate)
        print(
            f"{attempt:>20}: {elapsed:6.2f} s  {rate:8,.0f} lines/s  "
            f"(inserted {result.inserted}, updated {result.updated}, lines {result.lines_written})"
        )
    with engine.connect() as conn:
        n_inv = conn.execute(sa.select(sa.func.count()).select_from(invoices)).scalar_one()
        n_lin = conn.execute(sa.select(sa.func.count()).select_from(invoice_lines)).scalar_one()
    engine.dispose()
    same = (n_inv, n_lin) == (n_invoices, len(lines))
    print(
        f"rows after two loads: {n_inv} invoices, {n_lin} lines ({'as expected' if same else 'WRONG'})"
    )
    ok = same and min(rates) >= TARGET_LINES_PER_S
    print(f"target >= {TARGET_LINES_PER_S:,} lines/s: {'met' if ok else 'NOT met'}")
    return ok


def main() -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=1000)
    parser.add_argument("--lines", type=int, default=10)
    parser.add_argument("--url", help="database URL (default: a scratch MariaDB database)")
    args = parser.parse_args()
    if args.url:
        return 0 if run(args.url, args.invoices, args.lines) else 1
    with scratch_database() as url:
        return 0 if run(url, args.invoices, args.lines) else 1


if __name__ == "__main__":
    raise SystemExit(main())
