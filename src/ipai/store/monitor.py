"""SQL for watchlists and alerts (mixed into :class:`ipai.store.sql.SqlStore`). Values arrive
validated by :mod:`ipai.monitor.watch`; the change feeds (documents by change number, trademarks by
write time) are what makes every evaluation incremental."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import sqlalchemy as sa

from ipai.store import schema as S
from ipai.store.ports import MonitorStore
from ipai.store.security import row_owner, tenant_where

_WATCH_FIELDS = ("name", "kind", "terms", "options", "severity", "channels", "enabled")
_JSON = ("terms", "options", "channels", "last_run", "detail", "delivery")
_CHUNK = 400


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _iso(v: Any) -> Any:
    return v.isoformat(timespec="seconds") + "Z" if isinstance(v, dt.datetime) else v


def _row(r: Any) -> dict[str, Any]:
    out = dict(r)
    for k in _JSON:
        if k in out:
            out[k] = json.loads(out[k]) if out[k] else None
    if "last_tm_at" in out:  # the trademark watermark keeps its full precision (it is compared)
        out["last_tm_at"] = out["last_tm_at"].isoformat() if out["last_tm_at"] else None
    return {k: _iso(v) for k, v in out.items()}


def _dump(v: Any) -> str | None:
    return None if v is None else json.dumps(v, ensure_ascii=False)


class MonitorSql(MonitorStore):
    """Watchlists, alerts and the change feeds they are evaluated on."""

    engine: Any

    # ---- watchlists -----------------------------------------------------------------------------
    def add_watch(self, watch: dict[str, Any], *, last_seq: int, last_tm_at: dt.datetime | None) -> int:
        """Insert a watchlist that starts after the given change number and trademark time."""
        now = _now()
        row = {k: watch.get(k) for k in _WATCH_FIELDS}
        for k in ("terms", "options", "channels"):
            row[k] = _dump(row[k])
        row["enabled"] = bool(row["enabled"]) if row["enabled"] is not None else True
        with self.engine.begin() as conn:
            res = conn.execute(
                S.watchlists.insert().values(
                    **row,
                    last_seq=last_seq,
                    last_tm_at=last_tm_at,
                    tenant=row_owner(),
                    created_at=now,
                    updated_at=now,
                )
            )
            return int(res.inserted_primary_key[0])

    def get_watch(self, watch_id: int) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            r = (
                conn.execute(
                    sa.select(S.watchlists).where(S.watchlists.c.id == watch_id, *tenant_where(S.watchlists))
                )
                .mappings()
                .first()
            )
        return _row(r) if r else None

    def list_watches(
        self, *, enabled: bool | None = None, ids: list[int] | None = None
    ) -> list[dict[str, Any]]:
        t = S.watchlists
        where = [
            c
            for c in (
                t.c.enabled == enabled if enabled is not None else None,
                t.c.id.in_(ids) if ids is not None else None,
            )
            if c is not None
        ] + tenant_where(t)
        with self.engine.connect() as conn:
            return [_row(r) for r in conn.execute(sa.select(t).where(*where).order_by(t.c.id)).mappings()]

    def update_watch(self, watch_id: int, fields: dict[str, Any]) -> bool:
        row = {
            k: (_dump(v) if k in ("terms", "options", "channels") else v)
            for k, v in fields.items()
            if k in _WATCH_FIELDS
        }
        with self.engine.begin() as conn:
            return bool(
                conn.execute(
                    S.watchlists.update()
                    .where(S.watchlists.c.id == watch_id, *tenant_where(S.watchlists))
                    .values(**row, updated_at=_now())
                ).rowcount
            )

    def delete_watch(self, watch_id: int) -> bool:
        """Remove a watchlist; the alerts it raised are kept (they carry its name)."""
        with self.engine.begin() as conn:
            return bool(
                conn.execute(
                    S.watchlists.delete().where(S.watchlists.c.id == watch_id, *tenant_where(S.watchlists))
                ).rowcount
            )

    def set_watch_progress(
        self, watch_id: int, *, last_seq: int, last_tm_at: dt.datetime | None, summary: dict[str, Any]
    ) -> None:
        """Record how far a watchlist has been evaluated and what its last run found."""
        with self.engine.begin() as conn:
            conn.execute(
                S.watchlists.update()
                .where(S.watchlists.c.id == watch_id)
                .values(last_seq=last_seq, last_tm_at=last_tm_at, last_run_at=_now(), last_run=_dump(summary))
            )

    # ---- change feeds ---------------------------------------------------------------------------
    def changed_docs(self, since: int, upto: int, *, limit: int = 5000) -> list[tuple[int, str]]:
        """``(seq, id)`` of documents written after change ``since`` up to ``upto``, oldest first."""
        d = S.documents
        with self.engine.connect() as conn:
            return [
                (int(s), i)
                for s, i in conn.execute(
                    sa.select(d.c.seq, d.c.id)
                    .where(d.c.seq > since, d.c.seq <= upto)
                    .order_by(d.c.seq)
                    .limit(limit)
                )
            ]

    def max_trademark_time(self) -> dt.datetime | None:
        """When the newest trademark row was written (``None`` without trademarks)."""
        with self.engine.connect() as conn:
            newest: dt.datetime | None = conn.execute(
                sa.select(sa.func.max(S.trademarks.c.updated_at))
            ).scalar_one()
        return newest

    def changed_trademarks(
        self, after: dt.datetime | None, upto: dt.datetime, *, last_id: str = "", limit: int = 5000
    ) -> list[dict[str, Any]]:
        """Trademarks written after ``after`` up to ``upto`` (id order from ``last_id``, paged)."""
        t = S.trademarks
        where = [t.c.updated_at <= upto, t.c.id > last_id]
        if after is not None:
            where.append(t.c.updated_at > after)
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(t.c.id, t.c.office, t.c.number, t.c.mark_text, t.c.filing_date, t.c.updated_at)
                .where(*where)
                .order_by(t.c.id)
                .limit(limit)
            ).mappings()
            return [dict(r) for r in rows]

    # ---- alerts ---------------------------------------------------------------------------------
    def add_alerts(self, rows: list[dict[str, Any]]) -> list[int]:
        """Insert alerts that are new for their watchlist (one per watchlist and target: a re-run
        or a re-ingested document raises nothing twice); the new ids in order, also set as ``id``
        on the rows that were inserted."""
        t = S.alerts
        now = _now()
        ids: list[int] = []
        with self.engine.begin() as conn:
            by_watch: dict[int, list[dict[str, Any]]] = {}
            for r in rows:
                by_watch.setdefault(int(r["watchlist_id"]), []).append(r)
            for wid, group in by_watch.items():
                # an alert belongs to its watchlist's tenant, whoever ran the evaluation
                tenant = conn.execute(
                    sa.select(S.watchlists.c.tenant).where(S.watchlists.c.id == wid)
                ).scalar()
                targets = [r["target"][:255] for r in group]
                have: set[str] = set()
                for i in range(0, len(targets), _CHUNK):
                    have |= {
                        x
                        for (x,) in conn.execute(
                            sa.select(t.c.target).where(
                                t.c.watchlist_id == wid, t.c.target.in_(targets[i : i + _CHUNK])
                            )
                        )
                    }
                for r in group:
                    key = r["target"][:255]
                    if key in have:
                        continue
                    have.add(key)
                    res = conn.execute(
                        t.insert().values(
                            watchlist_id=wid,
                            watch_name=r["watch_name"][:255],
                            kind=r["kind"],
                            target=key,
                            title=(r.get("title") or "")[:500] or None,
                            reason=r["reason"],
                            severity=r["severity"],
                            score=r.get("score"),
                            detail=_dump(r.get("detail") or {}),
                            seq=r.get("seq"),
                            tenant=tenant,
                            created_at=now,
                        )
                    )
                    r["id"] = int(res.inserted_primary_key[0])
                    ids.append(r["id"])
        return ids

    def list_alerts(
        self,
        *,
        unacknowledged: bool = False,
        watchlist_id: int | None = None,
        severity: str | None = None,
        ids: list[int] | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> tuple[list[dict[str, Any]], int, int]:
        """A page of alerts (newest first), how many match, and how many are unacknowledged."""
        t = S.alerts
        where = [
            c
            for c in (
                t.c.acknowledged_at.is_(None) if unacknowledged else None,
                t.c.watchlist_id == watchlist_id if watchlist_id is not None else None,
                t.c.severity == severity if severity else None,
                t.c.id.in_(ids) if ids is not None else None,
            )
            if c is not None
        ]
        mine = tenant_where(t)
        where += mine
        with self.engine.connect() as conn:
            total = conn.execute(sa.select(sa.func.count()).select_from(t).where(*where)).scalar_one()
            n_unack = conn.execute(
                sa.select(sa.func.count()).select_from(t).where(t.c.acknowledged_at.is_(None), *mine)
            ).scalar_one()
            rows = conn.execute(
                sa.select(t).where(*where).order_by(t.c.id.desc()).limit(limit).offset(offset)
            ).mappings()
            return [_row(r) for r in rows], int(total), int(n_unack)

    def existing_alert_ids(self, ids: list[int]) -> set[int]:
        with self.engine.connect() as conn:
            return {
                int(x)
                for (x,) in conn.execute(
                    sa.select(S.alerts.c.id).where(S.alerts.c.id.in_(ids), *tenant_where(S.alerts))
                )
            }

    def ack_alerts(self, ids: list[int] | None = None) -> int:
        """Acknowledge these alerts (all unacknowledged ones when ``ids`` is None)."""
        t = S.alerts
        q = t.update().where(t.c.acknowledged_at.is_(None), *tenant_where(t))
        if ids is not None:
            q = q.where(t.c.id.in_(ids))
        with self.engine.begin() as conn:
            return int(conn.execute(q.values(acknowledged_at=_now())).rowcount)

    def set_alert_delivery(self, ids: list[int], delivery: dict[str, Any]) -> None:
        """Record the push outcome (e-mail, webhook) on alerts."""
        with self.engine.begin() as conn:
            for i in range(0, len(ids), _CHUNK):
                conn.execute(
                    S.alerts.update()
                    .where(S.alerts.c.id.in_(ids[i : i + _CHUNK]))
                    .values(delivery=_dump(delivery))
                )
