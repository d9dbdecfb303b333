"""Enterprise portrait and innovation strength.

The portrait of an applicant is drawn from its documents (all name variants the resolver merges):
portfolio per year, technology mix, key inventors, citations received, co-applicants (partners),
jurisdictions. Its **innovation strength** is compared with its peers — the other applicants with
the most documents in the same leading classes — on five documented indicators, each turned into
a percentile among the peers and averaged with equal weights:

- ``volume``: log of documents;
- ``momentum``: share of its documents from the last five complete years;
- ``impact``: citations received per document (``cited_by_count`` where the source gives it);
- ``reach``: distinct jurisdictions per family (international filing);
- ``breadth``: distinct CPC/IPC subclasses.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from typing import Any

from ipai.analytics.landscape import Facts

INDICATORS = ("volume", "momentum", "impact", "reach", "breadth")


def indicators(docs: list[Facts], last_year: int) -> dict[str, float]:
    """The five raw indicators of one applicant's documents."""
    n = len(docs)
    families = {f.family for f in docs}
    recent = sum(1 for f in docs if f.year and last_year - 5 < f.year <= last_year)
    return {
        "volume": math.log1p(n),
        "momentum": recent / n if n else 0.0,
        "impact": sum(f.cited_by for f in docs) / n if n else 0.0,
        "reach": len({f.country for f in docs}) / max(len(families), 1) * min(len(families), 10) / 10,
        "breadth": float(len({s for f in docs for s in f.subclasses})),
    }


def _percentile(value: float, values: list[float]) -> float:
    if len(values) <= 1:
        return 1.0
    below = sum(1 for v in values if v < value)
    equal = sum(1 for v in values if v == value) - 1
    return (below + 0.5 * equal) / (len(values) - 1)


def strength(target: str, by_applicant: dict[str, list[Facts]], last_year: int) -> dict[str, Any]:
    """Percentile of ``target`` among the applicants of ``by_applicant`` on each indicator, the
    equal-weight score and the ranking."""
    raw = {a: indicators(d, last_year) for a, d in by_applicant.items() if d}
    pct: dict[str, dict[str, float]] = defaultdict(dict)
    for k in INDICATORS:
        col = [r[k] for r in raw.values()]
        for a, r in raw.items():
            pct[a][k] = _percentile(r[k], col)
    score = {a: sum(p.values()) / len(INDICATORS) for a, p in pct.items()}
    ranking = sorted(score, key=lambda a: (-score[a], a))
    return {
        "score": round(score.get(target, 0.0), 3),
        "rank": ranking.index(target) + 1 if target in score else None,
        "peers": len(score),
        "indicators": {k: round(v, 3) for k, v in raw.get(target, {}).items()},
        "percentiles": {k: round(v, 3) for k, v in pct.get(target, {}).items()},
        "ranking": [
            {
                "applicant": a,
                "score": round(score[a], 3),
                "documents": len(by_applicant[a]),
                **{k: round(v, 3) for k, v in raw[a].items()},
            }
            for a in ranking[:15]
        ],
        "method": "mean of percentiles among peers of: " + ", ".join(INDICATORS),
    }


def portrait(name: str, docs: list[Facts], top: int = 10, own: set[str] | None = None) -> dict[str, Any]:
    """Portfolio, technology mix, inventors, partners and citations of one applicant's documents;
    ``own`` are the applicant's own name variants (not partners)."""
    from ipai.analytics.entities.parties import org_labels, person_labels

    own = (own or set()) | {name}
    org_of = org_labels([a for f in docs for a in f.applicants])
    own_labels = {org_of.get(a, a) for a in own}
    person_of = person_labels([(f.id, f.inventors, [org_of.get(a, a) for a in f.applicants]) for f in docs])
    years = Counter(f.year for f in docs if f.year)
    subs = Counter(s for f in docs for s in f.subclasses)
    inventors = Counter(i for f in docs for i in {person_of.get(x) for x in f.inventors} if i)
    partners = Counter(
        a
        for f in docs
        for a in {org_of.get(x, x) for x in f.applicants}
        if a not in own_labels and a not in own and person_of.get(a, a) not in inventors
    )
    mix_years: dict[str, Counter[int]] = defaultdict(Counter)
    for f in docs:
        for s in f.subclasses[:1]:
            if f.year:
                mix_years[s][f.year] += 1
    cited = sorted(docs, key=lambda f: -f.cited_by)[:top]
    return {
        "name": name,
        "documents": len(docs),
        "families": len({f.family for f in docs}),
        "by_year": dict(sorted(years.items())),
        "by_jurisdiction": [
            {"key": k, "count": v} for k, v in Counter(f.country for f in docs).most_common(top)
        ],
        "technology_mix": [{"key": k, "count": v} for k, v in subs.most_common(top)],
        "technology_years": {s: dict(sorted(mix_years[s].items())) for s, _ in subs.most_common(5)},
        "key_inventors": [{"key": k, "count": v} for k, v in inventors.most_common(top)],
        "partners": [{"key": k, "count": v} for k, v in partners.most_common(top)],
        "citations_received": sum(f.cited_by for f in docs),
        "most_cited": [{"id": f.id, "cited_by": f.cited_by, "year": f.year} for f in cited if f.cited_by],
    }
