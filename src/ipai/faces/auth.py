"""Authentication and authorisation of every request, and the audit record of it.

:func:`authorize` runs for every API endpoint and web page before its body is read (the request
gate, :mod:`ipai.api.gate`): it finds the route's action in :mod:`ipai.security.roles`, resolves
the caller (API key, session cookie, or anonymous = the public role; the local administrator in
laptop mode), counts the call against the key's rate limit, refuses (403, no data) a role the
action does not allow, and sets the principal the service and the store then work as. :func:`guard`
(a dependency of every router) makes that principal current and checks web forms' CSRF token.
:func:`audit_response` records writes, refusals, sign-ins and every non-public read in the
append-only audit log; failed authentication and 429s are recorded in aggregate.
"""

from __future__ import annotations

from typing import Any, cast

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from ipai.errors import Forbidden
from ipai.security import csrf
from ipai.security.context import ANONYMOUS, LOCAL, Principal, set_address, set_current
from ipai.security.network import client_address, networks
from ipai.security.ratelimit import RateLimiter
from ipai.security.roles import ACTIONS, API_POLICY, WEB_POLICY, allowed
from ipai.security.throttle import FailureAudit

API = "/api/v1"
SESSION_COOKIE = "ipai_session"
VISITOR_COOKIE = "ipai_visitor"  # an anonymous visitor's random id (the web UI sets it): whose saved searches
QUIET = frozenset({"read", "ask", "account"})  # successful reads of public data are not audited
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
AGGREGATED = frozenset({401, 429})  # audited once per address per window, with a count


def action_of(method: str, path: str) -> str | None:
    """The action of a route (its path template as registered), None if the policy lacks it."""
    method = "GET" if method == "HEAD" else method
    if path.startswith(API + "/"):
        return API_POLICY.get((method, path[len(API) :]))
    return WEB_POLICY.get((method, path))


def credentials(request: Request) -> tuple[str | None, str | None]:
    """(API key, session token) sent with a request."""
    key = request.headers.get("x-api-key")
    auth = request.headers.get("authorization", "")
    if not key and auth[:7].lower() == "bearer ":
        key = auth[7:].strip()
    return key or None, request.cookies.get(SESSION_COOKIE)


def trusted_networks(app: Any) -> tuple[Any, ...]:
    """The trusted proxy networks of the application's settings (parsed once)."""
    nets = getattr(app.state, "trusted_networks", None)
    if nets is None:
        nets = app.state.trusted_networks = networks(app.state.service.settings.trusted_proxies)
    return nets


def client_ip(request: Request) -> str:
    """The caller's address (forwarded headers believed only from configured trusted proxies)."""
    ip = getattr(request.state, "client_ip", None)
    if ip is None:
        ip = request.state.client_ip = client_address(
            cast("dict[str, Any]", request.scope), trusted_networks(request.app)
        )
    return str(ip)


def _limiter(request: Request) -> RateLimiter:
    lim = getattr(request.app.state, "limiter", None)
    if lim is None:
        s = request.app.state.service.settings
        lim = request.app.state.limiter = RateLimiter(s.rate_limit_per_minute, s.rate_limit_storage)
    return lim


def _authenticate(request: Request, address: str) -> tuple[Principal, int | None]:
    svc = request.app.state.service
    key, token = credentials(request)
    if key:
        return svc.security.auth.from_key(key, address=address)  # a bad key counts against the address
    if token:
        p = svc.security.auth.from_session(token)
        if p is not None:
            return p, None
    return ANONYMOUS, None


async def authorize(request: Request, action: str | None) -> Principal:
    """Authenticate, rate-limit and authorise one request for ``action``: the principal, or
    401 (bad key), 429 (rate limit, or back-off after failed authentication) or 403 (role)."""
    svc = request.app.state.service
    request.state.action = action
    address = client_ip(request)
    set_address(address)
    if not svc.settings.auth:
        principal, rate = LOCAL, None
    else:
        request.state.principal = ANONYMOUS  # until the credentials are known (a bad key is audited so)
        principal, rate = await run_in_threadpool(_authenticate, request, address)
    request.state.principal = principal
    set_current(principal)
    if svc.settings.auth:
        limit_key = principal.limit_key if principal.via != "anonymous" else f"ip:{address}"
        _limiter(request).hit(limit_key, rate)
    if action is None or not allowed(principal.role, action):
        what = ACTIONS[action][0] if action else "use this endpoint"
        raise Forbidden(
            f"role {principal.role!r} may not {what}"
            + (": sign in or send an API key" if principal.via == "anonymous" else ""),
            errors=[{"field": "role", "message": f"{principal.role} lacks {action or 'access'}"}],
            code="role_forbidden_anonymous" if principal.via == "anonymous" else "role_forbidden",
            params={"role": principal.role},
        )
    return principal


def route_action(request: Request) -> str | None:
    """The action of the route a request was matched to (its path as its router declared it)."""
    route = request.scope.get("route")
    path = getattr(route, "path", request.url.path)
    if request.url.path.startswith(API + "/") and not path.startswith(API + "/"):
        path = API + path  # the route as its router declared it, before the prefix
    return action_of(request.method, path)


async def check_form_token(request: Request) -> None:
    """A state-changing web form must carry the browser's CSRF token (403 otherwise)."""
    if request.method in SAFE_METHODS or request.url.path.startswith(API + "/"):
        return
    sent = request.headers.get(csrf.HEADER)
    if not sent:
        form = await request.form()  # parsed once: the page reads the same form
        value = form.get(csrf.FIELD)
        sent = value if isinstance(value, str) else None
    _, session = credentials(request)
    if not csrf.valid(sent, request.cookies.get(csrf.COOKIE), session):
        raise Forbidden(
            "the form has expired or was not sent from this site: reload the page and try again",
            errors=[{"field": csrf.FIELD, "message": "missing or not valid"}],
            code="csrf",
        )


async def guard(request: Request) -> None:
    """A dependency of every router: the request gate (:mod:`ipai.api.gate`) has authenticated,
    rate-limited and authorised the request before its body was read; this makes the principal
    current for the route, checks it again when no gate ran, and checks web forms' CSRF token."""
    if getattr(request.state, "gated", False):
        set_current(request.state.principal)
        set_address(client_ip(request))
    else:
        await authorize(request, route_action(request))
    await check_form_token(request)


def should_audit(method: str, action: str | None, status: int) -> bool:
    """Writes, refusals and every non-public read are audited; public reads that succeed are not."""
    if action is None:
        return status in (401, 403)
    return method not in ("GET", "HEAD") or status in (401, 403, 429) or action not in QUIET


def failure_audit(app: Any) -> FailureAudit:
    """The aggregator of refused authentication and 429s (one record per address per window)."""
    agg = getattr(app.state, "failure_audit", None)
    if agg is None:
        agg = app.state.failure_audit = FailureAudit(app.state.service.settings.auth_failure_window_s)
    return agg


def audit_rows(request: Request, status: int) -> list[dict[str, Any]]:
    """The audit records of a finished request: none, its own, or (401 and 429, which a guessing
    or flooding client makes by the thousand) the aggregated records due now."""
    action = getattr(request.state, "action", None)
    if not should_audit(request.method, action, status) or not hasattr(request.state, "principal"):
        return failure_audit(request.app).flush() if status < 400 else []
    p: Principal = request.state.principal
    row = {
        "user": p.user,
        "role": p.role,
        "tenant": p.tenant,
        "action": action or "unknown",
        "method": request.method,
        "path": request.url.path,
        "status": status,
        "ip": client_ip(request),
        "detail": {"key_id": p.key_id} if p.key_id else None,
    }
    if status in AGGREGATED:  # one window per address and user (anonymous guesses share one)
        return failure_audit(request.app).add(f"{row['ip']}|{p.user}", row)
    return [row]


async def audit_response(request: Request, status: int) -> None:
    """Append the audit records of a finished request, if there are any to keep."""
    rows = audit_rows(request, status)
    if rows:
        await run_in_threadpool(request.app.state.service.store.audit_append, rows)
