"""invoice_claims: which batch owns each file content (processed once across batches).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 02:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "invoice_claims",
        sa.Column("sha256", sa.CHAR(length=64), nullable=False, comment="content of a file"),
        sa.Column("lote", sa.String(length=64), nullable=False, comment="the batch that owns it"),
        sa.Column("landing_key", sa.String(length=1024), nullable=False),
        sa.Column("claimed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_invoice_claims")),
        comment="first batch to take a file's content; the primary key arbitrates racing batches",
        mysql_charset="utf8mb4",
        mysql_collate="utf8mb4_unicode_ci",
        mysql_engine="InnoDB",
    )
    op.create_index(op.f("ix_invoice_claims_lote"), "invoice_claims", ["lote"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_invoice_claims_lote"), table_name="invoice_claims")
    op.drop_table("invoice_claims")
