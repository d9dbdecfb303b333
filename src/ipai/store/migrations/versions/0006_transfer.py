"""Technology transfer: enterprise demands, matches (with status and feedback), notifications.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "demands",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("lang", sa.String(8)),
        sa.Column("organisation", sa.String(255)),
        sa.Column("industry", sa.String(255)),
        sa.Column("region", sa.String(255)),
        sa.Column("budget", sa.String(100)),
        sa.Column("deadline", sa.String(10)),
        sa.Column("contact", sa.String(255)),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("source", sa.String(500)),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_demands_status", "demands", ["status"])
    op.create_table(
        "matches",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("demand_id", sa.Integer, sa.ForeignKey("demands.id", ondelete="CASCADE"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("target", sa.String(255), nullable=False),
        sa.Column("label", sa.String(500)),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("rank", sa.Integer),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("feedback", sa.String(16)),
        sa.Column("explanation", sa.Text),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("demand_id", "kind", "target", name="uq_matches_target"),
    )
    op.create_index("ix_matches_status", "matches", ["status"])
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("payload", sa.Text),
        sa.Column("delivery", sa.Text),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("read_at", sa.DateTime),
    )
    op.create_index("ix_notifications_created", "notifications", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_notifications_created", "notifications")
    op.drop_table("notifications")
    op.drop_index("ix_matches_status", "matches")
    op.drop_table("matches")
    op.drop_index("ix_demands_status", "demands")
    op.drop_table("demands")
