"""Questions and answers: knowledge documents, their passages and the chat history per user.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "qa_documents",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("format", sa.String(16), nullable=False),
        sa.Column("lang", sa.String(8)),
        sa.Column("sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("passages", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "qa_passages",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("doc_id", sa.Integer, nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("where", sa.String(500), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
    )
    op.create_index("ix_qa_passages_doc", "qa_passages", ["doc_id"])
    op.create_table(
        "qa_messages",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("user", sa.String(128), nullable=False),
        sa.Column("session", sa.String(64)),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("answer", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_qa_messages_user", "qa_messages", ["user", "id"])


def downgrade() -> None:
    op.drop_index("ix_qa_messages_user", "qa_messages")
    op.drop_table("qa_messages")
    op.drop_index("ix_qa_passages_doc", "qa_passages")
    op.drop_table("qa_passages")
    op.drop_table("qa_documents")
