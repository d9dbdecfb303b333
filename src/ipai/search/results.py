"""Search results: the result line of a document (:class:`Hit`), a page of them (:class:`Results`),
and how a ranking becomes one — the same for the single and the sharded engine."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ipai.model import PatentDocument
from ipai.search.highlight import Passage, abstract_start, highlights
from ipai.search.plan import Plan
from ipai.search.rank import Ranking
from ipai.store.ports import DocumentStore

if TYPE_CHECKING:
    from ipai.search.protocol import SearchEngine


@dataclass
class Hit:
    """One search result."""

    id: str
    rank: int
    score: float
    title: str = ""
    pubno: str = ""
    date: str | None = None
    langs: list[str] = field(default_factory=list)
    applicants: list[str] = field(default_factory=list)
    classes: list[str] = field(default_factory=list)
    matched: dict[str, int | None] = field(default_factory=dict)  # rank in each list
    highlights: list[Passage] = field(default_factory=list)
    concepts: int | None = None  # concepts of the query the document carries (None: one-word query)
    meaning: float | None = None  # e5 similarity, when the hit was found by meaning alone and verified
    status: dict[str, Any] | None = None  # legal status (ipai.status; set by the service for a day)
    family: dict[str, Any] | None = None  # with collapse=family: the family's key and other members
    abstract: str | None = None  # the start of the abstract (ipai.search.highlight.abstract_start)


@dataclass
class Results:
    """A page of results and how it was obtained."""

    query: str
    mode: str
    hits: list[Hit]
    total_keyword: int
    took_ms: float
    lang: str | None = None
    cross_lingual: bool = True
    total: int = 0  # documents that carry a concept of the query and satisfy the filters
    total_all: int | None = None  # … that carry every concept (queries of two or more concepts)
    concepts: list[dict[str, Any]] = field(default_factory=list)  # each concept, its forms and translations
    missing: list[str] = field(default_factory=list)  # concepts no document has
    semantic_only: bool = False  # no document has the words: the hits (if any) are close in meaning, verified
    suggestions: dict[str, Any] | None = (
        None  # when nothing was found: spellings, filters to drop, other forms
    )
    families: int | None = None  # with collapse=family: families among the results looked at


def concept_info(plan: Plan) -> tuple[list[dict[str, Any]], list[str]]:
    """The plan's concepts as shown to a searcher (forms with source and language), and the
    concepts no indexed document has."""
    info, missing = [], []
    for c in plan.concepts:
        forms = c.forms + [f for p in c.parts for f in p.forms]
        info.append(
            {
                "text": c.text,
                "lang": c.lang,
                "field": c.field,
                "required": c.required,
                "documents": c.df,
                "forms": [
                    {"text": f.text, "lang": f.lang, "source": f.source, "documents": f.df} for f in forms
                ],
            }
        )
        if c.df == 0 and not c.parts:
            missing.append(c.text)
    return info, missing


def similar_results(
    eng: SearchEngine,
    doc: PatentDocument,
    fused: list[tuple[int, float]],
    ranks: dict[str, dict[int, int]],
    mode: str,
    top: int,
    t0: float,
) -> Results:
    """More-like-this results: in hybrid mode the fused candidates ordered by invention (e5,
    :func:`ipai.search.meaning.by_invention`); each hit's ``meaning`` is its e5 similarity."""
    from ipai.search.meaning import SIMILAR_POOL, by_invention

    sims: dict[int, float] = {}
    if mode == "hybrid" and fused:
        head = [k for k, _ in fused[:SIMILAR_POOL]]
        ids = eng.doc_ids(head)
        stored = eng.store.get_documents(list(ids.values()))
        fused, sims = by_invention(
            doc, fused, {k: stored[i] for k, i in ids.items() if i in stored}, eng.settings.encoder_cache_path
        )
    page = fused[:top]
    page_ids = eng.doc_ids([k for k, _ in page])
    hits = ranked_hits(eng.store, page, page_ids, ranks, [])
    keys = {i: k for k, i in page_ids.items()}
    for h in hits:
        if keys.get(h.id) in sims:
            h.meaning = round(sims[keys[h.id]], 4)
    return Results(
        query=f"similar:{doc.id}",
        mode=mode,
        hits=hits,
        total_keyword=0,
        took_ms=round((time.perf_counter() - t0) * 1000, 2),
    )


def page_results(
    eng: SearchEngine,
    node: Any,
    plan: Plan,
    r: Ranking,
    mode: str,
    top: int,
    offset: int,
    fetch: bool,
    explain: bool,
    cross_lingual: bool,
    t0: float,
) -> Results:
    """A page of a ranking as result lines."""
    page = r.ranked[offset : offset + top]
    ids = eng.doc_ids([i for i, _ in page])
    if fetch:
        hits = ranked_hits(eng.store, page, ids, r.ranks, plan.terms if explain else [], first=offset + 1)
    else:
        hits = [Hit(id=ids[i], rank=n, score=sc) for n, (i, sc) in enumerate(page, offset + 1) if i in ids]
    keys = {doc_id: k for k, doc_id in ids.items()}
    for h in hits:
        k = keys.get(h.id)
        if k is not None and plan.concept_queries:
            h.concepts = r.carried.get(k)
        if k is not None and k in r.verified:
            h.meaning = round(r.verified[k], 4)
    info, missing = concept_info(plan)
    return Results(
        query=getattr(node, "text", ""),
        mode=mode,
        hits=hits,
        total_keyword=r.total,
        took_ms=round((time.perf_counter() - t0) * 1000, 2),
        lang=plan.lang,
        cross_lingual=cross_lingual,
        total=r.total,
        total_all=r.total_all,
        concepts=info,
        missing=missing,
        semantic_only=r.semantic_only,
    )


def full_match_query(plan: Plan) -> Any | None:
    """The keyword query of documents carrying (nearly) all concepts, else the plan's keyword or
    filter query."""
    if plan.concept_queries and plan.tiers:
        return (
            plan.tiers[0]
            if plan.full() == len(plan.concept_queries)
            else plan.tiers[min(1, len(plan.tiers) - 1)]
        )
    return plan.keyword if plan.keyword is not None else plan.constraint


def ranked_hits(
    store: DocumentStore,
    ranked: list[tuple[int, float]],
    ids: dict[int, str],
    ranks: dict[str, dict[int, int]],
    terms: list[str],
    first: int = 1,
) -> list[Hit]:
    """Result lines of ranked (key, score) pairs, ``ids`` giving each key's document id; keys
    whose document is gone are skipped."""
    docs = store.get_documents([ids[k] for k, _ in ranked if k in ids])
    hits = []
    for pos, (key, score) in enumerate(ranked, first):
        doc = docs.get(ids.get(key, ""))
        if doc is not None:
            hits.append(make_hit(doc, pos, score, {k: v.get(key) for k, v in ranks.items()}, terms))
    return hits


def make_hit(
    doc: PatentDocument, rank: int, score: float, matched: dict[str, int | None], terms: list[str]
) -> Hit:
    """A result line for a stored document (``matched``: its rank in each list)."""
    date = doc.publication_date or doc.grant_date
    return Hit(
        id=doc.id,
        rank=rank,
        score=round(score, 6),
        title=doc.title,
        pubno=str(doc.pubno),
        date=date.isoformat() if date else None,
        langs=doc.languages,
        applicants=[p.name for p in (doc.applicants or doc.assignees)[:3]],
        classes=(doc.codes("cpc") or doc.codes("ipc"))[:4],
        matched=matched,
        highlights=highlights(doc, terms) if terms else [],
        abstract=abstract_start(doc),
    )
