"""Authentication and authorisation of every request, and the audit record of it.

:func:`guard` runs before every API endpoint and web page: it finds the route's action in
:mod:`ipai.security.roles`, resolves the caller (API key, session cookie, or anonymous = the
public role; the local administrator in laptop mode), counts the call against the key's rate
limit, refuses (403, no data) a role the action does not allow, and sets the principal the
service and the store then work as. :func:`audit_response` records writes, refusals, sign-ins and
every non-public read in the append-only audit log.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from ipai.errors import Forbidden
from ipai.security.context import ANONYMOUS, LOCAL, Principal, set_current
from ipai.security.ratelimit import RateLimiter
from ipai.security.roles import ACTIONS, API_POLICY, WEB_POLICY, allowed

API = "/api/v1"
SESSION_COOKIE = "ipai_session"
QUIET = frozenset({"read", "ask", "account"})  # successful reads of public data are not audited


def action_of(method: str, path: str) -> str | None:
    """The action of a route (its path template as registered), None if the policy lacks it."""
    method = "GET" if method == "HEAD" else method
    if path.startswith(API + "/"):
        return API_POLICY.get((method, path[len(API):]))
    return WEB_POLICY.get((method, path))


def credentials(request: Request) -> tuple[str | None, str | None]:
    """(API key, session token) sent with a request."""
    key = request.headers.get("x-api-key")
    auth = request.headers.get("authorization", "")
    if not key and auth[:7].lower() == "bearer ":
        key = auth[7:].strip()
    return key or None, request.cookies.get(SESSION_COOKIE)


def _limiter(request: Request) -> RateLimiter:
    lim = getattr(request.app.state, "limiter", None)
    if lim is None:
        s = request.app.state.service.settings
        lim = request.app.state.limiter = RateLimiter(s.rate_limit_per_minute, s.rate_limit_storage)
    return lim


def _authenticate(request: Request) -> tuple[Principal, int | None]:
    svc = request.app.state.service
    key, token = credentials(request)
    if key:
        return svc.auth.from_key(key)
    if token:
        p = svc.auth.from_session(token)
        if p is not None:
            return p, None
    return ANONYMOUS, None


async def guard(request: Request) -> None:
    """Authenticate, rate-limit and authorise one request (a dependency of every router)."""
    route = request.scope.get("route")
    path = getattr(route, "path", request.url.path)
    if request.url.path.startswith(API + "/") and not path.startswith(API + "/"):
        path = API + path  # the route as its router declared it, before the prefix
    action = action_of(request.method, path)
    request.state.action = action
    svc = request.app.state.service
    if not svc.settings.auth:
        principal, rate = LOCAL, None
    else:
        request.state.principal = ANONYMOUS  # until the credentials are known (a bad key is audited so)
        principal, rate = await run_in_threadpool(_authenticate, request)
    request.state.principal = principal
    set_current(principal)
    if svc.settings.auth:
        limit_key = principal.limit_key if principal.via != "anonymous" else \
            f"ip:{request.client.host if request.client else 'unknown'}"
        _limiter(request).hit(limit_key, rate)
    if action is None or not allowed(principal.role, action):
        what = ACTIONS[action][0] if action else "use this endpoint"
        raise Forbidden(f"role {principal.role!r} may not {what}" +
                        (": sign in or send an API key" if principal.via == "anonymous" else ""),
                        errors=[{"field": "role", "message": f"{principal.role} lacks {action or 'access'}"}])


def should_audit(method: str, action: str | None, status: int) -> bool:
    """Writes, refusals and every non-public read are audited; public reads that succeed are not."""
    if action is None:
        return status in (401, 403)
    return method not in ("GET", "HEAD") or status in (401, 403, 429) or action not in QUIET


async def audit_response(request: Request, status: int) -> None:
    """Append the audit record of a finished request, if it is one to keep."""
    action = getattr(request.state, "action", None)
    if not should_audit(request.method, action, status) or not hasattr(request.state, "principal"):
        return
    p: Principal = request.state.principal
    row = {"user": p.user, "role": p.role, "tenant": p.tenant, "action": action or "unknown",
           "method": request.method, "path": request.url.path, "status": status,
           "ip": request.client.host if request.client else None,
           "detail": {"key_id": p.key_id} if p.key_id else None}
    svc = request.app.state.service
    await run_in_threadpool(svc.store.audit_append, [row])
