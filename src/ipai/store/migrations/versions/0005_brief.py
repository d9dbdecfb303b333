"""A compact "brief" of every document (biblio, classes, parties, citations; no texts), so
analytics over tens of thousands of documents read kilobytes instead of whole full texts.

Revision ID: 0005
Revises: 0004
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

BRIEF_FIELDS = (
    "id",
    "pubno",
    "doc_type",
    "lang",
    "priority_date",
    "filing_date",
    "publication_date",
    "grant_date",
    "priorities",
    "family_id",
    "titles",
    "classifications",
    "applicants",
    "assignees",
    "inventors",
    "citations",
    "cited_by_count",
    "family_size",
)


def upgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("brief", sa.Text))
    conn = op.get_bind()
    last = ""
    while True:  # backfill in id order, a thousand at a time
        rows = conn.execute(
            sa.text("SELECT id, data FROM documents WHERE id > :last ORDER BY id LIMIT 1000"), {"last": last}
        ).all()
        if not rows:
            break
        upd = []
        for doc_id, data in rows:
            d = json.loads(data)
            upd.append(
                {
                    "b": json.dumps(
                        {k: d[k] for k in BRIEF_FIELDS if k in d}, ensure_ascii=False, separators=(",", ":")
                    ),
                    "i": doc_id,
                }
            )
        conn.execute(sa.text("UPDATE documents SET brief = :b WHERE id = :i"), upd)
        last = rows[-1][0]


def downgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("brief")
