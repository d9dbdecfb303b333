"""Actions of the search results page: export (CSV, XLSX; the whole result set or the selected
hits), save a search, delete a saved search, clear the history, and monitor a search (一键监控).
Each form sends the search it acts on (query and filters) and comes back to the page."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response, StreamingResponse

from ipai.errors import InputError
from ipai.faces import params as P
from ipai.faces.exports import export_response
from ipai.web.render import url
from ipai.web.search import read_form, service_filters
from ipai.web.search_view import remember_visitor, saved_params, visitor_id

router = APIRouter()


def _back(request: Request, raw: Any, **extra: Any) -> str:
    """The search page to return to: the ``next`` field when it is a search URL of this site, with
    ``extra`` parameters (``saved=…``, ``watched=…``) added."""
    root = request.scope.get("root_path", "").rstrip("/")
    nxt = str(raw or "")
    if not (nxt.startswith(f"{root}/search?") or nxt == f"{root}/search") or "//" in nxt or "\\" in nxt:
        nxt = url(request, "/search")
    if extra:
        from urllib.parse import urlencode

        nxt += ("&" if "?" in nxt else "?") + urlencode(extra)
    return nxt


@router.get("/search/export")
def search_export(request: Request) -> StreamingResponse:
    """The result set of the search in the URL (``format=csv|xlsx``) as a download, up to the
    setting ``search_export_max`` rows; with ``selected=1`` exactly the hits ticked (``ids``)."""
    from ipai.web.i18n import pick_lang

    form = read_form(request.query_params)
    fmt = request.query_params.get("format", "csv")
    if fmt not in ("csv", "xlsx"):
        raise InputError("format must be csv or xlsx", errors=[{"field": "format", "message": "unknown"}])
    ids = None
    if request.query_params.get("selected") == "1":
        ids = [i for i in request.query_params.getlist("ids") if i.strip()]
        if not ids:
            raise InputError(
                "no document selected: tick the hits to export", errors=[{"field": "ids", "message": "empty"}]
            )
    elif not form["q"]:
        raise InputError("empty query", errors=[{"field": "q", "message": "empty"}])
    base = str(request.base_url).rstrip("/") + request.scope.get("root_path", "").rstrip("/")
    return export_response(
        request.app.state.service,
        q=form["q"],
        ids=ids,
        fmt=fmt,
        sort=form["sort"],
        cross_lingual=form["xl"],
        filters=service_filters(form),
        lang=pick_lang(request)[0],
        base_url=base,
    )


async def _form(request: Request) -> tuple[dict[str, Any], Any]:
    data = await request.form()
    return read_form(data), data


@router.post("/search/saved")
async def save_search(request: Request) -> Response:
    """Save the search of the form under the name given (default: the query)."""
    form, data = await _form(request)
    visitor, new = visitor_id(request)
    row = request.app.state.service.searches.save_search(
        form["q"], str(data.get("name") or ""), saved_params(form), visitor=visitor
    )
    resp = RedirectResponse(_back(request, data.get("next"), saved=row["id"]), status_code=303)
    return remember_visitor(request, resp, visitor, new)


@router.post("/search/saved/{search_id}/remove")
async def remove_saved(request: Request, search_id: P.RowId) -> Response:
    """Delete one of your saved searches (or history entries)."""
    data = await request.form()
    request.app.state.service.searches.delete_saved_search(search_id, visitor=visitor_id(request)[0])
    return RedirectResponse(_back(request, data.get("next")), status_code=303)


@router.post("/search/history/clear")
async def clear_history(request: Request) -> Response:
    """Forget your search history."""
    data = await request.form()
    request.app.state.service.searches.clear_search_history(visitor=visitor_id(request)[0])
    return RedirectResponse(_back(request, data.get("next")), status_code=303)


@router.post("/search/monitor")
async def monitor_search(request: Request) -> Response:
    """一键监控: a watchlist for the search of the form; back on the page with a confirmation that
    links to the watchlists."""
    form, data = await _form(request)
    watch = request.app.state.service.searches.monitor_search(form["q"], saved_params(form))
    return RedirectResponse(_back(request, data.get("next"), watched=watch["id"]), status_code=303)
