"""SQL of the evidence log (mixed into :class:`ipai.store.sql.SqlStore`). Appends assign leaf
indexes inside one write transaction; two writers racing for the same index make one of them
retry, so concurrent depositors lose nothing and leave no gap."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, OperationalError

from ipai.store import schema as S
from ipai.store.ports import EvidenceStore
from ipai.store.security import tenant_where

_RETRY_SQLSTATES = {
    "40001",
    "40P01",
    "55P03",
}  # PostgreSQL: serialization failure, deadlock, lock not available


def _retryable(e: OperationalError) -> bool:
    """A concurrent writer's transient conflict: SQLite "database is locked/busy", PostgreSQL's
    serialization failures and deadlocks (a duplicate index is an IntegrityError on both)."""
    msg = str(e).lower()
    code = getattr(e.orig, "sqlstate", None) or getattr(e.orig, "pgcode", None)
    return "locked" in msg or "busy" in msg or code in _RETRY_SQLSTATES


class EvidenceSql(EvidenceStore):
    """Entries and signed heads of the evidence log."""

    engine: Any

    def evidence_append(
        self, build: Callable[[int], list[dict[str, Any]]], attempts: int = 50
    ) -> list[dict[str, Any]]:
        """Append the rows ``build(first_index)`` returns (each with ``idx`` = first_index + i) in
        one transaction; on a concurrent writer, retry with the new first index."""
        t = S.evidence_entries
        for n in range(attempts):
            try:
                with self.engine.begin() as conn:
                    first = conn.execute(
                        sa.select(sa.func.coalesce(sa.func.max(t.c.idx) + 1, 0))
                    ).scalar_one()
                    rows = build(int(first))
                    if rows:
                        conn.execute(t.insert(), rows)
                return rows
            except (
                IntegrityError,
                OperationalError,
            ) as e:  # another process took these indexes / holds the lock
                if n == attempts - 1:
                    raise
                if isinstance(e, OperationalError) and not _retryable(e):
                    raise
                time.sleep(0.01 * (n + 1))
        return []

    def evidence_size(self) -> int:
        t = S.evidence_entries
        with self.engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.coalesce(sa.func.max(t.c.idx) + 1, 0))).scalar_one())

    def evidence_leaves(self, start: int = 0, batch: int = 50_000) -> Iterator[tuple[int, str]]:
        """(index, leaf hash hex) from ``start`` on, in order."""
        t = S.evidence_entries
        while True:
            with self.engine.connect() as conn:
                rows = conn.execute(
                    sa.select(t.c.idx, t.c.leaf_hash).where(t.c.idx >= start).order_by(t.c.idx).limit(batch)
                ).all()
            yield from ((int(i), h) for i, h in rows)
            if len(rows) < batch:
                return
            start = int(rows[-1][0]) + 1

    def evidence_entries(self, start: int = 0, batch: int = 20_000) -> Iterator[dict[str, Any]]:
        """Whole entry rows from ``start`` on, in order (audit)."""
        t = S.evidence_entries
        while True:
            with self.engine.connect() as conn:
                rows = (
                    conn.execute(sa.select(t).where(t.c.idx >= start).order_by(t.c.idx).limit(batch))
                    .mappings()
                    .all()
                )
            yield from (dict(r) for r in rows)
            if len(rows) < batch:
                return
            start = int(rows[-1]["idx"]) + 1

    def evidence_entry(self, index: int) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            r = (
                conn.execute(
                    sa.select(S.evidence_entries).where(
                        S.evidence_entries.c.idx == index, *tenant_where(S.evidence_entries)
                    )
                )
                .mappings()
                .first()
            )
        return dict(r) if r else None

    def evidence_find(self, content_sha256: str) -> list[dict[str, Any]]:
        t = S.evidence_entries
        with self.engine.connect() as conn:
            return [
                dict(r)
                for r in conn.execute(
                    sa.select(t)
                    .where(t.c.content_sha256 == content_sha256, *tenant_where(t))
                    .order_by(t.c.idx)
                ).mappings()
            ]

    def evidence_list(
        self, *, limit: int = 50, offset: int = 0, kind: str | None = None
    ) -> list[dict[str, Any]]:
        t = S.evidence_entries
        q = sa.select(t).where(*tenant_where(t)).order_by(t.c.idx.desc()).limit(limit).offset(offset)
        if kind:
            q = q.where(t.c.kind == kind)
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(q).mappings()]

    def evidence_put_head(self, tree_size: int, head: str) -> None:
        t = S.evidence_heads
        with self.engine.begin() as conn:
            if conn.dialect.name == "postgresql":  # a failed INSERT would abort the whole transaction
                from sqlalchemy.dialects.postgresql import insert

                conn.execute(insert(t).values(tree_size=tree_size, head=head).on_conflict_do_nothing())
                return
            if conn.execute(sa.select(t.c.tree_size).where(t.c.tree_size == tree_size)).first() is None:
                # another process signed this size first: keep theirs
                with contextlib.suppress(IntegrityError):
                    conn.execute(t.insert().values(tree_size=tree_size, head=head))

    def evidence_heads(self) -> list[tuple[int, str]]:
        t = S.evidence_heads
        with self.engine.connect() as conn:
            return [
                (int(n), h)
                for n, h in conn.execute(sa.select(t.c.tree_size, t.c.head).order_by(t.c.tree_size))
            ]

    def evidence_head(self, tree_size: int | None = None) -> tuple[int, str] | None:
        t = S.evidence_heads
        q = sa.select(t.c.tree_size, t.c.head)
        q = (
            q.where(t.c.tree_size == tree_size)
            if tree_size is not None
            else q.order_by(t.c.tree_size.desc()).limit(1)
        )
        with self.engine.connect() as conn:
            r = conn.execute(q).first()
        return (int(r[0]), r[1]) if r else None
