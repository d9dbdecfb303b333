"""The ASGI application: REST API under ``/api/v1``, the web UI at ``/``, one error shape."""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from ipai import __version__
from ipai.api.docs import install as install_docs
from ipai.api.gate import Gate
from ipai.api.openapi import install as install_openapi
from ipai.errors import IpaiError
from ipai.faces.auth import action_of, failure_audit, guard
from ipai.security.ratelimit import RateLimited
from ipai.service import Service
from ipai.settings import Settings, load_settings

log = logging.getLogger("ipai.api")
API = "/api/v1"


def _warm_analytics(svc: Service) -> None:
    try:
        svc.warm_analytics()
    except Exception as e:  # the service may be closing; a cold cache only costs time
        log.debug("analytics warm-up stopped: %s", e)


def create_app(
    settings: Settings | None = None, *, service: Service | None = None, web: bool = True
) -> FastAPI:
    """The ipai application over one service (created from ``settings`` when not given)."""
    svc = service or Service(settings or load_settings())
    own = service is None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        svc.warm()  # the first search should not pay for loading the index and the encoder
        threading.Thread(target=_warm_analytics, args=(svc,), name="ipai-warm-analytics", daemon=True).start()
        yield
        try:  # the counts of refusal windows still open (ipai.security.throttle.FailureAudit)
            rows = failure_audit(app).flush(everything=True)
            if rows:
                svc.store.audit_append(rows)
        except Exception:
            log.exception("could not write the last aggregated audit records")
        if own:
            svc.close()

    app = FastAPI(
        title="ipai",
        version=__version__,
        lifespan=lifespan,
        description="Offline AI for patent and trademark information services. "
        "Every error has the shape {ok: false, error, errors[], status}.",
        docs_url=None,
        openapi_url=f"{API}/openapi.json",
        redoc_url=None,
    )
    app.state.service = svc
    _ = svc.store  # open (and migrate) the store before the first request, not inside one
    _ = svc.tasks  # mark tasks a previous process left unfinished

    # before any route work: body limits while streaming, sign-in, rate limits, roles, same-site
    # state changes, security headers and the audit record of every response (ipai.api.gate)
    app.add_middleware(Gate, error=_error)

    @app.exception_handler(IpaiError)
    async def ipai_error(request: Request, exc: IpaiError) -> Response:
        resp = _error(request, exc.status, exc.text(request_lang(request)), exc.errors)
        if isinstance(exc, RateLimited):
            resp.headers["Retry-After"] = str(exc.retry_after)
        return resp

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        errs = [
            {"field": ".".join(str(x) for x in e["loc"][1:]) or str(e["loc"][0]), "message": e["msg"]}
            for e in exc.errors()
        ]
        names = ", ".join(e["field"] for e in errs)
        message = _say(request, "bad_request", f"bad request: {names}", fields=names)
        return _error(request, 400, message, errs)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        msg = {
            404: f"no such page or endpoint: {request.url.path}",
            405: f"{request.method} is not allowed on {request.url.path}",
        }.get(exc.status_code, str(exc.detail))
        if exc.status_code in (404, 405):
            msg = _say(request, f"http_{exc.status_code}", msg, path=request.url.path, method=request.method)
        resp = _error(request, exc.status_code, msg, [])
        resp.headers.update(exc.headers or {})
        if exc.status_code == 405:  # every method of the path, not only those of the first route matching it
            resp.headers["Allow"] = ", ".join(_allowed(request))
        return resp

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception) -> Response:
        """A bug: the detail goes to the server log under an id; the caller gets only the id."""
        error_id = secrets.token_hex(6)
        log.error(
            "internal error %s on %s %s",
            error_id,
            request.method,
            request.url.path,
            exc_info=(type(exc), exc, exc.__traceback__),
        )
        return _error(
            request,
            500,
            _say(
                request,
                "internal",
                f"internal error (id {error_id}); the server log has the detail",
                error_id=error_id,
            ),
            [{"error_id": error_id}],
        )

    missing = unguarded_routes(web)
    if missing:  # a route without an action in ipai.security.roles would be unguarded: refuse to start
        raise RuntimeError(f"routes missing from the security policy: {', '.join(missing)}")
    guarded = [Depends(guard)]  # every route: authenticate, rate-limit, authorise (ipai.faces.auth)
    for r in api_routers():
        app.include_router(r, prefix=API, dependencies=guarded)
    install_openapi(app)  # every error response an operation can give, declared (ipai.api.openapi)
    if web:
        from ipai.web import ROUTERS, STATIC_DIR
        from ipai.web.staticfiles import Static

        app.mount("/static", Static(directory=STATIC_DIR), name="static")  # + plotly.js for the reports
        for r in ROUTERS:
            app.include_router(r, dependencies=guarded, include_in_schema=False)
    install_docs(app, API)  # Swagger UI and ReDoc from the vendored files (ipai.api.docs)
    return app


def api_routers() -> list[APIRouter]:
    """The routers of ``/api/v1``."""
    from ipai.api import (
        v1,
        v1_checker,
        v1_deals,
        v1_draft,
        v1_evidence,
        v1_explain,
        v1_fto,
        v1_images,
        v1_industry,
        v1_manage,
        v1_monitor,
        v1_qa,
        v1_search,
        v1_security,
        v1_transfer,
        v1_triz,
        v1_value,
    )

    return [
        m.router
        for m in (
            v1,
            v1_search,
            v1_value,
            v1_transfer,
            v1_monitor,
            v1_images,
            v1_fto,
            v1_evidence,
            v1_checker,
            v1_draft,
            v1_triz,
            v1_qa,
            v1_security,
            v1_explain,
            v1_manage,
            v1_deals,
            v1_industry,
        )
    ]


def declared_routes(web: bool = True) -> list[tuple[str, str]]:
    """(method, path) of every API endpoint (with its ``/api/v1`` prefix) and web page."""
    from fastapi.routing import APIRoute

    routers = [(API, r) for r in api_routers()]
    if web:
        from ipai.web import ROUTERS

        routers += [("", r) for r in ROUTERS]
    return sorted(
        {
            (m, prefix + route.path)
            for prefix, router in routers
            for route in router.routes
            if isinstance(route, APIRoute)
            for m in (route.methods or set()) - {"HEAD"}
        }
    )


def unguarded_routes(web: bool = True) -> list[str]:
    """Routes the security policy does not name (must be none)."""
    return [f"{m} {p}" for m, p in declared_routes(web) if action_of(m, p) is None]


def _allowed(request: Request) -> list[str]:
    """The methods the routes of the request's path accept (the ``Allow`` header of a 405)."""
    from starlette.routing import Match

    routes = request.app.router.routes
    return [
        m
        for m in ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
        if any(r.matches({**request.scope, "method": m})[0] is Match.FULL for r in routes)
    ]


def request_lang(request: Request) -> str:
    """The language of a request's messages: ``?lang=``, the web UI's language cookie, then
    ``Accept-Language`` (English otherwise)."""
    try:
        from ipai.web.i18n import pick_lang
    except ImportError:  # pragma: no cover - web package missing
        return "en"
    return pick_lang(request)[0]


def _say(request: Request, code: str, english: str, **params: Any) -> str:
    """A message of the application itself in the request's language (English as given)."""
    from ipai.error_text import render

    lang = request_lang(request)
    return (render(code, lang, params) if lang != "en" else None) or english


def _error(request: Request, status: int, message: str, errors: list[dict[str, Any]]) -> Response:
    body = {"ok": False, "error": message, "errors": errors, "status": status}
    if not request.url.path.startswith(API) and "text/html" in request.headers.get("accept", ""):
        try:
            from ipai.web import render_error

            return render_error(request, status, message, errors)
        except ImportError:  # pragma: no cover - web package missing
            pass
    return JSONResponse(body, status_code=status)
