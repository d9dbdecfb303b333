"""Table definitions shared by every SQL backend (SQLite embedded, PostgreSQL by URL).

The schema is created and upgraded only through the Alembic migrations in
``ipai/store/migrations``; this module is the description both use.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

documents = sa.Table(
    "documents",
    metadata,
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
    sa.Column("seq", sa.BigInteger, nullable=False, server_default="0"),  # change sequence (indexes)
    sa.Column("brief", sa.Text),  # compact JSON of the BRIEF_FIELDS (analytics read this, not data)
    sa.Index("ix_documents_country_number", "country", "number"),
    sa.Index("ix_documents_seq", "seq"),
    sa.Index("ix_documents_pub_year", "pub_year"),
)

doc_sources = sa.Table(
    "doc_sources",
    metadata,
    sa.Column("doc_id", sa.String(64), primary_key=True),
    sa.Column("source", sa.String(255), primary_key=True),
    sa.Column("format", sa.String(32), nullable=False),
    sa.Column("priority", sa.Integer, nullable=False),
    sa.Column("data", sa.Text),  # NULL: the same as documents.data (the document's only source)
    sa.Column("job_id", sa.Integer),
    sa.Column("file", sa.Text),
    sa.Column("record", sa.String(255)),
)

doc_classes = sa.Table(
    "doc_classes",
    metadata,
    sa.Column("doc_id", sa.String(64), nullable=False),
    sa.Column("scheme", sa.String(16), nullable=False),
    sa.Column("code", sa.String(32), nullable=False),
    sa.Column("section", sa.String(1)),
    sa.Index("ix_doc_classes_doc", "doc_id"),
    sa.Index("ix_doc_classes_code", "scheme", "code"),
)

doc_langs = sa.Table(
    "doc_langs",
    metadata,
    sa.Column("doc_id", sa.String(64), nullable=False),
    sa.Column("lang", sa.String(8), nullable=False),
    sa.Index("ix_doc_langs_doc", "doc_id"),
)

doc_parties = sa.Table(
    "doc_parties",
    metadata,
    sa.Column("doc_id", sa.String(64), nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("name_norm", sa.Text, nullable=False),
    sa.Column("kind", sa.String(16)),
    sa.Index("ix_doc_parties_doc", "doc_id"),
    sa.Index("ix_doc_parties_norm", "role", "name_norm"),
)

trademarks = sa.Table(
    "trademarks",
    metadata,
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

ingest_jobs = sa.Table(
    "ingest_jobs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("started_at", sa.DateTime, nullable=False),
    sa.Column("finished_at", sa.DateTime),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("args", sa.Text),
    sa.Column("summary", sa.Text),
)

ingest_files = sa.Table(
    "ingest_files",
    metadata,
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

rejects = sa.Table(
    "rejects",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("job_id", sa.Integer),
    sa.Column("file_key", sa.String(80)),
    sa.Column("path", sa.Text, nullable=False),
    sa.Column("record", sa.String(255)),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Index("ix_rejects_job", "job_id"),
)

tasks = sa.Table(  # background jobs (ingest, index) started from the API or the web UI
    "tasks",
    metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("state", sa.String(16), nullable=False),  # queued, running, done, failed, interrupted
    sa.Column("params", sa.Text),
    sa.Column("progress", sa.Text),
    sa.Column("result", sa.Text),
    sa.Column("error", sa.Text),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("started_at", sa.DateTime),
    sa.Column("finished_at", sa.DateTime),
    sa.Column("tenant", sa.Text),  # who may see it (migration 0015); None: platform roles only
    sa.Index("ix_tasks_created", "created_at"),
    sa.Index("ix_tasks_tenant", "tenant", "created_at"),
)

# technology transfer: enterprise demands, proposed matches with their status, notifications
demands = sa.Table(
    "demands",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("title", sa.String(500), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("lang", sa.String(8)),
    sa.Column("organisation", sa.String(255)),
    sa.Column("industry", sa.String(255)),
    sa.Column("region", sa.String(255)),
    sa.Column("budget", sa.String(100)),
    sa.Column("deadline", sa.String(10)),  # ISO date
    sa.Column("contact", sa.String(255)),
    sa.Column("status", sa.String(16), nullable=False),  # open, closed
    sa.Column("source", sa.String(500)),  # import file and row, or "api"/"web"/"cli"
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.Column("tenant", sa.Text),  # the owning tenant (None: the platform)
    sa.Index("ix_demands_status", "status"),
)

matches = sa.Table(
    "matches",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("demand_id", sa.Integer, sa.ForeignKey("demands.id", ondelete="CASCADE"), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),  # patent, owner, expert
    sa.Column("target", sa.String(255), nullable=False),  # document id, owner or inventor name
    sa.Column("label", sa.String(500)),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("rank", sa.Integer),
    sa.Column("status", sa.String(16), nullable=False),  # proposed, contacted, agreed, closed
    sa.Column("feedback", sa.String(16)),  # accepted, rejected
    sa.Column("explanation", sa.Text),  # JSON
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.UniqueConstraint("demand_id", "kind", "target", name="uq_matches_target"),
    sa.Index("ix_matches_status", "status"),
)

notifications = sa.Table(
    "notifications",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.String(32), nullable=False),  # new_demand_matches, new_patent_matches
    sa.Column("message", sa.Text, nullable=False),
    sa.Column("payload", sa.Text),  # JSON
    sa.Column("delivery", sa.Text),  # JSON: webhook outcome
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("read_at", sa.DateTime),
    sa.Column("tenant", sa.Text),  # the owning tenant (None: the platform)
    sa.Index("ix_notifications_created", "created_at"),
)

# monitoring: watchlists (saved queries, competitors, classes, own patents, trademark words) and
# the alerts they raise; a watchlist remembers the last change number and trademark time it evaluated
watchlists = sa.Table(
    "watchlists",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(255), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),  # query, competitor, cpc, own, trademark
    sa.Column("terms", sa.Text, nullable=False),  # JSON list: the query, names, class codes, numbers, words
    sa.Column("options", sa.Text),  # JSON: thresholds, scheme, match mode
    sa.Column("severity", sa.String(8), nullable=False),  # low, medium, high (the floor of its alerts)
    sa.Column("channels", sa.Text),  # JSON list of push channels: email, webhook (in-app always)
    sa.Column("enabled", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("last_seq", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("last_tm_at", sa.DateTime),
    sa.Column("last_run_at", sa.DateTime),
    sa.Column("last_run", sa.Text),  # JSON summary of the last evaluation
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.Column("tenant", sa.Text),  # the owning tenant (None: the platform)
)

alerts = sa.Table(
    "alerts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("watchlist_id", sa.Integer, nullable=False),  # kept when the watchlist is removed
    sa.Column("watch_name", sa.String(255), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("target", sa.String(255), nullable=False),  # document or trademark id
    sa.Column("title", sa.String(500)),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("severity", sa.String(8), nullable=False),
    sa.Column("score", sa.Float),
    sa.Column("detail", sa.Text),  # JSON
    sa.Column("seq", sa.BigInteger),  # the document's change number when it fired
    sa.Column("delivery", sa.Text),  # JSON: e-mail and webhook outcomes
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("acknowledged_at", sa.DateTime),
    sa.Column("tenant", sa.Text),  # the owning tenant (None: the platform)
    sa.UniqueConstraint("watchlist_id", "target", name="uq_alerts_target"),
    sa.Index("ix_alerts_created", "created_at"),
    sa.Index("ix_alerts_ack", "acknowledged_at"),
)

# overseas early warning: the user's directory of service agencies and past dispute cases
agencies = sa.Table(
    "agencies",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(255), nullable=False),
    sa.Column("data", sa.Text, nullable=False),  # JSON: jurisdictions, fields, case_types, contact
)

dispute_cases = sa.Table(
    "dispute_cases",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("agency", sa.String(255), nullable=False),
    sa.Column("data", sa.Text, nullable=False),  # JSON: jurisdiction, case_type, field, outcome
)

# the evidence log (ipai.evidence): canonical entries in index order, and signed tree heads
evidence_entries = sa.Table(
    "evidence_entries",
    metadata,
    sa.Column("idx", sa.BigInteger, primary_key=True, autoincrement=False),  # leaf index, 0-based
    sa.Column("leaf_hash", sa.String(64), nullable=False),  # hex SHA-256(0x00 || entry)
    sa.Column("content_sha256", sa.String(64), nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("tenant", sa.String(64)),
    sa.Column("entry", sa.Text, nullable=False),  # the canonical JSON the leaf hashes
    sa.Index("ix_evidence_content", "content_sha256"),
)

evidence_heads = sa.Table(
    "evidence_heads",
    metadata,
    sa.Column("tree_size", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("head", sa.Text, nullable=False),  # signed tree head, canonical JSON
)

# questions and answers (ipai.qa): the user's knowledge documents (guidelines, laws, FAQs), their
# passages, and the chat history per user
qa_documents = sa.Table(
    "qa_documents",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("title", sa.String(500), nullable=False),
    sa.Column("source", sa.Text, nullable=False),  # the file name it was loaded from
    sa.Column("format", sa.String(16), nullable=False),  # txt, md, html, pdf
    sa.Column("lang", sa.String(8)),
    sa.Column(
        "sha256", sa.String(64), nullable=False
    ),  # of the text: a file loaded twice is kept once per tenant
    sa.Column("passages", sa.Integer, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("tenant", sa.Text),  # the owning tenant (None: the platform)
    sa.Index("ix_qa_documents_sha256", "tenant", "sha256"),
)

qa_passages = sa.Table(
    "qa_passages",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("doc_id", sa.Integer, nullable=False),
    sa.Column("seq", sa.Integer, nullable=False),  # reading order in the document
    sa.Column("where", sa.String(500), nullable=False),  # section heading / paragraph number
    sa.Column("text", sa.Text, nullable=False),
    sa.Index("ix_qa_passages_doc", "doc_id"),
)

qa_messages = sa.Table(
    "qa_messages",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("user", sa.String(128), nullable=False),
    sa.Column("session", sa.String(64)),
    sa.Column("question", sa.Text, nullable=False),
    sa.Column("answer", sa.Text, nullable=False),  # JSON: the whole answer with its citations
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("tenant", sa.Text),  # the owning tenant (None: the platform)
    sa.Index("ix_qa_messages_user", "user", "id"),
)

# security (ipai.security): users, their API keys and sign-in sessions, and the append-only audit log
users = sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.Text, nullable=False, unique=True),
    sa.Column("display", sa.Text),
    sa.Column("role", sa.Text, nullable=False),  # see ipai.security.roles.ROLES
    sa.Column("tenant", sa.Text),  # the organisation whose private data the user works in
    sa.Column("password_hash", sa.Text),  # scrypt; None = API keys only
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("created_at", sa.DateTime, nullable=False),
)

api_keys = sa.Table(
    "api_keys",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("key_id", sa.Text, nullable=False, unique=True),
    sa.Column("secret_hash", sa.Text, nullable=False),
    sa.Column("user_id", sa.Integer, nullable=False),
    sa.Column("name", sa.Text),
    sa.Column("rate_per_minute", sa.Integer),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("last_used_at", sa.DateTime),
    sa.Column("revoked_at", sa.DateTime),
    sa.Index("ix_api_keys_user", "user_id"),
)

sessions = sa.Table(
    "sessions",
    metadata,
    sa.Column("token_hash", sa.Text, primary_key=True),
    sa.Column("user_id", sa.Integer, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("expires_at", sa.DateTime, nullable=False),
)

audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Column("user", sa.Text, nullable=False),
    sa.Column("role", sa.Text, nullable=False),
    sa.Column("tenant", sa.Text),
    sa.Column("action", sa.Text, nullable=False),
    sa.Column("method", sa.Text),
    sa.Column("path", sa.Text),
    sa.Column("status", sa.Integer),
    sa.Column("ip", sa.Text),
    sa.Column("detail", sa.Text),  # JSON
    sa.Index("ix_audit_log_user", "user", "id"),
    sa.Index("ix_audit_log_tenant", "tenant", "id"),
)

# fields of the "brief" column: everything but the long texts (claims, description, abstracts)
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

# the disclosure-to-filing workflow (ipai.manage): disclosures with their state and attached
# assessment, the deadlines each step sets, the alerts the reminder scan raises, and which
# products a patent protects; every row belongs to a tenant
disclosures = sa.Table(
    "disclosures",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("inventors", sa.Text, nullable=False),  # JSON list
    sa.Column("applicant", sa.Text),
    sa.Column("product_line", sa.Text),
    sa.Column("status", sa.Text, nullable=False),  # see ipai.manage.workflow.STATES
    sa.Column("jurisdiction", sa.Text),
    sa.Column("priority_date", sa.Text),  # ISO dates
    sa.Column("filing_date", sa.Text),
    sa.Column("application_number", sa.Text),
    sa.Column("grant_date", sa.Text),
    sa.Column("assessment", sa.Text),  # JSON: summary of the patentability report
    sa.Column("note", sa.Text),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.Column("tenant", sa.Text),
    sa.Index("ix_disclosures_tenant_status", "tenant", "status"),
)

deadlines = sa.Table(
    "deadlines",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("disclosure_id", sa.Integer, sa.ForeignKey("disclosures.id"), nullable=False),
    sa.Column("kind", sa.Text, nullable=False),  # priority_year, national_phase, office_action, annuity
    sa.Column("jurisdiction", sa.Text, nullable=False),
    sa.Column("due", sa.Text, nullable=False),  # ISO date
    sa.Column("status", sa.Text, nullable=False),  # open, done
    sa.Column("source", sa.Text),
    sa.Column("note", sa.Text),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("tenant", sa.Text),
    sa.Index("ix_deadlines_open_due", "status", "due"),
    sa.Index("ix_deadlines_disclosure", "disclosure_id"),
)

deadline_alerts = sa.Table(
    "deadline_alerts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("deadline_id", sa.Integer, sa.ForeignKey("deadlines.id"), nullable=False),
    sa.Column("disclosure_id", sa.Integer, nullable=False),
    sa.Column("level", sa.Text, nullable=False),  # due_soon, overdue
    sa.Column("message", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("ack_at", sa.DateTime),
    sa.Column("tenant", sa.Text),
    sa.UniqueConstraint("deadline_id", "level", name="uq_deadline_alerts_level"),
)

product_links = sa.Table(
    "product_links",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("patent", sa.Text, nullable=False),  # publication/application number or "disclosure:<id>"
    sa.Column("product", sa.Text, nullable=False),
    sa.Column("product_line", sa.Text),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("tenant", sa.Text),
    sa.UniqueConstraint("tenant", "patent", "product", name="uq_product_links"),
)

# licence, transfer and pledge deals (ipai.deals): the offer with its agreement data (JSON) and
# state, and its records — each signed version, milestone and payment as the exact canonical JSON
# deposited in the evidence log, with the entry's index and the content hash
deals = sa.Table(
    "deals",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.Text, nullable=False),  # licence, transfer, pledge
    sa.Column("title", sa.Text),
    sa.Column("status", sa.Text, nullable=False),  # see ipai.deals.terms.STATES
    sa.Column("agreement", sa.Text, nullable=False),  # JSON: the current agreement data
    sa.Column("version", sa.Integer, nullable=False),  # number of signed versions
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.Column("tenant", sa.Text),
    sa.Index("ix_deals_tenant_status", "tenant", "status"),
)

deal_records = sa.Table(
    "deal_records",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("deal_id", sa.Integer, sa.ForeignKey("deals.id"), nullable=False),
    sa.Column("kind", sa.Text, nullable=False),  # version, milestone, payment
    sa.Column("seq", sa.Integer, nullable=False),  # version number, or order among milestones/payments
    sa.Column("data", sa.Text, nullable=False),  # the canonical JSON deposited
    sa.Column("content_sha256", sa.Text, nullable=False),
    sa.Column("evidence_index", sa.Integer, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("tenant", sa.Text),
    sa.Index("ix_deal_records_deal", "deal_id"),
)

# the search page's saved searches and history (ipai.store.searches): each row is one owner's —
# a signed-in user ("user:<name>"), the laptop's local user ("local") or an anonymous visitor's
# browser ("visitor:<id>") — with the query and its filters, mode and sort (JSON)
saved_searches = sa.Table(
    "saved_searches",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("owner", sa.Text, nullable=False),
    sa.Column("tenant", sa.Text),
    sa.Column("kind", sa.Text, nullable=False),  # saved | history
    sa.Column("name", sa.Text),
    sa.Column("query", sa.Text, nullable=False),
    sa.Column("params", sa.Text, nullable=False),  # JSON: filters, mode, sort, cross_lingual, collapse
    sa.Column("total", sa.Integer),  # documents found when it was last run
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("run_at", sa.DateTime, nullable=False),
    sa.Index("ix_saved_searches_owner", "owner", "kind", "run_at"),
)

# the brief facts of every document, one row each, derived from its brief by the service
# (ipai.service.facts) and kept level with the change feed: the landscape's fields as one compact
# JSON array, and the valuation reference's indicators as columns (NULL: not known)
FACT_VALUES = (
    "forward_citations",
    "family_size",
    "jurisdictions",
    "claim_count",
    "claim_breadth_words",
    "cpc_breadth",
    "grant_lag",
    "inventors",
)
doc_facts = sa.Table(
    "doc_facts",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("seq", sa.BigInteger, nullable=False),  # the document's change number when derived
    sa.Column("version", sa.Integer, nullable=False),  # of the derivation (a new one rebuilds all)
    sa.Column("landscape", sa.Text, nullable=False),  # JSON array (ipai.analytics.landscape.Facts)
    sa.Column("family_extra", sa.Text),  # JSON list: family tokens of its application and listed members
    sa.Column("country", sa.String(8)),  # the valuation's country ("??" when unknown)
    sa.Column("year", sa.Integer),  # the citation cohort's year
    sa.Column("lang", sa.String(16)),  # language of the independent claims
    *(sa.Column(name, sa.Float) for name in FACT_VALUES),
    sa.Index("ix_doc_facts_seq", "seq"),
)
