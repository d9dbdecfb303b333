"""PostgreSQL: every string column becomes ``TEXT COLLATE "C"``.

SQLite never enforces ``VARCHAR(n)`` lengths and compares text byte by byte (BINARY); PostgreSQL
enforces lengths (a long source name or class code would fail the whole batch) and sorts by the
database's locale (``ORDER BY id`` and ``id > :last`` would differ from SQLite under ``en_US``).
Unbounded text in the "C" collation gives the same values, comparisons and orders as SQLite on
any PostgreSQL server. A no-op on SQLite.

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "postgresql":
        return
    rows = conn.execute(
        sa.text(
            "SELECT c.table_name, c.column_name, c.data_type, c.collation_name FROM information_schema.columns c "
            "JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name "
            "WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' "
            "AND c.table_name <> 'alembic_version' "
            "AND c.data_type IN ('character varying', 'text', 'character') ORDER BY c.table_name, c.ordinal_position"
        )
    ).all()
    prep = conn.dialect.identifier_preparer
    by_table: dict[str, list[str]] = {}
    for table, column, dtype, coll in rows:
        if dtype != "text" or coll != "C":
            by_table.setdefault(table, []).append(column)
    for table, cols in by_table.items():
        alters = ", ".join(f'ALTER COLUMN {prep.quote(c)} TYPE TEXT COLLATE "C"' for c in cols)
        conn.execute(sa.text(f"ALTER TABLE {prep.quote(table)} {alters}"))


def downgrade() -> None:  # text stays text: lengths are not re-imposed on stored values
    pass
