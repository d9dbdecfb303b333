"""``/api/v1`` endpoints of licence, transfer and pledge deals (ipai.deals): offers, state changes,
amendments, milestones and payments, verification of the history and export."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel, ConfigDict, Field

from ipai.api import responses as R
from ipai.api import schemas as M
from ipai.faces import params as P
from ipai.service import Service

router = APIRouter()
ERRORS = M.error_responses()


def _svc(request: Request) -> Service:
    return request.app.state.service


Lang = Annotated[
    Literal["en", "zh"] | None,
    Query(
        description="Language of refusals (a patent whose right has "
        "ended); default: Accept-Language, else English"
    ),
]


def _lang(request: Request, lang: str | None) -> str:
    from ipai.web.i18n import accept_language

    return lang or accept_language(request.headers.get("accept-language")) or "en"


class TermsIn(BaseModel):
    """Agreement terms; on an offer ``kind``, ``patents`` and both parties of the kind are required."""

    model_config = ConfigDict(extra="forbid")
    patents: list[str] | str | None = Field(None, description="Patent numbers (a list, or comma-separated)")
    parties: dict[str, str] | None = Field(
        None, description="role → party: licensor/licensee, assignor/assignee or pledgor/pledgee"
    )
    exclusivity: str | None = Field(None, description="A licence: exclusive, sole or non-exclusive")
    territory: list[str] | str | None = Field(None, description="Jurisdiction codes (CN, US, EP, …) or WORLD")
    field_of_use: str | None = Field(None, max_length=2000)
    royalty_rate: float | None = Field(
        None, ge=0, le=100, allow_inf_nan=False, description="Percent of net sales, 0–100"
    )
    lump_sum: P.Amount = None
    currency: str | None = Field(None, description="CNY, USD, EUR, JPY, KRW, GBP, HKD or CHF")
    secured_amount: P.Amount = Field(None, description="A pledge: the secured debt")
    start_date: str | None = Field(None, description="YYYY-MM-DD")
    end_date: str | None = Field(None, description="YYYY-MM-DD")
    note: str | None = Field(None, max_length=5000)


class OfferIn(TermsIn):
    """A licence, transfer or pledge offer."""

    kind: str = Field(..., description="licence, transfer or pledge")
    title: str | None = Field(None, max_length=500)


class DealMoveIn(BaseModel):
    """A state change; terms may change while offered or negotiating; signing deposits a version."""

    model_config = ConfigDict(extra="forbid")
    status: str
    terms: TermsIn | None = None
    signed_date: str | None = None


class AmendIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    terms: TermsIn
    signed_date: str | None = None


class RecordIn(BaseModel):
    """A milestone (title, due or done date) or a payment (amount, currency, date)."""

    model_config = ConfigDict(extra="forbid")
    kind: str = Field("milestone", description="milestone or payment")
    title: str | None = Field(None, max_length=500)
    due_date: str | None = None
    done_date: str | None = None
    amount: P.Amount = None
    currency: str | None = None
    payer: str | None = Field(None, max_length=500)
    note: str | None = Field(None, max_length=2000)


@router.post("/deals", response_model=R.DealOne, status_code=201, responses=ERRORS, tags=["deals"])
def offer(request: Request, body: OfferIn, lang: Lang = None) -> dict[str, Any]:
    """Offer a licence, transfer or pledge (400 naming the field for missing parties, bad dates,
    unknown jurisdictions, or a patent whose right has lapsed, expired or been revoked — with the
    reason in the caller's language)."""
    return {
        "ok": True,
        "deal": _svc(request).deals.offer_deal(body.model_dump(exclude_none=True), lang=_lang(request, lang)),
    }


@router.get("/deals", response_model=R.PageResponse, responses=ERRORS, tags=["deals"])
def deals(
    request: Request,
    status: str | None = None,
    kind: str | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
    offset: P.Offset = 0,
) -> dict[str, Any]:
    """The tenant's deals, newest first."""
    return {"ok": True, **_svc(request).deals.deals(status=status, kind=kind, limit=limit, offset=offset)}


@router.get("/deals/{deal_id}", response_model=R.DealOne, responses=ERRORS, tags=["deals"])
def deal(request: Request, deal_id: P.RowId) -> dict[str, Any]:
    """A deal with its signed versions, milestones, payments and next states."""
    return {"ok": True, "deal": _svc(request).deals.deal(deal_id)}


@router.post("/deals/{deal_id}/move", response_model=R.DealOne, responses=ERRORS, tags=["deals"])
def move(request: Request, deal_id: P.RowId, body: DealMoveIn, lang: Lang = None) -> dict[str, Any]:
    """Change state (409 naming the allowed states when the move is not allowed; 400 when a patent's
    right has ended)."""
    values: dict[str, Any] = {"signed_date": body.signed_date}
    if body.terms is not None:
        values["terms"] = body.terms.model_dump(exclude_none=True)
    return {
        "ok": True,
        "deal": _svc(request).deals.move_deal(
            deal_id, body.status, {k: v for k, v in values.items() if v}, lang=_lang(request, lang)
        ),
    }


@router.post("/deals/{deal_id}/amend", response_model=R.DealOne, responses=ERRORS, tags=["deals"])
def amend(request: Request, deal_id: P.RowId, body: AmendIn, lang: Lang = None) -> dict[str, Any]:
    """Amend a signed or active deal: the new agreement is deposited as its next signed version."""
    return {
        "ok": True,
        "deal": _svc(request).deals.amend_deal(
            deal_id,
            body.terms.model_dump(exclude_none=True),
            signed_date=body.signed_date,
            lang=_lang(request, lang),
        ),
    }


@router.post(
    "/deals/{deal_id}/milestones", response_model=R.DealOne, status_code=201, responses=ERRORS, tags=["deals"]
)
def milestone(request: Request, deal_id: P.RowId, body: RecordIn) -> dict[str, Any]:
    """Record a milestone or payment; it is deposited in the evidence log."""
    return {
        "ok": True,
        "deal": _svc(request).deals.add_deal_milestone(deal_id, body.model_dump(exclude_none=True)),
    }


@router.get(
    "/deals/{deal_id}/verify", response_model=R.DealVerificationResponse, responses=ERRORS, tags=["deals"]
)
def verify(request: Request, deal_id: P.RowId) -> dict[str, Any]:
    """Check every version and record against its evidence entry and inclusion proof."""
    return {"ok": True, "verification": _svc(request).deals.verify_deal(deal_id)}


@router.get("/deals/{deal_id}/export", response_model=R.DealExportResponse, responses=ERRORS, tags=["deals"])
def export(request: Request, deal_id: P.RowId, format: str = "json") -> Any:
    """The agreement data and its history as JSON or CSV."""
    data = _svc(request).deals.export_deal(deal_id, format)
    if isinstance(data, str):
        return PlainTextResponse(
            data,
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="deal-{deal_id}.csv"'},
        )
    return {"ok": True, **data}
