"""The company portrait: a search box for a company name in Chinese or English, resolved to an
applicant entity (:meth:`ipai.service.Service.applicants.find_applicant`); one entity shows its portrait's
key figures and a link to the full interactive report, several are offered to choose from, none
gives a friendly empty state, never a 404 page."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ipai.errors import InputError, NotFound
from ipai.service.applicants import applicant_query
from ipai.web.i18n import pick_lang
from ipai.web.render import page, url
from ipai.web.staticfiles import report_response

router = APIRouter()


@router.get("/company", response_class=HTMLResponse)
def company_page(request: Request) -> HTMLResponse:
    """Form; with ``name`` the applicant it resolves to and its portrait, or candidates to choose."""
    name = (request.query_params.get("name") or "").strip()
    svc = request.app.state.service
    values: dict[str, Any] = {"name": name, "found": None, "portrait": None, "query": "", "error": None}
    status = 200
    if name:
        try:
            values["found"] = found = svc.applicants.find_applicant(name)
            if found["status"] == "found":
                a = found["applicant"]
                values["portrait"] = svc.analytics.company(a["label"], spellings=a["names"])
                values["query"] = applicant_query(a)
        except (InputError, NotFound) as exc:
            status, values["error"] = exc.status, exc.text(pick_lang(request)[0]).split("\n")[0]
    return page(request, "company.html", status=status, **values)


@router.get("/report/company", response_class=HTMLResponse)
def company_report(request: Request) -> Response:
    """The enterprise portrait report for ``name`` (a stored spelling, or a name in either language
    that clearly means one applicant); any other name goes to the company search page (candidates
    to choose from), an empty one to its form."""
    from ipai.report.company import to_html

    name = (request.query_params.get("name") or "").strip()
    if not name:
        return RedirectResponse(url(request, "/company"), status_code=303)
    svc = request.app.state.service
    try:
        r = svc.analytics.company(name)
    except NotFound:  # not a stored spelling: the entity the name means, if it is clear which
        found = svc.applicants.find_applicant(name)
        if found["status"] != "found":
            return RedirectResponse(
                url(request, "/company") + "?name=" + quote(name, safe=""), status_code=303
            )
        r = svc.analytics.company(found["applicant"]["label"], spellings=found["applicant"]["names"])
    return report_response(request, to_html, r)
