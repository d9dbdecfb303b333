"""``/static``: the web UI's files, plus the plotly.js of the installed plotly package under a
versioned name (``/static/vendor/plotly-4.1.1.min.js``) for the HTML reports the app serves, so a
browser loads the 4.8 MB library once and keeps it instead of receiving it inside every report.
Versioned vendor files are sent with a year-long ``Cache-Control: immutable``."""

from __future__ import annotations

import os
from functools import cache
from typing import Any

from starlette.responses import HTMLResponse, Response
from starlette.staticfiles import StaticFiles

VENDOR = "vendor/"
LONG_CACHE = "public, max-age=31536000, immutable"


@cache
def plotly_name() -> str | None:
    """``vendor/plotly-<version>.min.js``, or None without the ``report`` extra (plotly)."""
    try:
        from ipai.report.plotly_page import plotly_version
    except ImportError:  # pragma: no cover - the report package is part of ipai
        return None
    try:
        return f"{VENDOR}plotly-{plotly_version()}.min.js"
    except Exception:  # noqa: BLE001 - plotly not installed: the reports inline nothing and fail loudly themselves
        return None


def report_response(request: Any, to_html: Any, data: dict[str, Any]) -> HTMLResponse:
    """A report (``to_html`` of :mod:`ipai.report.landscape` or :mod:`ipai.report.company`) in the
    reader's language, loading Plotly from this app, with the policy that lets only that file and
    the report's drawing script run (:func:`ipai.report.plotly_page.csp`)."""
    from ipai.report.plotly_page import csp
    from ipai.web.i18n import pick_lang

    lang = pick_lang(request)[0]
    html = to_html(data, lang, plotly_src=plotly_url(request.scope.get("root_path", "")))
    return HTMLResponse(html, headers={"Content-Security-Policy": csp(lang)})


def plotly_url(root: str = "") -> str | None:
    """The URL of the served plotly.js under the app's root path (None without plotly)."""
    name = plotly_name()
    return f"{root}/static/{name}" if name else None


class Static(StaticFiles):
    """The static folder, the installed plotly.js under its versioned name, long caching for vendor files."""

    def lookup_path(self, path: str) -> tuple[str, os.stat_result | None]:
        if path == plotly_name():
            from ipai.report.plotly_page import plotly_file

            full = str(plotly_file())
            try:
                return full, os.stat(full)
            except OSError:
                return "", None
        return super().lookup_path(path)

    async def get_response(self, path: str, scope: Any) -> Response:
        resp = await super().get_response(path, scope)
        if path.startswith(VENDOR) and resp.status_code in (200, 304):
            resp.headers["Cache-Control"] = LONG_CACHE
        return resp
