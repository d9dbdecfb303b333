"""What the search results page shows beside the hits: page numbers, the facets with their
drill-down links, the active filters as removable chips, and the visitor id that keeps an anonymous
visitor's saved searches and history."""

from __future__ import annotations

import math
import secrets
from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ipai.faces.auth import VISITOR_COOKIE

MAX_OFFSET = 10_000  # the deepest offset a search pages to (Service.search)
EDGE = 2  # page numbers shown on each side of the current one
FACET_ORDER = ("status", "applicant", "year", "country", "cls")
Link = Callable[..., str]  # form_params changes → URL of the search page


def page_links(link: Link, *, top: int, offset: int, total: int | None, shown: int) -> dict[str, Any]:
    """Previous/next and the page numbers 1 2 3 … last (each ``{n, url, current}``, ``None`` for a
    gap) for ``total`` results; with an unknown total only previous/next (next when the page is full)."""
    current = offset // top + 1
    out: dict[str, Any] = {
        "prev": link(offset=max(0, offset - top) or "") if offset else None,
        "next": None,
        "numbers": [],
        "current": current,
        "last": None,
    }
    if not total:
        out["next"] = link(offset=offset + top) if shown == top and offset + top <= MAX_OFFSET else None
        return out
    last = min(math.ceil(total / top), MAX_OFFSET // top + 1)
    out["last"] = last
    if current < last:
        out["next"] = link(offset=offset + top)
    wanted = sorted({1, last, *range(max(1, current - EDGE), min(last, current + EDGE) + 1)})
    prev = 0
    for n in wanted:
        if n - prev > 1:
            out["numbers"].append(None)
        out["numbers"].append({"n": n, "url": link(offset=(n - 1) * top or ""), "current": n == current})
        prev = n
    if len(out["numbers"]) <= 1:
        out["numbers"] = []
    return out


def facet_groups(facets: dict[str, Any], form: dict[str, Any], link: Link, ui: str) -> list[dict[str, Any]]:
    """The facets in page order, each value with the URL that adds its filter (keeping the query and
    the other filters, back to the first page) and whether that filter is set already."""
    out = []
    for name in FACET_ORDER:
        values = []
        for v in facets["facets"].get(name, []):
            change = {("language" if k == "lang" else k): val for k, val in v["filter"].items()}
            active = all(str(form.get(k) or "") == str(val) for k, val in change.items())
            label = v["label"][ui] if v.get("label") else v["value"]
            values.append(
                {
                    "value": v["value"],
                    "label": label,
                    "count": v["count"],
                    "active": active,
                    "url": link(offset="", **change),
                }
            )
        if values:
            out.append({"name": name, "options": values})
    return out


def filter_chips(
    form: dict[str, Any], link: Link, status_label: Callable[[str], str]
) -> list[dict[str, Any]]:
    """Every filter that is set, as ``{name, text, url}``; the URL removes it (the query stays)."""
    chips = []
    lo, hi = form.get("year_from"), form.get("year_to")
    if lo or hi:
        text = lo if lo == hi else f"{lo or '…'}–{hi or '…'}"
        chips.append({"name": "years", "text": text, "url": link(offset="", year_from="", year_to="")})
    for name in ("cc", "cls", "applicant", "language", "doc_type", "status"):
        if form.get(name):
            text = status_label(form[name]) if name == "status" else form[name]
            chips.append({"name": name, "text": text, "url": link(offset="", **{name: ""})})
    if form.get("collapse"):
        chips.append({"name": "collapse", "text": "", "url": link(offset="", collapse="")})
    return chips


def saved_params(form: dict[str, Any]) -> dict[str, Any]:
    """The form's search parameters as a saved search keeps them."""
    out = {
        k: form[k]
        for k in ("cc", "year_from", "year_to", "cls", "applicant", "doc_type", "status")
        if form.get(k)
    }
    if form.get("language"):
        out["lang"] = form["language"]
    if form.get("mode") and form["mode"] != "hybrid":
        out["mode"] = form["mode"]
    if form.get("sort") and form["sort"] != "relevance":
        out["sort"] = form["sort"]
    if not form.get("xl", True):
        out["cross_lingual"] = False
    if form.get("collapse"):
        out["collapse"] = "family"
    return out


def params_url(url_of: Callable[[str, dict[str, Any]], str], row: dict[str, Any]) -> str:
    """The search page URL that runs a saved search or history entry again."""
    p = dict(row.get("params") or {})
    q: dict[str, Any] = {
        "q": row["query"],
        **{
            k: p[k]
            for k in ("cc", "year_from", "year_to", "cls", "applicant", "doc_type", "status", "mode", "sort")
            if p.get(k)
        },
    }
    if p.get("lang"):
        q["language"] = p["lang"]
    if p.get("cross_lingual") is False:
        q["xl"] = "0"
    if p.get("collapse"):
        q["collapse"] = "family"
    return url_of("/search", q)


def visitor_id(request: Request) -> tuple[str | None, bool]:
    """The anonymous visitor's id (from its cookie, or a new one) and whether it is new; None for
    signed-in users and the laptop's local user (their searches are kept under their name)."""
    p = getattr(request.state, "principal", None)
    if p is None or p.via != "anonymous":
        return None, False
    have = request.cookies.get(VISITOR_COOKIE, "")
    if 16 <= len(have) <= 64 and have.replace("-", "").replace("_", "").isalnum():
        return have, False
    return secrets.token_urlsafe(18), True


def remember_visitor(request: Request, resp: Response, visitor: str | None, new: bool) -> Response:
    """Set the visitor cookie on a response when the id is new."""
    if visitor and new:
        resp.set_cookie(
            VISITOR_COOKIE,
            visitor,
            max_age=365 * 24 * 3600,
            samesite="lax",
            path="/",
            httponly=True,
            secure=request.url.scheme == "https",
        )
    return resp
