"""``ipai bench manage``: the reminder scan over many disclosures with their deadlines."""

from __future__ import annotations

import datetime as dt
import random
import tempfile
import time
from typing import Any


def bench_manage(
    *, disclosures: int = 10_000, store_url: str | None = None, seed: int = 12
) -> dict[str, Any]:
    """Load ``disclosures`` filed disclosures (two tenants) with the deadlines filing, an office
    action and grant set, then time the reminder scan: the first (raising every alert), a
    repeat (nothing new) and one tenant's scan."""
    from ipai.manage import deadlines as D
    from ipai.security.context import Principal, acting_as
    from ipai.store import open_store
    from ipai.store.sql import SqlStore

    rnd = random.Random(seed)
    home = tempfile.mkdtemp(prefix="ipai-bench-manage-")
    store = open_store(store_url or f"sqlite:///{home}/bench.db")
    assert isinstance(store, SqlStore)  # the bench reads the SQL tables (both backends are SqlStore)
    today = dt.date(2026, 6, 1)
    t0 = time.perf_counter()
    rows: list[dict[str, Any]] = []
    tenants = ("acme", "globex")
    per_tenant: dict[str, list[int]] = {}
    for tenant in tenants:
        n = disclosures // len(tenants)
        with acting_as(Principal(user="bench", role="enterprise", tenant=tenant)):
            ids = store.add_disclosures(
                [
                    {
                        "title": f"disclosure {tenant} {i}",
                        "text": "bench",
                        "inventors": ["A"],
                        "applicant": tenant,
                        "status": "granted",
                    }
                    for i in range(n)
                ]
            )
        per_tenant[tenant] = ids
        for i in ids:
            j = rnd.choice(D.JURISDICTIONS)
            filing = today - dt.timedelta(days=rnd.randint(0, 3650))
            ds = D.filing_deadlines(j, filing)
            if j != "PCT":
                ds.append(D.office_action_deadline(j, filing + dt.timedelta(days=rnd.randint(300, 700))))
                ds += D.grant_deadlines(j, filing, filing + dt.timedelta(days=rnd.randint(700, 1400)))
            rows += [
                {
                    "disclosure_id": i,
                    "tenant": tenant,
                    "kind": d["kind"],
                    "jurisdiction": d["jurisdiction"],
                    "due": d["due"],
                }
                for d in ds
            ]
    store.bulk_deadlines(rows)
    load_s = time.perf_counter() - t0
    # the deadlines already met (older than 60 days) are closed, as a live portfolio would have them
    import sqlalchemy as sa

    from ipai.store import schema as S

    with store.engine.begin() as conn:
        conn.execute(
            S.deadlines.update()
            .where(S.deadlines.c.due < (today - dt.timedelta(days=60)).isoformat())
            .values(status="done")
        )
        open_rows = conn.execute(
            sa.select(sa.func.count()).select_from(S.deadlines).where(S.deadlines.c.status == "open")
        ).scalar_one()
    horizon = (today + dt.timedelta(days=30)).isoformat()

    def timed(fn: Any) -> tuple[float, dict[str, int]]:
        t = time.perf_counter()
        res = fn()
        return time.perf_counter() - t, res

    first_s, first = timed(lambda: store.scan_deadlines(today.isoformat(), horizon))
    repeat_s, repeat = timed(lambda: store.scan_deadlines(today.isoformat(), horizon))
    with acting_as(Principal(user="bench", role="enterprise", tenant="acme")):
        tenant_s, tenant_res = timed(
            lambda: store.scan_deadlines(
                (today + dt.timedelta(days=1)).isoformat(), (today + dt.timedelta(days=31)).isoformat()
            )
        )
    store.close() if hasattr(store, "close") else None
    return {
        "bench": "manage",
        "store": store.engine.dialect.name,
        "disclosures": disclosures,
        "deadlines": len(rows),
        "open_deadlines": int(open_rows),
        "load_s": round(load_s, 2),
        "scan_first_s": round(first_s, 3),
        "scan_first": first,
        "scan_repeat_s": round(repeat_s, 3),
        "scan_repeat": repeat,
        "scan_one_tenant_s": round(tenant_s, 3),
        "scan_one_tenant": tenant_res,
        "limit_s": 1.0,
        "ok": max(first_s, repeat_s, tenant_s) <= 1.0,
    }
