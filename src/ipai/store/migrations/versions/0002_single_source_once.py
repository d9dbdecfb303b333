"""Store a document's only source once: doc_sources.data becomes nullable (NULL = the
document's own data).

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("doc_sources") as batch:
        batch.alter_column("data", existing_type=sa.Text, nullable=True)


def downgrade() -> None:
    op.execute(
        "UPDATE doc_sources SET data = (SELECT data FROM documents WHERE documents.id = doc_sources.doc_id) "
        "WHERE data IS NULL"
    )
    with op.batch_alter_table("doc_sources") as batch:
        batch.alter_column("data", existing_type=sa.Text, nullable=False)
