"""The disclosure-to-filing workflow (ipai.manage): disclosures, their deadlines, the alerts the
reminder scan raises, and patent ↔ product links; every row carries its tenant.

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def _text() -> sa.types.TypeEngine[str]:
    # PostgreSQL keeps SQLite's byte-order comparisons (see 0011); SQLite ignores the collation
    return sa.Text().with_variant(sa.Text(collation="C"), "postgresql")


def upgrade() -> None:
    op.create_table(
        "disclosures",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("title", _text(), nullable=False),
        sa.Column("text", _text(), nullable=False),
        sa.Column("inventors", _text(), nullable=False),
        sa.Column("applicant", _text()),
        sa.Column("product_line", _text()),
        sa.Column("status", _text(), nullable=False),
        sa.Column("jurisdiction", _text()),
        sa.Column("priority_date", _text()),
        sa.Column("filing_date", _text()),
        sa.Column("application_number", _text()),
        sa.Column("grant_date", _text()),
        sa.Column("assessment", _text()),
        sa.Column("note", _text()),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("tenant", _text()),
    )
    op.create_index("ix_disclosures_tenant_status", "disclosures", ["tenant", "status"])
    op.create_table(
        "deadlines",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("disclosure_id", sa.Integer, sa.ForeignKey("disclosures.id"), nullable=False),
        sa.Column("kind", _text(), nullable=False),
        sa.Column("jurisdiction", _text(), nullable=False),
        sa.Column("due", _text(), nullable=False),
        sa.Column("status", _text(), nullable=False),
        sa.Column("source", _text()),
        sa.Column("note", _text()),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("tenant", _text()),
    )
    op.create_index("ix_deadlines_open_due", "deadlines", ["status", "due"])
    op.create_index("ix_deadlines_disclosure", "deadlines", ["disclosure_id"])
    op.create_table(
        "deadline_alerts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("deadline_id", sa.Integer, sa.ForeignKey("deadlines.id"), nullable=False),
        sa.Column("disclosure_id", sa.Integer, nullable=False),
        sa.Column("level", _text(), nullable=False),
        sa.Column("message", _text(), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("ack_at", sa.DateTime),
        sa.Column("tenant", _text()),
        sa.UniqueConstraint("deadline_id", "level", name="uq_deadline_alerts_level"),
    )
    op.create_table(
        "product_links",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("patent", _text(), nullable=False),
        sa.Column("product", _text(), nullable=False),
        sa.Column("product_line", _text()),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("tenant", _text()),
        sa.UniqueConstraint("tenant", "patent", "product", name="uq_product_links"),
    )


def downgrade() -> None:
    for t in ("product_links", "deadline_alerts", "deadlines", "disclosures"):
        op.drop_table(t)
