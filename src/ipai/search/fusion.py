"""Rank fusion of the keyword and semantic result lists."""

from __future__ import annotations

RRF_K = 60  # the constant of Cormack et al. (2009); results were flat for k in 10…100 here


def settle_ties(keys: list[int], scores: dict[int, float]) -> list[int]:
    """``keys`` with each run of equal scores ordered by key (the document's row), the rest of the
    order kept: an engine returns equal scores in the order of its segments, which depends on how
    the index was built (in one go or refreshed), and rank fusion would carry that difference on."""
    out: list[int] = []
    run: list[int] = []
    last: float | None = None
    for k in keys:
        s = scores.get(k)
        if run and s != last:
            out.extend(sorted(run))
            run = []
        run.append(k)
        last = s
    out.extend(sorted(run))
    return out


def rrf(
    lists: dict[str, list[int]], weights: dict[str, float] | None = None, k: int = RRF_K
) -> list[tuple[int, float]]:
    """Reciprocal-rank fusion: ``sum_w w / (k + rank)``; ties broken by the first list's order."""
    weights = weights or {}
    score: dict[int, float] = {}
    first_seen: dict[int, int] = {}
    n = 0
    for name, items in lists.items():
        w = weights.get(name, 1.0)
        for r, item in enumerate(items, 1):
            score[item] = score.get(item, 0.0) + w / (k + r)
            if item not in first_seen:
                first_seen[item] = n
                n += 1
    return sorted(score.items(), key=lambda kv: (-kv[1], first_seen[kv[0]]))
