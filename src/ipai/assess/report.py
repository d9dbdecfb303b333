"""A patentability report for a disclosure or claim: features → prior art → evidence → X/Y/A."""

from __future__ import annotations

import time
from typing import Any, Callable

from ipai.assess.categorize import COVERED, PARTIAL, Assessed, categorize
from ipai.assess.features import Decomposition, decompose
from ipai.assess.mapping import Mapper
from ipai.errors import InputError

QUERY_CHARS = 3000
Classify = Callable[[str], list[dict[str, Any]]]


def default_query(dec: Decomposition) -> str:
    """The search query built from what is assessed: the claim, or the feature sentences."""
    text = dec.text if dec.source != "disclosure" else " ".join(f.text for f in dec.features)
    return " ".join(text.split())[:QUERY_CHARS]


def assess_text(engine: Any, text: str, *, top: int = 10, query: str | None = None,
                classify: Classify | None = None, cross_lingual: bool = True,
                candidates: list[str] | None = None, as_disclosure: bool = False) -> dict[str, Any]:
    """The report as a dict (rendered by :mod:`ipai.report.assess`). ``query`` replaces the
    generated one (free text or examiner syntax); ``candidates`` assesses against exactly these
    stored documents instead of searching (used to replay real search reports)."""
    from ipai.search.query.ast import FreeText
    from ipai.search.query.parser import parse_query

    if not 1 <= top <= 50:
        raise InputError("top must be between 1 and 50", errors=[{"field": "top", "message": "out of range"}])
    t0 = time.perf_counter()
    dec = decompose(text)
    if as_disclosure and dec.source != "disclosure":
        from ipai.assess.features import Decomposition, disclosure_features

        dec = Decomposition("disclosure", dec.lang, dec.text, disclosure_features(dec.text, dec.lang))
    t_feat = time.perf_counter()
    classes = classify(text) if classify else None
    used = (query or "").strip() or default_query(dec)
    if candidates is not None:
        docs_by_id = engine.documents(candidates)
        ranked = [(i + 1, cid, 0.0) for i, cid in enumerate(candidates) if cid in docs_by_id]
    else:
        node = parse_query(used) if query else FreeText(0, used)
        res = engine.search_node(node, top=top, cross_lingual=cross_lingual, explain=False)
        docs_by_id = engine.documents([h.id for h in res.hits])
        ranked = [(h.rank, h.id, h.score) for h in res.hits]
    t_search = time.perf_counter()
    mapper = Mapper(engine, dec.features, dec.lang)
    assessed = [Assessed(doc=docs_by_id[i], rank=r, search_score=sc, supports=mapper.map(docs_by_id[i]))
                for r, i, sc in ranked if i in docs_by_id]
    cat = categorize(dec.features, assessed)
    t_map = time.perf_counter()
    order = {"X": 0, "Y": 1, "A": 2}
    prior = sorted(assessed, key=lambda d: (order[d.category], -len(d.covered), -d.coverage, d.rank))
    return {
        "input": {"source": dec.source, "lang": dec.lang, "chars": len(text), "assessed_text": dec.text},
        "classes": classes,
        "query": used,
        "features": [f.to_json() for f in dec.features],
        "thresholds": {"covered": COVERED, "partial": PARTIAL},
        "prior_art": [_doc_json(d) for d in prior],
        "combinations": cat["combinations"],
        "distinguishing": cat["distinguishing"],
        "indicators": cat["indicators"],
        "timing_ms": {"features": _ms(t0, t_feat), "search": _ms(t_feat, t_search),
                      "mapping": _ms(t_search, t_map), "total": _ms(t0, t_map)},
    }


def _ms(a: float, b: float) -> float:
    return round((b - a) * 1000, 1)


def _doc_json(d: Assessed) -> dict[str, Any]:
    date = d.doc.publication_date or d.doc.grant_date
    return {"id": d.doc.id, "pubno": str(d.doc.pubno), "title": d.doc.title, "date": date.isoformat() if date else None,
            "rank": d.rank, "search_score": round(d.search_score, 5), "category": d.category,
            "combined_with": d.combined_with, "covered": d.covered, "coverage": round(d.coverage, 3),
            "classes": sorted({c.code for c in d.doc.classifications})[:8],
            "supports": [s.to_json() for s in d.supports]}
