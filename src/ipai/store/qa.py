"""SQL of questions and answers (mixed into :class:`ipai.store.sql.SqlStore`): the user's knowledge
documents and their passages, and the chat history per user."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import sqlalchemy as sa

from ipai.security.context import tenant_scope
from ipai.store import schema as S
from ipai.store.ports import QaStore
from ipai.store.security import row_owner, tenant_where


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class QaSql(QaStore):
    """Knowledge documents, passages and chat messages."""

    engine: Any

    # ---- knowledge documents -------------------------------------------------------------------
    def qa_add_document(
        self, doc: dict[str, Any], passages: list[tuple[str, str]]
    ) -> tuple[dict[str, Any], bool]:
        """Store a document (``title``, ``source``, ``format``, ``lang``, ``sha256``) and its
        (where, text) passages; returns (the row, whether it is new): the same text twice is kept once
        per tenant (documents loaded by platform principals are the platform's, seen by every tenant)."""
        d, p = S.qa_documents, S.qa_passages
        tenant = row_owner()
        with self.engine.begin() as conn:
            mine = d.c.tenant == tenant if tenant is not None else d.c.tenant.is_(None)
            old = conn.execute(sa.select(d).where(d.c.sha256 == doc["sha256"], mine)).mappings().first()
            if old is not None:
                return dict(old), False
            row = {
                **{k: doc.get(k) for k in ("title", "source", "format", "lang", "sha256")},
                "passages": len(passages),
                "created_at": _now(),
                "tenant": tenant,
            }
            row["title"] = str(row["title"])[:500]
            new_id = conn.execute(d.insert().values(**row)).inserted_primary_key[0]
            if passages:
                conn.execute(
                    p.insert(),
                    [
                        {"doc_id": new_id, "seq": i, "where": w[:500], "text": t}
                        for i, (w, t) in enumerate(passages)
                    ],
                )
        return {"id": int(new_id), **row}, True

    def qa_documents(self) -> list[dict[str, Any]]:
        """The knowledge documents the caller may read (the platform's and its tenant's), newest first."""
        d = S.qa_documents
        with self.engine.connect() as conn:
            return [
                dict(r)
                for r in conn.execute(sa.select(d).where(*_readable(d)).order_by(d.c.id.desc())).mappings()
            ]

    def qa_document(self, doc_id: int) -> dict[str, Any] | None:
        """One knowledge document with its passages, or ``None``."""
        d, p = S.qa_documents, S.qa_passages
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(d).where(d.c.id == doc_id, *_readable(d))).mappings().first()
            if row is None:
                return None
            ps = (
                conn.execute(
                    sa.select(p.c.id, p.c.seq, p.c.where, p.c.text)
                    .where(p.c.doc_id == doc_id)
                    .order_by(p.c.seq)
                )
                .mappings()
                .all()
            )
        return {**dict(row), "items": [dict(x) for x in ps]}

    def qa_delete_document(self, doc_id: int) -> bool:
        """Remove a knowledge document and its passages; False if there was none."""
        d = S.qa_documents
        with self.engine.begin() as conn:
            if conn.execute(sa.select(d.c.id).where(d.c.id == doc_id, *tenant_where(d))).first() is None:
                return False
            conn.execute(S.qa_passages.delete().where(S.qa_passages.c.doc_id == doc_id))
            return int(conn.execute(d.delete().where(d.c.id == doc_id)).rowcount) > 0

    def qa_passages(self) -> list[dict[str, Any]]:
        """Every passage with its document's title, language and tenant, in document and reading order
        (all tenants: the retriever keeps one index and masks what the caller may not read)."""
        d, p = S.qa_documents, S.qa_passages
        q = (
            sa.select(p.c.id, p.c.doc_id, p.c.seq, p.c.where, p.c.text, d.c.title, d.c.lang, d.c.tenant)
            .join(d, d.c.id == p.c.doc_id)
            .order_by(p.c.doc_id, p.c.seq)
        )
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(q).mappings()]

    def qa_version(self) -> tuple[int, int]:
        """(number of passages, largest passage id): changes whenever documents are added or removed."""
        p = S.qa_passages
        with self.engine.connect() as conn:
            n, top = conn.execute(sa.select(sa.func.count(), sa.func.coalesce(sa.func.max(p.c.id), 0))).one()
        return int(n), int(top)

    # ---- chat history -------------------------------------------------------------------------
    def qa_add_message(self, user: str, session: str | None, question: str, answer: dict[str, Any]) -> int:
        """Keep one question and its answer (JSON) in the user's history; returns its id."""
        with self.engine.begin() as conn:
            res = conn.execute(
                S.qa_messages.insert().values(
                    user=user,
                    session=session,
                    question=question,
                    tenant=row_owner(),
                    answer=json.dumps(answer, ensure_ascii=False, default=str),
                    created_at=_now(),
                )
            )
        return int(res.inserted_primary_key[0])

    def qa_messages(self, user: str, *, session: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
        """The user's newest ``limit`` questions and answers, oldest first (one session if given)."""
        m = S.qa_messages
        q = sa.select(m).where(m.c.user == user, *tenant_where(m)).order_by(m.c.id.desc()).limit(limit)
        if session:
            q = q.where(m.c.session == session)
        with self.engine.connect() as conn:
            rows = [dict(r) for r in conn.execute(q).mappings()]
        for r in rows:
            r["answer"] = json.loads(r["answer"])
        return rows[::-1]

    def qa_clear_messages(self, user: str) -> int:
        """Forget a user's history; returns how many messages went."""
        with self.engine.begin() as conn:
            return int(
                conn.execute(
                    S.qa_messages.delete().where(S.qa_messages.c.user == user, *tenant_where(S.qa_messages))
                ).rowcount
            )


def _readable(d: sa.Table) -> list[Any]:
    """Knowledge documents a caller may read: the platform's (no tenant) and its own tenant's."""
    filtered, tenant = tenant_scope()
    if not filtered:
        return []
    return [
        sa.or_(d.c.tenant.is_(None), d.c.tenant == tenant) if tenant is not None else d.c.tenant.is_(None)
    ]
