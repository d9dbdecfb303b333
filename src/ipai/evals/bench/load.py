"""``ipai bench load``: a multi-tenant load test of the API in server mode (sign-in on).

The server runs as its own process on a free loopback port over the given store (PostgreSQL in
production: ``--store postgresql://…``). Two (or more) tenants each get one enterprise user and API
key per client and some private rows (demands, watchlists, evidence) marked with the tenant's own
random marker. ``clients`` concurrent clients then mix searches and document reads with their
tenant's private lists and writes. Every response must succeed (no 4xx or 5xx), and no response
may contain another tenant's marker: the report gives latency percentiles, throughput, status
counts, errors and leaks.
"""

from __future__ import annotations

import asyncio
import os
import random
import secrets
import time
from pathlib import Path
from typing import Any

from ipai.errors import InputError
from ipai.evals.bench.api import _load_data, _pct, _server, _status_counts, _wait_up, _workload
from ipai.security.context import Principal, acting_as
from ipai.settings import Settings

API = "/api/v1"
MIX = [
    ("search", 0.45),
    ("show", 0.15),
    ("demands", 0.15),
    ("watchlists", 0.08),
    ("evidence", 0.07),
    ("add_demand", 0.05),
    ("me", 0.05),
]


def _seed(settings: Settings, tenants: list[str], clients: int) -> dict[str, Any]:
    """Users, keys and private rows per tenant, written through the service as each tenant's user."""
    from ipai.service import Service

    svc = Service(settings)
    try:
        markers = {t: f"LEAKCHECK-{t}-{secrets.token_hex(4)}" for t in tenants}
        keys: list[tuple[str, str]] = []
        for k in range(clients):
            t = tenants[k % len(tenants)]
            name = f"load-{t}-{k}-{secrets.token_hex(3)}"
            svc.security.add_user(name, "enterprise", tenant=t)
            keys.append(
                (t, svc.security.create_api_key(name, name="load test", rate_per_minute=1_000_000)["key"])
            )
        for t in tenants:
            me = Principal(user=f"seed-{t}", role="enterprise", tenant=t, via="local")
            with acting_as(me):
                for i in range(3):
                    svc.transfer.add_demand(
                        {
                            "title": f"{markers[t]} demand {i}",
                            "text": f"{markers[t]} neural network camera",
                            "source": "load",
                        },
                        match=False,
                    )
                svc.monitor.add_watch(
                    {"name": f"{markers[t]} watch", "kind": "query", "terms": ["neural network"]}
                )
                svc.evidence.deposit_bytes(markers[t].encode(), meta={"name": "load.txt"}, keep=False)
        return {"markers": markers, "keys": keys}
    finally:
        svc.close()


async def _run(
    base: str,
    keys: list[tuple[str, str]],
    markers: dict[str, str],
    seconds: float,
    ids: list[str],
    titles: list[str],
    per_client: int | None = None,
) -> list[dict[str, Any]]:
    """Requests of every client: random kinds by the mix's weights for ``seconds``, or exactly
    ``per_client`` requests each, the kinds in turn (client k starting at kind k)."""
    import httpx

    out: list[dict[str, Any]] = []
    end = time.monotonic() + seconds
    kinds, weights = zip(*MIX, strict=False)

    async def client(k: int, tenant: str, key: str) -> None:
        rng = random.Random(k)
        others = [m for t, m in markers.items() if t != tenant]
        headers = {"Authorization": f"Bearer {key}"}
        async with httpx.AsyncClient(timeout=120, headers=headers) as c:
            sent = 0
            while (sent < per_client) if per_client is not None else (time.monotonic() < end):
                kind = (
                    kinds[(k + sent) % len(kinds)]
                    if per_client is not None
                    else rng.choices(kinds, weights)[0]
                )
                sent += 1
                if kind == "search":
                    req = c.get(f"{base}{API}/search", params={"q": rng.choice(titles), "top": 10})
                elif kind == "show":
                    req = c.get(f"{base}{API}/documents/{rng.choice(ids)}")
                elif kind == "add_demand":
                    req = c.post(
                        f"{base}{API}/transfer/demands",
                        params={"match": False},
                        json={"title": f"{markers[tenant]} new {k}", "text": f"{markers[tenant]} sensor"},
                    )
                else:
                    req = c.get(f"{base}{API}/{kind}")
                t0 = time.perf_counter()
                try:
                    r = await req
                    status, text = r.status_code, r.text
                except httpx.HTTPError as exc:
                    status, text = 599, str(exc)
                ms = (time.perf_counter() - t0) * 1000
                leak = any(m in text for m in others)
                own = markers[tenant] in text if kind in ("demands", "watchlists") and status == 200 else True
                out.append(
                    {"kind": kind, "status": status, "ms": ms, "leak": leak, "own": own, "tenant": tenant}
                )

    await asyncio.gather(*(client(k, t, key) for k, (t, key) in enumerate(keys)))
    return out


def bench_load(
    settings: Settings,
    *,
    seconds: float = 30,
    clients: int = 50,
    tenants: int = 2,
    data: list[Path] | None = None,
    per_client: int | None = None,
) -> dict[str, Any]:
    """Serve the store in server mode in a subprocess and load it with ``clients`` clients of
    ``tenants`` tenants; ``data`` is ingested (and indexed) first. With ``per_client`` each client
    sends exactly that many requests, cycling through every kind of the mix (a fixed workload
    whose counts do not depend on the machine's speed: what tests use), instead of a timed run."""
    if clients < tenants or tenants < 2:
        raise InputError(
            "need at least two tenants and a client per tenant",
            errors=[{"field": "clients", "message": "too few"}],
        )
    settings = settings.model_copy(update={"auth": True})
    _load_data(settings, data)
    names = [f"tenant-{chr(ord('a') + i)}" for i in range(tenants)]
    seed = _seed(settings, names, clients)
    log = settings.home / "load-server.log"
    with _server(settings, env={"IPAI_AUTH": "true"}, log=log) as (base, proc):

        async def main() -> dict[str, Any]:
            import httpx

            await _wait_up(base, proc)
            first = {"Authorization": f"Bearer {seed['keys'][0][1]}"}
            async with httpx.AsyncClient(timeout=30, headers=first) as c:
                if (await c.get(f"{base}{API}/me")).json().get("role") != "enterprise":
                    raise InputError("the server did not start in server mode (IPAI_AUTH)")
            ids, titles = await _workload(base)
            await _run(base, seed["keys"][:1], seed["markers"], 0.5, ids, titles)  # warm-up, not timed
            t0 = time.perf_counter()
            rows = await _run(base, seed["keys"], seed["markers"], seconds, ids, titles, per_client)
            wall = time.perf_counter() - t0
            statuses = _status_counts(r["status"] for r in rows)
            by_kind = {
                k: {
                    "requests": sum(1 for r in rows if r["kind"] == k),
                    **_pct([r["ms"] for r in rows if r["kind"] == k]),
                }
                for k, _ in MIX
            }
            allp = _pct([r["ms"] for r in rows])
            return {
                "bench": "load",
                "store": settings.store_url.split("://", 1)[0].split("+", 1)[0],
                "clients": clients,
                "tenants": tenants,
                "seconds": round(wall, 2),
                "requests": len(rows),
                "throughput_rps": round(len(rows) / wall, 1),
                "all": allp,
                "by_kind": by_kind,
                "status": statuses,
                "errors": sum(1 for r in rows if r["status"] >= 400),
                "leaks": sum(1 for r in rows if r["leak"]),
                "own_rows_missing": sum(1 for r in rows if not r["own"]),
                "cpu_count": os.cpu_count(),
                "server_log": str(log),
            }

        return asyncio.run(main())
