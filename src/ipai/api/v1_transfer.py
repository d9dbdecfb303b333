"""``/api/v1/transfer/…``: technology transfer, the demand, match and notification endpoints
(the needs list, the resources list, the matches list).

The same endpoints without ``/transfer`` (``/api/v1/demands``, ``/api/v1/match``,
``/api/v1/matches`` …) are their deprecated names, kept for one release (:mod:`ipai.api.deprecated`)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from ipai.api import responses as R
from ipai.api import schemas as M
from ipai.api.deprecated import deprecated_aliases
from ipai.errors import InputError
from ipai.faces import params as P
from ipai.service import Service

router = APIRouter(prefix="/transfer")
ERRORS = M.error_responses()
MatchStatus = Literal["proposed", "contacted", "agreed", "closed"]


def _svc(request: Request) -> Service:
    return request.app.state.service


class DemandIn(BaseModel):
    """A technical demand; only ``text`` is required (Chinese or English)."""

    model_config = ConfigDict(extra="forbid")
    text: str = Field(..., max_length=20_000, description="The need, free text")
    title: str | None = Field(None, max_length=500)
    organisation: str | None = Field(None, max_length=255)
    industry: str | None = Field(None, max_length=255)
    region: str | None = Field(None, max_length=255)
    budget: str | None = Field(None, max_length=100)
    deadline: str | None = Field(None, description="YYYY-MM-DD")
    contact: str | None = Field(None, max_length=255)
    status: Literal["open", "closed"] | None = None


class DemandPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str | None = Field(None, max_length=20_000)
    title: str | None = Field(None, max_length=500)
    organisation: str | None = None
    industry: str | None = None
    region: str | None = None
    budget: str | None = None
    deadline: str | None = None
    contact: str | None = None
    status: Literal["open", "closed"] | None = None


class MatchPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    status: MatchStatus | None = None
    feedback: Literal["accepted", "rejected", "none"] | None = None


@router.post("/demands", response_model=R.DemandOne, status_code=201, responses=ERRORS, tags=["transfer"])
def add_demand(request: Request, body: DemandIn, match: bool = True) -> dict[str, Any]:
    """Add a demand; with ``match`` (default) its proposals are computed and a notification made."""
    values = body.model_dump(exclude_none=True)
    return {"ok": True, "demand": _svc(request).transfer.add_demand({**values, "source": "api"}, match=match)}


@router.post("/demands/import", response_model=R.DemandImportResponse, responses=ERRORS, tags=["transfer"])
def import_demands(
    request: Request, file: Annotated[UploadFile, File(description="CSV or XLSX")], match: bool = False
) -> dict[str, Any]:
    """Bulk import; valid rows load and every bad cell is reported as {row, column, message}."""
    svc = _svc(request)
    if not file.filename:
        raise InputError("the upload has no file name", errors=[{"field": "file", "message": "no name"}])
    return {
        "ok": True,
        **svc.transfer.import_demands(svc.corpus.save_upload(file.filename, file.file), match=match),
    }


@router.get("/demands", response_model=R.PageResponse, tags=["transfer"])
def demands(
    request: Request,
    status: Literal["open", "closed"] | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
    offset: P.Offset = 0,
) -> dict[str, Any]:
    """The needs list (newest first)."""
    return {"ok": True, **_svc(request).transfer.demands(status=status, limit=limit, offset=offset)}


@router.get("/demands/{demand_id}", response_model=R.DemandOne, responses=ERRORS, tags=["transfer"])
def demand(request: Request, demand_id: P.RowId) -> dict[str, Any]:
    return {"ok": True, "demand": _svc(request).transfer.demand(demand_id)}


@router.patch("/demands/{demand_id}", response_model=R.DemandOne, responses=ERRORS, tags=["transfer"])
def update_demand(request: Request, demand_id: P.RowId, body: DemandPatch) -> dict[str, Any]:
    return {
        "ok": True,
        "demand": _svc(request).transfer.update_demand(demand_id, body.model_dump(exclude_none=True)),
    }


@router.delete("/demands/{demand_id}", response_model=R.Deleted, responses=ERRORS, tags=["transfer"])
def delete_demand(request: Request, demand_id: P.RowId) -> dict[str, Any]:
    _svc(request).transfer.delete_demand(demand_id)
    return {"ok": True, "deleted": demand_id}


@router.post(
    "/demands/{demand_id}/match", response_model=R.ProposalsResponse, responses=ERRORS, tags=["transfer"]
)
def match_stored_demand(
    request: Request,
    demand_id: P.RowId,
    top: Annotated[int, Query(ge=1, le=100)] = 20,
    mode: Literal["hybrid", "keyword", "semantic"] = "hybrid",
) -> dict[str, Any]:
    """(Re)compute a stored demand's proposals (calibrated relevance); feedback given so far re-ranks them."""
    return {"ok": True, **_svc(request).transfer.match_demand(demand_id=demand_id, top=top, mode=mode)}


@router.get("/match", response_model=R.ProposalsResponse, responses=ERRORS, tags=["transfer"])
def match_text(
    request: Request,
    text: Annotated[str, Query(max_length=20_000)],
    top: Annotated[int, Query(ge=1, le=100)] = 20,
    mode: Literal["hybrid", "keyword", "semantic"] = "hybrid",
) -> dict[str, Any]:
    """Patents, owners and experts for a need given as text (nothing is stored), each with its
    calibrated relevance; ``good_match`` is false when even the best is below the threshold."""
    return {"ok": True, **_svc(request).transfer.match_demand(text, top=top, mode=mode)}


@router.get(
    "/documents/{number}/demands", response_model=R.PatentDemandsResponse, responses=ERRORS, tags=["transfer"]
)
def patent_demands(
    request: Request, number: str, top: Annotated[int, Query(ge=1, le=100)] = 20
) -> dict[str, Any]:
    """Open demands ranked for a patent."""
    return {"ok": True, **_svc(request).transfer.match_patent(number, top=top)}


@router.get(
    "/matches",
    response_model=R.PageResponse,
    responses={**ERRORS, 200: {"content": {"application/json": {}, "text/csv": {}}}},
    tags=["transfer"],
)
def matches(
    request: Request,
    demand_id: P.IdFilter = None,
    kind: Literal["patent", "owner", "expert"] | None = None,
    status: MatchStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: P.Offset = 0,
    format: Literal["json", "csv"] = "json",
) -> Any:
    """The matches list; ``format=csv`` downloads it."""
    svc = _svc(request)
    if format == "csv":
        return Response(
            svc.transfer.export_matches(status=status),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="ipai-matches.csv"'},
        )
    return {
        "ok": True,
        **svc.transfer.matches(demand_id=demand_id, kind=kind, status=status, limit=limit, offset=offset),
    }


@router.patch("/matches/{match_id}", response_model=R.MatchOne, responses=ERRORS, tags=["transfer"])
def update_match(request: Request, match_id: P.RowId, body: MatchPatch) -> dict[str, Any]:
    """Move a match through proposed → contacted → agreed → closed; record accepted/rejected feedback."""
    return {
        "ok": True,
        "match": _svc(request).transfer.update_match(match_id, status=body.status, feedback=body.feedback),
    }


@router.get("/resources", response_model=R.ResourcesResponse, tags=["transfer"])
def resources(
    request: Request,
    kind: Annotated[list[str] | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> dict[str, Any]:
    """The resources list: universities and institutes (or ``kind=company`` …) with their patents."""
    return {
        "ok": True,
        **_svc(request).transfer.resources(kinds=tuple(kind or ("university", "institute")), limit=limit),
    }


@router.get("/notifications", response_model=R.NotificationsResponse, tags=["transfer"])
def notifications(
    request: Request, unread: bool = False, limit: Annotated[int, Query(ge=1, le=500)] = 50
) -> dict[str, Any]:
    return {"ok": True, **_svc(request).transfer.notifications(unread=unread, limit=limit)}


@router.post("/notifications/read", response_model=R.Marked, tags=["transfer"])
def read_notifications(request: Request) -> dict[str, Any]:
    return {"ok": True, "marked": _svc(request).transfer.read_notifications()}


# the paths before ``/transfer`` (``/demands``, ``/match``, ``/matches`` …): the same handlers, deprecated
router.routes.extend(deprecated_aliases(router, "/transfer"))
