"""Security headers on every response: a Content-Security-Policy suited to what is served, framing
refused, content types not sniffed, no referrer sent to other sites.

Pages load scripts, styles and images from ``/static`` only (vendored htmx and Chart.js, the app's
own ``js/*.js``; no inline script: chart data comes in ``<script type="application/json">`` blocks);
inline ``style`` attributes remain in a few templates, so styles allow ``'unsafe-inline'`` (CSS
cannot run script). API responses are data and get ``default-src 'none'``. The interactive API
docs (``/api/v1/docs`` Swagger UI, ``/api/v1/redoc`` ReDoc; no user content) load the vendored
libraries from ``/static/vendor`` and name their one inline script by its hash (``ipai.api.docs``).
The HTML reports (``/report/…``) set their own policy: Plotly from ``/static/vendor`` (one cached
file instead of 4.8 MB inside every report) and their one drawing script named by its hash
(``ipai.report.plotly_page.csp``); anything else answered under ``/report/`` runs sandboxed. A
header a route sets itself (e.g. an image's own policy, the docs pages', a report's) is kept.
"""

from __future__ import annotations

PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
API_CSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
# the fallback under /report/ (a report itself names its script by hash: ipai.report.plotly_page.csp):
# sandboxed in an origin of its own, its scripts could reach neither the site's cookies nor its API.
REPORT_CSP = (
    "sandbox allow-scripts allow-popups allow-modals allow-downloads; default-src 'none'; "
    "script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:; font-src data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
# the docs pages set their own policy naming their inline script by hash (ipai.api.docs); this is the fallback
DOCS_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "worker-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)

COMMON: tuple[tuple[str, str], ...] = (
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("referrer-policy", "same-origin"),
    ("cross-origin-opener-policy", "same-origin"),
)


def csp_for(path: str, api_prefix: str = "/api/v1") -> str:
    """The Content-Security-Policy of a response to ``path``."""
    if path in (f"{api_prefix}/docs", f"{api_prefix}/redoc") or path.startswith(f"{api_prefix}/docs/"):
        return DOCS_CSP
    if path == api_prefix or path.startswith(api_prefix + "/"):
        return API_CSP
    if path.startswith("/report/"):
        return REPORT_CSP
    return PAGE_CSP


def add_headers(headers: list[tuple[bytes, bytes]], path: str) -> list[tuple[bytes, bytes]]:
    """``headers`` (ASGI) with the security headers added where the response has not set them."""
    have = {k.lower() for k, _ in headers}
    out = list(headers)
    for name, value in (("content-security-policy", csp_for(path)), *COMMON):
        if name.encode("latin-1") not in have:
            out.append((name.encode("latin-1"), value.encode("latin-1")))
    return out
