"""Talent: inventors ranked for a technical demand, with their co-inventor network.

Each inventor of the documents a query matches gets three documented components, combined as a
weighted sum of percentiles among those inventors:
- **relevance** (weight 0.5): sum over their documents of 1/√rank of the document in the query's
  ranking (the most relevant documents count most);
- **recency** (0.3): share of their matched documents from the last five years of the set;
- **impact** (0.2): citations received by their matched documents.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from itertools import combinations
from typing import Any

from ipai.analytics.landscape import Facts

WEIGHTS = {"relevance": 0.5, "recency": 0.3, "impact": 0.2}


def _pct(values: dict[str, float]) -> dict[str, float]:
    order = sorted(values.values())
    n = len(order)
    if n <= 1:
        return {k: 1.0 for k in values}
    import bisect

    return {k: bisect.bisect_left(order, v) / (n - 1) for k, v in values.items()}


def rank_inventors(ranked: list[Facts], *, top: int = 20, min_docs: int = 1) -> dict[str, Any]:
    """Inventors of ``ranked`` (best document first) scored and ranked, one row per person (the
    entity resolver merges spellings and name orders; waivers and organisations are no one); the
    co-inventor network among the top inventors."""
    from ipai.analytics.entities.parties import org_labels, person_labels

    org_of = org_labels([a for f in ranked for a in f.applicants])
    person_of = person_labels([(f.id, f.inventors, [org_of.get(a, a) for a in f.applicants]) for f in ranked])
    years = [f.year for f in ranked if f.year]
    last = max(years) if years else None
    rel: dict[str, float] = defaultdict(float)
    docs: dict[str, list[Facts]] = defaultdict(list)
    people_of = [sorted({p for i in f.inventors if (p := person_of.get(i))}) for f in ranked]
    for pos, (f, people) in enumerate(zip(ranked, people_of, strict=False), 1):
        for inv in people:
            rel[inv] += 1 / math.sqrt(pos)
            docs[inv].append(f)
    people = [p for p in docs if len(docs[p]) >= min_docs]
    if not people:
        return {"inventors": [], "network": {"nodes": [], "edges": []}, "weights": WEIGHTS}
    recency = {
        p: sum(1 for f in docs[p] if last and f.year and f.year > last - 5) / len(docs[p]) for p in people
    }
    impact = {p: float(sum(f.cited_by for f in docs[p])) for p in people}
    pr, pc, pi = _pct({p: rel[p] for p in people}), _pct(recency), _pct(impact)
    score = {
        p: WEIGHTS["relevance"] * pr[p] + WEIGHTS["recency"] * pc[p] + WEIGHTS["impact"] * pi[p]
        for p in people
    }
    best = sorted(people, key=lambda p: (-score[p], -rel[p], p))[:top]
    chosen = set(best)
    edges: Counter[tuple[str, str]] = Counter()
    for people in people_of:
        members = sorted(set(people) & chosen)
        edges.update(combinations(members, 2))
    out = []
    for p in best:
        applicants: Counter[str] = Counter()  # one applicant (resolved entity) counted once per document
        for f in docs[p]:
            applicants.update({org_of.get(a, a) for a in f.applicants} - {p})
        out.append(
            {
                "name": p,
                "score": round(score[p], 3),
                "documents": len(docs[p]),
                "relevance": round(rel[p], 3),
                "recency": round(recency[p], 3),
                "cited_by": int(impact[p]),
                "years": [
                    min((f.year for f in docs[p] if f.year), default=None),
                    max((f.year for f in docs[p] if f.year), default=None),
                ],
                "affiliations": [a for a, _ in applicants.most_common(3)],
                "documents_sample": [f.id for f in docs[p][:5]],
            }
        )
    return {
        "inventors": out,
        "weights": WEIGHTS,
        "network": {
            "nodes": [{"id": p, "documents": len(docs[p])} for p in best],
            "edges": [{"source": a, "target": b, "weight": w} for (a, b), w in edges.most_common(300)],
        },
    }
