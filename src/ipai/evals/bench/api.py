"""``ipai bench api``: a bounded loopback load test of the running application.

The server runs as its own process (``ipai serve`` on a free loopback port, same home), so the
load generator does not share an interpreter with it. ``clients`` concurrent clients send a
mix of searches (titles of stored documents, Chinese and English, some with filters) and
document reads for ``seconds``; the result is throughput, latency percentiles per kind and
the count of each status (5xx must be zero).

``workers`` (e.g. ``[1, 2]``) measures ``ipai serve --workers N`` for each N back to back on the
same workload, with the server's memory after the load: the sum of the proportional set sizes
(PSS, ``/proc/<pid>/smaps_rollup``) of the supervisor and all its children, so pages the workers
share (the preloaded index and models, memory-mapped files) count once. ``throughput_ratio`` and
``memory_ratio`` compare each N with one worker (or with the first count measured).
"""

from __future__ import annotations

import asyncio
import os
import random
import re
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from ipai.errors import BackendError, InputError
from ipai.settings import Settings


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start_server(
    settings: Settings,
    port: int,
    env: dict[str, str] | None = None,
    log: Path | None = None,
    workers: int = 1,
) -> subprocess.Popen[bytes]:
    """``ipai serve --workers N`` on the settings' home and store; stderr to ``log`` when given (a
    pipe nobody reads would stall a server that logs a lot under load)."""
    full = {**os.environ, "IPAI_HOME": str(settings.home), "IPAI_PROGRESS": "false", **(env or {})}
    if settings.store:
        full["IPAI_STORE"] = settings.store
    cmd = [sys.executable, "-m", "ipai", "serve", "--host", "127.0.0.1", "--port", str(port)]
    cmd += ["--workers", str(workers)]
    err: Any = open(log, "ab") if log else subprocess.PIPE  # noqa: SIM115 - the child owns it
    return subprocess.Popen(cmd, env=full, stdout=subprocess.DEVNULL, stderr=err)


async def _wait_up(base: str, proc: subprocess.Popen[bytes], timeout: float = 120) -> None:
    import httpx

    end = time.monotonic() + timeout
    async with httpx.AsyncClient(timeout=5) as c:
        while time.monotonic() < end:
            if proc.poll() is not None:
                err = proc.stderr.read().decode(errors="replace") if proc.stderr else "(see the server log)"
                raise BackendError(f"server exited with {proc.returncode}: {err[-500:]}")
            try:
                if (await c.get(base + "/api/v1/health")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.2)
    raise BackendError("server did not come up in time")


async def _workload(base: str) -> tuple[list[str], list[str]]:
    """Document numbers and title queries, read through the API itself."""
    import httpx

    ids: list[str] = []
    titles: list[str] = []
    async with httpx.AsyncClient(timeout=30) as c:
        total = (await c.get(base + "/api/v1/documents", params={"limit": 1})).json()["total"]
        if not total:
            raise InputError("the store is empty: run ipai ingest (or ipai demo) first, or pass --data")
        rng = random.Random(7)
        for off in sorted(rng.sample(range(0, total, 1), min(total, 20)))[:20]:
            page = (await c.get(base + "/api/v1/documents", params={"offset": off, "limit": 50})).json()
            for it in page["items"]:
                ids.append(it["id"])
                if it.get("title"):  # as a user would type it: lower case, no syntax characters
                    words = re.sub(r"[()\[\]\"':*+\-]", " ", it["title"].lower()).split()
                    titles.append(" ".join(words[:8])[:60])
    return ids, titles


async def _run_clients(
    base: str, clients: int, seconds: float, ids: list[str], titles: list[str]
) -> list[tuple[str, int, float]]:
    import httpx

    out: list[tuple[str, int, float]] = []
    end = time.monotonic() + seconds
    filters: list[dict[str, str | int]] = [
        {},
        {},
        {"cc": "CN"},
        {"cc": "US"},
        {"year_from": 2010},
        {"mode": "keyword"},
    ]

    async def client(k: int) -> None:
        rng = random.Random(k)
        async with httpx.AsyncClient(timeout=60) as c:
            while time.monotonic() < end:
                if rng.random() < 0.7:
                    kind = "search"
                    params: dict[str, str | int] = {"q": rng.choice(titles), "top": 10, **rng.choice(filters)}
                    req = c.get(base + "/api/v1/search", params=params)
                else:
                    kind = "show"
                    req = c.get(base + "/api/v1/documents/" + rng.choice(ids))
                t0 = time.perf_counter()
                try:
                    status = (await req).status_code
                except httpx.HTTPError:
                    status = 599  # transport failure counts as a server error
                out.append((kind, status, (time.perf_counter() - t0) * 1000))

    await asyncio.gather(*(client(k) for k in range(clients)))
    return out


def _pct(v: list[float]) -> dict[str, float | None]:
    if not v:
        return {"p50_ms": None, "p95_ms": None, "p99_ms": None}
    a = np.asarray(v)
    return {
        "p50_ms": round(float(np.percentile(a, 50)), 2),
        "p95_ms": round(float(np.percentile(a, 95)), 2),
        "p99_ms": round(float(np.percentile(a, 99)), 2),
        "mean_ms": round(float(a.mean()), 2),
    }


def _load_data(settings: Settings, data: list[Path] | None) -> None:
    """Ingest and index ``data`` into the settings' store before a load test."""
    if not data:
        return
    from ipai.service import Service

    svc = Service(settings)
    try:
        svc.corpus.ingest(data)
        svc.corpus.index()
    finally:
        svc.close()


@contextmanager
def _server(
    settings: Settings, env: dict[str, str] | None = None, log: Path | None = None, workers: int = 1
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``ipai serve`` on a free loopback port for the block: (base URL, process); stopped after."""
    port = _free_port()
    proc = _start_server(settings, port, env=env, log=log, workers=workers)
    try:
        yield f"http://127.0.0.1:{port}", proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def _status_counts(statuses: Iterable[int]) -> dict[str, int]:
    """How many responses had each HTTP status."""
    return {str(k): v for k, v in sorted(Counter(statuses).items())}


def _tree(pid: int) -> list[int]:
    """``pid`` and all its descendants (Linux ``/proc/<pid>/task/<tid>/children``)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return out


def server_memory_mb(pid: int) -> dict[str, Any]:
    """PSS and RSS (MB) summed over a server process and its children; None values off Linux."""
    pss = rss = 0
    procs = _tree(pid)
    for p in procs:
        try:
            text = Path(f"/proc/{p}/smaps_rollup").read_text()
        except OSError:
            continue
        for line in text.splitlines():
            key, _, rest = line.partition(":")
            if key in ("Pss", "Rss"):
                kb = int(rest.split()[0])
                pss, rss = (pss + kb, rss) if key == "Pss" else (pss, rss + kb)
    if not pss:
        return {"pss_mb": None, "rss_mb": None, "processes": len(procs)}
    return {"pss_mb": round(pss / 1024, 1), "rss_mb": round(rss / 1024, 1), "processes": len(procs)}


def server_cpu_s(pid: int) -> float:
    """User + system CPU seconds used so far by a server process and its children (Linux)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for p in _tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


def _one_run(settings: Settings, seconds: float, clients: int, workers: int) -> dict[str, Any]:
    """Serve the store with ``workers`` web workers and load it."""
    with _server(settings, workers=workers) as (base, proc):

        async def main() -> dict[str, Any]:
            import httpx

            await _wait_up(base, proc, timeout=600)
            ids, titles = await _workload(base)
            # warm-up requests so index loading is not timed (every worker should see a few)
            await _run_clients(base, max(2, workers * 2), 1.0, ids, titles)
            cpu0, own0, t0 = server_cpu_s(proc.pid), time.process_time(), time.perf_counter()
            rows = await _run_clients(base, clients, seconds, ids, titles)
            wall = time.perf_counter() - t0
            cpu, own = server_cpu_s(proc.pid) - cpu0, time.process_time() - own0
            memory = server_memory_mb(proc.pid)
            async with httpx.AsyncClient() as c:
                docs = (await c.get(base + "/api/v1/health")).json()["documents"]
            statuses = _status_counts(st for _, st, _ in rows)
            return {
                "workers": workers,
                "documents": docs,
                "seconds": round(wall, 2),
                "requests": len(rows),
                "throughput_rps": round(len(rows) / wall, 1),
                # the server's CPU per request: what one more core buys on a machine nobody else uses
                "server_cpu_s": round(cpu, 2),
                "cpu_ms_per_request": round(cpu * 1000 / len(rows), 2) if rows else None,
                "server_cores_used": round(cpu / wall, 2),  # of cpu_count: the rest went elsewhere
                "client_cores_used": round(own / wall, 2),  # this load generator's own share
                "all": _pct([ms for _, _, ms in rows]),
                "search": {
                    "requests": sum(1 for k, _, _ in rows if k == "search"),
                    **_pct([ms for k, _, ms in rows if k == "search"]),
                },
                "show": {
                    "requests": sum(1 for k, _, _ in rows if k == "show"),
                    **_pct([ms for k, _, ms in rows if k == "show"]),
                },
                "status": statuses,
                "errors_5xx": sum(v for k, v in statuses.items() if k.startswith("5")),
                "queries": len(titles),
                "memory": memory,
            }

        return asyncio.run(main())


def bench_api(
    settings: Settings,
    *,
    seconds: float = 30,
    clients: int = 16,
    data: list[Path] | None = None,
    workers: list[int] | None = None,
) -> dict[str, Any]:
    """Serve the store in a subprocess and load it, once per worker count in ``workers`` (default:
    one worker); ``data`` is ingested (and indexed) first."""
    _load_data(settings, data)
    counts = workers or [1]
    if any(n < 1 for n in counts):
        raise InputError("--workers: give counts of 1 or more, e.g. 1,2", errors=[{"field": "workers"}])
    runs = []
    for n in counts:
        runs.append(_one_run(settings, seconds, clients, n))
        print(_line(runs[-1]), file=sys.stderr, flush=True)
    base = next((r for r in runs if r["workers"] == 1), runs[0])
    out: dict[str, Any] = {"bench": "api", "clients": clients, "cpu_count": os.cpu_count()}
    if len(runs) == 1:
        return {**out, **runs[0]}
    out.update(documents=runs[0]["documents"], runs=runs)
    out["throughput_ratio"] = {
        str(r["workers"]): round(r["throughput_rps"] / base["throughput_rps"], 2)
        for r in runs
        if base["throughput_rps"]
    }
    out["memory_ratio"] = {
        str(r["workers"]): round(r["memory"]["pss_mb"] / base["memory"]["pss_mb"], 2)
        for r in runs
        if r["memory"]["pss_mb"] and base["memory"]["pss_mb"]
    }
    out["baseline_workers"] = base["workers"]
    return out


def _line(run: dict[str, Any]) -> str:
    """One human-readable line per worker count (stderr; the JSON object is the last stdout line)."""
    mem = run["memory"]["pss_mb"]
    return (
        f"workers {run['workers']}: {run['throughput_rps']} req/s, search p50 {run['search']['p50_ms']} ms "
        f"p99 {run['search']['p99_ms']} ms, show p50 {run['show']['p50_ms']} ms, "
        f"5xx {run['errors_5xx']}, memory {mem} MB PSS ({run['memory']['processes']} processes), "
        f"server CPU {run['cpu_ms_per_request']} ms a request ({run['server_cores_used']} cores; "
        f"the load generator {run['client_cores_used']})"
    )
