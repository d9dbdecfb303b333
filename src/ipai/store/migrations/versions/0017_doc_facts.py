"""The brief facts of every document (``doc_facts``): the landscape's fields and the valuation
reference's indicators, one row per document, so that analytics over tens of thousands of documents
read columns instead of parsing every document's JSON. The table starts empty: the service derives
the rows of every document written after the newest row (:mod:`ipai.service.facts`), so an existing
store is backfilled once, on first use, and then kept level with each change.

Revision ID: 0017
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

VALUES = (
    "forward_citations",
    "family_size",
    "jurisdictions",
    "claim_count",
    "claim_breadth_words",
    "cpc_breadth",
    "grant_lag",
    "inventors",
)


def _text() -> sa.types.TypeEngine[str]:
    # PostgreSQL keeps SQLite's byte-order comparisons (see 0011); SQLite ignores the collation
    return sa.Text().with_variant(sa.Text(collation="C"), "postgresql")


def upgrade() -> None:
    op.create_table(
        "doc_facts",
        sa.Column("id", _text(), primary_key=True),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("landscape", _text(), nullable=False),
        sa.Column("family_extra", _text()),
        sa.Column("country", _text()),
        sa.Column("year", sa.Integer),
        sa.Column("lang", _text()),
        *(sa.Column(name, sa.Float) for name in VALUES),
    )
    op.create_index("ix_doc_facts_seq", "doc_facts", ["seq"])


def downgrade() -> None:
    op.drop_index("ix_doc_facts_seq", "doc_facts")
    op.drop_table("doc_facts")
