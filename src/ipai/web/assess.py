"""The patentability page: paste a disclosure or claims, get the search report."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from ipai.errors import InputError
from ipai.web.i18n import pick_lang
from ipai.web.render import page, url

router = APIRouter()


@router.get("/assess", response_class=HTMLResponse)
def assess_form(request: Request) -> HTMLResponse:
    """The empty form."""
    return page(request, "assess.html", active="assess", values={}, report=None, error=None)


@router.post("/assess", response_class=HTMLResponse)
async def assess_post(request: Request) -> Response:
    """Run the assessment on the pasted text (and optional edited query) and show the report."""
    from ipai.report.assess import to_html_fragment

    form = await request.form()
    values = {k: str(form.get(k) or "") for k in ("text", "query", "top")}
    svc = request.app.state.service
    try:
        top = int(values["top"] or 10)
    except ValueError:
        top = 0
    try:
        if not 1 <= top <= 50:
            from ipai.assess.messages import bad_input

            raise bad_input("top", "top_range", pick_lang(request)[0])
        report = svc.assessment.assess(
            values["text"], top=top, query=values["query"] or None, lang=pick_lang(request)[0]
        )
    except InputError as exc:
        return page(
            request,
            "assess.html",
            status=exc.status,
            active="assess",
            values=values,
            report=None,
            error=exc.text(pick_lang(request)[0]),
        )
    lang = pick_lang(request)[0]
    body = to_html_fragment(report, lang, doc_url=lambda i: url(request, f"/doc/{i}", {}))
    values["query"] = report["query"]
    return page(
        request,
        "assess.html",
        active="assess",
        values=values,
        report=report,
        report_html=Markup(body),
        error=None,
    )
