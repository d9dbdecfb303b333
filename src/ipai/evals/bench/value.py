"""``ipai bench value``: seconds to value N stored documents.

Times every stage of a cold valuation of the newest N stored documents against themselves as the
reference population: reading the fields (the compact brief, then claims/legal events via the
store), extracting indicators, building the reference, scoring, and building every document's
per-indicator explanation. Target: 50,000 documents in at most 30 s.

Then the **first valuation in a fresh process** (issue 24: ≤ 1 s): a child Python imports ipai,
opens the store and values the newest 20 documents by number, which builds the valuation reference
over the whole store — from the columns of the store's facts table (:mod:`ipai.service.facts`),
brought level with the documents before anything is timed (``facts_sync_s``: a one-off backfill on
a store that predates the table) — and the same again in this process once the reference is built
(``warm_valuation_s``).
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from typing import Any

import numpy as np

from ipai.value.indicators import BRIEF, EXTRA, extract_many
from ipai.value.model import Reference, score


def bench_value(settings: Any, *, docs: int = 50_000) -> dict[str, Any]:
    """Stage times and score distribution of valuing ``docs`` stored documents (one JSON object)."""
    from ipai.errors import InputError
    from ipai.service import Service

    if docs < 1:
        raise InputError("--docs must be at least 1", errors=[{"field": "docs", "message": "must be >= 1"}])
    from ipai.evals.bench.fresh import run_fresh

    svc = Service(settings)
    try:
        t0 = time.perf_counter()
        svc.ctx.facts_cache.sync()
        sync_s = time.perf_counter() - t0
        numbers = svc.store.recent_ids(20)
        fresh = run_fresh(
            settings, f"svc.value.value(numbers={numbers!r})", keep='result["reference_documents"]'
        )
        svc.value.value(numbers=numbers)
        t0 = time.perf_counter()
        svc.value.value(numbers=svc.store.recent_ids(40)[20:])
        warm_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        ids = svc.store.recent_ids(docs)
        if not ids:
            raise InputError("the store is empty: run `ipai ingest` first")
        rows = svc.store.get_fields(ids, BRIEF)
        for i, extra in svc.store.get_fields(ids, EXTRA).items():
            rows.setdefault(i, {}).update(extra)
        t1 = time.perf_counter()
        as_of = dt.date.today()
        inds = extract_many(rows, as_of)
        t2 = time.perf_counter()
        ref = Reference.build(inds, as_of)
        val = score(inds, ref)
        t3 = time.perf_counter()
        explained = [val.explain(j) for j in range(len(inds))]
        t4 = time.perf_counter()
    finally:
        svc.close()
    s = val.scores[~np.isnan(val.scores)]
    total = t4 - t0
    return {
        "first_valuation_fresh_process_s": round(fresh["first_s"], 3),
        "first_valuation_parts_s": {
            "import_and_open": round(fresh["import_and_open_s"], 3),
            "valuation": round(fresh["call_s"], 3),
            "whole_process": round(fresh["process_s"], 3),
        },
        "reference_documents": fresh["result"],
        "warm_valuation_s": round(warm_s, 3),
        "facts_sync_s": round(sync_s, 2),
        "target_first_valuation_s": 1.0,
        "documents": len(inds),
        "requested": docs,
        "seconds": round(total, 2),
        "docs_per_second": round(len(inds) / total) if total else None,
        "target_s_50k": 30,
        "stages_s": {
            "read": round(t1 - t0, 2),
            "indicators": round(t2 - t1, 2),
            "reference_and_score": round(t3 - t2, 2),
            "explanations": round(t4 - t3, 2),
        },
        "scored": len(s),
        "score_quartiles": [round(float(q), 1) for q in np.percentile(s, [25, 50, 75])] if len(s) else None,
        "mean_coverage": round(float(np.mean(val.coverage)), 3),
        "median_indicators_known": statistics.median(len(val.names) - len(e["missing"]) for e in explained),
    }
