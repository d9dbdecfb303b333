"""The search page: query box, syntax help, associated-term chips, filters, results with sort,
facets, page numbers, export, saved searches, history and "monitor this search" (see
:mod:`ipai.web.search_view` and :mod:`ipai.web.search_actions`)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ipai.errors import InputError, IpaiError, QueryError
from ipai.service.filters import DOC_TYPES
from ipai.service.filters import LANGS as DOC_LANGS
from ipai.service.query_terms import status_options, suggest_terms, translations_query
from ipai.service.search_tools import SORTS
from ipai.web.render import page, url
from ipai.web.search_view import (
    facet_groups,
    filter_chips,
    page_links,
    params_url,
    remember_visitor,
    visitor_id,
)

router = APIRouter()
MODES = ("hybrid", "keyword", "semantic")
PAGE_SIZES = (10, 20, 50, 100)
FILTERS = ("cc", "year_from", "year_to", "cls", "applicant", "language", "doc_type", "status")


def _int(value: str | None, default: int, lo: int, hi: int) -> int:
    try:
        return min(hi, max(lo, int(value))) if value not in (None, "") else default
    except ValueError:
        return default


def read_form(params: Any) -> dict[str, Any]:
    """The search form's values from the query string (``lang`` is the interface language, so
    the document-language filter is called ``language`` here)."""
    # the last non-empty value wins: a class button under a hit comes after the form's own field
    form = {k: next((v.strip() for v in reversed(params.getlist(k)) if v.strip()), "") for k in FILTERS}
    form["q"] = (params.get("q") or "").strip()
    form["mode"] = params.get("mode") if params.get("mode") in MODES else "hybrid"
    xl = params.getlist("xl")  # hidden "0" then the checkbox's "1": the last one wins
    form["xl"] = xl[-1] != "0" if xl else True
    form["top"] = _int(params.get("top"), 10, 1, 100)
    form["offset"] = _int(params.get("offset"), 0, 0, 10_000)
    form["collapse"] = params.get("collapse") == "family"
    form["sort"] = params.get("sort") if params.get("sort") in SORTS else "relevance"
    return form


def service_filters(form: dict[str, Any]) -> dict[str, Any]:
    """The form's filters in the shape ``Service.search(filters=…)`` takes."""
    out = {k: form[k] for k in FILTERS if k != "language" and form[k]}
    if form["language"]:
        out["lang"] = form["language"]
    return out


def form_params(form: dict[str, Any], **change: Any) -> dict[str, Any]:
    """URL parameters that reproduce the form (for pagination and links)."""
    p = {
        "q": form["q"],
        **{k: form[k] for k in FILTERS},
        "mode": form["mode"] if form["mode"] != "hybrid" else "",
        "xl": "" if form["xl"] else "0",
        "top": form["top"] if form["top"] != 10 else "",
        "offset": form["offset"] or "",
        "collapse": "family" if form.get("collapse") else "",
        "sort": form["sort"] if form.get("sort", "relevance") != "relevance" else "",
    }
    p.update(change)
    return p


def caret_parts(query: str, position: int | None) -> dict[str, str] | None:
    """The query split around the error position: text before, the character at it, after."""
    if position is None:
        return None
    pos = max(0, min(position, len(query)))
    return {"before": query[:pos], "at": query[pos : pos + 1], "after": query[pos + 1 :], "pos": str(pos)}


def _pages(request: Request, form: dict[str, Any], res: Any) -> dict[str, Any]:
    """Previous/next and page numbers over the results: the ordered set when sorted, else the
    documents that carry a concept of the query (unknown for meaning-only searches)."""
    total = res.sorted if getattr(res, "sort", "relevance") != "relevance" else res.total
    if form["collapse"] or (form["mode"] == "semantic" and total == res.total):
        total = None  # rows are families, or hits are found by meaning: how many there are is not known
    return page_links(
        lambda **c: url(request, "/search", form_params(form, **c)),
        top=form["top"],
        offset=form["offset"],
        total=total,
        shown=len(res.hits),
    )


def _status_label(ui: str) -> Any:
    labels = dict(status_options())
    return lambda v: labels[v][ui] if v in labels else v


@router.get("/", response_class=HTMLResponse)
@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request) -> Response:
    """Search form; with ``q`` also the results with facets (or the query error, status 400)."""
    from ipai.web.i18n import pick_lang
    from ipai.web.search_view import saved_params

    form = read_form(request.query_params)
    ui = pick_lang(request)[0]
    link = lambda **c: url(request, "/search", form_params(form, **c))  # noqa: E731
    svc = request.app.state.service
    visitor, new_visitor = visitor_id(request)
    values: dict[str, Any] = {
        "active": "search",
        "form": form,
        "modes": MODES,
        "page_sizes": PAGE_SIZES,
        "doc_langs": DOC_LANGS,
        "doc_types": DOC_TYPES,
        "results": None,
        "status_options": status_options(),
        "sorts": SORTS,
        "error": None,
        "caret": None,
        "error_fields": [],
        "suggest": [],
        "classes": [],
        "pages": {},
        "filters_open": any(form[k] for k in FILTERS),
        "edit_url": None,
        "fixed_url": None,
        "drop_urls": [],
        "facets": None,
        "facet_groups": [],
        "chips": filter_chips(form, link, _status_label(ui)),
        "saved": [],
        "history": [],
        "params": saved_params(form),
        "notice": _notice(request),
        "sort_urls": {s: link(sort=s if s != "relevance" else "", offset="") for s in SORTS},
        "search_fields": [(k, v) for k, v in form_params(form, offset="").items() if v not in (None, "")],
        "page_url": url(request, "/search", form_params(form)),
        "export_urls": {
            f: url(request, "/search/export", form_params(form, offset="", format=f)) for f in ("csv", "xlsx")
        },
        "export_max": svc.settings.search_export_max,
        "can_monitor": _can_monitor(request),
        "abstract_shown": set(),
    }
    try:
        values["saved"] = [
            {**r, "url": params_url(lambda p, q: url(request, p, q), r)}
            for r in svc.searches.saved_searches(visitor=visitor, limit=20)
        ]
        values["history"] = [
            {**r, "url": params_url(lambda p, q: url(request, p, q), r)}
            for r in svc.searches.search_history(visitor=visitor, limit=10)
        ]
    except IpaiError:
        pass
    if not form["q"]:
        return remember_visitor(request, page(request, "search.html", **values), visitor, new_visitor)
    status = 200
    try:
        res = svc.search_tools.search_sorted(
            form["q"],
            sort=form["sort"],
            top=form["top"],
            offset=form["offset"],
            mode=form["mode"],
            cross_lingual=form["xl"],
            filters=service_filters(form),
            collapse="family" if form["collapse"] else None,
        )
        edit = translations_query(form["q"], res.concepts) if form["xl"] else None
        values.update(
            results=res,
            pages=_pages(request, form, res),
            suggest=suggest_terms(form["q"]),
            abstract_shown={
                h.id for h in res.hits if any(p.where.startswith("abstract") for p in h.highlights)
            },
            edit_url=url(request, "/search", form_params(form, q=edit, offset="")) if edit else None,
            fixed_url=url(request, "/search", form_params(form, q=res.suggestions["query"], offset=""))
            if res.suggestions and res.suggestions.get("query")
            else None,
            drop_urls=[
                {
                    "drop": d["drop"],
                    "total": d["total"],
                    "url": url(
                        request,
                        "/search",
                        form_params(
                            form, offset="", **{("language" if f == "lang" else f): "" for f in d["drop"]}
                        ),
                    ),
                }
                for d in (res.suggestions or {}).get("without_filter", [])
            ],
            classes=[]
            if form["cls"]
            else [
                {**c, "url": url(request, "/search", form_params(form, cls=c["code"], offset=""))}
                for c in svc.classifier.suggest_classes(form["q"])
            ],
        )
        if res.hits or res.total:
            facets = svc.search_tools.search_facets(
                form["q"], filters=service_filters(form), cross_lingual=form["xl"]
            )
            values.update(facets=facets, facet_groups=facet_groups(facets, form, link, ui))
        if (
            form["offset"] == 0 and not new_visitor
        ):  # a visitor's first page (a crawler's every page) keeps nothing
            svc.searches.record_search(form["q"], values["params"], visitor=visitor, total=res.total)
    except QueryError as exc:
        status = exc.status
        values.update(
            error={"kind": "query", "message": exc.text(ui).split("\n")[0]},
            caret=caret_parts(exc.query or form["q"], exc.position),
        )
    except InputError as exc:
        status = exc.status
        fields = [e.get("field") for e in exc.errors if e.get("field")]
        values.update(
            error={"kind": "input", "message": exc.text(ui)},
            error_fields=["language" if f == "lang" else f for f in fields],
            filters_open=True,
        )
    except IpaiError as exc:
        status = exc.status
        values.update(error={"kind": "other", "message": exc.text(ui)})
    return remember_visitor(
        request, page(request, "search.html", status=status, **values), visitor, new_visitor
    )


def _can_monitor(request: Request) -> bool:
    """Whether the caller may create watchlists (the monitor button is shown only then)."""
    from ipai.security.roles import allowed

    p = getattr(request.state, "principal", None)
    return p is None or allowed(p.role, "workspace")


def _notice(request: Request) -> dict[str, Any] | None:
    """What the page confirms after a save or a monitor click (the redirect carries it)."""
    p = request.query_params
    for kind in ("saved", "watched"):
        v = p.get(kind, "")
        if v.isascii() and v.isdigit() and len(v) < 16:
            return {"kind": kind, "id": int(v)}
    return None
