"""Server mode in the web UI and on the command line: pages need a role that allows them (a
visitor is sent to sign in), sign-in sets a session, sign-out ends it; ``ipai users/keys/audit``
manage accounts; ``ipai serve`` will not expose an unauthenticated platform beyond loopback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ipai.faces.auth import API, SESSION_COOKIE
from tests.webforms import form_token


def test_web_pages_need_their_role_and_sign_in_works(secure_client: TestClient, keys: dict[str, str]) -> None:
    c = secure_client
    c.cookies.clear()
    assert c.get("/search", params={"q": "neural"}).status_code == 200  # visitors search
    r = c.get("/transfer/demands", headers={"Accept": "text/html"})
    assert (
        r.status_code == 403
        and 'data-testid="error-signin"' in r.text
        and "/login?next=/transfer/demands" in r.text
    )
    bad = c.post(
        "/login", data={"name": "ent", "password": "wrong", "next": "/transfer/demands", **form_token(c)}
    )
    assert (
        bad.status_code == 401
        and "wrong user name or password" in bad.text
        and SESSION_COOKIE not in c.cookies
    )
    ok = c.post(
        "/login",
        data={
            "name": "ent",
            "password": "correct horse battery",
            "next": "/transfer/demands",
            **form_token(c),
        },
        follow_redirects=False,
    )
    assert (
        ok.status_code == 303
        and ok.headers["location"] == "/transfer/demands"
        and c.cookies.get(SESSION_COOKIE)
    )
    page = c.get("/transfer/demands")
    assert page.status_code == 200 and 'data-testid="account-user">ent<' in page.text
    me = c.get(f"{API}/me").json()
    assert (me["user"], me["role"], me["tenant"], me["via"]) == ("ent", "enterprise", "acme", "session")
    assert c.get("/ingest").status_code == 403  # an enterprise user loads no data
    assert (
        c.post(
            "/login",
            data={
                "name": "ent",
                "password": "correct horse battery",
                "next": "//evil.example",
                **form_token(c),
            },
            follow_redirects=False,
        ).headers["location"]
        == "/"
    )
    assert c.post("/logout", data=form_token(c), follow_redirects=False).status_code == 303
    c.cookies.clear()
    assert c.get(f"{API}/me").json()["role"] == "public"


def test_sessions_end_when_the_password_changes(secure_client: TestClient, secure_service: Any) -> None:
    c = secure_client
    c.cookies.clear()
    secure_service.security.add_user("temp", "analyst", tenant="acme", password="first password")
    assert c.post(f"{API}/auth/login", json={"name": "temp", "password": "first password"}).status_code == 200
    assert c.get(f"{API}/me").json()["user"] == "temp"
    secure_service.security.update_user("temp", password="second password")
    assert c.get(f"{API}/me").json()["user"] == "anonymous"
    c.cookies.clear()


def test_cli_manages_users_keys_and_shows_the_audit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from ipai.cli import main

    monkeypatch.setenv("IPAI_NEW_PASSWORD", "a long password")
    home = ["--home", str(tmp_path)]
    assert (
        main(
            [
                *home,
                "users",
                "add",
                "li",
                "--role",
                "agency",
                "--tenant",
                "ip-centre",
                "--password",
                "--key",
                "--json",
            ]
        )
        == 0
    )
    made = json.loads(capsys.readouterr().out)
    assert made["role"] == "agency" and made["has_password"] and made["api_key"].startswith("ipai_")
    assert main([*home, "users", "add", "wang", "--role", "enterprise"]) == 2
    assert "tenant" in capsys.readouterr().err
    assert main([*home, "keys", "list", "--json"]) == 0
    out = capsys.readouterr().out
    (key,) = json.loads(out)
    assert key["user"] == "li" and made["api_key"] not in out
    assert main([*home, "keys", "revoke", key["key_id"]]) == 0
    capsys.readouterr()
    assert main([*home, "audit", "--json"]) == 0
    audit = json.loads(capsys.readouterr().out)
    assert [a["detail"]["op"] for a in audit] == ["revoke_key", "create_key", "add_user"]
    assert "a long password" not in json.dumps(audit)


def test_serve_refuses_the_network_without_sign_in(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from ipai.cli import main

    assert main(["--home", str(tmp_path), "serve", "--host", "0.0.0.0", "--port", "0"]) == 2
    assert "IPAI_AUTH=true" in capsys.readouterr().err
