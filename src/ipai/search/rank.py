"""How a plan becomes one ranked list — shared by the single and the sharded engine.

The rules a patent searcher relies on:

1. **A filter is never evidence.** Filters constrain both lists; a document counts as a keyword
   match only if it carries a concept of the query. ``total`` counts those, not the filtered set.
2. **All concepts first.** The keyword side runs its tiers (every concept, then most, then any)
   until it has enough candidates; the fused list is then ordered by the concepts each document
   carries (with four or more concepts, 75 % counts as all), and within that by reciprocal-rank
   fusion — where a document both lists found always outranks one that only one list found at a
   weak rank.
3. **Partial matches by meaning.** When fewer documents carry every concept than the page
   shows, the best documents of *each* concept become candidates too (so a rare concept cannot
   crowd out the others), and documents carrying the same number of concepts are ordered by
   their meaning score against the query written in their own language (:mod:`ipai.search.meaning`).
4. **Nothing relevant, nothing shown.** When no document carries any concept of the query, the
   semantic neighbours are only candidates: each must pass the verifier (the e5 encoder against
   a calibrated floor, :mod:`ipai.search.verify`) or the answer is empty — never ten random
   documents.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from ipai.search.fusion import rrf, settle_ties
from ipai.search.plan import Plan


class Side(Protocol):
    """What an engine offers the ranker (keys are the engine's own document keys)."""

    def kw_search(self, query: Any, n: int, count: bool) -> tuple[np.ndarray, np.ndarray, int]:
        """Best ``n`` keys and scores of a keyword query, and how many documents match (if ``count``)."""
        ...

    def sem_search(self, text: str, n: int, constraint: Any | None) -> tuple[np.ndarray, np.ndarray]:
        """Nearest ``n`` keys and cosines of a text, among documents satisfying ``constraint``."""
        ...

    def kw_among(self, query: Any, keys: list[int]) -> set[int]:
        """Which of ``keys`` match a keyword query."""
        ...

    def meaning(self, plan: Plan, keys: list[int]) -> dict[int, float]:
        """Meaning scores of documents against the query in each one's language ({} when off)."""
        ...


Verifier = Callable[..., dict[int, float]]  # (query text, keys, each=False) → keys that pass, with scores


@dataclass
class Ranking:
    """The fused list and how it came about."""

    ranked: list[tuple[int, float]]
    total: int  # documents carrying at least one concept (and satisfying the filters)
    ranks: dict[str, dict[int, int]]
    total_all: int | None = None  # … carrying every concept (when there are two or more)
    carried: dict[int, int] = field(default_factory=dict)  # key → concepts carried
    concept_counts: list[int] = field(default_factory=list)  # documents per required concept (0 = not found)
    semantic_only: bool = False  # no document has the words: what is shown passed the verifier
    verified: dict[int, float] = field(default_factory=dict)


PARTIAL_POOL = 40  # candidates of the concepts together when full matches do not fill the page
MEANING_POOL = 30  # partial matches given a meaning score (the rest follow by fused score)


def rank(
    plan: Plan,
    mode: str,
    need: int,
    side: Side,
    *,
    count: bool = True,
    page: int = 10,
    weights: dict[str, float] | None = None,
    verify: Verifier | None = None,
    parallel: Callable[[Callable[[], Any]], Any] | None = None,
) -> Ranking:
    """Rank a plan: ``mode`` keyword | semantic | hybrid; ``need`` candidates from each list;
    ``parallel(fn)`` runs ``fn`` beside the caller and returns a handle with ``result()``."""
    lists: dict[str, list[int]] = {}
    scores: dict[str, dict[int, float]] = {}
    run_kw = mode in ("hybrid", "keyword") and bool(plan.tiers)
    run_sem = mode in ("hybrid", "semantic") and plan.has_text and bool(plan.semantic_text.strip())
    out = Ranking(ranked=[], total=0, ranks={})
    bounds = Bounds(n=len(plan.concept_queries), rest_hi=len(plan.concept_queries))

    def semantic() -> tuple[np.ndarray, np.ndarray]:
        return side.sem_search(plan.semantic_text, need, plan.constraint)

    fut = parallel(semantic) if (run_sem and run_kw and parallel) else None
    if run_kw:
        keys, sc, out.total, out.total_all, bounds = _tiers(plan, need, side, count)
        lists["keyword"], scores["keyword"] = keys, sc
    elif plan.has_text and plan.tiers:  # semantic mode still needs to know whether the words match anything
        out.total = side.kw_search(plan.tiers[-1], 1, True)[2]
    if run_sem:
        s_keys, s_sc = fut.result() if fut is not None else semantic()
        s_list = [int(k) for k in s_keys]
        scores["semantic"] = dict(zip(s_list, (float(x) for x in s_sc), strict=False))
        lists["semantic"] = settle_ties(s_list, scores["semantic"])
    if not plan.has_text and plan.constraint is not None:  # filters alone: a listing, in index order
        keys_, _, total = side.kw_search(plan.constraint, need, True)
        lists, scores, out.total = {"keyword": [int(k) for k in keys_]}, {}, total
    if plan.has_text and out.total == 0 and "semantic" in lists and not plan.free_text:
        passed = (
            verify(plan.semantic_text, lists["semantic"])
            if verify and lists["semantic"] and plan.known
            else {}
        )
        checked = sorted(passed, key=lambda k: -passed[k])
        lists["semantic"] = checked + [k for k in lists["semantic"] if k not in passed] if passed else []
        scores["semantic"].update(passed)
        out.semantic_only, out.verified = True, passed
        lists.pop("keyword", None)
    lists = {k: v for k, v in lists.items() if v}
    out.ranks = {name: {k: r for r, k in enumerate(lst, 1)} for name, lst in lists.items()}
    if not lists:
        return out
    if len(lists) == 1:
        name, only = next(iter(lists.items()))
        fused = [(k, float(scores.get(name, {}).get(k, 0.0))) for k in only]
    else:
        fused = rrf(lists, weights=weights or {})
    if mode != "semantic" and plan.concept_queries and not out.semantic_only:
        fused = _by_concepts(plan, fused, side, out, page, mode, bounds)
        fused = _checked_tail(plan, fused, out, page, verify)
    out.ranked = fused
    return out


def _checked_tail(
    plan: Plan, fused: list[tuple[int, float]], out: Ranking, page: int, verify: Verifier | None
) -> list[tuple[int, float]]:
    """Documents that carry no concept (found by meaning alone) after the word matches: those
    that would be shown must each pass the verifier, the rest are dropped."""
    tail = [k for k, _ in fused if out.carried.get(k, 0) == 0]
    shown = [k for k, _ in fused[:page] if out.carried.get(k, 0) == 0]
    if not shown:
        return fused
    passed = verify(plan.semantic_text, shown, each=True) if verify is not None and plan.known else {}
    out.verified.update(passed)
    drop = set(tail) - set(passed)
    return [(k, s) for k, s in fused if k not in drop]


@dataclass
class Bounds:
    """What the tier searches tell about the concepts each candidate carries: at least ``lo``,
    at most ``hi`` (exact when equal) — so most candidates need no further search."""

    n: int
    lo: dict[int, int] = field(default_factory=dict)
    hi: dict[int, int] = field(default_factory=dict)
    rest_hi: int = 0  # bound for documents no tier returned

    def of(self, key: int) -> tuple[int, int]:
        """(lo, hi) of a key."""
        return self.lo.get(key, 0), self.hi.get(key, self.rest_hi)


def _tiers(
    plan: Plan, need: int, side: Side, count: bool
) -> tuple[list[int], dict[int, float], int, int | None, Bounds]:
    """Keyword candidates, tier after tier (most concepts first), the match counts, and the
    bounds of each candidate's concepts."""
    keys: list[int] = []
    scores: dict[int, float] = {}
    total, total_all = 0, None
    last = len(plan.tiers) - 1
    n = len(plan.concept_queries)
    levels = sorted({n, plan.full(), 1}, reverse=True) if n else [0]
    bounds = Bounds(n=n, rest_hi=n)
    upper = n  # the most concepts a document not found by the tiers so far can carry
    for t, q in enumerate(plan.tiers):
        want_count = count and (t == last or (t == 0 and n > 1))
        if len(keys) >= need and not want_count:
            continue
        limit = need if len(keys) < need else 1
        got, sc, found = side.kw_search(q, limit, want_count)
        if t == 0 and n > 1:
            total_all = found if count else None
        if t == last:
            total = found
        level = levels[t] if t < len(levels) else 1
        start = len(keys)
        for k, s in zip(got.tolist(), sc.tolist(), strict=False):
            k = int(k)
            if k not in scores and len(keys) < need:
                keys.append(k)
                scores[k] = float(s)
            if k not in bounds.lo:
                bounds.lo[k], bounds.hi[k] = level, upper
        keys[start:] = settle_ties(keys[start:], scores)  # equal scores in row order, within the tier
        if limit > 1 and len(got) < limit:  # this tier was read to its end: the rest carry fewer
            upper = level - 1
    bounds.rest_hi = upper
    if not count:
        total = len(keys)
    return keys, scores, total, total_all, bounds


def _by_concepts(
    plan: Plan, fused: list[tuple[int, float]], side: Side, out: Ranking, page: int, mode: str, bounds: Bounds
) -> list[tuple[int, float]]:
    """Order by concepts carried (full matches first), then by fused score; partial matches by
    meaning when full matches do not fill the page. Exact counts are searched only where the
    tiers left them open and the order of the page depends on them."""
    full = plan.full()
    carried = {k: bounds.of(k)[0] for k, _ in fused}
    n_full = sum(1 for v in carried.values() if v >= full)
    if len(plan.concept_queries) > 1 and n_full < page:
        pool = {k: s for k, s in fused}
        for q in plan.concept_searches:
            keys, _, _ = side.kw_search(q, PARTIAL_POOL // len(plan.concept_searches) + 5, False)
            for k in keys.tolist():
                pool.setdefault(int(k), 0.0)
                bounds.lo[int(k)] = max(bounds.lo.get(int(k), 0), 1)
        open_ = [k for k in pool if bounds.of(k)[0] < bounds.of(k)[1]]
        exact = _carried(plan, open_, side) if open_ else {}
        carried = {k: exact.get(k, bounds.of(k)[0]) for k in pool}
        partial = [k for k in pool if 0 < carried[k] < full][:MEANING_POOL]
        meaning = side.meaning(plan, partial) if partial and mode == "hybrid" else {}
        out.carried = carried
        order = {k: i for i, k in enumerate(pool)}
        ranked = sorted(
            pool.items(), key=lambda ks: (-min(carried[ks[0]], full), -meaning.get(ks[0], -1.0), order[ks[0]])
        )
        return [(k, meaning.get(k, s)) for k, s in ranked]
    order = {k: i for i, (k, _) in enumerate(fused)}
    ranked = fused
    for _ in range(3):  # settle the page: open counts on it are searched, then the order is redone
        ranked = sorted(fused, key=lambda ks: (-min(carried[ks[0]], full), order[ks[0]]))
        open_ = [k for k, _ in ranked[:page] if k not in out.carried and bounds.of(k)[0] < bounds.of(k)[1]]
        if not open_:
            break
        exact = _carried(plan, open_, side)
        for k in open_:
            carried[k] = out.carried[k] = exact.get(k, 0)
    out.carried = {**carried, **out.carried}
    return ranked


def _carried(plan: Plan, keys: list[int], side: Side) -> dict[int, int]:
    """Concepts each document carries."""
    carried = dict.fromkeys(keys, 0)
    for q in plan.concept_queries:
        for k in side.kw_among(q, keys):
            carried[k] = carried.get(k, 0) + 1
    return carried
