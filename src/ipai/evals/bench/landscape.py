"""``ipai bench landscape``: landscape and report times on the current store.

Measures, for each query: the first landscape in a **fresh process** (a child Python that imports
ipai, opens the store and the index and maps the query: what a CLI call or a newly started worker
pays), the first in a fresh service of this process (nothing cached: every document's facts read
from the store's facts table), the same after the server-style warm-up (facts of the newest
documents held in memory), repeated warm calls (median and worst), and the full landscape report
(landscape, topic map, evolution, talent, HTML with charts; the PDF too when Chromium is present).
The answers the service keeps until the data changes (:mod:`ipai.service.memo`) are dropped before
each timed call: the figures are those of the computation. Before anything is timed the store's
facts table is brought level with its documents (a one-off backfill on a store that predates it,
reported as ``facts_sync_s``). Targets (issue 24) at 25,000 documents: cold ≤ 2 s, warm ≤ 0.5 s.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

DEFAULT_QUERIES = ("cc:US", "drone OR unmanned OR 无人机", "pizza")


def bench_landscape(
    settings: Any,
    *,
    queries: tuple[str, ...] = DEFAULT_QUERIES,
    repeat: int = 5,
    limit: int = 25_000,
    report: bool = True,
    pdf: bool = True,
) -> dict[str, Any]:
    """Cold, warm-up and warm landscape times per query, and report times."""
    from ipai.evals.bench.fresh import run_fresh
    from ipai.report.html import chromium, html_to_pdf
    from ipai.report.landscape import to_html
    from ipai.service import Service
    from ipai.service.memo import forget

    rows: list[dict[str, Any]] = []
    t0 = time.perf_counter()
    sync_svc = Service(settings)
    level = sync_svc.ctx.facts_cache.sync()  # the change number the facts are level with
    sync_svc.close()
    sync_s = time.perf_counter() - t0
    fresh: dict[str, dict[str, Any]] = {}
    for q in queries:  # each query in its own new process
        call = f"svc.analytics.landscape({q!r}, limit={limit})"
        fresh[q] = run_fresh(settings, call, keep='result["analysed"]')
    cold_svc = Service(settings)
    cold_svc.warm()
    cold: dict[str, float] = {}
    for q in queries:  # a fresh cache for each query: every document is read from the store
        cold_svc.ctx.facts_cache.clear()
        forget(cold_svc.ctx)
        t0 = time.perf_counter()
        cold_svc.analytics.landscape(q, limit=limit)
        cold[q] = time.perf_counter() - t0
    cold_svc.close()

    svc = Service(settings)
    svc.warm()
    t0 = time.perf_counter()
    svc.warm_analytics()
    warmup = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        for q in queries:
            times, r = [], {}
            for _ in range(repeat):
                forget(svc.ctx)  # each call computes (the service keeps answers until the data changes)
                t0 = time.perf_counter()
                r = svc.analytics.landscape(q, limit=limit)
                times.append(time.perf_counter() - t0)
            row: dict[str, Any] = {
                "query": q,
                "documents": r["analysed"],
                "matched": r["matched"],
                "cold_fresh_process_s": round(fresh[q]["first_s"], 3),
                "cold_fresh_process_parts_s": {
                    "import_and_open": round(fresh[q]["import_and_open_s"], 3),
                    "landscape": round(fresh[q]["call_s"], 3),
                    "whole_process": round(fresh[q]["process_s"], 3),
                },
                "cold_s": round(cold[q], 3),
                "warm_p50_s": round(statistics.median(times), 3),
                "warm_max_s": round(max(times), 3),
                "warm_parts_ms": r["timing_ms"],
            }
            if report:
                forget(svc.ctx)
                t0 = time.perf_counter()
                data = svc.analytics.landscape_report(q, limit=limit)
                out = Path(tmp) / "report.html"
                out.write_text(to_html(data), encoding="utf-8")
                row["report_html_s"] = round(time.perf_counter() - t0, 3)
                if pdf and chromium():
                    html_to_pdf(out, Path(tmp) / "report.pdf")
                    row["report_with_pdf_s"] = round(time.perf_counter() - t0, 3)
            rows.append(row)
    documents = svc.store.count_documents()
    svc.close()
    big = [r for r in rows if r["documents"] >= min(limit, 25_000)]
    return {
        "store_documents": documents,
        "facts_sync_s": round(sync_s, 2),
        "facts_level_with_change": level,
        "warm_up_s": round(warmup, 2),
        "cache_docs": settings.analytics_cache_docs,
        "queries": rows,
        "largest": {
            "documents": max((r["documents"] for r in rows), default=0),
            "cold_fresh_process_s": max((r["cold_fresh_process_s"] for r in big), default=None),
            "warm_p50_s": max((r["warm_p50_s"] for r in big), default=None),
        },
        "targets": {"cold_25k_s": 2.0, "warm_25k_s": 0.5, "landscape_25k_s": 2.0, "report_s": 10.0},
    }
