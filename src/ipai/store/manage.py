"""SQL for the disclosure-to-filing workflow (mixed into :class:`ipai.store.sql.SqlStore`):
disclosures, deadlines, deadline alerts and patent ↔ product links. Values arrive validated by
:mod:`ipai.manage`; every query keeps to the current tenant."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import sqlalchemy as sa

from ipai.store import schema as S
from ipai.store.ports import ManageStore
from ipai.store.security import row_owner, tenant_where

_DISCLOSURE_FIELDS = (
    "title",
    "text",
    "inventors",
    "applicant",
    "product_line",
    "status",
    "jurisdiction",
    "priority_date",
    "filing_date",
    "application_number",
    "grant_date",
    "assessment",
    "note",
)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _row(r: Any) -> dict[str, Any]:
    out = {
        k: (v.isoformat(timespec="seconds") + "Z" if isinstance(v, dt.datetime) else v)
        for k, v in dict(r).items()
    }
    for k in ("inventors", "assessment"):
        if k in out:
            out[k] = json.loads(out[k]) if out[k] else None
    return out


def _dump(fields: dict[str, Any]) -> dict[str, Any]:
    row = {k: v for k, v in fields.items() if k in _DISCLOSURE_FIELDS}
    for k in ("inventors", "assessment"):
        if k in row and row[k] is not None:
            row[k] = json.dumps(row[k], ensure_ascii=False)
    return row


class ManageSql(ManageStore):
    """Disclosures, deadlines, alerts and product links on the store's engine."""

    engine: Any

    # ---- disclosures ----------------------------------------------------------------------------
    def add_disclosures(self, rows: list[dict[str, Any]]) -> list[int]:
        """Insert disclosures in one transaction; their ids in order."""
        now, tenant = _now(), row_owner()
        with self.engine.begin() as conn:
            return [
                int(
                    conn.execute(
                        S.disclosures.insert().values(
                            **_dump(d), tenant=tenant, created_at=now, updated_at=now
                        )
                    ).inserted_primary_key[0]
                )
                for d in rows
            ]

    def update_disclosure(
        self, disclosure_id: int, fields: dict[str, Any], *, expect_status: str | None = None
    ) -> bool:
        """Change fields; with ``expect_status`` only if the row is still in that state."""
        t = S.disclosures
        where = [t.c.id == disclosure_id, *tenant_where(t)] + (
            [t.c.status == expect_status] if expect_status else []
        )
        with self.engine.begin() as conn:
            return bool(
                conn.execute(t.update().where(*where).values(**_dump(fields), updated_at=_now())).rowcount
            )

    def get_disclosure(self, disclosure_id: int) -> dict[str, Any] | None:
        t = S.disclosures
        with self.engine.connect() as conn:
            r = conn.execute(sa.select(t).where(t.c.id == disclosure_id, *tenant_where(t))).mappings().first()
        return _row(r) if r else None

    def list_disclosures(
        self, *, status: str | None = None, product_line: str | None = None, limit: int = 50, offset: int = 0
    ) -> tuple[list[dict[str, Any]], int]:
        t = S.disclosures
        where = [
            c
            for c in (
                t.c.status == status if status else None,
                t.c.product_line == product_line if product_line else None,
            )
            if c is not None
        ]
        where += tenant_where(t)
        cols = [c for c in t.c if c.name not in ("text", "assessment")]
        with self.engine.connect() as conn:
            total = conn.execute(sa.select(sa.func.count()).select_from(t).where(*where)).scalar_one()
            rows = conn.execute(
                sa.select(*cols).where(*where).order_by(t.c.id.desc()).limit(limit).offset(offset)
            )
            return [_row(r) for r in rows.mappings()], int(total)

    # ---- deadlines ------------------------------------------------------------------------------
    def add_deadlines(self, disclosure_id: int, rows: list[dict[str, Any]]) -> list[int]:
        """Store computed deadlines (open) for a disclosure, owned by the disclosure's tenant."""
        now = _now()
        with self.engine.begin() as conn:
            tenant = conn.execute(
                sa.select(S.disclosures.c.tenant).where(S.disclosures.c.id == disclosure_id)
            ).scalar()
            return [
                int(
                    conn.execute(
                        S.deadlines.insert().values(
                            disclosure_id=disclosure_id,
                            kind=d["kind"],
                            jurisdiction=d["jurisdiction"],
                            due=d["due"],
                            status="open",
                            source=d.get("source"),
                            note=d.get("note"),
                            created_at=now,
                            tenant=tenant,
                        )
                    ).inserted_primary_key[0]
                )
                for d in rows
            ]

    def bulk_deadlines(self, rows: list[dict[str, Any]]) -> None:
        """Insert many deadline rows at once (``disclosure_id`` and ``tenant`` given; the bench)."""
        now = _now()
        with self.engine.begin() as conn:
            conn.execute(
                S.deadlines.insert(),
                [{"status": "open", "created_at": now, "source": None, "note": None, **r} for r in rows],
            )

    def list_deadlines(
        self,
        *,
        disclosure_id: int | None = None,
        status: str | None = None,
        before: str | None = None,
        limit: int = 200,
    ) -> list[dict[str, Any]]:
        t, d = S.deadlines, S.disclosures
        where = [
            c
            for c in (
                t.c.disclosure_id == disclosure_id if disclosure_id is not None else None,
                t.c.status == status if status else None,
                t.c.due <= before if before else None,
            )
            if c is not None
        ] + tenant_where(t)
        q = (
            sa.select(t, d.c.title.label("disclosure_title"))
            .join(d, d.c.id == t.c.disclosure_id)
            .where(*where)
            .order_by(t.c.due, t.c.id)
            .limit(limit)
        )
        with self.engine.connect() as conn:
            return [_row(r) for r in conn.execute(q).mappings()]

    def close_deadline(self, deadline_id: int) -> bool:
        t = S.deadlines
        with self.engine.begin() as conn:
            return bool(
                conn.execute(
                    t.update().where(t.c.id == deadline_id, *tenant_where(t)).values(status="done")
                ).rowcount
            )

    def close_deadlines_of(self, disclosure_id: int, kinds: tuple[str, ...]) -> int:
        """Close the open deadlines of these kinds (an abandoned filing pays no annuity)."""
        t = S.deadlines
        with self.engine.begin() as conn:
            return int(
                conn.execute(
                    t.update()
                    .where(
                        t.c.disclosure_id == disclosure_id,
                        t.c.status == "open",
                        t.c.kind.in_(kinds),
                        *tenant_where(t),
                    )
                    .values(status="done")
                ).rowcount
            )

    # ---- the reminder scan ----------------------------------------------------------------------
    def scan_deadlines(self, today: str, horizon: str) -> dict[str, int]:
        """Raise an alert for each open deadline due by ``horizon`` (``overdue`` when before
        ``today``, else ``due_soon``) that has no alert of that level yet; one query for the due
        rows, one for the alerts already raised, one bulk insert."""
        t, a, d = S.deadlines, S.deadline_alerts, S.disclosures
        now = _now()
        with self.engine.begin() as conn:
            due = conn.execute(
                sa.select(
                    t.c.id, t.c.disclosure_id, t.c.kind, t.c.jurisdiction, t.c.due, t.c.tenant, d.c.title
                )
                .join(d, d.c.id == t.c.disclosure_id)
                .where(t.c.status == "open", t.c.due <= horizon, *tenant_where(t))
            ).all()
            ids = [r.id for r in due]
            have: set[tuple[int, str]] = set()
            for i in range(0, len(ids), 5000):
                have.update(
                    (r.deadline_id, r.level)
                    for r in conn.execute(
                        sa.select(a.c.deadline_id, a.c.level).where(a.c.deadline_id.in_(ids[i : i + 5000]))
                    )
                )
            new = []
            for r in due:
                level = "overdue" if r.due < today else "due_soon"
                if (r.id, level) in have:
                    continue
                word = "was due" if level == "overdue" else "is due"
                new.append(
                    {
                        "deadline_id": r.id,
                        "disclosure_id": r.disclosure_id,
                        "level": level,
                        "tenant": r.tenant,
                        "created_at": now,
                        "message": f"{r.kind.replace('_', ' ')} ({r.jurisdiction}) of "
                        f"disclosure #{r.disclosure_id} {r.title[:80]!r} {word} on {r.due}",
                    }
                )
            if new:
                conn.execute(a.insert(), new)
        return {"due": len(due), "overdue": sum(r.due < today for r in due), "new_alerts": len(new)}

    def list_deadline_alerts(self, *, unacked: bool = False, limit: int = 100) -> list[dict[str, Any]]:
        a, t = S.deadline_alerts, S.deadlines
        where = ([a.c.ack_at.is_(None)] if unacked else []) + tenant_where(a)
        d = S.disclosures
        q = (
            sa.select(a, t.c.kind, t.c.jurisdiction, t.c.due, d.c.title.label("disclosure_title"))
            .join(t, t.c.id == a.c.deadline_id)
            .join(d, d.c.id == a.c.disclosure_id)
            .where(*where)
            .order_by(a.c.id.desc())
            .limit(limit)
        )
        with self.engine.connect() as conn:
            return [_row(r) for r in conn.execute(q).mappings()]

    def ack_deadline_alerts(self, ids: list[int]) -> int:
        a = S.deadline_alerts
        with self.engine.begin() as conn:
            return int(
                conn.execute(
                    a.update()
                    .where(a.c.id.in_(ids), a.c.ack_at.is_(None), *tenant_where(a))
                    .values(ack_at=_now())
                ).rowcount
            )

    # ---- patent ↔ product -----------------------------------------------------------------------
    def add_product_link(self, patent: str, product: str, product_line: str | None) -> bool:
        """Link a patent to a product (False when the link exists already)."""
        p = S.product_links
        tenant = row_owner()
        with self.engine.begin() as conn:
            have = conn.execute(
                sa.select(p.c.id).where(
                    p.c.patent == patent,
                    p.c.product == product,
                    p.c.tenant.is_(None) if tenant is None else p.c.tenant == tenant,
                )
            ).first()
            if have:
                return False
            conn.execute(
                p.insert().values(
                    patent=patent,
                    product=product,
                    product_line=product_line,
                    tenant=tenant,
                    created_at=_now(),
                )
            )
            return True

    def list_product_links(
        self, *, patent: str | None = None, product: str | None = None, product_line: str | None = None
    ) -> list[dict[str, Any]]:
        p = S.product_links
        where = [
            c
            for c in (
                p.c.patent == patent if patent else None,
                p.c.product == product if product else None,
                p.c.product_line == product_line if product_line else None,
            )
            if c is not None
        ]
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(p)
                .where(*where, *tenant_where(p))
                .order_by(p.c.product_line, p.c.product, p.c.patent)
            )
            return [_row(r) for r in rows.mappings()]
