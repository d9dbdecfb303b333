"""Roles, actions, and which action every endpoint is.

Each API endpoint and web page is exactly one **action**; each action lists the **roles** allowed
to do it. :data:`POLICY` maps ``(method, path)`` of every route to its action; the application
refuses to start if a route is missing from it, so a new endpoint cannot ship unguarded.
"""

from __future__ import annotations

ROLES: dict[str, str] = {
    "public": "anyone without an account: search, read documents, verify evidence, ask questions",
    "enterprise": "an enterprise user: analyses and assessments, and its tenant's demands, watchlists, "
    "knowledge documents and evidence",
    "analyst": "an IP analyst: analyses and assessments, and its tenant's demands, watchlists and knowledge",
    "agency": "a service agency: everything an enterprise user does, plus loading data and running jobs",
    "admin": "the platform administrator: everything, across every tenant, plus users and keys",
    "regulator": "a regulator or auditor: read-only oversight across tenants, the audit log and evidence audits",
}

ACTIONS: dict[str, tuple[str, frozenset[str]]] = {
    name: (text, frozenset(roles))
    for name, text, roles in [
        ("read", "search and read the shared corpus, verify evidence receipts", ROLES.keys()),
        ("ask", "ask questions with cited sources", ROLES.keys()),
        (
            "analyze",
            "landscapes, trends, talent, company portraits, valuation, classification, TRIZ, "
            "image and trademark similarity",
            ("enterprise", "analyst", "agency", "admin", "regulator"),
        ),
        (
            "create",
            "patentability reports, drafting and drafting checks, claim comparison, overseas warning",
            ("enterprise", "analyst", "agency", "admin"),
        ),
        (
            "workspace",
            "the tenant's private demands, matches, notifications, watchlists, alerts, knowledge "
            "documents and chat history",
            ("enterprise", "analyst", "agency", "admin"),
        ),
        ("evidence", "deposit evidence", ("enterprise", "agency", "admin")),
        (
            "evidence.read",
            "list the tenant's evidence, receipts and certificates",
            ("enterprise", "agency", "admin", "regulator"),
        ),
        (
            "operate",
            "load data, build indexes, train models, run and read jobs, import directories",
            ("agency", "admin"),
        ),
        ("audit", "read the audit log and audit the evidence log", ("admin", "regulator")),
        ("admin", "manage users and API keys", ("admin",)),
        ("account", "sign in and out, see who you are", ROLES.keys()),
    ]
}


def allowed(role: str, action: str) -> bool:
    """Whether ``role`` may do ``action`` (unknown roles and actions may do nothing)."""
    entry = ACTIONS.get(action)
    return entry is not None and role in entry[1]


def _table(spec: str) -> dict[tuple[str, str], str]:
    out: dict[tuple[str, str], str] = {}
    for line in spec.strip().splitlines():
        action, method, path = line.split()
        out[(method, path)] = action
    return out


# every /api/v1 endpoint (path without the prefix)
API_POLICY = _table("""
read GET /health
read GET /search
read GET /search/facets
read GET /search/export
read GET /searches/saved
read POST /searches/saved
read DELETE /searches/saved/{search_id}
read GET /searches/history
read DELETE /searches/history
workspace POST /searches/monitor
read GET /expand
read GET /documents
read GET /documents/{number}
read GET /documents/{number}/similar
read GET /documents/{number}/images/{n}
read GET /explain/{number}
read GET /trademarks/{tm_id}
read GET /stats
read GET /formats
read GET /classify/models
read GET /triz/parameters
read GET /images/status
read GET /images/{kind}/thumbnail
read GET /marks/words
read GET /evidence/head
read POST /evidence/verify
read POST /evidence/consistency
ask POST /qa/ask
analyze GET /landscape
analyze GET /topics
analyze GET /evolution
analyze GET /talent
analyze GET /company
analyze GET /value
analyze GET /value/screen
analyze POST /classify
analyze GET /triz
analyze POST /triz
analyze GET /triz/suggest
analyze GET /triz/compare
analyze POST /images/search
analyze GET /transfer/match
analyze GET /transfer/resources
analyze GET /directory/{kind}
analyze GET /industry
analyze GET /industry/schemes
operate POST /industry/concordance
operate POST /industry/figures
create POST /assess
create POST /draft
create POST /draft/check
create POST /fto/compare
create POST /fto/scan
create POST /overseas
workspace POST /transfer/demands
workspace POST /transfer/demands/import
workspace GET /transfer/demands
workspace GET /transfer/demands/{demand_id}
workspace PATCH /transfer/demands/{demand_id}
workspace DELETE /transfer/demands/{demand_id}
workspace POST /transfer/demands/{demand_id}/match
workspace GET /transfer/documents/{number}/demands
workspace GET /transfer/matches
workspace PATCH /transfer/matches/{match_id}
workspace GET /transfer/notifications
workspace POST /transfer/notifications/read
workspace POST /watchlists
workspace GET /watchlists
workspace GET /watchlists/{watch_id}
workspace PATCH /watchlists/{watch_id}
workspace DELETE /watchlists/{watch_id}
workspace POST /watchlists/run
workspace GET /alerts
workspace POST /alerts/ack
workspace GET /qa/history
workspace DELETE /qa/history
workspace POST /qa/documents
workspace GET /qa/documents
workspace GET /qa/documents/{doc_id}
workspace DELETE /qa/documents/{doc_id}
workspace POST /disclosures
workspace GET /disclosures
workspace GET /disclosures/{disclosure_id}
workspace POST /disclosures/{disclosure_id}/move
workspace POST /disclosures/{disclosure_id}/office-actions
workspace GET /deadlines
workspace POST /deadlines/{deadline_id}/done
workspace POST /deadlines/scan
workspace GET /deadline-alerts
workspace POST /deadline-alerts/ack
workspace POST /products/links
workspace GET /portfolio
workspace POST /deals
workspace GET /deals
workspace GET /deals/{deal_id}
workspace POST /deals/{deal_id}/move
workspace POST /deals/{deal_id}/amend
workspace POST /deals/{deal_id}/milestones
workspace GET /deals/{deal_id}/verify
workspace GET /deals/{deal_id}/export
evidence POST /evidence/files
evidence POST /evidence/hashes
evidence POST /evidence/gi
evidence.read GET /evidence
evidence.read GET /evidence/{index}/receipt
evidence.read GET /evidence/{index}/certificate
evidence.read GET /evidence/gi/{batch}
operate GET /index
operate POST /index
operate POST /ingest
operate POST /classify/train
operate GET /tasks
operate GET /tasks/{task_id}
operate POST /directory/{kind}
audit POST /evidence/audit
audit GET /audit
admin GET /users
admin POST /users
admin PATCH /users/{name}
admin GET /keys
admin POST /keys
admin DELETE /keys/{key_id}
account POST /auth/login
account POST /auth/logout
account GET /me
""")

# features moved under their own name keep their old paths (without the prefix) for one release, as
# deprecated aliases (ipai.api.deprecated): an alias is the same action as its successor
DEPRECATED_PREFIXES = ("/transfer",)
API_POLICY.update(
    {
        (method, path[len(prefix) :]): action
        for (method, path), action in list(API_POLICY.items())
        for prefix in DEPRECATED_PREFIXES
        if path.startswith(prefix + "/")
    }
)

# every web page and form (the web UI calls the same service; pages are guarded the same way)
WEB_POLICY = _table("""
read GET /
read GET /search
read GET /search/export
read POST /search/saved
read POST /search/saved/{search_id}/remove
read POST /search/history/clear
workspace POST /search/monitor
read GET /doc/{number:path}
read GET /images/{kind}/thumbnail
read POST /evidence/verify
ask GET /qa
ask POST /qa
analyze GET /dashboard
analyze GET /landscape
analyze GET /landscape/more
analyze GET /industry
analyze GET /company
analyze GET /report/company
analyze GET /report/landscape
analyze GET /transfer/resources
analyze GET /value
analyze GET /triz
analyze GET /triz/compare
analyze GET /images
analyze POST /images
create GET /assess
create POST /assess
create GET /draft
create POST /draft
create GET /draft/check
create POST /draft/check
create GET /fto
create POST /fto
workspace GET /transfer/demands
workspace POST /transfer/demands
workspace GET /transfer/demands/{demand_id}
workspace POST /transfer/demands/import
workspace POST /transfer/demands/{demand_id}/rematch
workspace GET /transfer/matches
workspace POST /transfer/matches/{match_id}
workspace GET /demands
workspace GET /demands/{demand_id}
workspace GET /matches
analyze GET /resources
workspace POST /qa/documents
workspace GET /qa/documents/{doc_id}
workspace GET /watch
workspace POST /watch
workspace POST /watch/run
workspace POST /watch/{watch_id}/remove
workspace POST /alerts/ack
workspace GET /disclosures
workspace POST /disclosures
workspace GET /disclosures/{disclosure_id}
workspace POST /disclosures/{disclosure_id}/move
workspace POST /deadlines/scan
workspace GET /portfolio
workspace POST /portfolio
workspace GET /deals
workspace POST /deals
workspace GET /deals/{deal_id}
workspace POST /deals/{deal_id}/move
workspace POST /deals/{deal_id}/milestones
evidence POST /evidence
evidence.read GET /evidence
operate GET /ingest
operate POST /ingest
operate GET /tasks
operate GET /tasks/{task_id}
operate GET /tasks/{task_id}/progress
operate GET /tasks/{task_id}/rejects
account GET /login
account POST /login
account POST /logout
""")

for _table_ in (API_POLICY, WEB_POLICY):
    for _key, _action in _table_.items():
        assert _action in ACTIONS, f"{_key} names an unknown action {_action!r}"

# web forms that take file uploads (their bodies may reach upload_max_mb; every other form body_max_mb).
# API endpoints that take files are found from their File() parameters.
WEB_UPLOADS = frozenset(
    {
        ("POST", "/ingest"),
        ("POST", "/evidence"),
        ("POST", "/evidence/verify"),
        ("POST", "/transfer/demands/import"),
        ("POST", "/qa/documents"),
        ("POST", "/images"),
    }
)
