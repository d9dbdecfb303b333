"""``ipai bench web``: how long every page of the web UI takes on a store.

The application is served by ``ipai serve`` in a process of its own (the measuring client does not
share an interpreter with it) on the settings' home and store, which are only read. Every page
of :mod:`ipai.web.sitemap` (the same pages the browser crawl visits, with real records of the store
in their URLs) is loaded once to warm the server, then measured:

- first byte: HTTP GET until the first byte of the body arrives (``runs`` times, median);
- full load in Chromium (warm: the page was loaded once in the same tab before): from navigation
  start to the load event, and to the end of the last request once the network is idle (parts
  loaded by htmx, scripts' fetches).

A page meets the bar when its first byte is at most 300 ms and its full load at most 1 s.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from ipai.errors import BackendError, MissingExtra
from ipai.settings import Settings

FIRST_BYTE_MS = 300.0
FULL_LOAD_MS = 1000.0
LOCALES = {"zh": "zh-CN", "en": "en-US"}
# after network idle: the load event and the end of the last request, in ms since navigation start
FULL_JS = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const ends = performance.getEntriesByType('resource').map(r => r.responseEnd);
  return {load: nav.loadEventEnd, full: Math.max(nav.loadEventEnd, ...ends), requests: ends.length + 1};
}"""


def _first_byte_ms(client: Any, url: str) -> tuple[int, float]:
    """(status, ms until the first body byte) of one GET."""
    t0 = time.perf_counter()
    ms = None
    with client.stream("GET", url) as r:
        for _ in r.iter_raw():  # read it all so the connection is reused
            if ms is None:
                ms = (time.perf_counter() - t0) * 1000
    return r.status_code, ms if ms is not None else (time.perf_counter() - t0) * 1000


def _say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def _targets(settings: Settings, only: list[str] | None) -> tuple[list[tuple[str, str, int]], dict[str, str]]:
    """(name, path, expected status) of every page, and the pages skipped with why."""
    from ipai.service import Service
    from ipai.web import sitemap

    svc = Service(settings)
    try:
        values = sitemap.values_from(svc)
    finally:
        svc.close()
    pages, skipped = [], {}
    for p in sitemap.pages():
        if only and p.name not in only:
            continue
        need = sitemap.missing(p, values)
        if need:
            skipped[p.name] = f"the store holds no {', '.join(need)}"
            continue
        pages.append((p.name, p.url(values), p.status))
    return pages, skipped


def _browser_times(
    base: str, pages: list[tuple[str, str, int]], *, lang: str, runs: int, chromium: str
) -> dict[str, dict[str, Any]]:
    """Warm full-load times in Chromium (median of ``runs`` after one warm load) per page."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        raise MissingExtra("browser", "playwright", "page load times in Chromium") from exc
    out: dict[str, dict[str, Any]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        ctx = browser.new_context(viewport={"width": 1280, "height": 800}, locale=LOCALES.get(lang, lang))
        ctx.set_default_timeout(120_000)
        ctx.route(
            lambda url: not url.startswith(base), lambda route: route.abort()
        )  # offline, as a user's would be
        page = ctx.new_page()
        for name, path, _ in pages:
            loads, fulls, requests = [], [], 0
            try:
                page.goto(base + path, wait_until="load")
                page.wait_for_load_state("networkidle")
                for _ in range(runs):
                    page.goto(base + path, wait_until="load")
                    page.wait_for_load_state("networkidle")
                    t = page.evaluate(FULL_JS)
                    loads.append(t["load"])
                    fulls.append(t["full"])
                    requests = t["requests"]
                out[name] = {
                    "load_ms": round(float(statistics.median(loads)), 1),
                    "full_ms": round(float(statistics.median(fulls)), 1),
                    "requests": requests,
                }
            except Exception as exc:  # noqa: BLE001 - one page's failure is reported with it
                out[name] = {"load_ms": None, "full_ms": None, "error": str(exc).splitlines()[0]}
            _say(f"  {name}: full load {out[name]['full_ms']} ms")
        ctx.close()
        browser.close()
    return out


def bench_web(
    settings: Settings,
    *,
    runs: int = 5,
    browser_runs: int = 3,
    lang: str = "zh",
    only: list[str] | None = None,
    browser: bool = True,
    chromium: str | None = None,
) -> dict[str, Any]:
    """Serve the store in a subprocess and time every page (see the module docstring)."""
    import httpx

    from ipai.evals.bench.api import _server, _wait_up

    exe = chromium or "/usr/bin/chromium"
    if browser and not Path(exe).is_file():
        raise MissingExtra(
            "browser", "chromium", f"page load times in Chromium (none at {exe}; --no-browser skips them)"
        )
    pages, skipped = _targets(settings, only)
    log = Path(tempfile.mkstemp(prefix="ipai-bench-web-", suffix=".log")[1])
    with _server(settings, log=log) as (base, proc):
        import asyncio

        t0 = time.perf_counter()
        asyncio.run(_wait_up(base, proc, timeout=300))
        startup_s = time.perf_counter() - t0
        rows: dict[str, dict[str, Any]] = {}
        headers = {"Accept-Language": LOCALES.get(lang, lang), "Accept": "text/html"}
        with httpx.Client(timeout=300, headers=headers) as c:
            for name, path, _ in pages:  # warm: each page once (caches, lazily loaded models)
                t = time.perf_counter()
                status, _ = _first_byte_ms(c, base + path)
                rows[name] = {
                    "path": path,
                    "status": status,
                    "cold_ms": round((time.perf_counter() - t) * 1000, 1),
                }
                _say(f"  warm {name}: {status} in {rows[name]['cold_ms']} ms")
            for name, path, expected in pages:
                times = [_first_byte_ms(c, base + path)[1] for _ in range(runs)]
                rows[name].update(
                    first_byte_ms=round(statistics.median(times), 1),
                    first_byte_max_ms=round(max(times), 1),
                    expected_status=expected,
                )
        if browser:
            for name, got in _browser_times(base, pages, lang=lang, runs=browser_runs, chromium=exe).items():
                rows[name].update(got)
        if proc.poll() is not None:
            raise BackendError(f"the server stopped during the run (log: {log})")
    for r in rows.values():
        r["first_byte_ok"] = r["first_byte_ms"] <= FIRST_BYTE_MS
        r["full_ok"] = None if r.get("full_ms") is None else r["full_ms"] <= FULL_LOAD_MS
        r["ok"] = r["status"] == r["expected_status"] and r["first_byte_ok"] and r["full_ok"] is not False
    key = (lambda kv: kv[1].get("full_ms") or 0) if browser else (lambda kv: kv[1]["first_byte_ms"])
    slowest = [
        {"page": n, "path": r["path"], "first_byte_ms": r["first_byte_ms"], "full_ms": r.get("full_ms")}
        for n, r in sorted(rows.items(), key=key, reverse=True)[:5]
    ]
    return {
        "bench": "web",
        "store": str(settings.store or settings.home),
        "lang": lang,
        "runs": runs,
        "browser_runs": browser_runs if browser else 0,
        "server_start_s": round(startup_s, 2),
        "limits": {"first_byte_ms": FIRST_BYTE_MS, "full_load_ms": FULL_LOAD_MS},
        "pages": rows,
        "skipped": skipped,
        "slowest": slowest,
        "over": sorted(n for n, r in rows.items() if not r["ok"]),
        "all_ok": all(r["ok"] for r in rows.values()),
    }
