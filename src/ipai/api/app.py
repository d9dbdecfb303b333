"""The ASGI application: REST API under ``/api/v1``, the web UI at ``/``, one error shape."""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from ipai import __version__
from ipai.api.auth import audit_response, guard, unguarded_routes
from ipai.errors import IpaiError
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


def create_app(settings: Settings | None = None, *, service: Service | None = None,
               web: bool = True) -> FastAPI:
    """The ipai application over one service (created from ``settings`` when not given)."""
    svc = service or Service(settings or load_settings())
    own = service is None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        svc.warm()  # the first search should not pay for loading the index and the encoder
        threading.Thread(target=_warm_analytics, args=(svc,), name="ipai-warm-analytics", daemon=True).start()
        yield
        if own:
            svc.close()

    app = FastAPI(title="ipai", version=__version__, lifespan=lifespan,
                  description="Offline AI for patent and trademark information services. "
                  "Every error has the shape {ok: false, error, errors[], status}.",
                  docs_url=f"{API}/docs", openapi_url=f"{API}/openapi.json", redoc_url=None)
    app.state.service = svc
    svc.store  # open (and migrate) the store before the first request, not inside one
    svc.tasks  # mark tasks a previous process left unfinished

    limit = int(svc.settings.upload_max_mb * 1024 * 1024) + 1024 * 1024  # form overhead

    @app.middleware("http")
    async def body_limit(request: Request, call_next: Any) -> Response:
        size = request.headers.get("content-length")
        if size and size.isdigit() and int(size) > limit:
            return _error(request, 413, f"request body of {int(size):,} bytes is over the "
                          f"{svc.settings.upload_max_mb:g} MB limit (setting upload_max_mb)",
                          [{"field": "body", "message": "too large"}])
        response = await call_next(request)
        try:
            await audit_response(request, response.status_code)
        except Exception:  # an audit failure must be loud in the log (the response is already made)
            log.exception("could not write the audit record of %s %s", request.method, request.url.path)
            return _error(request, 503, "the audit log could not be written; the request was not recorded", [])
        return response

    @app.exception_handler(IpaiError)
    async def ipai_error(request: Request, exc: IpaiError) -> Response:
        resp = _error(request, exc.status, exc.message, exc.errors)
        if isinstance(exc, RateLimited):
            resp.headers["Retry-After"] = str(exc.retry_after)
        return resp

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        errs = [{"field": ".".join(str(x) for x in e["loc"][1:]) or str(e["loc"][0]), "message": e["msg"]}
                for e in exc.errors()]
        names = ", ".join(e["field"] for e in errs)
        return _error(request, 400, f"bad request: {names}", errs)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        msg = {404: f"no such page or endpoint: {request.url.path}",
               405: f"{request.method} is not allowed on {request.url.path}"}.get(exc.status_code, str(exc.detail))
        return _error(request, exc.status_code, msg, [])

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s", request.url.path)
        return _error(request, 500, f"internal error: {type(exc).__name__}: {exc}", [])

    from ipai.api.v1 import router
    from ipai.api.v1_checker import router as checker_router
    from ipai.api.v1_draft import router as draft_router
    from ipai.api.v1_evidence import router as evidence_router
    from ipai.api.v1_qa import router as qa_router
    from ipai.api.v1_triz import router as triz_router
    from ipai.api.v1_fto import router as fto_router
    from ipai.api.v1_images import router as images_router
    from ipai.api.v1_match import router as match_router
    from ipai.api.v1_monitor import router as monitor_router
    from ipai.api.v1_security import router as security_router
    from ipai.api.v1_value import router as value_router

    guarded = [Depends(guard)]  # every route: authenticate, rate-limit, authorise (ipai.api.auth)
    for r in (router, value_router, match_router, monitor_router, images_router, fto_router, evidence_router,
              checker_router, draft_router, triz_router, qa_router, security_router):
        app.include_router(r, prefix=API, dependencies=guarded)
    if web:
        from fastapi.staticfiles import StaticFiles

        from ipai.web import STATIC_DIR, router as web_router

        app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
        app.include_router(web_router, dependencies=guarded)
    missing = unguarded_routes(app)
    if missing:  # a route without an action in ipai.security.roles would be unguarded: refuse to start
        raise RuntimeError(f"routes missing from the security policy: {', '.join(missing)}")
    return app


def _error(request: Request, status: int, message: str, errors: list[dict[str, Any]]) -> Response:
    body = {"ok": False, "error": message, "errors": errors, "status": status}
    if not request.url.path.startswith(API) and "text/html" in request.headers.get("accept", ""):
        try:
            from ipai.web import render_error

            return render_error(request, status, message, errors)
        except ImportError:  # pragma: no cover - web package missing
            pass
    return JSONResponse(body, status_code=status)
