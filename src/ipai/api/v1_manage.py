"""``/api/v1`` endpoints of the disclosure-to-filing workflow (ipai.manage): disclosures and their
state changes, deadlines and the reminder scan, patent ↔ product links and the portfolio."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from ipai.api import responses as R
from ipai.api import schemas as M
from ipai.faces import params as P
from ipai.service import Service

router = APIRouter()
ERRORS = M.error_responses()


def _svc(request: Request) -> Service:
    return request.app.state.service


class DisclosureIn(BaseModel):
    """An invention disclosure (交底书): title, text and at least one inventor are required."""

    model_config = ConfigDict(extra="forbid")
    title: str = Field(..., max_length=500)
    text: str = Field(..., max_length=100_000)
    inventors: list[str] | str = Field(..., description="Names (a list, or comma-separated)")
    applicant: str | None = Field(None, max_length=500)
    product_line: str | None = Field(None, max_length=500)
    jurisdiction: str | None = Field(None, description="Intended first filing: CN, US, EP, JP, KR or PCT")
    priority_date: str | None = Field(None, description="YYYY-MM-DD, an earlier first filing")


class MoveIn(BaseModel):
    """A state change; filing needs jurisdiction, filing_date and an applicant, grant a grant_date."""

    model_config = ConfigDict(extra="forbid")
    status: str
    note: str | None = Field(None, max_length=5000)
    jurisdiction: str | None = None
    filing_date: str | None = None
    priority_date: str | None = None
    application_number: str | None = Field(None, max_length=100)
    applicant: str | None = Field(None, max_length=500)
    grant_date: str | None = None


class OfficeActionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    action_date: str = Field(..., description="YYYY-MM-DD, the date the action was issued")
    jurisdiction: str | None = None


class LinkIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    patent: str = Field(..., max_length=200, description="A patent number, or disclosure:<id>")
    product: str = Field(..., max_length=500)
    product_line: str | None = Field(None, max_length=500)


class AckIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    ids: list[P.BodyId] = Field(..., max_length=P.MAX_IDS)


@router.post(
    "/disclosures", response_model=R.DisclosureOne, status_code=201, responses=ERRORS, tags=["manage"]
)
def submit(request: Request, body: DisclosureIn, assess: bool = True) -> dict[str, Any]:
    """Submit a disclosure; the patentability assessment is attached (``assess=false`` skips it)."""
    return {
        "ok": True,
        "disclosure": _svc(request).manage.submit_disclosure(
            body.model_dump(exclude_none=True), assess=assess
        ),
    }


@router.get("/disclosures", response_model=R.PageResponse, responses=ERRORS, tags=["manage"])
def disclosures(
    request: Request,
    status: str | None = None,
    product_line: str | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
    offset: P.Offset = 0,
) -> dict[str, Any]:
    """The tenant's disclosures, newest first."""
    return {
        "ok": True,
        **_svc(request).manage.disclosures(
            status=status, product_line=product_line, limit=limit, offset=offset
        ),
    }


@router.get("/disclosures/{disclosure_id}", response_model=R.DisclosureOne, responses=ERRORS, tags=["manage"])
def disclosure(request: Request, disclosure_id: P.RowId) -> dict[str, Any]:
    """A disclosure with its assessment, deadlines, product links and the states it may move to."""
    return {"ok": True, "disclosure": _svc(request).manage.disclosure(disclosure_id)}


@router.post(
    "/disclosures/{disclosure_id}/move", response_model=R.DisclosureOne, responses=ERRORS, tags=["manage"]
)
def move(request: Request, disclosure_id: P.RowId, body: MoveIn) -> dict[str, Any]:
    """Change state (409 naming the allowed states when the move is not allowed)."""
    values = body.model_dump(exclude_none=True)
    return {
        "ok": True,
        "disclosure": _svc(request).manage.move_disclosure(disclosure_id, values.pop("status"), values),
    }


@router.post(
    "/disclosures/{disclosure_id}/office-actions",
    response_model=R.DisclosureOne,
    responses=ERRORS,
    tags=["manage"],
)
def office_action(request: Request, disclosure_id: P.RowId, body: OfficeActionIn) -> dict[str, Any]:
    """Record an office action; its response deadline is computed from the jurisdiction's rule."""
    return {
        "ok": True,
        "disclosure": _svc(request).manage.record_office_action(
            disclosure_id, body.action_date, jurisdiction=body.jurisdiction
        ),
    }


@router.get("/deadlines", response_model=R.Items, responses=ERRORS, tags=["manage"])
def deadlines(
    request: Request,
    status: str | None = "open",
    within_days: P.Days = None,
    today: str | None = None,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 200,
) -> dict[str, Any]:
    """Deadlines by due date."""
    return {
        "ok": True,
        "items": _svc(request).manage.deadlines(
            status=status, within_days=within_days, today=today, limit=limit
        ),
    }


@router.post("/deadlines/{deadline_id}/done", response_model=R.Done, responses=ERRORS, tags=["manage"])
def deadline_done(request: Request, deadline_id: P.RowId) -> dict[str, Any]:
    """Mark a deadline met."""
    _svc(request).manage.complete_deadline(deadline_id)
    return {"ok": True, "done": deadline_id}


@router.post("/deadlines/scan", response_model=R.DeadlineScanResponse, responses=ERRORS, tags=["manage"])
def scan(
    request: Request, days: Annotated[int, Query(ge=0, le=3650)] = 30, today: str | None = None
) -> dict[str, Any]:
    """The reminder scan: alerts for deadlines due within ``days`` or overdue."""
    return {"ok": True, **_svc(request).manage.scan_deadlines(days=days, today=today)}


@router.get("/deadline-alerts", response_model=R.Items, responses=ERRORS, tags=["manage"])
def alerts(
    request: Request, unacked: bool = False, limit: Annotated[int, Query(ge=1, le=1000)] = 100
) -> dict[str, Any]:
    return {"ok": True, "items": _svc(request).manage.deadline_alerts(unacked=unacked, limit=limit)}


@router.post("/deadline-alerts/ack", response_model=R.Acknowledged, responses=ERRORS, tags=["manage"])
def ack(request: Request, body: AckIn) -> dict[str, Any]:
    return {"ok": True, "acknowledged": _svc(request).manage.ack_deadline_alerts(body.ids)}


@router.post(
    "/products/links",
    response_model=R.ProductLinkResponse,
    status_code=201,
    responses=ERRORS,
    tags=["manage"],
)
def link(request: Request, body: LinkIn) -> dict[str, Any]:
    """Record that a patent protects a product."""
    return {
        "ok": True,
        **_svc(request).manage.link_product(body.patent, body.product, product_line=body.product_line),
    }


@router.get("/portfolio", response_model=R.PortfolioResponse, responses=ERRORS, tags=["manage"])
def portfolio(
    request: Request, product_line: str | None = None, product: str | None = None, patent: str | None = None
) -> dict[str, Any]:
    """Products per line with the patents covering them, and each patent's products."""
    return {
        "ok": True,
        **_svc(request).manage.portfolio(product_line=product_line, product=product, patent=patent),
    }
