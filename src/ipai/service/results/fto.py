"""Results of claim-vs-product comparison, the reverse scan and overseas early warning
(``ipai.service.fto``; charts from :mod:`ipai.fto.claims`)."""

from __future__ import annotations

from typing import Any

from ipai.service.results.common import Num, Result, Row


class ClaimCharts(Result):
    """``Service.compare_product``: every feature of the claim(s) present / unclear / absent in the
    product, the best claim, and what the patent's legal status means for freedom to operate."""

    patent: str
    title: str
    claims_charted: int
    lang: str
    best_claim: int
    literal_coverage: Num
    legal_status: dict[str, Any]
    blocks: bool
    may_block: bool
    charts: list[dict[str, Any]]


class ProductScan(Result):
    """``Service.scan_product``: stored patents whose first independent claim the product covers most."""

    candidates: int
    charted: int
    without_claims: int
    patents: list[dict[str, Any]]
    timing_ms: Num


class DirectoryImport(Result):
    """``Service.import_directory``: rows loaded, and every bad cell by row and column."""

    kind: str
    loaded: int
    errors: list[dict[str, Any]]
    rejected_rows: list[int]


DirectoryRow = Row
"""An agency or a past case (``Service.directory``)."""


class OverseasWarning(Result):
    """``Service.overseas_warning``: foreign documents closest to a company in its target markets,
    and agencies."""

    company: str
    home: str
    markets: list[str]
    own_documents: int
    own_classes: list[str]
    candidates: int
    threats: list[dict[str, Any]]
    agencies: list[dict[str, Any]]
    timing_ms: Num
