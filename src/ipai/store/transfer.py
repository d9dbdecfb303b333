"""SQL for technology transfer (mixed into :class:`ipai.store.sql.SqlStore`): demands, matches
with status and feedback, notifications. Values arrive validated by :mod:`ipai.transfer`."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import sqlalchemy as sa

from ipai.store import schema as S
from ipai.store.ports import TransferStore
from ipai.store.security import row_owner, tenant_where

_DEMAND_FIELDS = (
    "title",
    "text",
    "lang",
    "organisation",
    "industry",
    "region",
    "budget",
    "deadline",
    "contact",
    "status",
    "source",
)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _iso(v: Any) -> Any:
    return v.isoformat(timespec="seconds") + "Z" if isinstance(v, dt.datetime) else v


def _row(r: Any) -> dict[str, Any]:
    out = {k: _iso(v) for k, v in dict(r).items()}
    for k in ("explanation", "payload", "delivery"):
        if k in out:
            out[k] = json.loads(out[k]) if out[k] else None
    return out


class TransferSql(TransferStore):
    """Demands, matches and notifications on the store's engine."""

    engine: Any

    # ---- demands --------------------------------------------------------------------------------
    def add_demands(self, demands: list[dict[str, Any]]) -> list[int]:
        """Insert demands in one transaction; their new ids in order."""
        now = _now()
        ids = []
        with self.engine.begin() as conn:
            for d in demands:
                row = {k: d.get(k) for k in _DEMAND_FIELDS}
                row["status"] = row["status"] or "open"
                res = conn.execute(
                    S.demands.insert().values(**row, tenant=row_owner(), created_at=now, updated_at=now)
                )
                ids.append(int(res.inserted_primary_key[0]))
        return ids

    def update_demand(self, demand_id: int, fields: dict[str, Any]) -> bool:
        row = {k: v for k, v in fields.items() if k in _DEMAND_FIELDS}
        with self.engine.begin() as conn:
            return bool(
                conn.execute(
                    S.demands.update()
                    .where(S.demands.c.id == demand_id, *tenant_where(S.demands))
                    .values(**row, updated_at=_now())
                ).rowcount
            )

    def get_demand(self, demand_id: int) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            r = (
                conn.execute(
                    sa.select(S.demands).where(S.demands.c.id == demand_id, *tenant_where(S.demands))
                )
                .mappings()
                .first()
            )
        return _row(r) if r else None

    def list_demands(
        self, *, status: str | None = None, limit: int = 50, offset: int = 0
    ) -> tuple[list[dict[str, Any]], int]:
        t = S.demands
        where = ([t.c.status == status] if status else []) + tenant_where(t)
        with self.engine.connect() as conn:
            total = conn.execute(sa.select(sa.func.count()).select_from(t).where(*where)).scalar_one()
            rows = conn.execute(
                sa.select(t).where(*where).order_by(t.c.id.desc()).limit(limit).offset(offset)
            ).mappings()
            return [_row(r) for r in rows], int(total)

    def delete_demand(self, demand_id: int) -> bool:
        with self.engine.begin() as conn:
            mine = conn.execute(
                sa.select(S.demands.c.id).where(S.demands.c.id == demand_id, *tenant_where(S.demands))
            ).first()
            if mine is None:
                return False
            conn.execute(S.matches.delete().where(S.matches.c.demand_id == demand_id))
            return bool(conn.execute(S.demands.delete().where(S.demands.c.id == demand_id)).rowcount)

    # ---- matches --------------------------------------------------------------------------------
    def save_matches(self, demand_id: int, rows: list[dict[str, Any]]) -> int:
        """Upsert proposals by (demand, kind, target): score, rank and explanation are refreshed;
        status and feedback already given are kept. Returns how many are new."""
        t = S.matches
        now = _now()
        new = 0
        with self.engine.begin() as conn:
            have = {
                (r.kind, r.target): r.id
                for r in conn.execute(
                    sa.select(t.c.id, t.c.kind, t.c.target).where(t.c.demand_id == demand_id)
                )
            }
            for m in rows:
                vals = {
                    "label": (m.get("label") or "")[:500],
                    "score": float(m["score"]),
                    "rank": m.get("rank"),
                    "explanation": json.dumps(m.get("explanation") or {}, ensure_ascii=False),
                    "updated_at": now,
                }
                key = (m["kind"], m["target"][:255])
                if key in have:
                    conn.execute(t.update().where(t.c.id == have[key]).values(**vals))
                else:
                    conn.execute(
                        t.insert().values(
                            demand_id=demand_id,
                            kind=key[0],
                            target=key[1],
                            status="proposed",
                            created_at=now,
                            **vals,
                        )
                    )
                    new += 1
        return new

    def list_matches(
        self,
        *,
        demand_id: int | None = None,
        kind: str | None = None,
        status: str | None = None,
        feedback: str | None = None,
        target: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> tuple[list[dict[str, Any]], int]:
        t, d = S.matches, S.demands
        where = [
            c
            for c in (
                t.c.demand_id == demand_id if demand_id is not None else None,
                t.c.kind == kind if kind else None,
                t.c.status == status if status else None,
                t.c.feedback == feedback if feedback else None,
                t.c.target == target if target else None,
            )
            if c is not None
        ] + tenant_where(d)
        q = (
            sa.select(t, d.c.title.label("demand_title"), d.c.organisation.label("demand_organisation"))
            .join(d, d.c.id == t.c.demand_id)
            .where(*where)
        )
        with self.engine.connect() as conn:
            total = conn.execute(
                sa.select(sa.func.count()).select_from(t.join(d, d.c.id == t.c.demand_id)).where(*where)
            ).scalar_one()
            rows = conn.execute(
                q.order_by(t.c.demand_id.desc(), t.c.kind, t.c.rank, t.c.id).limit(limit).offset(offset)
            ).mappings()
            return [_row(r) for r in rows], int(total)

    def get_match(self, match_id: int) -> dict[str, Any] | None:
        rows, _ = self._matches_where(S.matches.c.id == match_id)
        return rows[0] if rows else None

    def _matches_where(self, cond: Any) -> tuple[list[dict[str, Any]], int]:
        t, d = S.matches, S.demands
        q = (
            sa.select(t, d.c.title.label("demand_title"), d.c.organisation.label("demand_organisation"))
            .join(d, d.c.id == t.c.demand_id)
            .where(cond, *tenant_where(d))
        )
        with self.engine.connect() as conn:
            rows = [_row(r) for r in conn.execute(q).mappings()]
        return rows, len(rows)

    def update_match(self, match_id: int, fields: dict[str, Any]) -> bool:
        row = {k: v for k, v in fields.items() if k in ("status", "feedback")}
        mine = sa.select(S.demands.c.id).where(*tenant_where(S.demands))
        with self.engine.begin() as conn:
            return bool(
                conn.execute(
                    S.matches.update()
                    .where(S.matches.c.id == match_id, S.matches.c.demand_id.in_(mine))
                    .values(**row, updated_at=_now())
                ).rowcount
            )

    # ---- notifications --------------------------------------------------------------------------
    def add_notification(self, kind: str, message: str, payload: dict[str, Any]) -> int:
        """A notification belongs to the tenant of the demand it is about (even when a platform job
        raised it), else to the current principal's tenant."""
        with self.engine.begin() as conn:
            tenant = row_owner()
            if payload.get("demand_id") is not None:
                tenant = conn.execute(
                    sa.select(S.demands.c.tenant).where(S.demands.c.id == int(payload["demand_id"]))
                ).scalar()
            res = conn.execute(
                S.notifications.insert().values(
                    kind=kind,
                    message=message,
                    payload=json.dumps(payload, ensure_ascii=False),
                    tenant=tenant,
                    created_at=_now(),
                )
            )
            return int(res.inserted_primary_key[0])

    def set_notification_delivery(self, note_id: int, delivery: dict[str, Any]) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                S.notifications.update()
                .where(S.notifications.c.id == note_id)
                .values(delivery=json.dumps(delivery, ensure_ascii=False))
            )

    def list_notifications(
        self, *, unread: bool = False, limit: int = 50
    ) -> tuple[list[dict[str, Any]], int]:
        t = S.notifications
        mine = tenant_where(t)
        where = ([t.c.read_at.is_(None)] if unread else []) + mine
        with self.engine.connect() as conn:
            n_unread = conn.execute(
                sa.select(sa.func.count()).select_from(t).where(t.c.read_at.is_(None), *mine)
            ).scalar_one()
            rows = conn.execute(sa.select(t).where(*where).order_by(t.c.id.desc()).limit(limit)).mappings()
            return [_row(r) for r in rows], int(n_unread)

    def mark_notifications_read(self, ids: list[int] | None = None) -> int:
        t = S.notifications
        q = t.update().where(t.c.read_at.is_(None), *tenant_where(t))
        if ids is not None:
            q = q.where(t.c.id.in_(ids))
        with self.engine.begin() as conn:
            return int(conn.execute(q.values(read_at=_now())).rowcount)

    # ---- the overseas directory (agencies, past cases): replaced whole on each import ----------
    def replace_directory(self, kind: str, rows: list[dict[str, Any]]) -> int:
        """Replace the agencies (``kind="agencies"``) or dispute cases (``"cases"``) in one transaction."""
        t, key = (S.agencies, "name") if kind == "agencies" else (S.dispute_cases, "agency")
        with self.engine.begin() as conn:
            conn.execute(t.delete())
            for r in rows:
                conn.execute(t.insert().values(**{key: r[key][:255]}, data=json.dumps(r, ensure_ascii=False)))
        return len(rows)

    def list_directory(self, kind: str) -> list[dict[str, Any]]:
        t = S.agencies if kind == "agencies" else S.dispute_cases
        with self.engine.connect() as conn:
            return [json.loads(r.data) for r in conn.execute(sa.select(t.c.data).order_by(t.c.id))]
