"""Web pages of the IP-to-industry view."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ipai.errors import InputError, NotFound
from ipai.web.i18n import pick_lang
from ipai.web.render import page

router = APIRouter()


@router.get("/industry", response_class=HTMLResponse)
def industry_page(request: Request) -> HTMLResponse:
    """Form; with ``q`` (or ``applicant``) the documents by field/industry: table and bar chart."""
    qp = request.query_params
    q = (qp.get("q") or "").strip()
    applicant = (qp.get("applicant") or "").strip()
    scheme = (qp.get("scheme") or "wipo35").strip()
    svc = request.app.state.service
    values: dict[str, Any] = {
        "q": q,
        "applicant": applicant,
        "scheme": scheme,
        "r": None,
        "error": None,
        "schemes": [],
    }
    status = 200
    try:
        values["schemes"] = [s["scheme"] for s in svc.industry.industry_schemes()]
        if q or applicant:
            values["r"] = svc.industry.industry_view(q or None, applicant=applicant or None, scheme=scheme)
    except (InputError, NotFound) as exc:
        status, values["error"] = exc.status, exc.text(pick_lang(request)[0]).split("\n")[0]
    return page(request, "industry.html", status=status, **values)
