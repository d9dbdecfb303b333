"""Every GET page of the web UI as a concrete URL: what the browser crawl (tests/web/test_browser_crawl.py)
and ``ipai bench web`` visit.

The pages come from the routes of :data:`ipai.web.ROUTERS`, so a new page is visited without being
listed here. A route with a path parameter gets a real record of the store (:func:`values_from`);
a parameter no rule here knows fails :func:`pages` loudly, naming the route, so that a new kind of
page cannot be skipped silently. Routes that are parts of another page (a fragment loaded by htmx,
a thumbnail) are listed in :data:`PARTS` with the page that loads them. A few pages are also visited
with a query, because their results are what users wait for (:data:`VARIANTS`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from ipai.errors import IpaiError

PARTS: dict[str, str] = {  # route → the page that loads it (visited through that page)
    "/landscape/more": "/landscape",
    "/tasks/{task_id}/progress": "/tasks/{task_id}",
}
REQUIRED: dict[str, dict[str, str]] = {  # routes that show nothing useful without these query fields
    "/report/landscape": {"q": "{query}"},
    "/report/company": {"name": "{applicant}"},
}
VARIANTS: dict[
    str, tuple[str, dict[str, str]]
] = {  # route → (name suffix, query) of a second visit with results
    "/search": ("results", {"q": "{search}"}),
    "/landscape": ("results", {"q": "{query}"}),
    "/value": ("results", {"q": "{applicant}"}),
    "/triz": ("results", {"improving": "{improving}", "worsening": "{worsening}"}),
}
EXTRA: tuple[tuple[str, str, int], ...] = (  # (name, path, status): the error page, in both languages too
    ("not-found", "/doc/{missing}", 404),
)
PARAMS = (
    "number",
    "task_id",
    "demand_id",
    "disclosure_id",
    "deal_id",
    "doc_id",
)  # path parameters with a rule
_PARAM = re.compile(r"\{(\w+)(?::\w+)?\}")


@dataclass(frozen=True)
class WebPage:
    """One page to visit: ``name`` is file-name safe (screenshots, test ids); ``path`` may hold
    ``{placeholders}`` filled by :meth:`url`."""

    name: str
    route: str
    path: str
    query: tuple[tuple[str, str], ...] = ()
    status: int = 200

    def needs(self) -> set[str]:
        """The values this page's URL needs."""
        text = self.path + "".join(v for _, v in self.query)
        return {m.group(1) for m in _PARAM.finditer(text)}

    def url(self, values: dict[str, Any]) -> str:
        """The concrete path and query (``KeyError`` if a value is missing)."""
        path = _PARAM.sub(lambda m: str(values[m.group(1)]), self.path)
        query = [(k, _PARAM.sub(lambda m: str(values[m.group(1)]), v)) for k, v in self.query]
        return path + ("?" + urlencode(query) if query else "")


def _name(route: str) -> str:
    parts = [("id" if p.startswith("{") else p) for p in route.strip("/").split("/") if p]
    return "-".join(parts) or "home"


def get_routes(*, html: bool = True) -> list[str]:
    """Paths of every GET route of the web UI that answers HTML (declared with
    ``response_class=HTMLResponse``: pages and their parts), in router order; ``html=False``: the
    other GET routes (downloads, images), which are no pages."""
    from fastapi.responses import HTMLResponse

    from ipai.web import ROUTERS

    out: list[str] = []
    for router in ROUTERS:
        for r in router.routes:
            path = getattr(r, "path", None)
            cls = getattr(r, "response_class", None)
            is_html = isinstance(cls, type) and issubclass(cls, HTMLResponse)
            if path and "GET" in (getattr(r, "methods", None) or ()) and is_html == html and path not in out:
                out.append(path)
    return out


def pages() -> list[WebPage]:
    """Every page to visit (routes in :data:`PARTS` excluded), variants with results after their
    page, then :data:`EXTRA`. Raises ``ValueError`` for a path parameter without a rule."""
    out: list[WebPage] = []
    for route in get_routes():
        if route in PARTS:
            continue
        for p in _PARAM.findall(route):
            if p not in PARAMS:
                raise ValueError(
                    f"web page {route}: no rule gives a real {{{p}}}; add one to ipai.web.sitemap "
                    "(PARAMS and values_from) or list the route in PARTS"
                )
        name = _name(route)
        path = _PARAM.sub(lambda m: "{" + m.group(1) + "}", route)
        if route in REQUIRED:
            out.append(WebPage(name, route, path, tuple(REQUIRED[route].items())))
            continue
        out.append(WebPage(name, route, path))
        if route in VARIANTS:
            suffix, query = VARIANTS[route]
            out.append(WebPage(f"{name}-{suffix}", route, path, tuple(query.items())))
    for name, path, status in EXTRA:
        out.append(WebPage(name, path, path, (), status))
    return out


def values_from(service: Any, **given: Any) -> dict[str, Any]:
    """Values for every placeholder from what ``service``'s store holds (``given`` wins): the first
    document, the newest task, demand, disclosure, deal and knowledge document, the leading
    applicant of the landscape query. A record the store lacks is left out (its page cannot be
    visited; :func:`missing` names it)."""
    v: dict[str, Any] = {
        "search": "电池",
        "query": "neural network OR 无人机",
        "improving": "1",
        "worsening": "14",
        "missing": "XX0000000A",
    }
    v.update({k: x for k, x in given.items() if x is not None})
    if "number" not in v:
        items = service.documents(limit=1)["items"]
        if items:
            v["number"] = items[0]["id"]
    firsts = {
        "task_id": lambda: service.corpus.list_tasks(limit=1),
        "demand_id": lambda: service.transfer.demands(limit=1)["items"],
        "disclosure_id": lambda: service.manage.disclosures(limit=1)["items"],
        "deal_id": lambda: service.deals.deals(limit=1)["items"],
        "doc_id": lambda: service.qa.knowledge_documents(),
    }
    for key, rows in firsts.items():
        if key not in v:
            found = rows()
            if found:
                v[key] = found[0]["id"]
    if "applicant" not in v:
        try:
            lead = service.analytics.landscape(v["query"], top=1).get("by_applicant") or []
        except IpaiError:  # nothing to map (an empty store): the pages needing an applicant are skipped
            lead = []
        if lead:
            v["applicant"] = lead[0]["key"]
    return v


def missing(page: WebPage, values: dict[str, Any]) -> list[str]:
    """The placeholders of ``page`` that ``values`` has no value for."""
    return sorted(page.needs() - set(values))
