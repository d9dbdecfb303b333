"""``ipai bench landscape``: landscape and report times on the current store.

Measures, for each query: the first landscape in a fresh service (nothing cached: every document's
fields read from the store), the same after the server-style warm-up (facts of the newest documents
held in memory), repeated warm calls (median and worst), and the full landscape report (landscape,
topic map, evolution, talent, HTML with charts; the PDF too when Chromium is present). The answers
the service keeps until the data changes (:mod:`ipai.service.memo`) are dropped before each timed
call: the figures are those of the computation.
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
    from ipai.report.html import chromium, html_to_pdf
    from ipai.report.landscape import to_html
    from ipai.service import Service
    from ipai.service.memo import forget

    rows: list[dict[str, Any]] = []
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
    return {
        "store_documents": documents,
        "warm_up_s": round(warmup, 2),
        "cache_docs": settings.analytics_cache_docs,
        "queries": rows,
        "targets": {"landscape_25k_s": 2.0, "report_s": 10.0},
    }
