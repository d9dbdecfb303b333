"""``ipai bench value``: seconds to value N stored documents.

Times every stage of a cold valuation of the newest N stored documents against themselves as the
reference population: reading the fields (the compact brief, then claims/legal events via the
store), extracting indicators, building the reference, scoring, and building every document's
per-indicator explanation. Target: 50,000 documents in at most 30 s.
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
    svc = Service(settings)
    try:
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
