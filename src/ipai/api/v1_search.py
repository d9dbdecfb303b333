"""``/api/v1`` endpoints of the search results page beyond one page of hits: facets, export (CSV,
XLSX), saved searches, search history and monitoring a search (一键监控)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from ipai.api import responses as R
from ipai.api import schemas as M
from ipai.faces import params as P
from ipai.faces.auth import VISITOR_COOKIE
from ipai.faces.exports import XLSX, export_response
from ipai.service import Service

router = APIRouter()
ERRORS = M.error_responses()
Sort = Literal["relevance", "date_desc", "date_asc", "citations"]
Lang = Literal["en", "zh"]


def _svc(request: Request) -> Service:
    return request.app.state.service


def _visitor(request: Request) -> str | None:
    return request.cookies.get(VISITOR_COOKIE)


class FacetValue(BaseModel):
    """One value of a facet, its count and the search filters that drill down to it."""

    value: str
    count: int
    label: dict[str, str] | None = Field(None, description="Legal statuses: the label in en and zh.")
    filter: dict[str, Any] = Field(
        description="Filters to add to the search (cc, year_from/year_to, cls, "
        "applicant, status) to see exactly these documents."
    )


class FacetsResponse(BaseModel):
    """Facets of a query's matched set."""

    ok: bool = True
    query: str
    filters: dict[str, Any]
    matched: int = Field(description="Documents the query matches (Boolean: every word in one of its forms).")
    counted: int = Field(
        description="Documents year, country and class are counted over (best first, at most "
        "search_facet_max)."
    )
    capped: bool = Field(description="True when more documents match than were counted.")
    took_ms: float
    facets: dict[str, list[FacetValue]] = Field(
        description="applicant, year, country, cls (subclass), status."
    )


class SavedSearch(BaseModel):
    """A saved search or a history entry."""

    id: int
    kind: str = Field(description="saved or history")
    name: str | None = None
    query: str
    params: dict[str, Any] = Field(description="Filters, mode, sort, cross_lingual, collapse that were set.")
    total: int | None = Field(None, description="Documents found when it was last run.")
    created_at: str
    run_at: str


class SavedList(BaseModel):
    ok: bool = True
    items: list[SavedSearch]


class SavedOne(BaseModel):
    ok: bool = True
    search: SavedSearch


class SaveIn(BaseModel):
    """A search to save: the query and the parameters of the search form."""

    model_config = ConfigDict(extra="forbid")
    query: str = Field(..., min_length=1, max_length=20_000)
    name: str | None = Field(None, max_length=200, description="Default: the query.")
    params: dict[str, Any] = Field(
        default_factory=dict,
        description="cc, lang, year_from, year_to, cls, applicant, "
        "doc_type, status, mode, sort, cross_lingual, collapse",
    )


class MonitorIn(BaseModel):
    """一键监控: watch the documents newly ingested that a search finds."""

    model_config = ConfigDict(extra="forbid")
    query: str = Field(..., min_length=1, max_length=20_000)
    params: dict[str, Any] = Field(
        default_factory=dict, description="The search's filters (as for a saved search)."
    )
    name: str | None = Field(None, max_length=200)
    severity: Literal["low", "medium", "high"] | None = None


def _filters(
    cc: str | None,
    lang: str | None,
    year_from: int | None,
    year_to: int | None,
    cls: str | None,
    applicant: str | None,
    doc_type: str | None,
    status: str | None,
) -> dict[str, Any]:
    return {
        "cc": cc,
        "lang": lang,
        "year_from": year_from,
        "year_to": year_to,
        "cls": cls,
        "applicant": applicant,
        "doc_type": doc_type,
        "status": status,
    }


Q = Annotated[str, Query(description="The query (as for /search).", max_length=20_000)]
Cc = Annotated[str | None, Query(description="Jurisdiction(s): US or US,CN", max_length=200)]
Year = Annotated[int | None, Query(ge=1790, le=2100)]
Text = Annotated[str | None, Query(max_length=500)]
Status = Annotated[str | None, Query(description="Legal status (as for /search)", max_length=40)]


@router.get("/search/facets", response_model=FacetsResponse, responses=ERRORS, tags=["search"])
def facets(
    request: Request,
    q: Q,
    cross_lingual: bool = True,
    cc: Cc = None,
    lang: Text = None,
    year_from: Year = None,
    year_to: Year = None,
    cls: Text = None,
    applicant: Text = None,
    doc_type: Text = None,
    status: Status = None,
) -> dict[str, Any]:
    """Counts of the documents a query matches by applicant (name variants merged), publication
    year, jurisdiction, CPC/IPC subclass and legal status; each value names the filter that finds
    exactly its documents."""
    flt = _filters(cc, lang, year_from, year_to, cls, applicant, doc_type, status)
    return {
        "ok": True,
        **_svc(request).search_tools.search_facets(q, filters=flt, cross_lingual=cross_lingual),
    }


@router.get(
    "/search/export",
    response_class=StreamingResponse,
    tags=["search"],
    responses={
        **ERRORS,
        200: {
            "description": "The rows as CSV (UTF-8 with BOM) or XLSX",
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                XLSX: {"schema": {"type": "string", "format": "binary"}},
            },
        },
    },
)
def export(
    request: Request,
    q: Annotated[str | None, Query(description="The query (omit with ids).", max_length=20_000)] = None,
    ids: Annotated[
        list[str] | None,
        Query(
            description="Export exactly these documents (the selection), in this order.", max_length=P.MAX_IDS
        ),
    ] = None,
    format: Literal["csv", "xlsx"] = "csv",
    sort: Sort = "relevance",
    cross_lingual: bool = True,
    limit: Annotated[
        int | None,
        Query(ge=1, le=1_000_000, description="Rows at most (default and ceiling: search_export_max)."),
    ] = None,
    lang: Annotated[
        Lang | None,
        Query(
            description="Language of the column headers and legal-status "
            "labels; default: Accept-Language, else English"
        ),
    ] = None,
    cc: Cc = None,
    doc_lang: Annotated[str | None, Query(description="Filter: document language", max_length=20)] = None,
    year_from: Year = None,
    year_to: Year = None,
    cls: Text = None,
    applicant: Text = None,
    doc_type: Text = None,
    status: Status = None,
) -> StreamingResponse:
    """The result set of a query (every matched document in the order of ``sort``, up to the cap)
    or the selected documents (``ids``) as CSV or XLSX: publication number, title, applicants,
    publication date, country, classes, legal status, family, abstract (first 300 characters), link."""
    from ipai.web.i18n import accept_language

    reader = lang or accept_language(request.headers.get("accept-language")) or "en"
    flt = _filters(cc, doc_lang, year_from, year_to, cls, applicant, doc_type, status)
    base = str(request.base_url).rstrip("/") + request.scope.get("root_path", "").rstrip("/")
    return export_response(
        _svc(request),
        q=q,
        ids=ids,
        fmt=format,
        sort=sort,
        cross_lingual=cross_lingual,
        filters=flt,
        lang=reader,
        base_url=base,
        limit=limit,
    )


@router.get("/searches/saved", response_model=SavedList, responses=ERRORS, tags=["search"])
def saved(request: Request, limit: Annotated[int, Query(ge=1, le=500)] = 50) -> dict[str, Any]:
    """Your saved searches, newest first (signed-in users: their own; the local user: the laptop's;
    anonymous visitors: their browser's, through the web UI's visitor cookie)."""
    return {
        "ok": True,
        "items": _svc(request).searches.saved_searches(visitor=_visitor(request), limit=limit),
    }


@router.post("/searches/saved", response_model=SavedOne, responses=ERRORS, tags=["search"])
def save(request: Request, body: SaveIn) -> dict[str, Any]:
    """Save a search under a name."""
    return {
        "ok": True,
        "search": _svc(request).searches.save_search(
            body.query, body.name, body.params, visitor=_visitor(request)
        ),
    }


@router.delete("/searches/saved/{search_id}", response_model=R.Deleted, responses=ERRORS, tags=["search"])
def delete_saved(request: Request, search_id: P.RowId) -> dict[str, Any]:
    """Delete one of your saved searches (or history entries)."""
    _svc(request).searches.delete_saved_search(search_id, visitor=_visitor(request))
    return {"ok": True, "deleted": search_id}


@router.get("/searches/history", response_model=SavedList, responses=ERRORS, tags=["search"])
def history(request: Request, limit: Annotated[int, Query(ge=1, le=500)] = 20) -> dict[str, Any]:
    """Your most recently run searches on the search page, newest first."""
    return {
        "ok": True,
        "items": _svc(request).searches.search_history(visitor=_visitor(request), limit=limit),
    }


@router.delete("/searches/history", response_model=R.Deleted, responses=ERRORS, tags=["search"])
def clear_history(request: Request) -> dict[str, Any]:
    """Forget your search history."""
    return {"ok": True, "deleted": _svc(request).searches.clear_search_history(visitor=_visitor(request))}


@router.post("/searches/monitor", response_model=R.SearchMonitorResponse, responses=ERRORS, tags=["search"])
def monitor(request: Request, body: MonitorIn) -> dict[str, Any]:
    """一键监控: a query watchlist for the search (query and filters); its alerts are the newly
    ingested documents the search finds (see /watchlists)."""
    return {
        "ok": True,
        "watchlist": _svc(request).searches.monitor_search(
            body.query, body.params, name=body.name, severity=body.severity
        ),
    }
