"""Saved searches and search history: one row per saved search (with a name) or history entry,
each belonging to its owner — a signed-in user, or an anonymous visitor's browser id — and
kept with the query, its filters, mode and sort as JSON.

Revision ID: 0016
Revises: 0015
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def _text() -> sa.types.TypeEngine[str]:
    # PostgreSQL keeps SQLite's byte-order comparisons (see 0011); SQLite ignores the collation
    return sa.Text().with_variant(sa.Text(collation="C"), "postgresql")


def upgrade() -> None:
    op.create_table(
        "saved_searches",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("owner", _text(), nullable=False),
        sa.Column("tenant", _text()),
        sa.Column("kind", _text(), nullable=False),
        sa.Column("name", _text()),
        sa.Column("query", _text(), nullable=False),
        sa.Column("params", _text(), nullable=False),
        sa.Column("total", sa.Integer),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("run_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_saved_searches_owner", "saved_searches", ["owner", "kind", "run_at"])


def downgrade() -> None:
    op.drop_index("ix_saved_searches_owner", "saved_searches")
    op.drop_table("saved_searches")
