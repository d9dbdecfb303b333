"""A patentability report for a disclosure or claim: features → prior art → evidence → X/Y/A."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from ipai.assess.categorize import Assessed, categorize, thresholds
from ipai.assess.features import Decomposition, decompose
from ipai.assess.mapping import BUDGET, Mapper
from ipai.assess.messages import bad_input, render

QUERY_CHARS = 3000
POOL = 20  # documents retrieved and read (cheaply) for a report, at most twice ``top``; the best ``top`` are shown
READ_PER_DOC = 4  # passages read by meaning per document shown (the report's budget, at most mapping.BUDGET)
Classify = Callable[[str], list[dict[str, Any]] | None]  # None: no model trained


def default_query(dec: Decomposition) -> str:
    """The search query built from what is assessed: the claim, or the feature sentences."""
    text = dec.text if dec.source != "disclosure" else " ".join(f.text for f in dec.features)
    return " ".join(text.split())[:QUERY_CHARS]


def assess_text(
    engine: Any,
    text: str,
    *,
    top: int = 10,
    query: str | None = None,
    classify: Classify | None = None,
    cross_lingual: bool = True,
    candidates: list[str] | None = None,
    as_disclosure: bool = False,
    lang: str | None = None,
) -> dict[str, Any]:
    """The report as a dict (rendered by :mod:`ipai.report.assess`). ``query`` replaces the
    generated one (free text or examiner syntax); ``candidates`` assesses against exactly these
    stored documents instead of searching (used to replay real search reports); ``lang`` is the
    reader's language of reasons and errors (default: the text's)."""
    if not 1 <= top <= 50:
        raise bad_input("top", "top_range", lang)
    t0 = time.perf_counter()
    dec = decompose(text, ui=lang)
    ui = lang or dec.lang
    if as_disclosure and dec.source != "disclosure":
        from ipai.assess.features import disclosure_features

        dec = Decomposition("disclosure", dec.lang, dec.text, disclosure_features(dec.text, dec.lang))
    t_feat = time.perf_counter()
    classes = classify(text) if classify else None
    used, ranked = prior_art(
        engine, dec, top=top, query=query, cross_lingual=cross_lingual, candidates=candidates
    )
    t_search = time.perf_counter()
    assessed, mapper = map_documents(engine, dec, ranked, budget=min(BUDGET, READ_PER_DOC * top))
    cat = categorize(dec.features, assessed, ui)
    t_map = time.perf_counter()
    order = {"X": 0, "Y": 1, "A": 2}
    prior = sorted(assessed, key=lambda d: (order[d.category], -len(d.covered), -d.coverage, d.rank))[:top]
    return {
        "input": {"source": dec.source, "lang": dec.lang, "chars": len(text), "assessed_text": dec.text},
        "classes": classes,
        "query": used,
        "features": [f.to_json() for f in dec.features],
        "thresholds": thresholds(),
        "semantic": {
            "available": mapper.semantic is not None,
            "passages_read": mapper.read,
            "budget": mapper.budget,
            "note": None if mapper.semantic is not None else render({"code": "semantic_off"}, ui),
        },
        "lang": ui,
        "prior_art": [_doc_json(d) for d in prior],
        "combinations": cat["combinations"],
        "distinguishing": cat["distinguishing"],
        "indicators": cat["indicators"],
        "timing_ms": {
            "features": _ms(t0, t_feat),
            "search": _ms(t_feat, t_search),
            "mapping": _ms(t_search, t_map),
            "total": _ms(t0, t_map),
        },
    }


def prior_art(
    engine: Any,
    dec: Decomposition,
    *,
    top: int = 10,
    query: str | None = None,
    cross_lingual: bool = True,
    candidates: list[str] | None = None,
) -> tuple[str, list[tuple[int, Any, float]]]:
    """The query used and the documents to assess as (rank, document, search score): the hybrid
    search's best ``max(top, min(2·top, POOL))`` (cross-lingual concepts included; a paraphrase
    often ranks its source below the tenth), or exactly ``candidates``."""
    from ipai.search.query.ast import FreeText
    from ipai.search.query.parser import parse_query

    used = (query or "").strip() or default_query(dec)
    if candidates is not None:
        docs = engine.documents(candidates)
        return used, [(i + 1, docs[c], 0.0) for i, c in enumerate(candidates) if c in docs]
    node = parse_query(used) if query else FreeText(0, used)
    res = engine.search_node(
        node, top=max(top, min(2 * top, POOL)), cross_lingual=cross_lingual, explain=False
    )
    docs = engine.documents([h.id for h in res.hits])
    return used, [(h.rank, docs[h.id], h.score) for h in res.hits if h.id in docs]


def map_documents(
    engine: Any,
    dec: Decomposition,
    ranked: list[tuple[int, Any, float]],
    *,
    keep_signals: bool = False,
    budget: int = BUDGET,
) -> tuple[list[Assessed], Mapper]:
    """Each document's support for each feature (one mapper, one budget of passages read by
    meaning for the whole report)."""
    mapper = Mapper(engine, dec.features, dec.lang, budget=budget)
    mapper.keep_signals = keep_signals
    supports = mapper.map_many([d for _, d, _ in ranked])
    return [
        Assessed(doc=d, rank=r, search_score=sc, supports=sup)
        for (r, d, sc), sup in zip(ranked, supports, strict=False)
    ], mapper


def _ms(a: float, b: float) -> float:
    return round((b - a) * 1000, 1)


def _doc_json(d: Assessed) -> dict[str, Any]:
    date = d.doc.publication_date or d.doc.grant_date
    return {
        "id": d.doc.id,
        "pubno": str(d.doc.pubno),
        "title": d.doc.title,
        "date": date.isoformat() if date else None,
        "rank": d.rank,
        "search_score": round(d.search_score, 5),
        "category": d.category,
        "combined_with": d.combined_with,
        "covered": d.covered,
        "coverage": round(d.coverage, 3),
        "classes": sorted({c.code for c in d.doc.classifications})[:8],
        "supports": [s.to_json() for s in d.supports],
    }
