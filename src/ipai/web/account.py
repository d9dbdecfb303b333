"""Sign-in and sign-out pages (server mode): a session cookie for the web UI; in laptop mode the
page says sign-in is off."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from ipai.errors import IpaiError
from ipai.faces.auth import SESSION_COOKIE, client_ip, credentials
from ipai.security.ratelimit import RateLimited
from ipai.web.i18n import Translator, pick_lang
from ipai.web.render import page

router = APIRouter()


def _next(value: str | None) -> str:
    """A safe place to go after signing in: a path on this site only."""
    v = (value or "/").strip()
    return v if v.startswith("/") and not v.startswith("//") and "\\" not in v else "/"


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/") -> HTMLResponse:
    return page(request, "login.html", next=_next(next), error=None, name="")


@router.post("/login", response_model=None)
async def login(request: Request) -> Response:
    svc = request.app.state.service
    form = await request.form()
    name, password = str(form.get("name") or "").strip(), str(form.get("password") or "")
    target = _next(str(form.get("next") or "/"))
    t = Translator(pick_lang(request)[0])
    if not svc.settings.auth:
        return page(request, "login.html", status=400, next=target, name=name, error=t("account.off"))
    try:  # the password hash takes half a second: not on the event loop
        token, p = await run_in_threadpool(svc.security.auth.login, name, password, client_ip(request))
    except RateLimited as exc:
        wait_page = page(
            request,
            "login.html",
            status=429,
            next=target,
            name=name,
            error=t("account.wait", s=exc.retry_after),
        )
        wait_page.headers["Retry-After"] = str(exc.retry_after)
        return wait_page
    except IpaiError as exc:
        error = t("account.wrong") if exc.status == 401 else exc.text(pick_lang(request)[0])
        return page(request, "login.html", status=exc.status, next=target, name=name, error=error)
    request.state.principal = p
    resp = RedirectResponse(target, status_code=303)
    resp.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        path="/",
        max_age=int(svc.settings.session_hours * 3600),
        secure=request.url.scheme == "https",
    )
    return resp


@router.post("/logout", response_model=None)
def logout(request: Request) -> Response:
    _, token = credentials(request)
    if token:
        request.app.state.service.security.auth.logout(token)
    resp = RedirectResponse("/", status_code=303)
    resp.delete_cookie(SESSION_COOKIE, path="/")
    return resp


def login_link(path: str) -> str:
    """The sign-in page that comes back to ``path``."""
    return f"/login?next={quote(path, safe='/')}"
