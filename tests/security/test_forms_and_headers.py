"""Issue 19, defect 8: web forms had no CSRF protection (no token, no Origin check; a sign-in could be
forged from any site) and responses had no CSP, X-Frame-Options or nosniff. Now every state-changing
form needs the browser's signed token (cookie and field alike, signed for its session) and may not
come from another site (Sec-Fetch-Site, Origin, Referer), API calls authenticated by the session
cookie may not either, and every response carries the security headers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ipai.api import create_app
from ipai.faces.auth import API, SESSION_COOKIE
from ipai.security import csrf
from ipai.web.render import STATIC_DIR, TEMPLATE_DIR
from tests.security.conftest import as_
from tests.webforms import form_token

FOREIGN = "https://evil.example"


@pytest.fixture()
def laptop(service: Any) -> Iterator[TestClient]:
    """The application in laptop mode (everyone the local administrator: CSRF matters most here)."""
    with TestClient(create_app(service=service)) as c:
        yield c


def _post_watch(c: TestClient, data: dict[str, str], **headers: str) -> Any:
    return c.post(
        "/watch", data={"kind": "cpc", "terms": "B64C39/02", **data}, headers=headers, follow_redirects=False
    )


def test_a_form_without_its_token_or_from_another_site_is_refused(laptop: TestClient, service: Any) -> None:
    c = laptop
    page = c.get("/watch")
    token = c.cookies.get(csrf.COOKIE)
    assert f'name="csrf_token" value="{token}"' in page.text and csrf.signed_for(token, None)
    r = _post_watch(c, {}, accept="text/html")  # no token
    assert r.status_code == 403 and 'data-testid="error-csrf"' in r.text
    assert _post_watch(c, {"csrf_token": csrf.issue(None)}).status_code == 403  # not the cookie's
    assert _post_watch(c, {"csrf_token": csrf.issue("someone else's session")}).status_code == 403
    for header, value in (
        ("origin", FOREIGN),
        ("origin", "null"),
        ("referer", FOREIGN + "/page"),
        ("sec-fetch-site", "cross-site"),
        ("origin", "http://testserver:8080"),
    ):
        r = _post_watch(c, {"csrf_token": token}, **{header: value})
        assert r.status_code == 403 and r.json()["errors"][0]["field"] == "origin", (header, value)
    assert service.monitor.watches()["items"] == []  # none of them did anything
    ok = _post_watch(c, {"csrf_token": token}, origin="http://testserver", referer="http://testserver/watch")
    assert ok.status_code == 303 and len(service.monitor.watches()["items"]) == 1
    assert _post_watch(c, {}, **{"x-csrf-token": token}).status_code == 303  # scripts send the header


def test_sign_in_cannot_be_forged_and_the_token_follows_the_session(
    secure_client: TestClient, keys: dict[str, str]
) -> None:
    c = secure_client
    c.cookies.clear()
    login = {"name": "ana", "password": "correct horse battery", "next": "/"}
    r = c.post("/login", data=login, follow_redirects=False)  # no token: a sign-in made by another site
    assert r.status_code == 403 and SESSION_COOKIE not in c.cookies
    r = c.post("/login", data={**login, **form_token(c)}, headers={"origin": FOREIGN}, follow_redirects=False)
    assert r.status_code == 403 and SESSION_COOKIE not in c.cookies
    before = form_token(c)
    assert c.post("/login", data={**login, **before}, follow_redirects=False).status_code == 303
    assert c.post("/logout", data=before, follow_redirects=False).status_code == 403  # signed for no session
    after = form_token(c)
    assert after != before and c.post("/logout", data=after, follow_redirects=False).status_code == 303
    c.cookies.clear()


def test_cookie_authenticated_api_calls_from_another_site_are_refused(
    secure_client: TestClient, keys: dict[str, str]
) -> None:
    c = secure_client
    c.cookies.clear()
    assert (
        c.post(f"{API}/auth/login", json={"name": "ana", "password": "correct horse battery"}).status_code
        == 200
    )
    r = c.post(f"{API}/auth/logout", headers={"origin": FOREIGN})
    assert r.status_code == 403 and set(r.json()) == {"ok", "error", "errors", "status"}
    assert c.get(f"{API}/me").json()["user"] == "ana"  # still signed in
    c.cookies.clear()
    r = c.post(
        f"{API}/demands",
        json={"title": "from a script elsewhere", "text": "a drone battery"},
        headers={**as_(keys["enterprise"]), "origin": FOREIGN},
    )
    assert r.status_code == 201  # an API key is no ambient credential: another site cannot send it


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/search?q=x",
        "/login",
        "/no/such/page",
        f"{API}/health",
        f"{API}/nope",
        "/static/css/ipai.css",
        "/static/js/charts.js",
        "/static/favicon.svg",
        f"{API}/docs",
        f"{API}/openapi.json",
    ],
)
def test_security_headers_on_every_response(laptop: TestClient, path: str) -> None:
    r = laptop.get(path)
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["referrer-policy"] == "same-origin"
    csp = r.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and ("object-src 'none'" in csp or "default-src 'none'" in csp)
    script = next((d for d in csp.split(";") if d.strip().startswith("script-src")), "")
    if not path.startswith(
        f"{API}/docs"
    ):  # Swagger UI (no user content) is the one page with an inline script
        assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script


def test_headers_on_refusals_too(secure_client: TestClient) -> None:
    r = secure_client.post(
        f"{API}/demands", content=b"x" * (3 * 1024 * 1024), headers={"content-type": "text/plain"}
    )
    assert r.status_code == 413 and r.headers["x-frame-options"] == "DENY"
    assert (
        secure_client.get(f"{API}/users").headers["content-security-policy"].startswith("default-src 'none'")
    )


def test_every_form_carries_the_token_and_no_page_runs_inline_script() -> None:
    for tpl in sorted(TEMPLATE_DIR.glob("*.html")):
        text = tpl.read_text(encoding="utf-8")
        for form in re.findall(r"<form\b[^>]*>", text):
            if 'method="post"' in form.lower():
                assert text.split(form, 1)[1].lstrip().startswith("{{ csrf_field }}"), (tpl.name, form)
        for script in re.findall(r"<script\b[^>]*>", text):
            assert "src=" in script or 'type="application/json"' in script, (tpl.name, script)
        assert not re.search(r"\son[a-z]+=", text), tpl.name  # no inline event handlers
    for js in Path(STATIC_DIR, "js").glob("*.js"):
        assert "eval(" not in js.read_text(encoding="utf-8"), js.name
