"""Results of licensing and transfer deals (``ipai.service.deals``)."""

from __future__ import annotations

from typing import Any

from ipai.service.results.common import Page, Result, Row

Deal = Row
"""A deal with its agreement, versions, records and the statuses it may move to (``Service.deal``)."""

DealPage = Page
"""``Service.deals``: a page of deals."""


class DealVerification(Result):
    """``Service.verify_deal``: every record of a deal checked against its evidence deposit."""

    deal_id: int
    ok: bool
    checked: int
    tampered: int
    records: list[dict[str, Any]]


DealExport = dict[str, Any]
"""``Service.export_deal`` (JSON): the deal, its agreement and history."""
