"""Monitoring: watchlists and the alerts they raise.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "watchlists",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("terms", sa.Text, nullable=False),
        sa.Column("options", sa.Text),
        sa.Column("severity", sa.String(8), nullable=False),
        sa.Column("channels", sa.Text),
        sa.Column("enabled", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("last_seq", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("last_tm_at", sa.DateTime),
        sa.Column("last_run_at", sa.DateTime),
        sa.Column("last_run", sa.Text),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("watchlist_id", sa.Integer, nullable=False),
        sa.Column("watch_name", sa.String(255), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("target", sa.String(255), nullable=False),
        sa.Column("title", sa.String(500)),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("severity", sa.String(8), nullable=False),
        sa.Column("score", sa.Float),
        sa.Column("detail", sa.Text),
        sa.Column("seq", sa.BigInteger),
        sa.Column("delivery", sa.Text),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("acknowledged_at", sa.DateTime),
        sa.UniqueConstraint("watchlist_id", "target", name="uq_alerts_target"),
    )
    op.create_index("ix_alerts_created", "alerts", ["created_at"])
    op.create_index("ix_alerts_ack", "alerts", ["acknowledged_at"])


def downgrade() -> None:
    op.drop_index("ix_alerts_ack", "alerts")
    op.drop_index("ix_alerts_created", "alerts")
    op.drop_table("alerts")
    op.drop_table("watchlists")
