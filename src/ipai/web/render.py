"""Rendering pages: the Jinja2 environment, the context every page shares (language, links,
version) and the HTML error page the application uses for non-API errors."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from ipai import __version__
from ipai.web.fmt import day, moment, money
from ipai.web.i18n import COOKIE, LANG_NAMES, LANGS, Translator, pick_lang
from ipai.web.nav import menu
from ipai.web.srctext import mark, record_label, source, tm
from ipai.web.taskview import outcome

TEMPLATE_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"
_WHERE = re.compile(r"^(title|abstract|claim|description)\s*(.*)$")


def _num(value: Any) -> str:
    """An integer with thousands separators (``12,345``); other values unchanged."""
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else str(value)


def _json(value: Any) -> str:
    """JSON text for an HTML attribute (the template escapes it like any other value)."""
    return json.dumps(value, ensure_ascii=False)


def _json_script(value: Any) -> Markup:
    """JSON safe inside a ``<script type="application/json">`` block."""
    text = json.dumps(value, ensure_ascii=False)
    return Markup(text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e"))


ENV = Environment(
    loader=FileSystemLoader(TEMPLATE_DIR),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
ENV.filters["num"] = _num
ENV.filters["basename"] = lambda p: str(p).replace("\\", "/").rsplit("/", 1)[-1]
ENV.filters["json"] = _json
ENV.filters["json_script"] = _json_script
ENV.filters["outcome"] = outcome  # how a task looks: ipai.web.taskview
ENV.filters["money"] = money  # amounts and dates in the reader's language: ipai.web.fmt
ENV.filters["day"] = day
ENV.filters["moment"] = moment


def url(request: Request, path: str, params: Mapping[str, Any] | None = None) -> str:
    """An application URL (under the mount's root path) with the non-empty ``params``."""
    root = request.scope.get("root_path", "").rstrip("/")
    query = urlencode([(k, v) for k, v in (params or {}).items() if v not in (None, "")], doseq=True)
    return f"{root}{path}" + (f"?{query}" if query else "")


def switch_url(request: Request, lang: str) -> str:
    """The current page in another interface language."""
    items = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    items.append(("lang", lang))
    root = request.scope.get("root_path", "").rstrip("/")
    return f"{root}{request.url.path}?{urlencode(items)}"


def where_label(t: Translator, where: str) -> str:
    """A passage location (``claim 3``, ``abstract[en]``, ``description [0012]``) in the
    interface language."""
    m = _WHERE.match(where)
    if not m:
        return where
    return f"{t('where.' + m.group(1))} {m.group(2)}".strip()


def csrf_token(request: Request) -> str:
    """The browser's CSRF token (:mod:`ipai.security.csrf`): its cookie when that is signed for its
    session, else a new one (``page`` then sets the cookie)."""
    from ipai.faces.auth import credentials
    from ipai.security import csrf

    state = request.scope.setdefault("state", {})
    if "csrf_token" not in state:
        cookie, session = request.cookies.get(csrf.COOKIE), credentials(request)[1]
        fresh = not csrf.signed_for(cookie, session)
        state["csrf_token"], state["csrf_new"] = (csrf.issue(session) if fresh else cookie), fresh
    return str(state["csrf_token"])


def context(request: Request, lang: str, **extra: Any) -> dict[str, Any]:
    """What every template gets: ``t``, ``lang``, links, the version and the forms' CSRF field."""
    from ipai.security.csrf import FIELD

    t = Translator(lang)
    token = csrf_token(request)
    return {
        "request": request,
        "t": t,
        "lang": lang,
        "langs": LANGS,
        "lang_names": LANG_NAMES,
        "version": __version__,
        "root": request.scope.get("root_path", "").rstrip("/"),
        "url": lambda path, **p: url(request, path, p),
        "switch_url": lambda lg: switch_url(request, lg),
        "where_label": lambda w: where_label(t, w),
        "active": "",
        "tm": lambda key, **v: tm(t, key, **v),
        "src": source,
        "mark": mark,
        "record_label": lambda w: record_label(w, lang),
        "me": _me(request),
        "nav": menu(request, t),
        "csrf_token": token,
        "csrf_field": Markup('<input type="hidden" name="{}" value="{}">').format(FIELD, token),
        **extra,
    }


def set_csrf_cookie(request: Request, resp: Response) -> None:
    """Give the browser the CSRF token its page's forms carry, if it is new."""
    from ipai.security.csrf import COOKIE

    state = request.scope.get("state") or {}
    if state.get("csrf_new"):
        resp.set_cookie(
            COOKIE,
            state["csrf_token"],
            httponly=True,
            samesite="lax",
            path="/",
            secure=request.url.scheme == "https",
        )


def _me(request: Request) -> dict[str, Any] | None:
    """The signed-in user shown in the header (server mode only; None in laptop mode)."""
    svc = getattr(request.app.state, "service", None)
    if svc is None or not svc.settings.auth:
        return None
    p = getattr(request.state, "principal", None)
    return (
        {"user": p.user, "role": p.role, "tenant": p.tenant, "signed_in": p.via != "anonymous"}
        if p
        else {"user": "anonymous", "role": "public", "tenant": None, "signed_in": False}
    )


def page(request: Request, template: str, status: int = 200, **values: Any) -> HTMLResponse:
    """Render ``template`` in the request's language; a ``?lang=`` choice is kept in a cookie."""
    lang, chosen = pick_lang(request)
    html = ENV.get_template(template).render(context(request, lang, **values))
    resp = HTMLResponse(
        html, status_code=status, headers={"Content-Language": lang, "Vary": "Accept-Language, Cookie"}
    )
    if chosen:
        resp.set_cookie(COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax", path="/")
    set_csrf_cookie(request, resp)
    return resp


def render_error(request: Request, status: int, message: str, errors: list[dict[str, Any]]) -> Response:
    """The HTML error page (the application calls this for errors on pages, not on ``/api``).
    An oversized upload on the ingest page shows the ingest form again with the message."""
    if request.url.path.rstrip("/").endswith("/ingest") and request.method == "POST" and status in (400, 413):
        from ipai.web.ingest import ingest_form

        return ingest_form(request, status=status, error=message)
    me = _me(request)
    signin = (
        f"/login?next={quote(request.url.path, safe='/')}"
        if me and not me["signed_in"] and status in (401, 403)
        else None
    )
    csrf_failed = any(e.get("field") in ("csrf_token", "origin") for e in errors)  # a form to send again
    return page(
        request,
        "error.html",
        status=status,
        status_code=status,
        message=message,
        errors=errors,
        signin=signin,
        csrf_failed=csrf_failed,
    )
