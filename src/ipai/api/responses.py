"""Response types of the ``/api/v1`` routes that return a service result: ``{"ok": true}`` and
the result (``ipai.service.results``), or ``ok`` beside one named row or count. FastAPI validates
each response through its type and the OpenAPI schema shows it; keys a type does not declare
pass through (``ipai.service.results.common.Result``)."""

from __future__ import annotations

from typing import Any, NotRequired

from ipai.service.results import analytics as A
from ipai.service.results import assess as AS
from ipai.service.results import checker as C
from ipai.service.results import deals as DL
from ipai.service.results import documents as D
from ipai.service.results import draft as DR
from ipai.service.results import evidence as E
from ipai.service.results import explain as X
from ipai.service.results import fto as F
from ipai.service.results import images as IM
from ipai.service.results import industry as IN
from ipai.service.results import manage as MG
from ipai.service.results import monitor as MO
from ipai.service.results import qa as Q
from ipai.service.results import security as SE
from ipai.service.results import transfer as T
from ipai.service.results import triz as TR
from ipai.service.results import value as V
from ipai.service.results.common import Page, Result, Row


class Ok(Result):
    """Every successful JSON response starts with ``ok: true``."""

    ok: bool


# ---- one row, a list of rows, a count -------------------------------------------------------------
class Items(Ok):
    items: list[Row]


class DemandOne(Ok):
    demand: T.Demand


class MatchOne(Ok):
    match: T.Match


class WatchlistOne(Ok):
    watchlist: MO.Watchlist


class DisclosureOne(Ok):
    disclosure: MG.Disclosure


class DealOne(Ok):
    deal: DL.Deal


class EntryOne(Ok):
    entry: E.Deposit


class KnowledgeDocumentOne(Ok):
    document: Q.KnowledgeDocument


class TrademarkOne(Ok):
    trademark: dict[str, Any]


class Deleted(Ok):
    deleted: int


class Removed(Ok):
    removed: int


class Acknowledged(Ok):
    acknowledged: int


class Marked(Ok):
    marked: int


class Done(Ok):
    done: int


class Revoked(Ok):
    revoked: str


# ---- corpus and search --------------------------------------------------------------------------
class StatsResponse(Ok, D.CorpusStats):
    pass


class FormatsResponse(Ok):
    formats: list[D.SourceFormat]


class ClassifyResponse(Ok, D.Classification):
    pass


class ClassifierModels(Ok):
    models: list[dict[str, Any]]


class IndexResponse(Ok, D.IndexState):
    pass


class AssessResponse(Ok, AS.Assessment):
    pass


# ---- analytics, value ---------------------------------------------------------------------------
class LandscapeResponse(Ok, A.Landscape):
    pass


class TopicsResponse(Ok, A.TopicMap):
    pass


class EvolutionResponse(Ok, A.Evolution):
    pass


class TalentResponse(Ok, A.Talent):
    pass


class CompanyResponse(Ok, A.CompanyPortrait):
    pass


class ValueResponse(Ok, V.Valuation):
    pass


class ValueScreenResponse(Ok, V.ValueScreen):
    pass


# ---- technology transfer ------------------------------------------------------------------------
class PageResponse(Ok, Page):
    pass


class DemandImportResponse(Ok, T.DemandImport):
    pass


class ProposalsResponse(Ok, T.Proposals):
    pass


class PatentDemandsResponse(Ok, T.PatentDemands):
    pass


class ResourcesResponse(Ok, T.Resources):
    pass


class NotificationsResponse(Ok, T.Notifications):
    pass


# ---- monitoring, images, FTO --------------------------------------------------------------------
class WatchlistsResponse(Ok, MO.Watchlists):
    pass


class WatchRunResponse(Ok, MO.WatchRun):
    pass


class AlertsResponse(Ok, MO.AlertPage):
    pass


class ImageHitsResponse(Ok, IM.ImageHits):
    pass


class ImageStatusResponse(Ok, IM.ImageStatus):
    pass


class WordMarksResponse(Ok, IM.WordMarkHits):
    pass


class ClaimChartsResponse(Ok, F.ClaimCharts):
    pass


class ProductScanResponse(Ok, F.ProductScan):
    pass


class OverseasResponse(Ok, F.OverseasWarning):
    pass


class DirectoryImportResponse(Ok, F.DirectoryImport):
    pass


# ---- evidence -----------------------------------------------------------------------------------
class DepositedHashes(Ok):
    first_index: int
    count: int


class HeadResponse(Ok):
    head: E.SignedHead


class VerifyResponse(Ok):
    """A receipt checked: ``verified`` and each check; the entry and head when the receipt was read."""

    verified: bool
    checks: list[dict[str, Any]]
    entry: NotRequired[dict[str, Any]]
    tree_head: NotRequired[dict[str, Any]]
    public_key_fingerprint: NotRequired[str]


class HeadCheckResponse(Ok):
    """``ok`` is the check's: is the log a consistent extension of the head kept?"""

    message: str
    proof: NotRequired[list[str]]
    tree_size: NotRequired[int]


class GiTraceResponse(E.GiTrace):
    """The batch's trace; its ``ok`` is the batch's (every link checked)."""


class AuditResponse(Ok):
    audit: E.AuditReport


# ---- drafting, TRIZ, QA, explain ----------------------------------------------------------------
class ClaimCheckResponse(Ok, C.ClaimCheck):
    pass


class DraftResponse(Ok, DR.Draft):
    pass


class TrizResponse(Ok, TR.Principles):
    pass


class TrizSuggestResponse(Ok, TR.ParameterSuggestion):
    pass


class TrizCompareResponse(Ok, TR.MatrixComparison):
    pass


class TrizParametersResponse(Ok, TR.Parameters):
    pass


class AnswerResponse(Ok, Q.Answer):
    pass


class KnowledgeLoadResponse(Ok, Q.KnowledgeLoad):
    pass


class ExplainResponse(Ok, X.Explanation):
    pass


# ---- accounts -----------------------------------------------------------------------------------
class CallerResponse(Ok, SE.Caller):
    """The principal signed in."""


class MeResponse(Ok, SE.Caller):
    auth: bool


class UserResponse(Ok, SE.User):
    pass


class Users(Ok):
    items: list[SE.User]


class NewKeyResponse(Ok, SE.NewApiKey):
    pass


# ---- management, deals, industry ----------------------------------------------------------------
class DeadlineScanResponse(Ok, MG.DeadlineScan):
    pass


class ProductLinkResponse(Ok, MG.ProductLink):
    pass


class PortfolioResponse(Ok, MG.Portfolio):
    pass


class DealVerificationResponse(Ok):
    verification: DL.DealVerification


class DealExportResponse(Ok):
    """The deal, its agreement and its history (``format=json``)."""

    deal: dict[str, Any]
    agreement: dict[str, Any]
    history: list[dict[str, Any]]


class IndustryResponse(Ok, IN.IndustryView):
    pass


class SchemesResponse(Ok):
    schemes: list[dict[str, Any]]


class ConcordanceResponse(Ok, IN.ConcordanceLoad):
    pass


class FiguresResponse(Ok, IN.FiguresLoad):
    pass


class SearchMonitorResponse(Ok):
    watchlist: MO.Watchlist
