"""A change sequence on documents, so indexes can refresh incrementally: every write gives the
document the next ``seq``; an index remembers the highest ``seq`` it has seen.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("seq", sa.BigInteger, nullable=False, server_default="0"))
    # existing rows get distinct sequence numbers in id order
    conn = op.get_bind()
    ids = [r[0] for r in conn.execute(sa.text("SELECT id FROM documents ORDER BY id"))]
    for i in range(0, len(ids), 1000):
        conn.execute(
            sa.text("UPDATE documents SET seq = :s WHERE id = :i"),
            [{"s": n + 1, "i": d} for n, d in enumerate(ids[i : i + 1000], start=i)],
        )
    op.create_index("ix_documents_seq", "documents", ["seq"])


def downgrade() -> None:
    op.drop_index("ix_documents_seq", "documents")
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("seq")
