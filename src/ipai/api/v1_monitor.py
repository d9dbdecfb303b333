"""``/api/v1`` endpoints of watchlists, alerts and their push."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from ipai.api import responses as R
from ipai.api import schemas as M
from ipai.faces import params as P
from ipai.service import Service

router = APIRouter()
ERRORS = M.error_responses()
Severity = Literal["low", "medium", "high"]


def _svc(request: Request) -> Service:
    return request.app.state.service


class WatchIn(BaseModel):
    """A watchlist: ``kind`` and ``terms`` are required; unknown kinds and options are named in the error."""

    model_config = ConfigDict(extra="forbid")
    kind: str = Field(..., description="query, competitor, cpc, own or trademark")
    terms: str | list[str] = Field(
        ...,
        description="The query; applicant names; class symbols; your publication numbers; or trademark words",
    )
    name: str | None = Field(None, max_length=255)
    options: dict[str, Any] | None = Field(
        None,
        description="competitor: match=variants|exact; cpc: scheme="
        "any|cpc|ipc; own: citations, closeness, min_similarity; trademark: "
        "min_score (50-100), pinyin",
    )
    severity: Severity | None = Field(None, description="The floor of its alerts' severity")
    channels: list[Literal["email", "webhook"]] | None = Field(
        None, description="Push channels (default both)"
    )
    enabled: bool | None = None


class WatchPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    terms: str | list[str] | None = None
    name: str | None = Field(None, max_length=255)
    options: dict[str, Any] | None = None
    severity: Severity | None = None
    channels: list[Literal["email", "webhook"]] | None = None
    enabled: bool | None = None


class RunIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    ids: list[P.BodyId] | None = Field(
        None, max_length=P.MAX_IDS, description="Only these watchlists (default: every enabled one)"
    )
    push: bool = True


class AckIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    ids: list[P.BodyId] | None = Field(
        None, max_length=P.MAX_IDS, description="Alert ids; omitted = every unacknowledged alert"
    )


@router.post(
    "/watchlists", response_model=R.WatchlistOne, status_code=201, responses=ERRORS, tags=["monitor"]
)
def add_watch(request: Request, body: WatchIn) -> dict[str, Any]:
    """Add a watchlist; it fires on documents and marks ingested from now on."""
    return {"ok": True, "watchlist": _svc(request).monitor.add_watch(body.model_dump(exclude_none=True))}


@router.get("/watchlists", response_model=R.WatchlistsResponse, tags=["monitor"])
def watchlists(request: Request) -> dict[str, Any]:
    """Every watchlist with its position (last change number) and last run."""
    return {"ok": True, **_svc(request).monitor.watches()}


@router.get("/watchlists/{watch_id}", response_model=R.WatchlistOne, responses=ERRORS, tags=["monitor"])
def watchlist(request: Request, watch_id: P.RowId) -> dict[str, Any]:
    return {"ok": True, "watchlist": _svc(request).monitor.watch(watch_id)}


@router.patch("/watchlists/{watch_id}", response_model=R.WatchlistOne, responses=ERRORS, tags=["monitor"])
def update_watch(request: Request, watch_id: P.RowId, body: WatchPatch) -> dict[str, Any]:
    """Change terms, options, name, severity, channels or enabled."""
    return {
        "ok": True,
        "watchlist": _svc(request).monitor.update_watch(watch_id, body.model_dump(exclude_none=True)),
    }


@router.delete("/watchlists/{watch_id}", response_model=R.Removed, responses=ERRORS, tags=["monitor"])
def remove_watch(request: Request, watch_id: P.RowId) -> dict[str, Any]:
    """Delete a watchlist; its alerts are kept."""
    _svc(request).monitor.remove_watch(watch_id)
    return {"ok": True, "removed": watch_id}


@router.post("/watchlists/run", response_model=R.WatchRunResponse, responses=ERRORS, tags=["monitor"])
def run_watches(request: Request, body: RunIn | None = None) -> dict[str, Any]:
    """Evaluate watchlists on what changed since their last run (ingest does this by itself)."""
    b = body or RunIn(ids=None)
    return {"ok": True, **_svc(request).monitor.run_watchlists(ids=b.ids, push=b.push)}


@router.get("/alerts", response_model=R.AlertsResponse, responses=ERRORS, tags=["monitor"])
def alerts(
    request: Request,
    unacknowledged: bool = False,
    watchlist_id: P.IdFilter = None,
    severity: Severity | None = None,
    limit: int = Query(100, ge=1, le=10_000),
    offset: P.Offset = 0,
) -> dict[str, Any]:
    """Alerts, newest first, each with its reason, severity and push outcome."""
    return {
        "ok": True,
        **_svc(request).monitor.alerts(
            unacknowledged=unacknowledged,
            watchlist_id=watchlist_id,
            severity=severity,
            limit=limit,
            offset=offset,
        ),
    }


@router.post("/alerts/ack", response_model=R.Acknowledged, responses=ERRORS, tags=["monitor"])
def ack_alerts(request: Request, body: AckIn | None = None) -> dict[str, Any]:
    """Acknowledge alerts (all unacknowledged ones without ``ids``)."""
    return {"ok": True, "acknowledged": _svc(request).monitor.ack_alerts(body.ids if body else None)}
