"""Disclosure-workflow pages: the disclosures list with the submission form, upcoming deadlines and
reminder alerts (with a scan button); a disclosure's page with its assessment summary, deadlines
and a form for the next state (filing asks for jurisdiction, date and applicant)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ipai.errors import IpaiError
from ipai.faces import params as P
from ipai.manage.deadlines import JURISDICTIONS
from ipai.web.i18n import pick_lang
from ipai.web.render import page, url

router = APIRouter()
FIELDS = ("title", "text", "inventors", "applicant", "product_line", "jurisdiction")
MOVE_FIELDS = (
    "status",
    "note",
    "jurisdiction",
    "filing_date",
    "priority_date",
    "application_number",
    "applicant",
    "grant_date",
)


class _Texts:
    """Deadline bases and notes, assessment levels and stored errors in one language (templates)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def basis(self, row: dict[str, Any]) -> str:
        from ipai.manage.texts import basis

        return basis(row, self.lang)

    def note(self, row: dict[str, Any]) -> str:
        from ipai.manage.texts import note

        return note(row, self.lang)

    def level(self, indicator: str, level: str) -> str:
        from ipai.assess.messages import LEVELS, level_text

        return level_text(indicator, level, self.lang) if level in LEVELS.get(indicator, {}) else level

    def error(self, summary: dict[str, Any]) -> str:
        """An assessment that failed: its stored error in this language."""
        from ipai.error_text import render

        code = summary.get("error_code")
        return (
            render(code, self.lang, summary.get("error_params") or {}) if code and self.lang != "en" else None
        ) or str(summary.get("error") or "")


def _error(request: Request, exc: IpaiError) -> str:
    return exc.text(pick_lang(request)[0])


def _list_page(request: Request, *, status: int = 200, **extra: Any) -> HTMLResponse:
    svc = request.app.state.service
    values: dict[str, Any] = {
        "active": "disclosures",
        "items": svc.manage.disclosures(limit=200)["items"],
        "deadlines": svc.manage.deadlines(within_days=90, limit=50),
        "alerts": svc.manage.deadline_alerts(unacked=True, limit=50),
        "form": {},
        "error": None,
        "scan": None,
        "jurisdictions": JURISDICTIONS,
        "M": _Texts(pick_lang(request)[0]),
    }
    values.update(extra)
    return page(request, "disclosures.html", status=status, **values)


@router.get("/disclosures", response_class=HTMLResponse)
def disclosures_page(request: Request) -> HTMLResponse:
    """The disclosures list, the submission form, deadlines due in 90 days and open alerts."""
    return _list_page(request)


@router.post("/disclosures", response_class=HTMLResponse)
async def disclosures_post(request: Request) -> Response:
    """Submit a disclosure (the assessment is attached); its page next."""
    form = await request.form()
    values = {k: str(form.get(k) or "").strip() for k in FIELDS}
    try:
        d = request.app.state.service.manage.submit_disclosure({k: v for k, v in values.items() if v})
    except IpaiError as exc:
        return _list_page(request, status=exc.status, form=values, error=_error(request, exc))
    return RedirectResponse(url(request, f"/disclosures/{d['id']}"), status_code=303)


def _detail(request: Request, disclosure_id: int, *, status: int = 200, **extra: Any) -> HTMLResponse:
    d = request.app.state.service.manage.disclosure(disclosure_id)
    values: dict[str, Any] = {
        "active": "disclosures",
        "d": d,
        "error": None,
        "form": {},
        "jurisdictions": JURISDICTIONS,
        "M": _Texts(pick_lang(request)[0]),
    }
    values.update(extra)
    return page(request, "disclosure.html", status=status, **values)


@router.get("/disclosures/{disclosure_id}", response_class=HTMLResponse)
def disclosure_page(request: Request, disclosure_id: P.RowId) -> HTMLResponse:
    """A disclosure: state, assessment summary, deadlines, and the form for its next state."""
    return _detail(request, disclosure_id)


@router.post("/disclosures/{disclosure_id}/move", response_class=HTMLResponse)
async def disclosure_move(request: Request, disclosure_id: P.RowId) -> Response:
    """Move to the chosen state; a refused move shows the page again with the reason."""
    form = await request.form()
    values = {k: str(form.get(k) or "").strip() for k in MOVE_FIELDS}
    try:
        request.app.state.service.manage.move_disclosure(
            disclosure_id, values.pop("status"), {k: v for k, v in values.items() if v}
        )
    except IpaiError as exc:
        if exc.status == 404:
            raise
        return _detail(request, disclosure_id, status=exc.status, form=values, error=_error(request, exc))
    return RedirectResponse(url(request, f"/disclosures/{disclosure_id}"), status_code=303)


@router.post("/deadlines/scan", response_class=HTMLResponse)
async def deadlines_scan(request: Request) -> HTMLResponse:
    """Run the reminder scan (deadlines due within 30 days or overdue) and show the alerts."""
    return _list_page(request, scan=request.app.state.service.manage.scan_deadlines(days=30))


def _portfolio_page(request: Request, *, status: int = 200, **extra: Any) -> HTMLResponse:
    line = request.query_params.get("product_line") or None
    values: dict[str, Any] = {
        "active": "disclosures",
        "line": line,
        "error": None,
        "form": {},
        "portfolio": request.app.state.service.manage.portfolio(product_line=line),
    }
    values.update(extra)
    return page(request, "portfolio.html", status=status, **values)


@router.get("/portfolio", response_class=HTMLResponse)
def portfolio_page(request: Request) -> HTMLResponse:
    """Per product line: each product with the patents covering it, and each patent's products."""
    return _portfolio_page(request)


@router.post("/portfolio", response_class=HTMLResponse)
async def portfolio_link(request: Request) -> Response:
    """Link a patent (or ``disclosure:<id>``) to a product; back to the portfolio."""
    form = await request.form()
    values = {k: str(form.get(k) or "").strip() for k in ("patent", "product", "product_line")}
    try:
        request.app.state.service.manage.link_product(
            values["patent"], values["product"], product_line=values["product_line"] or None
        )
    except IpaiError as exc:
        return _portfolio_page(request, status=exc.status, form=values, error=_error(request, exc))
    return RedirectResponse(url(request, "/portfolio"), status_code=303)
