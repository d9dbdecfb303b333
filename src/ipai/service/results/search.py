"""Results of the search tools beyond one page of hits: associated terms, facets, saved searches
(``ipai.service.core``, ``search_tools``, ``searches``). A page of hits is ``results_json``'s
(``ipai.api.schemas.SearchResponse``)."""

from __future__ import annotations

from typing import Any

from ipai.service.results.common import Num, Result, Row

SavedSearch = Row
"""A saved search or history entry (id, kind, name, query, params, total, created_at, run_at)."""


class Association(Result):
    """An associated term (``ipai.search.expand.Suggestion`` as a dict)."""

    term: str
    score: Num
    lang: str
    sources: list[str]
    count: int
    kind: str


class Facets(Result):
    """``Service.search_facets``: counts of a query's matched set by applicant, year, country,
    class and legal status, each value with the filter that finds its documents."""

    query: str
    filters: dict[str, Any]
    matched: int
    counted: int
    capped: bool
    facets: dict[str, list[dict[str, Any]]]
    took_ms: Num
