"""Metric arithmetic of the search evaluations, on plain lists (no engine, no store)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any


def precision_at_k(flags: Sequence[bool], k: int) -> float:
    """Share of the first ``k`` slots holding a relevant result; missing slots count as misses."""
    if k <= 0:
        raise ValueError("k must be positive")
    return sum(1 for f in flags[:k] if f) / k


def precision_returned(flags: Sequence[bool], k: int) -> float | None:
    """Share of the returned results (at most ``k``) that are relevant; ``None`` for no results."""
    got = flags[:k]
    return sum(1 for f in got if f) / len(got) if got else None


def reciprocal_rank(ranked: Sequence[str], target: str) -> float:
    """1/rank of ``target`` in ``ranked`` (0 when absent)."""
    for i, d in enumerate(ranked, 1):
        if d == target:
            return 1.0 / i
    return 0.0


def mean(values: Iterable[float | None]) -> float | None:
    """Arithmetic mean of the values that are not ``None`` (``None`` if there are none), rounded."""
    vals = [v for v in values if v is not None]
    return round(sum(vals) / len(vals), 4) if vals else None


def first_off_topic(flags: Sequence[bool], k: int) -> int | None:
    """1-based rank of the first returned result in the top ``k`` that is not relevant."""
    for i, f in enumerate(flags[:k], 1):
        if not f:
            return i
    return None


def summarize(rows: Sequence[dict[str, Any]], keys: Sequence[str]) -> dict[str, Any]:
    """Macro averages of ``keys`` over per-query rows, with the query and empty-result counts."""
    out: dict[str, Any] = {"queries": len(rows)}
    for key in keys:
        out[key] = mean(r.get(key) for r in rows)
    out["empty_results"] = sum(1 for r in rows if not r.get("returned"))
    return out


def grouped(
    rows: Sequence[dict[str, Any]], by: Callable[[dict[str, Any]], str], keys: Sequence[str]
) -> dict[str, dict[str, Any]]:
    """:func:`summarize` per group (groups in order of first appearance)."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        groups.setdefault(by(r), []).append(r)
    return {g: summarize(rs, keys) for g, rs in groups.items()}


def attainable_at_k(relevant: int, k: int) -> float:
    """The best P@k a ranking can reach when the collection holds ``relevant`` relevant documents."""
    return min(relevant, k) / k


def of_attainable(p: float, relevant: int | None, k: int) -> float | None:
    """P@k as a share of the attainable P@k (``None`` when unknown or when nothing is relevant)."""
    if relevant is None or relevant <= 0:
        return None
    return round(p / attainable_at_k(relevant, k), 4)


def reciprocal_first(flags: Sequence[bool], k: int) -> float:
    """1/rank of the first relevant result in the top ``k`` (0 when there is none)."""
    for i, f in enumerate(flags[:k], 1):
        if f:
            return 1.0 / i
    return 0.0
