"""Spanish invoice: withholding (IRPF), recargo de equivalencia and the tax breakdown per rate.

The breakdown is a JSON column of `invoices`, not a table: it is part of the invoice header,
always written and read whole with it, so the upsert by sha256 keeps it idempotent and a kept
review keeps it in step, with no third Parquet frame and load step to keep in step; per-rate
SQL stays possible through JSON_TABLE (MySQL 8, MariaDB 10.6+). Amounts in it are decimal
strings, exact.

Revision ID: 0004_spanish
Revises: 0003
Create Date: 2026-12-06 09:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_spanish"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ("withholding_rate", "withholding_total", "recargo_total", "tax_breakdown")


def upgrade() -> None:
    op.add_column(
        "invoices",
        sa.Column("withholding_rate", sa.Numeric(7, 4), comment="IRPF withheld, percent"),
    )
    op.add_column(
        "invoices",
        sa.Column("withholding_total", sa.Numeric(14, 2), comment="tax withheld (IRPF), positive"),
    )
    op.add_column(
        "invoices",
        sa.Column("recargo_total", sa.Numeric(14, 2), comment="recargo de equivalencia"),
    )
    op.add_column(
        "invoices",
        sa.Column(
            "tax_breakdown",
            sa.JSON(),
            comment="per rate: rate, base, tax, recargo_rate, recargo, category, scheme",
        ),
    )


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35+): a batch copy of the table would break the ventas views.
    for name in reversed(COLUMNS):
        op.drop_column("invoices", name)
