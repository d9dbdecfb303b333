"""Technology-transfer pages under ``/transfer``: the needs list with a form for a new demand
(Chinese or English), a demand's matched patents, owners and experts with reasons and a status for
each, the matches list with CSV export, bulk import, and notifications. The page paths before
``/transfer`` (``/demands``, ``/matches``, ``/resources``: bookmarks) redirect for one release."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup
from starlette.datastructures import UploadFile

from ipai.errors import InputError, NotFound
from ipai.faces import params as P
from ipai.web.i18n import Translator, pick_lang
from ipai.web.render import page, url

router = APIRouter()
FIELDS = ("text", "title", "organisation", "industry", "region", "budget", "deadline", "contact")
# a query naming one applicant and nothing else: pa:"清华大学", applicant:(UNIV TSINGHUA), pa:huawei
APPLICANT_QUERY = re.compile(
    r'^\s*(?:pa|applicant|assignee)\s*:\s*(?:"([^"]+)"|\(([^()]+)\)|([^\s"()]+))\s*$', re.I
)


def note_html(note: dict[str, Any], lang: str) -> Markup:
    """A notification in the reader's language, built from its kind and payload (the demand's
    title, typed by a user, marked as source text); a note without them says only which demand."""
    t = Translator(lang)
    p = note.get("payload") or {}
    title = Markup("<span data-source>{}</span>").format(p.get("title") or "")
    counts = p.get("counts") or {}
    if note.get("kind") == "new_demand_matches" and counts and p.get("title"):
        return Markup(t.messages["demands.note.matches"]).format(id=p.get("demand_id"), title=title, **counts)
    if note.get("kind") == "new_patent_matches" and p.get("title"):
        return Markup(t.messages["demands.note.new_patents"]).format(
            id=p.get("demand_id"), title=title, n=len(p.get("patents") or [])
        )
    return Markup(t.messages["demands.note.other"]).format(id=p.get("demand_id") or "—")


def _list_page(request: Request, *, status: int = 200, **extra: Any) -> HTMLResponse:
    svc = request.app.state.service
    values: dict[str, Any] = {
        "active": "demands",
        "demands": svc.transfer.demands(limit=200)["items"],
        "notes": svc.transfer.notifications(limit=10),
        "form": {},
        "error": None,
        "imported": None,
        "note_html": note_html,
    }
    values.update(extra)
    return page(request, "demands.html", status=status, **values)


@router.get("/transfer/demands", response_class=HTMLResponse)
def demands_page(request: Request) -> HTMLResponse:
    """The needs list, the new-demand form, import and notifications."""
    return _list_page(request)


@router.post("/transfer/demands", response_class=HTMLResponse)
async def demands_post(request: Request) -> Response:
    """Create a demand from the form, compute its matches, show them."""
    form = await request.form()
    values = {k: str(form.get(k) or "").strip() for k in FIELDS}
    try:
        d = request.app.state.service.transfer.add_demand(
            {**{k: v for k, v in values.items() if v}, "source": "web"}
        )
    except InputError as exc:
        return _list_page(request, status=exc.status, form=values, error=exc.text(pick_lang(request)[0]))
    return RedirectResponse(url(request, f"/transfer/demands/{d['id']}"), status_code=303)


@router.post("/transfer/demands/import", response_class=HTMLResponse)
async def demands_import(request: Request) -> Response:
    """Bulk import from an uploaded CSV/XLSX; the rows and columns in error are listed."""
    form = await request.form()
    up = form.get("file")
    svc = request.app.state.service
    try:
        if not isinstance(up, UploadFile) or not up.filename:
            raise InputError("choose a CSV or XLSX file", errors=[{"field": "file", "message": "missing"}])
        res = svc.transfer.import_demands(svc.corpus.save_upload(up.filename, up.file))
    except InputError as exc:
        return _list_page(request, status=exc.status, error=exc.text(pick_lang(request)[0]))
    return _list_page(request, imported=res)


@router.get("/transfer/demands/{demand_id}", response_class=HTMLResponse)
def demand_page(request: Request, demand_id: P.RowId) -> HTMLResponse:
    """A demand with its proposals (patents, owners, experts): reasons, status and feedback."""
    svc = request.app.state.service
    d = svc.transfer.demand(demand_id)
    rows = svc.transfer.matches(demand_id=demand_id, limit=1000)["items"]
    if not rows and d["status"] == "open":  # an imported demand: match on first view
        svc.transfer.match_demand(demand_id=demand_id)
        rows = svc.transfer.matches(demand_id=demand_id, limit=1000)["items"]
    groups = {
        k: sorted([r for r in rows if r["kind"] == k], key=lambda r: (r["rank"] or 999, r["id"]))
        for k in ("patent", "owner", "expert")
    }
    from ipai.transfer.calibration import threshold

    return page(request, "demand.html", active="demands", d=d, groups=groups, threshold=threshold())


@router.post("/transfer/demands/{demand_id}/rematch", response_class=HTMLResponse)
def demand_rematch(request: Request, demand_id: P.RowId) -> Response:
    """Recompute the proposals (feedback given so far re-ranks them)."""
    request.app.state.service.transfer.match_demand(demand_id=demand_id)
    return RedirectResponse(url(request, f"/transfer/demands/{demand_id}"), status_code=303)


@router.post("/transfer/matches/{match_id}", response_class=HTMLResponse)
async def match_post(request: Request, match_id: P.RowId) -> Response:
    """Change a match's status and/or feedback; back to its demand."""
    form = await request.form()
    svc = request.app.state.service
    m = svc.transfer.update_match(
        match_id,
        status=str(form.get("status")) if form.get("status") else None,
        feedback=str(form.get("feedback")) if form.get("feedback") else None,
    )
    return RedirectResponse(
        url(request, f"/transfer/demands/{m['demand_id']}") + f"#m{match_id}", status_code=303
    )


@router.get("/transfer/matches", response_class=HTMLResponse)
def matches_page(request: Request) -> HTMLResponse:
    """The matches list, filtered by status, with a CSV export."""
    status = request.query_params.get("status") or None
    kind = request.query_params.get("kind") or None
    svc = request.app.state.service
    return page(
        request,
        "matches.html",
        active="demands",
        sel_status=status,
        kind=kind,
        r=svc.transfer.matches(status=status, kind=kind, limit=1000),
    )


@router.get("/transfer/resources", response_class=HTMLResponse)
def resources_page(request: Request) -> HTMLResponse:
    """The resources list: universities and institutes with their patents and inventors."""
    return page(
        request, "resources.html", active="demands", r=request.app.state.service.transfer.resources(limit=100)
    )


@router.get("/demands")
@router.get("/demands/{demand_id}")
@router.get("/matches")
@router.get("/resources")
def old_page(request: Request) -> RedirectResponse:
    """A page's path before ``/transfer`` (a bookmark): a permanent redirect to its new path."""
    root = request.scope.get("root_path", "").rstrip("/")
    path = request.url.path[len(root) :] if request.url.path.startswith(root) else request.url.path
    query = f"?{request.url.query}" if request.url.query else ""
    return RedirectResponse(url(request, "/transfer" + path) + query, status_code=308)


@router.get("/value", response_class=HTMLResponse)
def value_page(request: Request) -> HTMLResponse:
    """High-value screening of a portfolio (any query, e.g. an applicant): the transformable pool
    with reasons, and what was excluded and why."""
    q = (request.query_params.get("q") or "").strip()
    from ipai.value.texts import say

    lang = pick_lang(request)[0]
    values: dict[str, Any] = {
        "active": "demands",
        "q": q,
        "r": None,
        "error": None,
        "vsay": lambda fact: say(fact, lang),
    }
    values.update(found=None, resolved=None, empty=False)
    status = 200
    if q:
        try:
            values["r"] = request.app.state.service.value.value_screen(q)
        except NotFound:  # an applicant as typed (pa:"清华大学"): the one it means, else an empty state
            values.update(_resolve_applicant(request.app.state.service, q))
        except InputError as exc:
            status, values["error"] = exc.status, exc.text(lang).split("\n")[0]
    return page(request, "value.html", status=status, **values)


def _resolve_applicant(svc: Any, q: str) -> dict[str, Any]:
    """For a query naming one applicant that matches nothing as written: the applicant it means
    (``found``) and, when that is clear, the screening of all its spellings (``r``, ``resolved``);
    ``empty`` when there is nothing to show."""
    from ipai.service.applicants import applicant_query

    m = APPLICANT_QUERY.match(q)
    found = svc.applicants.find_applicant(next(g for g in m.groups() if g)) if m else None
    if found and found["status"] == "found":
        try:
            return {
                "found": found,
                "resolved": found["applicant"],
                "r": svc.value.value_screen(applicant_query(found["applicant"])),
            }
        except NotFound:
            pass
    return {"found": found, "empty": True}
