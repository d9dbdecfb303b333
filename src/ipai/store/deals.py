"""SQL for licence, transfer and pledge deals (mixed into :class:`ipai.store.sql.SqlStore`): deals
and their records. Values arrive validated by :mod:`ipai.deals`; every query keeps to the current
tenant."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import sqlalchemy as sa

from ipai.store import schema as S
from ipai.store.ports import DealStore
from ipai.store.security import row_owner, tenant_where


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _row(r: Any) -> dict[str, Any]:
    out = {
        k: (v.isoformat(timespec="seconds") + "Z" if isinstance(v, dt.datetime) else v)
        for k, v in dict(r).items()
    }
    if "agreement" in out:
        out["agreement"] = json.loads(out["agreement"])
    return out


class DealsSql(DealStore):
    """Deals and their evidence-backed records on the store's engine."""

    engine: Any

    def add_deal(self, kind: str, title: str | None, agreement: dict[str, Any]) -> int:
        """Insert an offer (state ``offered``, no signed version yet); its id."""
        now = _now()
        with self.engine.begin() as conn:
            return int(
                conn.execute(
                    S.deals.insert().values(
                        kind=kind,
                        title=title,
                        status="offered",
                        version=0,
                        created_at=now,
                        updated_at=now,
                        agreement=json.dumps(agreement, ensure_ascii=False),
                        tenant=row_owner(),
                    )
                ).inserted_primary_key[0]
            )

    def update_deal(self, deal_id: int, fields: dict[str, Any], *, expect_status: str | None = None) -> bool:
        """Change status/agreement/version; with ``expect_status`` only if still in that state."""
        t = S.deals
        row = {k: v for k, v in fields.items() if k in ("status", "title", "version")}
        if "agreement" in fields:
            row["agreement"] = json.dumps(fields["agreement"], ensure_ascii=False)
        where = [t.c.id == deal_id, *tenant_where(t)] + (
            [t.c.status == expect_status] if expect_status else []
        )
        with self.engine.begin() as conn:
            return bool(conn.execute(t.update().where(*where).values(**row, updated_at=_now())).rowcount)

    def get_deal(self, deal_id: int) -> dict[str, Any] | None:
        t = S.deals
        with self.engine.connect() as conn:
            r = conn.execute(sa.select(t).where(t.c.id == deal_id, *tenant_where(t))).mappings().first()
        return _row(r) if r else None

    def list_deals(
        self, *, status: str | None = None, kind: str | None = None, limit: int = 50, offset: int = 0
    ) -> tuple[list[dict[str, Any]], int]:
        t = S.deals
        where = [
            c
            for c in (t.c.status == status if status else None, t.c.kind == kind if kind else None)
            if c is not None
        ] + tenant_where(t)
        with self.engine.connect() as conn:
            total = conn.execute(sa.select(sa.func.count()).select_from(t).where(*where)).scalar_one()
            rows = conn.execute(
                sa.select(t).where(*where).order_by(t.c.id.desc()).limit(limit).offset(offset)
            )
            return [_row(r) for r in rows.mappings()], int(total)

    def add_deal_record(
        self, deal_id: int, kind: str, seq: int, data: str, content_sha256: str, evidence_index: int
    ) -> int:
        """Store a deposited record (its canonical JSON, hash and evidence index), owned by the deal's tenant."""
        with self.engine.begin() as conn:
            tenant = conn.execute(sa.select(S.deals.c.tenant).where(S.deals.c.id == deal_id)).scalar()
            return int(
                conn.execute(
                    S.deal_records.insert().values(
                        deal_id=deal_id,
                        kind=kind,
                        seq=seq,
                        data=data,
                        content_sha256=content_sha256,
                        evidence_index=evidence_index,
                        created_at=_now(),
                        tenant=tenant,
                    )
                ).inserted_primary_key[0]
            )

    def list_deal_records(self, deal_id: int, kind: str | None = None) -> list[dict[str, Any]]:
        t = S.deal_records
        where = [t.c.deal_id == deal_id, *tenant_where(t)] + ([t.c.kind == kind] if kind else [])
        with self.engine.connect() as conn:
            return [_row(r) for r in conn.execute(sa.select(t).where(*where).order_by(t.c.id)).mappings()]
