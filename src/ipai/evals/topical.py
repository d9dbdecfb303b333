"""``ipai eval topical``: topical (cross-lingual) precision of the search over a whole store.

Query file columns: ``query``, ``lang`` (language filter, may be empty), ``on_topic`` (a
case-insensitive Python regular expression an on-topic result's titles+abstracts, in any
language, match; a result with neither is judged on its first claims), plus the shared optional
columns of :mod:`ipai.evals.queryfile`. P@K counts missing slots as misses; precision over the
returned results and the number of empty result lists are reported beside it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ipai.evals.judge import doc_summary, judged_text
from ipai.evals.metrics import (
    attainable_at_k,
    first_off_topic,
    grouped,
    of_attainable,
    precision_at_k,
    precision_returned,
    summarize,
)
from ipai.evals.queryfile import QueryRow, compile_regex, format_filters, read_queries
from ipai.evals.runner import Ranking, check_filters, check_mode, count_relevant, open_service, run_query
from ipai.settings import Settings

REQUIRED = ("query", "lang", "on_topic")


def judge_topical(rk: Ranking, pattern: Any) -> list[bool]:
    """On-topic flag of each hit of a ranking (titles+abstracts of the stored document)."""
    flags = []
    for hit in rk.hits:
        doc = rk.doc(hit)
        text = judged_text(doc) if doc is not None else (hit.title or "")
        flags.append(bool(pattern.search(text)))
    return flags


def topical_row(
    row: QueryRow, rk: Ranking, flags: list[bool], k: int, relevant: int | None = None
) -> dict[str, Any]:
    """The report line of one query (``relevant``: on-topic documents in the store, when counted)."""
    off = first_off_topic(flags, k)
    first = None
    if off is not None:
        hit = rk.hits[off - 1]
        first = {"rank": off, **doc_summary(rk.doc(hit), hit)}
    p = precision_at_k(flags, k)
    pr = precision_returned(flags, k)
    return {
        "id": row.qid,
        "query": row.query,
        "query_lang": row.query_lang,
        "filters": format_filters(row.filters),
        "filter_lang": row.filters.get("lang", ""),
        "split": row.split,
        "file": Path(row.file).name,
        f"p@{k}": round(p, 4),
        "precision_returned": round(pr, 4) if pr is not None else None,
        "on_topic": sum(flags[:k]),
        "returned": len(rk.hits),
        "total": rk.total,
        "relevant_in_store": relevant,
        f"attainable@{k}": attainable_at_k(relevant, k) if relevant is not None else None,
        f"p@{k}_of_attainable": of_attainable(p, relevant, k),
        "first_off_topic": first,
        "error": rk.error,
    }


def topical_report(rows: list[dict[str, Any]], k: int, **head: Any) -> dict[str, Any]:
    """The JSON of the evaluation: settings, overall and grouped macro averages, then the rows."""
    keys = (f"p@{k}", "precision_returned", f"attainable@{k}", f"p@{k}_of_attainable")

    def direction(r: dict[str, Any]) -> str:
        return f"{r['query_lang']}->{r['filter_lang'] or 'any'}"

    return {
        "eval": "topical",
        "k": k,
        **head,
        **summarize(rows, keys),
        "errors": sum(1 for r in rows if r["error"]),
        "by_query_lang": grouped(rows, lambda r: r["query_lang"], keys),
        "by_filter_lang": grouped(rows, lambda r: r["filter_lang"] or "none", keys),
        "by_direction": grouped(rows, direction, keys),
        "by_split": grouped(rows, lambda r: r["split"] or "none", keys),
        "by_file": grouped(rows, lambda r: r["file"], keys),
        "rows": rows,
    }


def eval_topical(
    paths: list[Path],
    settings: Settings,
    *,
    top: int = 10,
    mode: str = "hybrid",
    split: str | None = None,
    count: bool = True,
) -> dict[str, Any]:
    """P@top of every query of the files over the store of ``settings``, overall and grouped (``count``:
    also count each query's on-topic documents in the store, for the attainable P@top)."""
    check_mode(mode)
    rows = [r for p in paths for r in read_queries(p, REQUIRED, split)]
    check_filters(rows)
    patterns = [compile_regex(r.cols["on_topic"], r.where()) for r in rows]
    svc = open_service(settings)
    out: list[dict[str, Any]] = []
    try:
        relevant: list[int | None] = [None] * len(rows)
        if count:
            relevant = list(
                count_relevant(
                    svc.store.iter_documents(),
                    [r.filters for r in rows],
                    judged_text,
                    [[p] for p in patterns],
                )
            )
        for row, pat, rel in zip(rows, patterns, relevant, strict=True):
            rk = run_query(svc, row.query, top=top, mode=mode, filters=row.filters)
            out.append(topical_row(row, rk, judge_topical(rk, pat), top, rel))
        documents = svc.store.count_documents()
    finally:
        svc.close()
    return topical_report(
        out,
        top,
        mode=mode,
        files=[str(p) for p in paths],
        home=str(settings.home),
        documents=documents,
        split=split,
    )
