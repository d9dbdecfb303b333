"""The interactive API documentation, offline: Swagger UI at ``/api/v1/docs`` and ReDoc at
``/api/v1/redoc``, both served from the vendored copies in ``ipai/web/static/vendor`` (see its
README), never from a CDN. The two big scripts are kept gzip-compressed (``*.js.gz``, each under 1 MB)
and sent as they are with ``Content-Encoding: gzip`` from ``/api/v1/docs/assets/…``.

FastAPI writes the pages (``get_swagger_ui_html``, ``get_redoc_html``); Swagger UI's page carries one
inline script (its configuration). Each page gets its own Content-Security-Policy naming that script
by its SHA-256, so no other inline script can run and nothing outside the server is loaded.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

VENDOR_DIR = Path(__file__).resolve().parents[1] / "web" / "static" / "vendor"
SWAGGER_JS = "swagger-ui-bundle-5.36.0.js"
SWAGGER_CSS = "swagger-ui-5.36.0.css"
REDOC_JS = "redoc-2.5.4.standalone.js"
_INLINE = re.compile(r"<script>(.*?)</script>", re.S)


def page_csp(html: str) -> str:
    """The Content-Security-Policy of a docs page: scripts from the server and the page's own inline
    scripts (by hash); styles inline too (both libraries set them); ReDoc's search runs in a worker
    it makes from a ``blob:``."""
    digests = (hashlib.sha256(s.encode("utf-8")).digest() for s in _INLINE.findall(html))
    hashes = "".join(f" 'sha256-{base64.b64encode(d).decode('ascii')}'" for d in digests)
    return (
        f"default-src 'self'; script-src 'self'{hashes}; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:; connect-src 'self'; "
        "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )


def _with_csp(html: HTMLResponse) -> HTMLResponse:
    body = bytes(html.body).decode("utf-8")
    return HTMLResponse(
        body, headers={"Content-Security-Policy": page_csp(body), "Cache-Control": "no-cache"}
    )


def install(app: FastAPI, api: str = "/api/v1") -> None:
    """Add the Swagger UI and ReDoc pages under ``api`` (the application is created with
    ``docs_url=None, redoc_url=None``); mounts the vendored files when the web UI is not there to."""
    from fastapi.staticfiles import StaticFiles

    def root(request: Request) -> str:
        return str(request.scope.get("root_path", "")).rstrip("/")

    async def asset(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in (SWAGGER_JS, REDOC_JS):
            return Response(status_code=404)
        return Response(
            (VENDOR_DIR / f"{name}.gz").read_bytes(),
            media_type="text/javascript",
            headers={
                "Content-Encoding": "gzip",
                "Cache-Control": "public, max-age=31536000",
                "Vary": "Accept-Encoding",
            },
        )

    async def swagger(request: Request) -> HTMLResponse:
        r = root(request)
        return _with_csp(
            get_swagger_ui_html(
                openapi_url=f"{r}{app.openapi_url}",
                title=f"{app.title} API",
                swagger_js_url=f"{r}{api}/docs/assets/{SWAGGER_JS}",
                swagger_css_url=f"{r}/static/vendor/{SWAGGER_CSS}",
                swagger_favicon_url=f"{r}/static/favicon.svg",
                swagger_ui_parameters={"validatorUrl": None},
            )
        )

    async def redoc(request: Request) -> HTMLResponse:
        r = root(request)
        return _with_csp(
            get_redoc_html(
                openapi_url=f"{r}{app.openapi_url}",
                title=f"{app.title} API",
                redoc_js_url=f"{r}{api}/docs/assets/{REDOC_JS}",
                redoc_favicon_url=f"{r}/static/favicon.svg",
                with_google_fonts=False,
            )
        )

    app.add_route(f"{api}/docs", swagger, include_in_schema=False)
    app.add_route(f"{api}/redoc", redoc, include_in_schema=False)
    app.add_route(f"{api}/docs/assets/{{name}}", asset, include_in_schema=False)
    if not any(getattr(r, "path", None) == "/static" for r in app.routes):
        app.mount("/static/vendor", StaticFiles(directory=VENDOR_DIR), name="vendor")


__all__ = ["install", "page_csp"]
