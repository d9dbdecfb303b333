"""Baseline schema: documents and their sources, classifications, languages, parties,
trademarks, ingest jobs, file checkpoints and rejects.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("country", sa.String(4), nullable=False),
        sa.Column("number", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(4), nullable=False, server_default=""),
        sa.Column("doc_type", sa.String(16)),
        sa.Column("lang", sa.String(8)),
        sa.Column("pub_date", sa.Date),
        sa.Column("pub_year", sa.Integer),
        sa.Column("filing_date", sa.Date),
        sa.Column("family_id", sa.String(64)),
        sa.Column("title", sa.Text),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("content_hash", sa.String(40), nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_documents_country_number", "documents", ["country", "number"])
    op.create_index("ix_documents_pub_year", "documents", ["pub_year"])
    op.create_table(
        "doc_sources",
        sa.Column("doc_id", sa.String(64), primary_key=True),
        sa.Column("source", sa.String(255), primary_key=True),
        sa.Column("format", sa.String(32), nullable=False),
        sa.Column("priority", sa.Integer, nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("job_id", sa.Integer),
        sa.Column("file", sa.Text),
        sa.Column("record", sa.String(255)),
    )
    op.create_table(
        "doc_classes",
        sa.Column("doc_id", sa.String(64), nullable=False),
        sa.Column("scheme", sa.String(16), nullable=False),
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("section", sa.String(1)),
    )
    op.create_index("ix_doc_classes_doc", "doc_classes", ["doc_id"])
    op.create_index("ix_doc_classes_code", "doc_classes", ["scheme", "code"])
    op.create_table(
        "doc_langs",
        sa.Column("doc_id", sa.String(64), nullable=False),
        sa.Column("lang", sa.String(8), nullable=False),
    )
    op.create_index("ix_doc_langs_doc", "doc_langs", ["doc_id"])
    op.create_table(
        "doc_parties",
        sa.Column("doc_id", sa.String(64), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("name_norm", sa.Text, nullable=False),
        sa.Column("kind", sa.String(16)),
    )
    op.create_index("ix_doc_parties_doc", "doc_parties", ["doc_id"])
    op.create_index("ix_doc_parties_norm", "doc_parties", ["role", "name_norm"])
    op.create_table(
        "trademarks",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("office", sa.String(4), nullable=False),
        sa.Column("number", sa.String(32), nullable=False),
        sa.Column("mark_text", sa.Text),
        sa.Column("filing_date", sa.Date),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("content_hash", sa.String(40), nullable=False),
        sa.Column("source", sa.String(255)),
        sa.Column("job_id", sa.Integer),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "ingest_jobs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("started_at", sa.DateTime, nullable=False),
        sa.Column("finished_at", sa.DateTime),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("args", sa.Text),
        sa.Column("summary", sa.Text),
    )
    op.create_table(
        "ingest_files",
        sa.Column("file_key", sa.String(80), primary_key=True),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("format", sa.String(32)),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("records_done", sa.Integer, nullable=False, server_default="0"),
        sa.Column("loaded", sa.Integer, nullable=False, server_default="0"),
        sa.Column("updated", sa.Integer, nullable=False, server_default="0"),
        sa.Column("unchanged", sa.Integer, nullable=False, server_default="0"),
        sa.Column("rejected", sa.Integer, nullable=False, server_default="0"),
        sa.Column("job_id", sa.Integer),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "rejects",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("job_id", sa.Integer),
        sa.Column("file_key", sa.String(80)),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("record", sa.String(255)),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_rejects_job", "rejects", ["job_id"])


def downgrade() -> None:
    op.drop_table("rejects")
    op.drop_table("ingest_files")
    op.drop_table("ingest_jobs")
    op.drop_table("trademarks")
    op.drop_table("doc_parties")
    op.drop_table("doc_langs")
    op.drop_table("doc_classes")
    op.drop_table("doc_sources")
    op.drop_table("documents")
