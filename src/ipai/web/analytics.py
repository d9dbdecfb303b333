"""Landscape and company pages: a form, the key tables, and the interactive reports (the same
self-contained HTML the CLI writes, Plotly inlined)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ipai.analytics.texts import Texts
from ipai.errors import InputError
from ipai.web.i18n import pick_lang
from ipai.web.render import page
from ipai.web.staticfiles import report_response

router = APIRouter()


@router.get("/landscape", response_class=HTMLResponse)
def landscape_page(request: Request) -> HTMLResponse:
    """Form; with ``q`` the landscape's key tables and links to the full report."""
    q = (request.query_params.get("q") or "").strip()
    values: dict[str, Any] = {
        "active": "landscape",
        "q": q,
        "r": None,
        "error": None,
        "A": Texts(pick_lang(request)[0]),
    }
    status = 200
    if q:
        try:
            values["r"] = request.app.state.service.analytics.landscape(q, top=15)
        except InputError as exc:
            status, values["error"] = exc.status, exc.text(pick_lang(request)[0]).split("\n")[0]
    return page(request, "landscape.html", status=status, **values)


@router.get("/landscape/more", response_class=HTMLResponse)
def landscape_more(request: Request) -> HTMLResponse:
    """Fragment loaded after the landscape page: topic map, evolution and talent for ``q``."""
    q = (request.query_params.get("q") or "").strip()
    svc = request.app.state.service
    A = Texts(pick_lang(request)[0])
    try:
        topics = svc.analytics.topics(q)
        topics = {**topics, "topics": [{**tp, "label": A.topic(tp)} for tp in topics["topics"]]}
        values: dict[str, Any] = {
            "q": q,
            "topics": topics,
            "evolution": svc.analytics.evolution(q, topics=topics),
            "talent": svc.analytics.talent(q, top=10),
            "error": None,
            "A": A,
        }
    except InputError as exc:
        values = {"q": q, "error": exc.text(A.lang).split("\n")[0], "A": A}
    return page(request, "_landscape_more.html", **values)


@router.get("/report/landscape", response_class=HTMLResponse)
def landscape_report(request: Request) -> HTMLResponse:
    """The interactive landscape report for ``q``."""
    from ipai.report.landscape import to_html

    q = (request.query_params.get("q") or "").strip()
    r = request.app.state.service.analytics.landscape_report(q)
    return report_response(request, to_html, r)
