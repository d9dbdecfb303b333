"""Results of technology transfer (called ``match`` in ``ipai.service.match`` and
``ipai.transfer``): demands, proposals, the three lists, notifications."""

from __future__ import annotations

from typing import Any, NotRequired

from ipai.service.results.common import Num, Page, Result, Row

Demand = Row
"""A stored demand (``store.get_demand``): id, text, title, organisation, status, dates …"""

Match = Row
"""A stored match (``store.get_match``): demand, kind, target, label, rank, score, status, feedback …"""

DemandPage = Page
"""``Service.demands``: the needs list, newest first."""

MatchPage = Page
"""``Service.matches``: the matches list."""


class DemandImport(Result):
    """``Service.import_demands``: rows loaded, and every bad cell as {row, column, message}."""

    file: str
    imported: int
    ids: list[int]
    rejected_rows: list[int]
    errors: list[dict[str, Any]]
    ignored_columns: list[str]


class Proposals(Result):
    """``Service.match_demand``: patents, owners and experts for a demand with calibrated relevance;
    a stored demand's proposals carry their match id, status and feedback."""

    lang: str
    key_terms: list[dict[str, Any]]
    translations: dict[str, list[str]]
    predicted_classes: list[str]
    threshold: Num
    patents: list[dict[str, Any]]
    owners: list[dict[str, Any]]
    experts: list[dict[str, Any]]
    best: Num
    good_match: bool
    notice: NotRequired[str]
    query: NotRequired[str]
    timing_ms: dict[str, Num]
    new_proposals: NotRequired[int]
    demand_id: int | None


class PatentDemands(Result):
    """``Service.match_patent``: open demands ranked for one stored patent."""

    patent: str
    title: str
    threshold: Num
    demands: list[dict[str, Any]]


class Resources(Result):
    """``Service.resources``: patent owners of the given types with their patents and experts."""

    kinds: list[str]
    owners: list[dict[str, Any]]
    total_owners: int
    documents_scanned: int


class Notifications(Result):
    """``Service.notifications``: in-app notifications and the unread count."""

    items: list[Row]
    unread: int
