"""The evidence log: an append-only Merkle log of deposits and its signed tree heads.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "evidence_entries",
        sa.Column("idx", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("leaf_hash", sa.String(64), nullable=False),
        sa.Column("content_sha256", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("tenant", sa.String(64)),
        sa.Column("entry", sa.Text, nullable=False),
    )
    op.create_index("ix_evidence_content", "evidence_entries", ["content_sha256"])
    op.create_table(
        "evidence_heads",
        sa.Column("tree_size", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("head", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("evidence_heads")
    op.drop_index("ix_evidence_content", "evidence_entries")
    op.drop_table("evidence_entries")
