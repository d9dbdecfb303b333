"""``ipai bench export``: how long exporting a large result set takes and whether memory stays flat.

The export of ``rows`` results of a query is written twice in each format asked: once timed (the
wall-clock seconds a user waits for the download, from the query to the last byte), once under
:mod:`tracemalloc` (peak Python memory; slower, not timed). The same is done for a tenth of the
rows: a flat export has about the same peak for both sizes."""

from __future__ import annotations

import resource
import tempfile
import time
import tracemalloc
from typing import Any

from ipai.errors import InputError

BROAD = "pd:[1790 TO 2100]"  # every document with a publication date


def _write(svc: Any, query: str, rows: int, fmt: str) -> tuple[int, int]:
    """Export ``rows`` results as ``fmt`` to a temporary file; (rows written, bytes)."""
    from ipai.service.search_export import csv_chunks, write_xlsx

    ex = svc.search_tools.export_results(query, lang="zh", limit=rows, base_url="http://localhost")
    with tempfile.TemporaryFile() as fh:
        if fmt == "xlsx":
            n = write_xlsx(ex, fh)
        else:
            n = 0
            for chunk in csv_chunks(ex):
                fh.write(chunk)
            n = ex.count
        return n, fh.tell()


def _peak_mb(svc: Any, query: str, rows: int, fmt: str) -> float:
    tracemalloc.start()
    try:
        _write(svc, query, rows, fmt)
        return round(tracemalloc.get_traced_memory()[1] / 1e6, 1)
    finally:
        tracemalloc.stop()


def bench_export(
    svc: Any, *, query: str | None = None, rows: int = 10_000, formats: tuple[str, ...] = ("xlsx", "csv")
) -> dict[str, Any]:
    """Seconds and peak memory of exporting ``rows`` results of ``query`` (default: every dated
    document) from the service's store, for each format; one JSON-ready dict."""
    query = query or BROAD
    if rows > svc.settings.search_export_max:
        svc.settings.search_export_max = rows  # the bench measures the size asked for, whatever the cap
    ids, matched = svc.search_engine.match_ids(svc.search_tools.query_node(query), limit=1)
    if matched < rows:
        raise InputError(
            f"the query matches {matched:,} documents, fewer than the {rows:,} rows asked for "
            "(ingest more or pass --rows)",
            errors=[{"field": "rows", "message": "too many"}],
        )
    _write(svc, query, min(rows, 200), formats[0])  # open the index, load the readers once
    out: dict[str, Any] = {
        "bench": "export",
        "query": query,
        "matched": matched,
        "rows": rows,
        "documents_in_store": svc.store.count_documents(),
        "formats": {},
    }
    for fmt in formats:
        t0 = time.perf_counter()
        n, size = _write(svc, query, rows, fmt)
        seconds = time.perf_counter() - t0
        small = max(1, rows // 10)
        out["formats"][fmt] = {
            "rows": n,
            "seconds": round(seconds, 2),
            "rows_per_s": round(n / seconds),
            "file_kb": size // 1024,
            "peak_mb": _peak_mb(svc, query, rows, fmt),
            f"peak_mb_{small}_rows": _peak_mb(svc, query, small, fmt),
        }
    out["max_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    xlsx = out["formats"].get("xlsx")
    if xlsx:
        out["target"] = {"xlsx_seconds_max": 5.0, "met": xlsx["seconds"] <= 5.0}
    return out
