"""The web UI: server-rendered pages (Jinja2, a little JavaScript, vendored htmx and Chart.js)
in Chinese and English over :class:`ipai.service.Service`.

``ROUTERS`` hold the pages (search, document, dashboard, ingest, tasks, …), ``STATIC_DIR`` the files
mounted at ``/static``, and ``render_error`` the HTML error page the application shows for
errors on non-API paths. See docs/web.md.
"""

from fastapi import APIRouter

from ipai.web import (
    account,
    analytics,
    assess,
    checker,
    company,
    corpus,
    deals,
    document,
    draft,
    evidence,
    fto,
    images,
    industry,
    ingest,
    manage,
    monitor,
    qa,
    search,
    search_actions,
    transfer,
    triz,
)
from ipai.web.render import STATIC_DIR, render_error

ROUTERS: list[APIRouter] = [
    m.router
    for m in (
        account,
        search,
        search_actions,
        document,
        assess,
        analytics,
        transfer,
        monitor,
        images,
        fto,
        evidence,
        checker,
        draft,
        triz,
        qa,
        corpus,
        ingest,
        manage,
        deals,
        industry,
        company,
    )
]

__all__ = ["ROUTERS", "STATIC_DIR", "render_error"]
