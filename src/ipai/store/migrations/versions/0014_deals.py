"""Licence, transfer and pledge deals (ipai.deals): deals and their evidence-backed records
(signed versions, milestones, payments); every row carries its tenant.

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def _text() -> sa.types.TypeEngine[str]:
    # PostgreSQL keeps SQLite's byte-order comparisons (see 0011); SQLite ignores the collation
    return sa.Text().with_variant(sa.Text(collation="C"), "postgresql")


def upgrade() -> None:
    op.create_table(
        "deals",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", _text(), nullable=False),
        sa.Column("title", _text()),
        sa.Column("status", _text(), nullable=False),
        sa.Column("agreement", _text(), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("tenant", _text()),
    )
    op.create_index("ix_deals_tenant_status", "deals", ["tenant", "status"])
    op.create_table(
        "deal_records",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("deal_id", sa.Integer, sa.ForeignKey("deals.id"), nullable=False),
        sa.Column("kind", _text(), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("data", _text(), nullable=False),
        sa.Column("content_sha256", _text(), nullable=False),
        sa.Column("evidence_index", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("tenant", _text()),
    )
    op.create_index("ix_deal_records_deal", "deal_records", ["deal_id"])


def downgrade() -> None:
    for t in ("deal_records", "deals"):
        op.drop_table(t)
