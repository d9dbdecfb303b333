"""``ipai eval filters``: filtered searches return only what the filters allow, nonsense finds nothing.

Query file columns: ``query``, ``filters`` (``cc=US;lang=en;year_from=2015``, may be empty) and
``expect``: ``none`` (a nonsense query: it must return no hit and report a total of 0) or
``some`` (a real query: it must return hits, every hit must satisfy every filter as read by
:mod:`ipai.evals.judge`, and the reported total must not exceed the number of stored documents
that satisfy the filters alone, counted by reading the store once).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from ipai.errors import InputError
from ipai.evals.judge import violations
from ipai.evals.queryfile import QueryRow, format_filters, read_queries
from ipai.evals.runner import Ranking, check_filters, check_mode, open_service, run_query
from ipai.settings import Settings

REQUIRED = ("query", "filters", "expect")
EXPECT = ("none", "some")


FilterKey = tuple[tuple[str, str], ...]


def filter_key(filters: dict[str, str]) -> FilterKey:
    """A hashable form of a filter mapping."""
    return tuple(sorted(filters.items()))


def count_filter_matches(docs: Any, filter_sets: list[dict[str, str]]) -> dict[FilterKey, int]:
    """Documents satisfying each filter set alone, in one pass over ``docs``."""
    keys = {filter_key(f): f for f in filter_sets}
    counts = dict.fromkeys(keys, 0)
    for doc in docs:
        for key, flt in keys.items():
            if not violations(doc, flt):
                counts[key] += 1
    return counts


def check_row(row: QueryRow, rk: Ranking, filter_matches: int | None) -> dict[str, Any]:
    """The report line of one query, with the checks it passed and failed."""
    expect = row.cols["expect"].lower()
    bad: list[dict[str, Any]] = []
    for rank, hit in enumerate(rk.hits, 1):
        doc = rk.doc(hit)
        failed = ["missing-document"] if doc is None else violations(doc, row.filters)
        if failed:
            bad.append({"rank": rank, "id": hit.id, "failed": failed})
    over = filter_matches is not None and rk.total > filter_matches
    passed = not rk.hits and rk.total == 0 if expect == "none" else bool(rk.hits) and not bad and not over
    return {
        "id": row.qid,
        "query": row.query,
        "filters": format_filters(row.filters),
        "expect": expect,
        "split": row.split,
        "returned": len(rk.hits),
        "total": rk.total,
        "filter_matches": filter_matches,
        "total_over_filter_matches": over,
        "violations": bad,
        "passed": passed,
        "error": rk.error,
    }


def filters_report(rows: list[dict[str, Any]], **head: Any) -> dict[str, Any]:
    """The JSON of the evaluation: the counts of each failure kind, then the rows."""
    nonsense = [r for r in rows if r["expect"] == "none"]
    real = [r for r in rows if r["expect"] == "some"]
    by_filter: Counter[str] = Counter(f for r in rows for v in r["violations"] for f in v["failed"])
    return {
        "eval": "filters",
        **head,
        "queries": len(rows),
        "nonsense": len(nonsense),
        "real": len(real),
        "nonsense_with_results": sum(1 for r in nonsense if r["returned"]),
        "nonsense_reported_matches": sum(1 for r in nonsense if r["total"] > 0),
        "nonsense_hits_returned": sum(r["returned"] for r in nonsense),
        "filter_violations": sum(len(r["violations"]) for r in rows),
        "queries_with_violations": sum(1 for r in rows if r["violations"]),
        "hits_checked": sum(r["returned"] for r in rows),
        "violations_by_filter": dict(by_filter),
        "total_over_filter_matches": sum(1 for r in rows if r["total_over_filter_matches"]),
        "real_without_results": sum(1 for r in real if not r["returned"]),
        "errors": sum(1 for r in rows if r["error"]),
        "passed": sum(1 for r in rows if r["passed"]),
        "pass_rate": round(sum(1 for r in rows if r["passed"]) / len(rows), 4) if rows else None,
        "rows": rows,
    }


def eval_filters(
    paths: list[Path],
    settings: Settings,
    *,
    top: int = 10,
    mode: str = "hybrid",
    split: str | None = None,
    count: bool = True,
) -> dict[str, Any]:
    """Run every query of the files with its filters and check the results (``count``: bound totals)."""
    check_mode(mode)
    rows = [r for p in paths for r in read_queries(p, REQUIRED, split)]
    check_filters(rows)
    for r in rows:
        if r.cols["expect"].lower() not in EXPECT:
            raise InputError(f"{r.where()}: expect must be none or some, not {r.cols['expect']!r}")
    svc = open_service(settings)
    try:
        counts: dict[FilterKey, int] = {}
        if count:
            counts = count_filter_matches(svc.store.iter_documents(), [r.filters for r in rows])
        out = [
            check_row(
                r,
                run_query(svc, r.query, top=top, mode=mode, filters=r.filters),
                counts.get(filter_key(r.filters)),
            )
            for r in rows
        ]
        documents = svc.store.count_documents()
    finally:
        svc.close()
    return filters_report(
        out,
        files=[str(p) for p in paths],
        home=str(settings.home),
        mode=mode,
        k=top,
        documents=documents,
        split=split,
    )
