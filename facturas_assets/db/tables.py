"""Tables of the `textil` database (MySQL 8, MariaDB 10.11 and SQLite from one definition).

Normalized storage is `invoices` (one row per document, keyed by the file's sha256) and
`invoice_lines` (keyed by invoice sha256 and line number). Everything is loaded by upsert on the
sha256, so re-running a batch rewrites the same rows instead of adding new ones.

`ventas_preventivas` and `ventas_correctivas` are the old system's names, kept for the tools and
people that query them. They are **views**, not tables: one line-level SELECT over `invoices` joined
to `invoice_lines`, filtered by category. With views there is one source of truth and no double
write: a re-classified invoice moves from one view to the other by updating one column, a re-run
can never leave the "ventas" rows out of step with the invoices, and a failed load cannot leave
half of them behind. They are created and dropped by the migrations (portable `CREATE VIEW` SQL);
the `Table` objects below, in their own `views_metadata`, exist only to query them with SQLAlchemy
and to check that the migrated views expose exactly these columns.

`tracking` keeps one row per training run, `batches` one row per batch (`lote`) with its counts
and timings, `quarantine` one row per rejected document per batch, and `invoice_claims` which
batch owns each file content (so a file uploaded twice, or seen by two racing batches, is
processed once).

All timestamps are naive UTC (`DATETIME` has no time zone on MySQL). Amounts are DECIMAL(14,2),
quantities and unit prices DECIMAL(14,4): fourteen significant digits also survive SQLite, which
stores them as floating point and SQLAlchemy rounds back to the declared scale.
"""

from __future__ import annotations

import sqlalchemy as sa

from facturas_assets.settings import CATEGORIES

READ_METHODS = ("einvoice", "text", "ocr")
BATCH_STATUSES = ("open", "processing", "done", "failed")

SHA256_LENGTH = 64
LOTE_LENGTH = 64
KEY_LENGTH = 1024

# Explicit constraint names, so migrations and autogenerate agree on every engine.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# utf8mb4 whatever the server's default, so Spanish text and "€" always fit.
MYSQL_TABLE_OPTIONS = {
    "mysql_engine": "InnoDB",
    "mysql_charset": "utf8mb4",
    "mysql_collate": "utf8mb4_unicode_ci",
}

metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
"""The one MetaData of the `textil` tables (the migrations' autogenerate target)."""


def _in_list(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


def _amount() -> sa.Numeric:
    return sa.Numeric(14, 2)


def _measure() -> sa.Numeric:
    return sa.Numeric(14, 4)


invoices = sa.Table(
    "invoices",
    metadata,
    sa.Column("sha256", sa.CHAR(SHA256_LENGTH), primary_key=True, comment="sha256 of the file"),
    sa.Column("lote", sa.String(LOTE_LENGTH), nullable=False, comment="batch that last loaded it"),
    sa.Column("source_key", sa.String(KEY_LENGTH), nullable=False),
    sa.Column("category", sa.String(16), nullable=False),
    sa.Column("category_confidence", sa.Double()),
    sa.Column("read_method", sa.String(16), nullable=False),
    sa.Column("invoice_number", sa.String(64)),
    sa.Column("issue_date", sa.Date()),
    sa.Column("currency", sa.String(3)),
    sa.Column("net_total", _amount()),
    sa.Column("tax_total", _amount()),
    sa.Column("total", _amount()),
    sa.Column("seller_name", sa.String(255)),
    sa.Column("seller_tax_id", sa.String(32)),
    sa.Column("buyer_name", sa.String(255)),
    sa.Column("buyer_tax_id", sa.String(32)),
    sa.Column("field_confidence", sa.JSON(), comment="field name -> confidence 0..1"),
    sa.Column("warnings", sa.JSON(), comment="list of extraction/validation warnings"),
    sa.Column("drive_history_file_id", sa.String(128), comment="copy in Drive histórico"),
    sa.Column("drive_category_file_id", sa.String(128), comment="copy in preventivos/correctivos"),
    sa.Column("loaded_at", sa.DateTime(), nullable=False),
    sa.Column(
        "status",
        sa.String(16),
        nullable=False,
        server_default="loaded",
        comment="loaded, or pending_review until a person checks it (review_queue says why)",
    ),
    # Added by migration 0004_spanish, hence after status.
    sa.Column("withholding_rate", sa.Numeric(7, 4), comment="IRPF withheld, percent"),
    sa.Column("withholding_total", _amount(), comment="tax withheld (IRPF), positive"),
    sa.Column("recargo_total", _amount(), comment="recargo de equivalencia"),
    sa.Column(
        "tax_breakdown",
        sa.JSON(),
        comment="per rate: rate, base, tax, recargo_rate, recargo, category, scheme",
    ),
    sa.CheckConstraint(_in_list("category", CATEGORIES), name="category"),
    sa.CheckConstraint(_in_list("read_method", READ_METHODS), name="read_method"),
    sa.Index(None, "seller_tax_id", "invoice_number"),
    sa.Index(None, "lote"),
    sa.Index(None, "category", "issue_date"),
    sa.Index(None, "status"),
    **MYSQL_TABLE_OPTIONS,
)

invoice_lines = sa.Table(
    "invoice_lines",
    metadata,
    sa.Column(
        "invoice_sha256",
        sa.CHAR(SHA256_LENGTH),
        sa.ForeignKey("invoices.sha256", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("line_no", sa.Integer(), primary_key=True, autoincrement=False),
    sa.Column("description", sa.Text()),
    sa.Column("quantity", _measure()),
    sa.Column("unit_price", _measure()),
    sa.Column("amount", _amount()),
    **MYSQL_TABLE_OPTIONS,
)

tracking = sa.Table(
    "tracking",
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
    sa.Column("run_id", sa.String(64), nullable=False, comment="orchestrator run id"),
    sa.Column("mlflow_run_id", sa.String(64)),
    sa.Column("model_name", sa.String(128)),
    sa.Column("model_version", sa.String(32)),
    sa.Column("data_hash", sa.String(64), comment="hash of the training data set"),
    sa.Column("train_size", sa.Integer()),
    sa.Column("test_size", sa.Integer()),
    sa.Column("accuracy", sa.Double()),
    sa.Column("f1", sa.Double()),
    sa.Column("loss", sa.Double()),
    sa.Column("per_class_recall", sa.JSON(), comment="category -> recall"),
    sa.Column("params", sa.JSON(), comment="training hyper-parameters"),
    sa.Column("duration_s", sa.Double()),
    sa.Column("promoted", sa.Boolean(), nullable=False),
    sa.Column("created_at", sa.DateTime(), nullable=False),
    sa.UniqueConstraint("run_id"),
    sa.Index(None, "created_at"),
    **MYSQL_TABLE_OPTIONS,
)

batches = sa.Table(
    "batches",
    metadata,
    sa.Column("lote", sa.String(LOTE_LENGTH), primary_key=True),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("count_in", sa.Integer(), nullable=False),
    sa.Column("count_loaded", sa.Integer(), nullable=False),
    sa.Column("count_quarantined", sa.Integer(), nullable=False),
    sa.Column("timings", sa.JSON(), comment="stage -> seconds"),
    sa.Column("created_at", sa.DateTime(), nullable=False),
    sa.Column("updated_at", sa.DateTime(), nullable=False),
    sa.CheckConstraint(_in_list("status", BATCH_STATUSES), name="status"),
    **MYSQL_TABLE_OPTIONS,
)

quarantine = sa.Table(
    "quarantine",
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
    sa.Column("sha256", sa.CHAR(SHA256_LENGTH), nullable=False),
    sa.Column("lote", sa.String(LOTE_LENGTH), nullable=False),
    sa.Column("source_key", sa.String(KEY_LENGTH), nullable=False, comment="where it landed"),
    sa.Column("stored_key", sa.String(KEY_LENGTH), comment="where the file is kept"),
    sa.Column("reason", sa.String(64), nullable=False, comment="short stable reason code"),
    sa.Column("detail", sa.Text()),
    sa.Column("created_at", sa.DateTime(), nullable=False),
    sa.Column("requeued_at", sa.DateTime()),
    sa.UniqueConstraint("sha256", "lote"),
    sa.Index(None, "lote"),
    sa.Index(None, "reason"),
    **MYSQL_TABLE_OPTIONS,
)

invoice_claims = sa.Table(
    "invoice_claims",
    metadata,
    sa.Column("sha256", sa.CHAR(SHA256_LENGTH), primary_key=True, comment="content of a file"),
    sa.Column("lote", sa.String(LOTE_LENGTH), nullable=False, comment="the batch that owns it"),
    sa.Column("landing_key", sa.String(KEY_LENGTH), nullable=False),
    sa.Column("claimed_at", sa.DateTime(), nullable=False),
    sa.Index(None, "lote"),
    comment="first batch to take a file's content; the primary key arbitrates racing batches",
    **MYSQL_TABLE_OPTIONS,
)

review_queue = sa.Table(
    "review_queue",
    metadata,
    sa.Column("sha256", sa.CHAR(SHA256_LENGTH), primary_key=True, comment="the invoice to check"),
    sa.Column("lote", sa.String(LOTE_LENGTH), nullable=False, comment="batch that queued it"),
    sa.Column("reasons", sa.JSON(), nullable=False, comment="why the machine is unsure"),
    sa.Column("queued_at", sa.DateTime(), nullable=False),
    sa.Column("reviewed_at", sa.DateTime(), comment="null while pending"),
    sa.Column("reviewed_by", sa.String(128)),
    sa.Index(None, "reviewed_at", "queued_at"),
    comment="invoices loaded as pending_review, and who cleared each",
    **MYSQL_TABLE_OPTIONS,
)

review_corrections = sa.Table(
    "review_corrections",
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
    sa.Column("sha256", sa.CHAR(SHA256_LENGTH), nullable=False),
    sa.Column("field", sa.String(64), nullable=False, comment="column, or lines.<n>.<column>"),
    sa.Column("original_value", sa.Text()),
    sa.Column("corrected_value", sa.Text()),
    sa.Column("corrected_by", sa.String(128), nullable=False),
    sa.Column("corrected_at", sa.DateTime(), nullable=False),
    sa.Index(None, "sha256"),
    comment="audit of reviewers' corrections: the values the machine loaded are kept here",
    **MYSQL_TABLE_OPTIONS,
)

views_metadata = sa.MetaData()
"""The `ventas_*` views as Table objects, for querying only (never created from here)."""


def _ventas_view(name: str) -> sa.Table:
    return sa.Table(
        name,
        views_metadata,
        sa.Column("invoice_sha256", sa.CHAR(SHA256_LENGTH)),
        sa.Column("lote", sa.String(LOTE_LENGTH)),
        sa.Column("invoice_number", sa.String(64)),
        sa.Column("issue_date", sa.Date()),
        sa.Column("currency", sa.String(3)),
        sa.Column("customer_name", sa.String(255)),
        sa.Column("customer_tax_id", sa.String(32)),
        sa.Column("seller_name", sa.String(255)),
        sa.Column("seller_tax_id", sa.String(32)),
        sa.Column("line_no", sa.Integer()),
        sa.Column("description", sa.Text()),
        sa.Column("quantity", _measure()),
        sa.Column("unit_price", _measure()),
        sa.Column("amount", _amount()),
        sa.Column("net_total", _amount()),
        sa.Column("tax_total", _amount()),
        sa.Column("total", _amount()),
        sa.Column("category_confidence", sa.Double()),
        sa.Column("read_method", sa.String(16)),
        sa.Column("loaded_at", sa.DateTime()),
    )


ventas_preventivas = _ventas_view("ventas_preventivas")
ventas_correctivas = _ventas_view("ventas_correctivas")

VIEWS_BY_CATEGORY = {"preventiva": ventas_preventivas, "correctiva": ventas_correctivas}
