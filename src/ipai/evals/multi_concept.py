"""``ipai eval multi-concept``: precision of queries that combine several concepts.

Query file columns: ``query``, ``filters`` (may be empty) and ``concepts``: ``;``-separated
case-insensitive Python regular expressions, ALL of which a relevant result's titles, abstracts
and claim 1 (every language) must match. P@10 and P@5 count missing slots as misses;
``partial@10`` is the share of the top 10 matching some concepts but not all (e.g. a headphone
battery for ``drone battery``), and ``concept_coverage`` the share of returned results matching
each concept, in file order. ``relevant_in_store`` (one pass over the store, skipped with
``--no-count``) gives the attainable P@10: a combination found in 3 documents cannot score above 0.3.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ipai.errors import InputError
from ipai.evals.judge import concept_text, doc_summary
from ipai.evals.metrics import (
    attainable_at_k,
    first_off_topic,
    grouped,
    of_attainable,
    precision_at_k,
    precision_returned,
    reciprocal_first,
    summarize,
)
from ipai.evals.queryfile import QueryRow, compile_regex, format_filters, read_queries
from ipai.evals.runner import Ranking, check_filters, check_mode, count_relevant, open_service, run_query
from ipai.settings import Settings

REQUIRED = ("query", "filters", "concepts")
KEYS = ("p@10", "p@5", "partial@10", "mrr@10", "precision_returned", "attainable@10", "p@10_of_attainable")


def parse_concepts(text: str, where: str) -> list[re.Pattern[str]]:
    """The ``;``-separated concept regexes of a line (at least one)."""
    parts = [p for p in (text or "").split(";") if p.strip()]
    if not parts:
        raise InputError(f"{where}: no concepts")
    return [compile_regex(p, where) for p in parts]


def concept_matches(rk: Ranking, concepts: list[re.Pattern[str]]) -> list[list[bool]]:
    """For each hit, which concepts its titles+abstracts+claim 1 match."""
    out = []
    for hit in rk.hits:
        doc = rk.doc(hit)
        text = concept_text(doc) if doc is not None else (hit.title or "")
        out.append([bool(c.search(text)) for c in concepts])
    return out


def concept_row(
    row: QueryRow, rk: Ranking, matches: list[list[bool]], relevant: int | None = None
) -> dict[str, Any]:
    """The report line of one query (``relevant``: relevant documents in the store, when counted)."""
    flags = [all(m) for m in matches]
    partial = [any(m) and not all(m) for m in matches]
    n_concepts = len(matches[0]) if matches else len(row.cols["concepts"].split(";"))
    top = matches[:10]
    coverage = [round(sum(m[i] for m in top) / len(top), 4) if top else None for i in range(n_concepts)]
    off = first_off_topic(flags, 10)
    first = None
    if off is not None:
        hit = rk.hits[off - 1]
        first = {
            "rank": off,
            **doc_summary(rk.doc(hit), hit),
            "missing": [i + 1 for i, ok in enumerate(matches[off - 1]) if not ok],
        }
    pr = precision_returned(flags, 10)
    p10 = precision_at_k(flags, 10)
    return {
        "id": row.qid,
        "query": row.query,
        "query_lang": row.query_lang,
        "filters": format_filters(row.filters),
        "split": row.split,
        "concepts": n_concepts,
        "p@10": round(p10, 4),
        "p@5": round(precision_at_k(flags, 5), 4),
        "partial@10": round(precision_at_k(partial, 10), 4),
        "mrr@10": round(reciprocal_first(flags, 10), 4),
        "precision_returned": round(pr, 4) if pr is not None else None,
        "relevant": sum(flags[:10]),
        "returned": len(rk.hits),
        "total": rk.total,
        "relevant_in_store": relevant,
        "attainable@10": attainable_at_k(relevant, 10) if relevant is not None else None,
        "p@10_of_attainable": of_attainable(p10, relevant, 10),
        "concept_coverage": coverage,
        "first_irrelevant": first,
        "error": rk.error,
    }


def concept_report(rows: list[dict[str, Any]], **head: Any) -> dict[str, Any]:
    """The JSON of the evaluation: overall and grouped macro averages, then the rows."""
    return {
        "eval": "multi-concept",
        **head,
        **summarize(rows, KEYS),
        "errors": sum(1 for r in rows if r["error"]),
        "by_query_lang": grouped(rows, lambda r: r["query_lang"], KEYS),
        "by_concepts": grouped(rows, lambda r: str(r["concepts"]), KEYS),
        "by_split": grouped(rows, lambda r: r["split"] or "none", KEYS),
        "rows": rows,
    }


def eval_multi_concept(
    paths: list[Path],
    settings: Settings,
    *,
    mode: str = "hybrid",
    split: str | None = None,
    count: bool = True,
) -> dict[str, Any]:
    """P@10 and P@5 of every query of the files over the store of ``settings`` (``count``: count each
    query's relevant documents in the store, for the attainable P@10)."""
    check_mode(mode)
    rows = [r for p in paths for r in read_queries(p, REQUIRED, split)]
    check_filters(rows)
    concepts = [parse_concepts(r.cols["concepts"], r.where()) for r in rows]
    svc = open_service(settings)
    out: list[dict[str, Any]] = []
    try:
        relevant: list[int | None] = [None] * len(rows)
        if count:
            relevant = list(
                count_relevant(svc.store.iter_documents(), [r.filters for r in rows], concept_text, concepts)
            )
        for row, cs, rel in zip(rows, concepts, relevant, strict=True):
            rk = run_query(svc, row.query, top=10, mode=mode, filters=row.filters)
            out.append(concept_row(row, rk, concept_matches(rk, cs), rel))
        documents = svc.store.count_documents()
    finally:
        svc.close()
    return concept_report(
        out,
        files=[str(p) for p in paths],
        home=str(settings.home),
        mode=mode,
        documents=documents,
        split=split,
    )
