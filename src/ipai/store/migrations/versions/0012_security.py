"""Security: users, API keys, sign-in sessions, the append-only audit log, and the tenant that owns
each private row (demands, notifications, watchlists, alerts, Q&A documents and messages).

The audit log refuses UPDATE and DELETE inside the database (a trigger on SQLite and on
PostgreSQL), so not even code holding the store's credentials can rewrite history through SQL it
did not write as DDL.

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

OWNED = ("demands", "notifications", "watchlists", "alerts", "qa_documents", "qa_messages")


def _text() -> sa.types.TypeEngine[str]:
    # PostgreSQL keeps SQLite's byte-order comparisons (see 0011); SQLite ignores the collation
    return sa.Text().with_variant(sa.Text(collation="C"), "postgresql")


def _qa_documents() -> sa.Table:
    """qa_documents as 0010 made it plus the tenant, without the unique sha256 (SQLite rebuild)."""
    return sa.Table(
        "qa_documents",
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("format", sa.String(16), nullable=False),
        sa.Column("lang", sa.String(8)),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("passages", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("tenant", sa.Text),
    )


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", _text(), nullable=False, unique=True),
        sa.Column("display", _text()),
        sa.Column("role", _text(), nullable=False),
        sa.Column("tenant", _text()),
        sa.Column("password_hash", _text()),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "api_keys",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("key_id", _text(), nullable=False, unique=True),  # the public half, shown in lists
        sa.Column("secret_hash", _text(), nullable=False),  # SHA-256 of the random secret half
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("name", _text()),
        sa.Column("rate_per_minute", sa.Integer),  # None = the setting rate_limit_per_minute
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("last_used_at", sa.DateTime),
        sa.Column("revoked_at", sa.DateTime),
    )
    op.create_index("ix_api_keys_user", "api_keys", ["user_id"])
    op.create_table(
        "sessions",
        sa.Column("token_hash", _text(), primary_key=True),
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("expires_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "audit_log",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True
        ),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("user", _text(), nullable=False),
        sa.Column("role", _text(), nullable=False),
        sa.Column("tenant", _text()),
        sa.Column("action", _text(), nullable=False),
        sa.Column("method", _text()),
        sa.Column("path", _text()),
        sa.Column("status", sa.Integer),
        sa.Column("ip", _text()),
        sa.Column("detail", _text()),  # JSON
    )
    op.create_index("ix_audit_log_user", "audit_log", ["user", "id"])
    op.create_index("ix_audit_log_tenant", "audit_log", ["tenant", "id"])
    conn = op.get_bind()
    for table in OWNED:
        with op.batch_alter_table(table) as b:
            b.add_column(sa.Column("tenant", _text()))
        op.create_index(f"ix_{table}_tenant", table, ["tenant"])
    # a knowledge document is kept once per tenant, not once on the platform: two tenants loading
    # the same guideline each own a copy (the old platform-wide unique sha256 would hand one the other's)
    if conn.dialect.name == "postgresql":
        op.drop_constraint("qa_documents_sha256_key", "qa_documents", type_="unique")
    else:
        with op.batch_alter_table("qa_documents", recreate="always", copy_from=_qa_documents()) as b:
            pass
    op.create_index("ix_qa_documents_sha256", "qa_documents", ["tenant", "sha256"])
    if conn.dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_log_no_{verb.lower()} BEFORE {verb} ON audit_log "
                f"BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
            )
    elif conn.dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION ipai_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$"
        )
        op.execute(
            "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log "
            "FOR EACH STATEMENT EXECUTE FUNCTION ipai_audit_append_only()"
        )


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS ipai_audit_append_only()")
    op.drop_index("ix_qa_documents_sha256", "qa_documents")
    for table in OWNED:
        op.drop_index(f"ix_{table}_tenant", table)
        with op.batch_alter_table(table) as b:
            b.drop_column("tenant")
    op.drop_table("audit_log")
    op.drop_table("sessions")
    op.drop_index("ix_api_keys_user", "api_keys")
    op.drop_table("api_keys")
    op.drop_table("users")
