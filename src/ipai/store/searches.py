"""SQL for the search page's saved searches and history (mixed into :class:`ipai.store.sql.SqlStore`).

Every row belongs to one owner (``user:<name>``, ``local`` or ``visitor:<id>``, decided by
:mod:`ipai.service.searches`); every read and delete names the owner, so one user never sees
another's rows. History keeps the newest ``keep`` entries of an owner; running the same search
again replaces its entry by a new one on top (newest first is id order)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import sqlalchemy as sa

from ipai.store import schema as S
from ipai.store.ports import SavedSearchStore
from ipai.store.security import row_owner

KINDS = ("saved", "history")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _row(r: Any) -> dict[str, Any]:
    out = dict(r)
    out["params"] = json.loads(out["params"]) if out.get("params") else {}
    for k in ("created_at", "run_at"):
        if isinstance(out.get(k), dt.datetime):
            out[k] = out[k].isoformat(timespec="seconds") + "Z"
    out.pop("owner", None)
    out.pop("tenant", None)
    return out


class SearchesSql(SavedSearchStore):
    """Saved searches and search history per owner."""

    engine: Any

    def add_search(
        self,
        owner: str,
        kind: str,
        query: str,
        params: dict[str, Any],
        *,
        name: str | None = None,
        total: int | None = None,
        keep: int = 50,
    ) -> int:
        """Insert a saved search or a history entry; a history entry replaces the owner's entry of the
        same query and parameters (so it is on top once); history beyond the newest ``keep`` entries is
        dropped. Returns the row id."""
        t = S.saved_searches
        now = _now()
        text = json.dumps(params, ensure_ascii=False, sort_keys=True)
        with self.engine.begin() as conn:
            if kind == "history":  # the same search again: its old entry goes, the new one is on top
                conn.execute(
                    t.delete().where(
                        t.c.owner == owner, t.c.kind == kind, t.c.query == query, t.c.params == text
                    )
                )
            res = conn.execute(
                t.insert().values(
                    owner=owner,
                    tenant=row_owner(),
                    kind=kind,
                    name=name,
                    query=query,
                    params=text,
                    total=total,
                    created_at=now,
                    run_at=now,
                )
            )
            new_id = int(res.inserted_primary_key[0])
            if kind == "history":
                old = [
                    i
                    for (i,) in conn.execute(
                        sa.select(t.c.id)
                        .where(t.c.owner == owner, t.c.kind == kind)
                        .order_by(t.c.id.desc())
                        .offset(keep)
                    )
                ]
                if old:
                    conn.execute(t.delete().where(t.c.id.in_(old)))
            return new_id

    def list_searches(self, owner: str, kind: str, *, limit: int = 50) -> list[dict[str, Any]]:
        """An owner's saved searches or history, newest first."""
        t = S.saved_searches
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(t).where(t.c.owner == owner, t.c.kind == kind).order_by(t.c.id.desc()).limit(limit)
            ).mappings()
            return [_row(r) for r in rows]

    def get_search(self, owner: str, search_id: int) -> dict[str, Any] | None:
        """One of the owner's rows (None when it is unknown or another owner's)."""
        t = S.saved_searches
        with self.engine.connect() as conn:
            r = conn.execute(sa.select(t).where(t.c.id == search_id, t.c.owner == owner)).mappings().first()
        return _row(r) if r else None

    def delete_searches(self, owner: str, *, kind: str | None = None, search_id: int | None = None) -> int:
        """Delete one row of the owner's (``search_id``) or all rows of a kind; how many went."""
        t = S.saved_searches
        where = [t.c.owner == owner]
        if kind is not None:
            where.append(t.c.kind == kind)
        if search_id is not None:
            where.append(t.c.id == search_id)
        with self.engine.begin() as conn:
            return int(conn.execute(t.delete().where(*where)).rowcount)
