"""Review: invoices.status, the review_queue and the review_corrections audit.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06 06:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE_OPTIONS = {
    "mysql_charset": "utf8mb4",
    "mysql_collate": "utf8mb4_unicode_ci",
    "mysql_engine": "InnoDB",
}


def upgrade() -> None:
    # Invoices loaded before this revision were loaded without review: "loaded".
    op.add_column(
        "invoices",
        sa.Column(
            "status",
            sa.String(length=16),
            nullable=False,
            server_default="loaded",
            comment="loaded, or pending_review until a person checks it (review_queue says why)",
        ),
    )
    op.create_index(op.f("ix_invoices_status"), "invoices", ["status"], unique=False)
    op.create_table(
        "review_queue",
        sa.Column("sha256", sa.CHAR(length=64), nullable=False, comment="the invoice to check"),
        sa.Column("lote", sa.String(length=64), nullable=False, comment="batch that queued it"),
        sa.Column("reasons", sa.JSON(), nullable=False, comment="why the machine is unsure"),
        sa.Column("queued_at", sa.DateTime(), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(), nullable=True, comment="null while pending"),
        sa.Column("reviewed_by", sa.String(length=128), nullable=True),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_review_queue")),
        comment="invoices loaded as pending_review, and who cleared each",
        **TABLE_OPTIONS,
    )
    op.create_index(
        op.f("ix_review_queue_reviewed_at_queued_at"),
        "review_queue",
        ["reviewed_at", "queued_at"],
        unique=False,
    )
    op.create_table(
        "review_corrections",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("sha256", sa.CHAR(length=64), nullable=False),
        sa.Column(
            "field", sa.String(length=64), nullable=False, comment="column, or lines.<n>.<column>"
        ),
        sa.Column("original_value", sa.Text(), nullable=True),
        sa.Column("corrected_value", sa.Text(), nullable=True),
        sa.Column("corrected_by", sa.String(length=128), nullable=False),
        sa.Column("corrected_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_corrections")),
        comment="audit of reviewers' corrections: the values the machine loaded are kept here",
        **TABLE_OPTIONS,
    )
    op.create_index(
        op.f("ix_review_corrections_sha256"), "review_corrections", ["sha256"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_review_corrections_sha256"), table_name="review_corrections")
    op.drop_table("review_corrections")
    op.drop_index(op.f("ix_review_queue_reviewed_at_queued_at"), table_name="review_queue")
    op.drop_table("review_queue")
    op.drop_index(op.f("ix_invoices_status"), table_name="invoices")
    # Plain DROP COLUMN (SQLite 3.35+): a batch copy of the table would break the ventas views.
    op.drop_column("invoices", "status")
