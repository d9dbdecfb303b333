"""Background tasks belong to the tenant of whoever started them: every read of ``tasks`` is
filtered by the caller's tenant (tasks made before this migration, and by platform roles, have
none and are seen by platform roles only).

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def _text() -> sa.types.TypeEngine[str]:
    # PostgreSQL keeps SQLite's byte-order comparisons (see 0011); SQLite ignores the collation
    return sa.Text().with_variant(sa.Text(collation="C"), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("tasks") as b:
        b.add_column(sa.Column("tenant", _text()))
    op.create_index("ix_tasks_tenant", "tasks", ["tenant", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_tasks_tenant", "tasks")
    with op.batch_alter_table("tasks") as b:
        b.drop_column("tenant")
