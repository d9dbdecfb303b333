"""Results of the analytics use cases: landscape, topic map, evolution, talent, company
(``ipai.service.analytics``; the sections come from :mod:`ipai.analytics`)."""

from __future__ import annotations

from typing import Any, NotRequired

from ipai.service.results.common import Num, Result

YearCounts = dict[Any, Any]
"""Counts by year: the keys are ``int`` years (JSON turns them into strings)."""


class KeyCount(Result):
    """A bucket of a ranking: the key (a class, jurisdiction, inventor …) and its count."""

    key: str
    count: int


class Landscape(Result):
    """``Service.landscape``: counts by year, jurisdiction, class, applicant, inventor;
    applicant × class; co-applicants; hotspots and white space (with ``trends``); the timing."""

    query: str
    filters: str
    matched: int
    analysed: int
    truncated: bool
    documents: int
    families: int
    count: str
    years: dict[str, int | None]
    by_year: YearCounts
    by_publication_year: YearCounts
    by_jurisdiction: list[KeyCount]
    by_subclass: list[KeyCount]
    by_group: list[KeyCount]
    by_applicant: list[dict[str, Any]]
    by_inventor: list[KeyCount]
    applicant_technology: dict[str, Any]
    applicant_years: dict[str, YearCounts]
    co_applicants: dict[str, Any]
    applicants_distinct: int
    inventors_distinct: int
    hotspots: NotRequired[dict[str, Any]]
    whitespace: NotRequired[dict[str, Any]]
    timing_ms: dict[str, Num]


class TopicMap(Result):
    """``Service.topics``: clusters with zh/en labels, sizes, years and 2-D positions (``note``
    instead of points and method when there are too few documents)."""

    query: str
    matched: int
    k: int
    documents: int
    topics: list[dict[str, Any]]
    points: NotRequired[list[dict[str, Any]]]
    method: NotRequired[str]
    note: NotRequired[str]


class Evolution(Result):
    """``Service.evolution``: the citation main path, or a topic timeline without citations."""

    query: str
    matched: int
    method: str
    citations: int
    main_path: NotRequired[list[dict[str, Any]]]
    top_edges: NotRequired[list[Any]]
    timeline: NotRequired[list[dict[str, Any]]]


class Talent(Result):
    """``Service.talent``: inventors ranked for a demand, with their co-inventor network."""

    query: str
    documents: int
    inventors: list[dict[str, Any]]
    network: dict[str, list[dict[str, Any]]]
    weights: dict[str, Num]


class CompanyPortrait(Result):
    """``Service.company``: portfolio, technology mix, inventors, partners, citations, and
    innovation strength among the peers of its leading classes."""

    name: str
    documents: int
    families: int
    by_year: YearCounts
    by_jurisdiction: list[KeyCount]
    technology_mix: list[KeyCount]
    technology_years: dict[str, YearCounts]
    key_inventors: list[KeyCount]
    partners: list[KeyCount]
    citations_received: int
    most_cited: list[dict[str, Any]]
    variants: list[str]
    strength: dict[str, Any]
    field: dict[str, Any]
    timing_ms: Num
