"""Results of the industry view: patents mapped to industries through a concordance, with the
industry figures (``ipai.service.industry``; built by :mod:`ipai.analytics.industry`)."""

from __future__ import annotations

from typing import Any

from ipai.service.results.common import Result


class IndustryView(Result):
    """``Service.industry``: documents per industry of a scheme (and the figures when loaded)."""

    query: str | None
    applicant: str | None
    matched: int
    scheme: str
    source: str
    documents: int
    mapped: int
    unmapped: int
    counting: str
    figures: dict[str, Any] | None
    industries: list[dict[str, Any]]


class ConcordanceLoad(Result):
    """``Service.load_concordance``: the stored concordance's size."""

    scheme: str
    prefixes: int
    targets: int
    path: str


class FiguresLoad(Result):
    """``Service.load_figures``: the stored industry figures, unknown industry ids reported."""

    scheme: str
    rows: int
    regions: list[str]
    years: list[Any]
    unknown_industry_ids: list[str]
    path: str
