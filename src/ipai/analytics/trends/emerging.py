"""Emerging terms and classes: growth and Kleinberg burst detection over yearly document counts.

The input is, per year, how many documents there are in total and how many of them carry each
term (or CPC group): a term counts once per document. Two measures are computed per term:

- **growth** — the ratio of the term's share of documents in the last ``recent`` years to its
  share in the ``recent`` years before (add-one smoothed), and the log-linear slope of its share
  over the last ``2·recent`` years;
- **bursts** — Kleinberg's two-state automaton for batched arrivals (Kleinberg 2003, "Bursty and
  hierarchical structure in streams", §4): a base state emitting the term at its overall rate
  ``p0`` and a burst state at ``s·p0``; each year's cost is the binomial negative log-likelihood
  of its count, entering the burst state costs ``γ·ln(years)``. The Viterbi path gives the burst
  years; a burst's weight is the cost saved by being in the burst state during it.

A term is *emerging* when it is in a burst in the last year, or has a burst that ended at most
``recent`` years earlier and is still growing; the score ranks emerging terms first by burst
weight in the recent window, then by growth.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np


@dataclass
class Burst:
    """A run of burst years and its weight (cost saved by the burst state)."""

    start: int
    end: int
    weight: float


@dataclass
class TermTrend:
    """One term's yearly document counts, growth and bursts."""

    term: str
    total: int
    series: dict[int, int]
    growth: float
    slope: float
    bursts: list[Burst] = field(default_factory=list)
    emerging: bool = False
    score: float = 0.0
    label: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        d = asdict(self)
        d["series"] = {str(k): v for k, v in self.series.items()}
        return d


def _binom_cost(r: np.ndarray, d: np.ndarray, p: float) -> np.ndarray:
    p = min(max(p, 1e-9), 1 - 1e-9)
    return -(r * math.log(p) + (d - r) * math.log(1 - p))


def kleinberg_bursts(
    counts: list[int] | np.ndarray,
    totals: list[int] | np.ndarray,
    years: list[int],
    s: float = 2.0,
    gamma: float = 1.0,
) -> list[Burst]:
    """Burst runs of a term with ``counts[t]`` of ``totals[t]`` documents in ``years[t]``."""
    r, d = np.asarray(counts, float), np.asarray(totals, float)
    n = len(r)
    if n < 2 or d.sum() <= 0 or r.sum() <= 0:
        return []
    p0 = r.sum() / d.sum()
    p1 = min(s * p0, 0.9999)
    if p1 <= p0:
        return []
    c0, c1 = _binom_cost(r, d, p0), _binom_cost(r, d, p1)
    up = gamma * math.log(n)
    # Viterbi over states 0/1; cost of going 0→1 is ``up``, 1→0 is free
    cost = np.array([c0[0], c1[0] + up])
    back = np.zeros((n, 2), dtype=int)
    for t in range(1, n):
        stay0, from1_to0 = cost[0], cost[1]
        to1_from0, stay1 = cost[0] + up, cost[1]
        back[t, 0] = 0 if stay0 <= from1_to0 else 1
        back[t, 1] = 0 if to1_from0 < stay1 else 1
        cost = np.array([min(stay0, from1_to0) + c0[t], min(to1_from0, stay1) + c1[t]])
    state = [int(np.argmin(cost))]
    for t in range(n - 1, 0, -1):
        state.append(int(back[t, state[-1]]))
    state.reverse()
    out: list[Burst] = []
    t = 0
    while t < n:
        if state[t] == 1:
            u = t
            while u + 1 < n and state[u + 1] == 1:
                u += 1
            out.append(Burst(years[t], years[u], round(float(np.sum(c0[t : u + 1] - c1[t : u + 1])), 2)))
            t = u + 1
        else:
            t += 1
    return out


def _growth(share: np.ndarray, counts: np.ndarray, totals: np.ndarray, recent: int) -> tuple[float, float]:
    a, b = counts[-recent:], counts[-2 * recent : -recent]
    ta, tb = totals[-recent:], totals[-2 * recent : -recent]
    ratio = ((a.sum() + 1) / (ta.sum() + 1)) / ((b.sum() + 1) / (tb.sum() + 1)) if len(b) else 1.0
    w = share[-2 * recent :]
    slope = float(np.polyfit(np.arange(len(w)), np.log(w + 1e-4), 1)[0]) if len(w) >= 3 else 0.0
    return round(float(ratio), 3), round(slope, 4)


def term_trends(
    term_year: Mapping[str, Mapping[int, int]],
    totals: Mapping[int, int],
    *,
    recent: int = 3,
    min_docs: int = 10,
    s: float = 2.0,
    gamma: float = 1.0,
    labels: Mapping[str, str] | None = None,
    top: int | None = 50,
) -> list[TermTrend]:
    """Growth and bursts of every term with at least ``min_docs`` documents; emerging first.

    ``term_year`` maps term → year → documents carrying it; ``totals`` maps year → documents.
    """
    if not totals:
        return []
    years = list(range(min(totals), max(totals) + 1))
    tot = np.array([float(totals.get(y, 0)) for y in years])
    last = years[-1]
    out: list[TermTrend] = []
    for term, ys in term_year.items():
        total = int(sum(ys.values()))
        if total < min_docs:
            continue
        cnt = np.array([float(ys.get(y, 0)) for y in years])
        share = np.divide(cnt, tot, out=np.zeros_like(cnt), where=tot > 0)
        growth, slope = _growth(share, cnt, tot, recent)
        bursts = kleinberg_bursts(cnt, tot, years, s=s, gamma=gamma)
        recent_w = sum(b.weight for b in bursts if b.end > last - recent)
        emerging = any(b.end == last for b in bursts) or (recent_w > 0 and growth > 1.0)
        score = round(recent_w + math.log(max(growth, 1e-6)) * math.sqrt(cnt[-recent:].sum()), 3)
        first = next(i for i, v in enumerate(cnt) if v)
        out.append(
            TermTrend(
                term,
                total,
                {y: int(v) for y, v in zip(years[first:], cnt[first:], strict=False)},
                growth,
                slope,
                bursts,
                emerging,
                score,
                (labels or {}).get(term),
            )
        )
    out.sort(key=lambda t: (not t.emerging, -t.score))
    return out[:top] if top else out


def count_terms(
    docs_by_year: Mapping[int, Iterable[Iterable[str]]],
) -> tuple[dict[str, dict[int, int]], dict[int, int]]:
    """Document frequencies per term and year, and documents per year, from token lists."""
    term_year: dict[str, dict[int, int]] = {}
    totals: dict[int, int] = {}
    for year, docs in docs_by_year.items():
        n = 0
        c: Counter[str] = Counter()
        for toks in docs:
            n += 1
            c.update(set(toks))
        totals[year] = totals.get(year, 0) + n
        for t, k in c.items():
            term_year.setdefault(t, {})[year] = term_year.get(t, {}).get(year, 0) + k
    return term_year, totals


def emerging_terms(
    docs_by_year: Mapping[int, Iterable[Iterable[str]]] | None = None,
    *,
    term_year: Mapping[str, Mapping[int, int]] | None = None,
    totals: Mapping[int, int] | None = None,
    **kw: Any,
) -> list[TermTrend]:
    """Emerging terms from token lists per year, or from precomputed term-year and total counts.

    Keyword arguments go to :func:`term_trends` (``recent``, ``min_docs``, ``s``, ``gamma``,
    ``labels``, ``top``). The same function serves CPC groups: pass each document's codes as tokens.
    """
    if docs_by_year is not None:
        term_year, totals = count_terms(docs_by_year)
    if term_year is None or totals is None:
        raise ValueError("give docs_by_year, or term_year and totals")
    return term_trends(term_year, totals, **kw)
