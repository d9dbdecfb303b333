"""Test clients that post web forms the way a browser does: with the CSRF token its pages give it
(``ipai.security.csrf``), sent as the ``X-CSRF-Token`` header beside the cookie."""

from __future__ import annotations

from typing import Any

from ipai.faces.auth import SESSION_COOKIE
from ipai.security import csrf


def with_csrf(client: Any) -> Any:
    """``client`` carrying a CSRF token for its current session (none in laptop mode); returns it."""
    token = csrf.issue(client.cookies.get(SESSION_COOKIE))
    client.cookies.set(csrf.COOKIE, token)
    client.headers[csrf.HEADER] = token
    return client


def form_token(client: Any) -> dict[str, str]:
    """Form data with the token of ``client``'s cookie, fetched from the sign-in page when it has none
    valid for its session (as a browser gets it from the page it submits)."""
    session = client.cookies.get(SESSION_COOKIE)
    token = client.cookies.get(csrf.COOKIE)
    if not csrf.signed_for(token, session):
        client.get("/login")
        token = client.cookies.get(csrf.COOKIE)
    return {csrf.FIELD: token}
