"""Web pages of licence, transfer and pledge deals: the deals list with the offer form; a deal's
page with its agreement, signed versions, milestones and payments, the verification status of each
against the evidence log, and forms for the next state and a new milestone or payment."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ipai.deals.terms import CURRENCIES, EXCLUSIVITY, KINDS, ROLES, TERRITORIES
from ipai.errors import IpaiError
from ipai.faces import params as P
from ipai.web.dealview import helpers
from ipai.web.i18n import pick_lang
from ipai.web.render import page, url

router = APIRouter()
OFFER_FIELDS = (
    "kind",
    "title",
    "patents",
    "party_first",
    "party_second",
    "exclusivity",
    "territory",
    "field_of_use",
    "royalty_rate",
    "lump_sum",
    "currency",
    "start_date",
    "end_date",
)
RECORD_FIELDS = ("kind", "title", "due_date", "done_date", "amount", "currency", "payer")
_CHOICES = {
    "kinds": KINDS,
    "roles": ROLES,
    "exclusivity": EXCLUSIVITY,
    "territories": TERRITORIES,
    "currencies": CURRENCIES,
}


def _list_page(request: Request, *, status: int = 200, **extra: Any) -> HTMLResponse:
    values: dict[str, Any] = {
        "active": "deals",
        "items": request.app.state.service.deals.deals(limit=200)["items"],
        "form": {},
        "error": None,
        **_CHOICES,
    }
    values.update(extra)
    return page(request, "deals.html", status=status, **values)


@router.get("/deals", response_class=HTMLResponse)
def deals_page(request: Request) -> HTMLResponse:
    """The deals list and the offer form."""
    return _list_page(request)


@router.post("/deals", response_class=HTMLResponse)
async def deals_post(request: Request) -> Response:
    """Make an offer; the first party field takes the kind's first role (licensor, assignor, pledgor)."""
    form = await request.form()
    values = {k: str(form.get(k) or "").strip() for k in OFFER_FIELDS}
    offer: dict[str, Any] = {k: v for k, v in values.items() if v and not k.startswith("party_")}
    first, second = ROLES.get(values["kind"], ("party_first", "party_second"))
    offer["parties"] = {
        r: values[f] for r, f in ((first, "party_first"), (second, "party_second")) if values[f]
    }
    try:
        d = request.app.state.service.deals.offer_deal(offer, lang=pick_lang(request)[0])
    except IpaiError as exc:
        return _list_page(request, status=exc.status, form=values, error=exc.text(pick_lang(request)[0]))
    return RedirectResponse(url(request, f"/deals/{d['id']}"), status_code=303)


def _detail(request: Request, deal_id: int, *, status: int = 200, **extra: Any) -> HTMLResponse:
    svc = request.app.state.service
    d = svc.deals.deal(deal_id)
    verification = svc.deals.verify_deal(deal_id)
    values: dict[str, Any] = {
        "d": d,
        "verification": verification,
        "error": None,
        "form": {},
        **_CHOICES,
        "history": svc.deals.deal_history(deal_id, verification=verification),
        **helpers(pick_lang(request)[0], d["agreement"].get("currency")),
    }
    values.update(extra)
    return page(request, "deal.html", status=status, **values)


@router.get("/deals/{deal_id}", response_class=HTMLResponse)
def deal_page(request: Request, deal_id: P.RowId) -> HTMLResponse:
    """A deal: agreement, history with its verification status, and the forms."""
    return _detail(request, deal_id)


@router.post("/deals/{deal_id}/move", response_class=HTMLResponse)
async def deal_move(request: Request, deal_id: P.RowId) -> Response:
    """Move to the chosen state; a refused move shows the page again with the reason."""
    form = await request.form()
    values = {k: str(form.get(k) or "").strip() for k in ("status", "signed_date")}
    try:
        request.app.state.service.deals.move_deal(
            deal_id,
            values["status"],
            {"signed_date": values["signed_date"]} if values["signed_date"] else {},
            lang=pick_lang(request)[0],
        )
    except IpaiError as exc:
        if exc.status == 404:
            raise
        return _detail(request, deal_id, status=exc.status, error=exc.text(pick_lang(request)[0]))
    return RedirectResponse(url(request, f"/deals/{deal_id}"), status_code=303)


@router.post("/deals/{deal_id}/milestones", response_class=HTMLResponse)
async def deal_milestone(request: Request, deal_id: P.RowId) -> Response:
    """Record a milestone or payment (deposited in the evidence log)."""
    form = await request.form()
    values = {k: str(form.get(k) or "").strip() for k in RECORD_FIELDS}
    try:
        request.app.state.service.deals.add_deal_milestone(deal_id, {k: v for k, v in values.items() if v})
    except IpaiError as exc:
        if exc.status == 404:
            raise
        return _detail(
            request, deal_id, status=exc.status, form=values, error=exc.text(pick_lang(request)[0])
        )
    return RedirectResponse(url(request, f"/deals/{deal_id}"), status_code=303)
