"""Results of patent valuation (``ipai.service.value``; scores from :mod:`ipai.value`)."""

from __future__ import annotations

from typing import Any

from ipai.service.results.common import Num, Result


class Valuation(Result):
    """``Service.value``: a value score (0–100) per document with its per-indicator explanation."""

    query: str | None
    numbers: list[str] | None
    matched: int
    valued: int
    as_of: str
    reference_documents: int
    weights: dict[str, Num]
    full_coverage: Num
    learned_model: str | None
    documents: list[dict[str, Any]]
    timing_ms: Num


class ValueScreen(Result):
    """``Service.value_screen``: the transformable patent pool of a portfolio, with reasons."""

    query: str
    matched: int
    as_of: str
    portfolio: int
    eligible: int
    pool_size: int
    listed: int
    rules: dict[str, Num]
    excluded: dict[str, int]
    excluded_facts: list[dict[str, Any]]
    pool_by_owner_type: dict[str, int]
    tiers: dict[str, int]
    pool: list[dict[str, Any]]
    timing_ms: Num
