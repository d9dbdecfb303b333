"""The request gate: an ASGI middleware every HTTP request passes before any route work.

In order, before a byte of the body is read:

1. the caller's address (``X-Forwarded-For`` only from configured trusted proxies);
2. the route and its action (:mod:`ipai.security.roles`) and the route's body limit:
   ``upload_max_mb`` (plus 1 MB of form overhead) for routes that take files, ``body_max_mb`` for
   every other; a declared ``Content-Length`` over it is 413 at once;
3. a state-changing request from another site (``Sec-Fetch-Site``, ``Origin``, ``Referer``) is 403;
4. authentication, the rate limit and the role check (:func:`ipai.faces.auth.authorize`): 401, 429
   or 403 without reading the body (the connection is then closed).

The body is then counted while it streams in (chunked bodies too): past the limit the route's
reading stops and the answer is 413. Every response gets the security headers
(:mod:`ipai.security.headers`) and, before it is sent, its audit record (a failed audit write
turns it into 503). Refusals have the one error shape (an HTML page for pages).
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Callable
from typing import Any, cast

from fastapi import params
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ipai.errors import Forbidden, IpaiError, TooLarge
from ipai.faces.auth import (
    API,
    SAFE_METHODS,
    action_of,
    audit_rows,
    authorize,
    client_ip,
    credentials,
    trusted_networks,
)
from ipai.security.headers import add_headers
from ipai.security.network import foreign
from ipai.security.ratelimit import RateLimited
from ipai.security.roles import WEB_UPLOADS

log = logging.getLogger("ipai.api")
MB = 1024 * 1024
FORM_OVERHEAD = MB  # multipart boundaries and fields beside the files
ErrorFn = Callable[[Request, int, str, list[dict[str, Any]]], Response]


class BodyTooLarge(Exception):
    """The request body passed its route's limit while it was read."""


def _takes_files(route: APIRoute) -> bool:
    return any(isinstance(f.field_info, params.File) for f in route.dependant.body_params)


def _routes(app: Any) -> list[tuple[Any, str]]:
    """(route, full path as declared) of every route of the application, included routers flattened."""
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:  # FastAPI before included-router contexts: the routes carry their full paths
        return [(r, getattr(r, "path", "")) for r in app.router.routes]
    return [(rc.original_route, rc.path or "") for rc in iter_route_contexts(app.router.routes)]


def route_table(app: Any) -> list[tuple[Any, frozenset[str] | None, str | None, bool, str | None]]:
    """Every route as (path regex, methods or None for a mount, action, takes files, path of a guarded
    route or None for static files and the API docs), built once."""
    table = getattr(app.state, "gate_routes", None)
    if table is None:
        table = []
        for route, path in _routes(app):
            if isinstance(route, Mount):
                table.append((re.compile("^" + re.escape(path.rstrip("/")) + "/"), None, None, False, None))
            elif isinstance(route, APIRoute):
                regex = compile_path(path)[0]
                for m in route.methods or ():
                    upload = _takes_files(route) if path.startswith(API + "/") else (m, path) in WEB_UPLOADS
                    table.append((regex, frozenset({m}), action_of(m, path), upload, path))
            elif getattr(route, "path_regex", None) is not None:  # the API docs and schema: public, no body
                table.append(
                    (
                        route.path_regex,
                        frozenset(getattr(route, "methods", None) or {"GET", "HEAD"}),
                        None,
                        False,
                        None,
                    )
                )
        app.state.gate_routes = table
    return table


def route_of(scope: Scope) -> tuple[str | None, str | None, bool]:
    """(path of the guarded route, its action, whether it takes file uploads) of a request; the path
    is None for static files and the API docs, and (None, None, False) when no route matches (the
    application then answers 404 or 405)."""
    method = "GET" if scope["method"] == "HEAD" else scope["method"]
    path, root = scope["path"], scope.get("root_path", "")
    if root and path.startswith(root):
        path = path[len(root) :]
    for regex, methods, action, upload, declared in route_table(scope["app"]):
        if regex.match(path) and (methods is None or method in methods or scope["method"] in methods):
            return declared, action, upload
    return None, None, False


def _header(scope: Scope, name: bytes) -> str | None:
    for k, v in scope.get("headers") or []:
        if k == name:
            return v.decode("latin-1")
    return None


class Gate:
    """The ASGI middleware described in the module docstring."""

    def __init__(self, app: ASGIApp, error: ErrorFn) -> None:
        self.app = app
        self.error = error

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        fastapi_app = scope["app"]
        settings = fastapi_app.state.service.settings
        scope.setdefault("state", {})
        request = Request(scope)
        client_ip(request)
        route, action, upload = route_of(scope)
        limit = int(settings.upload_max_mb * MB) + FORM_OVERHEAD if upload else int(settings.body_max_mb * MB)
        mb = settings.upload_max_mb if upload else settings.body_max_mb
        setting = "upload_max_mb" if upload else "body_max_mb"
        size = _header(scope, b"content-length")
        has_body = (
            bool(size and size.strip() not in ("", "0")) or _header(scope, b"transfer-encoding") is not None
        )
        try:
            if size is not None and (not size.strip().isdigit() or int(size) > limit):
                raise TooLarge(
                    f"request body of {size.strip()[:20]} bytes is over the {mb:g} MB limit (setting "
                    f"{setting})",
                    errors=[{"field": "body", "message": "too large"}],
                    code="body_too_large",
                    params={"mb": f"{mb:g}", "setting": setting},
                )
            if route is not None:
                if scope["method"] not in SAFE_METHODS and not credentials(request)[0]:
                    reason = foreign(cast("dict[str, Any]", scope), trusted_networks(fastapi_app))
                    if reason:
                        request.state.action = action
                        raise Forbidden(
                            reason + "; state-changing requests are accepted from this site only",
                            errors=[{"field": "origin", "message": "another site"}],
                            code="cross_site",
                        )
                await authorize(request, action)
                request.state.gated = True
        except IpaiError as exc:
            await self._refuse(scope, receive, send, request, exc, close=has_body)
            return
        await self._run(
            scope,
            receive,
            send,
            request,
            limit,
            TooLarge(
                f"request body is over the {mb:g} MB limit (setting {setting})",
                code="body_too_large",
                params={"mb": f"{mb:g}", "setting": setting},
            ),
        )

    async def _refuse(
        self, scope: Scope, receive: Receive, send: Send, request: Request, exc: IpaiError, *, close: bool
    ) -> None:
        from ipai.api.app import request_lang

        resp = self.error(request, exc.status, exc.text(request_lang(request)), exc.errors)
        if isinstance(exc, RateLimited):
            resp.headers["Retry-After"] = str(exc.retry_after)
        if close:  # the body was not read: end the connection rather than read or discard it
            resp.headers["Connection"] = "close"
        with contextlib.suppress(_Replaced):
            await resp(scope, receive, self._sender(request, send))

    def _sender(self, request: Request, send: Send) -> Send:
        """``send`` that audits a response before it starts and adds the security headers."""
        path = request.url.path

        async def out(message: Message) -> None:
            if message["type"] == "http.response.start":
                try:
                    rows = audit_rows(request, int(message["status"]))
                    if rows:
                        await run_in_threadpool(request.app.state.service.store.audit_append, rows)
                except Exception:  # an audit failure must be loud in the log and refuse the answer
                    log.exception("could not write the audit record of %s %s", request.method, path)
                    from ipai.api.app import _say

                    resp = self.error(
                        request,
                        503,
                        _say(
                            request,
                            "audit_failed",
                            "the audit log could not be written; the request was not recorded",
                        ),
                        [],
                    )
                    message = {
                        "type": "http.response.start",
                        "status": 503,
                        "headers": resp.raw_headers,
                        "trailers": False,
                    }
                    await send({**message, "headers": add_headers(list(message["headers"]), path)})
                    await send({"type": "http.response.body", "body": resp.body, "more_body": False})
                    raise _Replaced() from None
                message = {**message, "headers": add_headers(list(message.get("headers") or []), path)}
            await send(message)

        return out

    async def _run(
        self, scope: Scope, receive: Receive, send: Send, request: Request, limit: int, over_limit: TooLarge
    ) -> None:
        read = 0
        over = False
        started = False
        replaced = False
        sender = self._sender(request, send)

        async def limited() -> Message:
            nonlocal read, over
            if over:
                raise BodyTooLarge()
            msg = await receive()
            if msg["type"] == "http.request":
                read += len(msg.get("body", b""))
                if read > limit:
                    over = True
                    raise BodyTooLarge()
            return msg

        async def too_large() -> None:
            nonlocal started, replaced
            started = replaced = True
            from ipai.api.app import request_lang

            resp = self.error(
                request,
                413,
                over_limit.text(request_lang(request)),
                [{"field": "body", "message": "too large"}],
            )
            resp.headers["Connection"] = "close"
            await resp(scope, receive, sender)

        async def out(msg: Message) -> None:
            nonlocal started
            if replaced:
                return  # the route's own answer after 413 is dropped
            if msg["type"] == "http.response.start":
                if over:
                    await too_large()
                    return
                started = True
            await sender(msg)

        try:
            await self.app(scope, limited, out)
        except _Replaced:
            return
        except Exception:
            if over and not started:
                with contextlib.suppress(_Replaced):
                    await too_large()
                return
            raise


class _Replaced(Exception):
    """The response was replaced (the audit could not be written) and has been sent."""
