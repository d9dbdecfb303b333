"""Results of IP management: disclosures, deadlines, patent ↔ product links, the portfolio
(``ipai.service.manage``)."""

from __future__ import annotations

from typing import Any

from ipai.service.results.common import Page, Result, Row

Disclosure = Row
"""A disclosure with its status, assessment, history and deadlines (``Service.disclosure``)."""

DisclosurePage = Page
"""``Service.disclosures``: a page of disclosures."""

Deadline = Row
"""A deadline (kind, due date, status …) or a deadline alert."""


class DeadlineScan(Result):
    """``Service.scan_deadlines``: the reminder scan's day, horizon and counts."""

    today: str
    days: int
    due: int
    overdue: int
    new_alerts: int


class ProductLink(Result):
    """``Service.link_product``: a patent linked to a product (``new`` when it was not yet)."""

    patent: str
    product: str
    product_line: str | None
    new: bool


class Portfolio(Result):
    """``Service.portfolio``: per product line each product with its patents; each patent's products."""

    lines: list[dict[str, Any]]
    patents: list[dict[str, Any]]
    links: int
