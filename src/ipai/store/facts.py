"""SQL of the brief facts (mixed into :class:`ipai.store.sql.SqlStore`): derived rows per document,
replaced by id, read by id or as columns of the newest documents."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from ipai.store import schema as S
from ipai.store.common import chunks as _chunks
from ipai.store.ports import FactsStore

_FACTS_WRITERS_LOCK = 0x1FA1_0002  # PostgreSQL advisory lock key: one facts writer at a time


class FactsSql(FactsStore):
    """The ``doc_facts`` table."""

    engine: Any

    def facts_seq(self, version: int) -> int:
        t = S.doc_facts
        with self.engine.begin() as conn:
            stale = conn.execute(sa.select(t.c.id).where(t.c.version != version).limit(1)).first()
            if stale is not None:
                conn.execute(t.delete())
                return 0
            return int(conn.execute(sa.select(sa.func.coalesce(sa.func.max(t.c.seq), 0))).scalar_one())

    def changed_ids(self, since: int, limit: int = 2000) -> list[tuple[int, str]]:
        d = S.documents
        q = sa.select(d.c.seq, d.c.id).where(d.c.seq > since).order_by(d.c.seq).limit(limit)
        with self.engine.connect() as conn:
            return [(int(s), i) for s, i in conn.execute(q)]

    def write_facts(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        t = S.doc_facts
        final = list({r["id"]: {c.name: r.get(c.name) for c in t.c} for r in rows}.values())
        with self.engine.begin() as conn:
            if conn.dialect.name == "postgresql":  # two processes catching up write the same rows
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _FACTS_WRITERS_LOCK})
            for chunk in _chunks([r["id"] for r in final]):
                conn.execute(t.delete().where(t.c.id.in_(chunk)))
            conn.execute(t.insert(), final)

    def read_facts(self, ids: list[str], columns: tuple[str, ...]) -> dict[str, tuple[Any, ...]]:
        t = S.doc_facts
        cols = [t.c[c] for c in columns]
        out: dict[str, tuple[Any, ...]] = {}
        with self.engine.connect() as conn:
            for chunk in _chunks(ids):
                for doc_id, *vals in conn.execute(sa.select(t.c.id, *cols).where(t.c.id.in_(chunk))):
                    out[doc_id] = tuple(vals)
        return out

    def newest_facts(self, columns: tuple[str, ...], limit: int) -> dict[str, list[Any]]:
        t = S.doc_facts
        q = sa.select(*(t.c[c] for c in columns)).order_by(t.c.seq.desc()).limit(limit)
        with self.engine.connect() as conn:
            rows = conn.execute(q).all()
        cols = list(zip(*rows, strict=True)) if rows else [() for _ in columns]
        return {c: list(v) for c, v in zip(columns, cols, strict=True)}
