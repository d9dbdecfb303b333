"""High-value screening: rank a portfolio into a "transformable patent pool" (可转化专利池) with reasons.

Rules, applied to each document of the portfolio (e.g. everything of one applicant or university):

1. excluded if its right has ended: expired, lapsed, withdrawn, refused or revoked (legal status, ipai.status);
2. excluded if less than ``min_term`` years of term are left (too little time to license/transfer);
3. excluded if less than ``min_coverage`` of the indicator weight had data (too little known);
4. the rest are ranked by rank score (:attr:`ipai.value.model.Valuation.rank_scores`) within the
   portfolio; the best ``top_share`` form the pool: tier A = portfolio percentile ≥ 0.8, else B.

Every pooled document gets its reasons: its rank in the portfolio, its strongest indicators
(sub-score ≥ 0.75, by contribution), its remaining term, and what its owner type means for
transfer; every excluded document is counted under the rule that excluded it.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np

from ipai.value.model import Valuation, midrank
from ipai.value.texts import DEAD as DEAD_TEXT
from ipai.value.texts import both, say

MIN_TERM = 3.0
MIN_COVERAGE = 0.3
TOP_SHARE = 0.5
STRONG = 0.75
OWNER_REASON = {
    "university": "university-owned: a candidate for licensing or assignment through the tech-transfer office",
    "institute": "research-institute-owned: a candidate for licensing or assignment to industry",
    "government": "government-owned: a candidate for licensing under public-funding rules",
    "company": "company-owned: a candidate for licensing-out, pledge financing or sale if not core",
    "individual": "individually owned: a candidate for sale or exclusive licensing",
    "unknown": "owner type not recognised from the name",
}
DEAD = {
    "expired": "term has ended",
    "lapsed": "lapsed",
    "withdrawn": "withdrawn",
    "refused": "refused",
    "revoked": "revoked or invalidated",
}


def screen(
    val: Valuation,
    *,
    top_share: float = TOP_SHARE,
    min_term: float = MIN_TERM,
    min_coverage: float = MIN_COVERAGE,
    limit: int = 100,
) -> dict[str, Any]:
    """The pool (best first, at most ``limit`` listed), exclusion counts and a summary."""
    n = len(val.inds)
    rank = val.rank_scores
    excluded: Counter[str] = Counter()
    facts: dict[str, dict[str, Any]] = {}  # each exclusion reason as a fact (ipai.value.texts)
    eligible: list[int] = []
    for j, ind in enumerate(val.inds):
        status = ind.values.get("legal_status")
        term = ind.values.get("remaining_term")
        if status in DEAD:
            excluded[key := f"right ended: {DEAD[status]}"] += 1
            facts[key] = {"code": "ex_dead", "status": both(*DEAD_TEXT[status])}
        elif term is not None and term < min_term:
            excluded[key := f"less than {min_term:g} years of term left"] += 1
            facts[key] = {"code": "ex_term", "years": min_term}
        elif val.coverage[j] < min_coverage:
            excluded[key := f"too little data (under {100 * min_coverage:.0f}% of the indicator weight)"] += 1
            facts[key] = {"code": "ex_data", "pct": 100 * min_coverage}
        else:
            eligible.append(j)
    pct = midrank(np.sort(rank), rank)  # percentile within the whole portfolio
    eligible.sort(key=lambda j: -rank[j])
    keep = max(round(top_share * len(eligible)), 1 if eligible else 0)
    below = len(eligible) - keep
    if below:
        excluded[key := f"outside the best {100 * top_share:.0f}% of the eligible documents"] += below
        facts[key] = {"code": "ex_rank", "pct": 100 * top_share}
    pool = [_entry(val, j, r + 1, n, float(pct[j])) for r, j in enumerate(eligible[:keep][:limit])]
    owner_counts = Counter(val.inds[j].values.get("applicant_type") or "unknown" for j in eligible[:keep])
    return {
        "portfolio": n,
        "eligible": len(eligible),
        "pool_size": keep,
        "listed": len(pool),
        "rules": {
            "min_term_years": min_term,
            "min_coverage": min_coverage,
            "top_share": top_share,
            "tier_a_percentile": 0.8,
        },
        "excluded": dict(excluded.most_common()),
        "excluded_facts": [{**facts[k], "n": n} for k, n in excluded.most_common()],
        "pool_by_owner_type": dict(owner_counts.most_common()),
        "tiers": dict(Counter(e["tier"] for e in pool)),
        "pool": pool,
    }


def _entry(val: Valuation, j: int, rank: int, n: int, pct: float) -> dict[str, Any]:
    ex = val.explain(j)
    ind = val.inds[j]
    facts: list[dict[str, Any]] = [
        {"code": "pool_head", "rank": rank, "n": n, "score": ex["score"], "pct": int(100 * pct)}
    ]
    strong = sorted(
        (
            r
            for r in ex["indicators"]
            if r["normalised"] is not None
            and r["normalised"] >= STRONG
            and r["indicator"] not in ("legal_status", "applicant_type", "remaining_term")
        ),
        key=lambda r: -r["contribution"],
    )
    facts += [r["fact"] for r in strong[:3]]
    term = ind.values.get("remaining_term")
    if term is not None:
        facts.append({"code": "pool_term", "years": term})
    if ind.values.get("legal_status") == "pending":
        facts.append({"code": "pool_pending"})
    owner_t = ind.values.get("applicant_type")
    if owner_t:
        facts.append({"code": f"owner.{owner_t if owner_t in OWNER_REASON else 'unknown'}"})
    if ex["missing"]:
        facts.append(ex["note_fact"])
    reasons = [say(f, "en") for f in facts]
    return {
        "id": ind.doc_id,
        "rank": rank,
        "tier": "A" if pct >= 0.8 else "B",
        "score": ex["score"],
        "rank_score": ex["rank_score"],
        "portfolio_percentile": round(pct, 3),
        "coverage": ex["coverage"],
        "owner": ind.owner,
        "applicant_type": owner_t,
        "legal_status": ind.values.get("legal_status"),
        "remaining_term": term,
        "reasons": reasons,
        "facts": facts,
    }
