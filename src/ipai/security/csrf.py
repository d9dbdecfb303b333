"""Cross-site request forgery: a signed double-submit token on every web form.

Each browser gets a random token in the ``ipai_csrf`` cookie (HttpOnly, SameSite=Lax); every form
the pages render carries the same token in a hidden ``csrf_token`` field (scripts may send it as
``X-CSRF-Token``). A state-changing form is accepted only when the field equals the cookie, and
the token's signature verifies for the session the request carries: the signature is an HMAC keyed
with the session token, so a token from another session (or planted before signing in) does not
verify. Another site can neither read the cookie nor set the field, and the application also
refuses requests whose ``Origin``/``Referer`` names another site (:mod:`ipai.security.network`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

COOKIE = "ipai_csrf"
FIELD = "csrf_token"
HEADER = "x-csrf-token"
SHAPE = re.compile(r"[A-Za-z0-9_-]{24}\.[A-Za-z0-9_-]{24}")


def _mac(nonce: str, session: str | None) -> str:
    key = hashlib.sha256(b"ipai-csrf|" + (session or "").encode("utf-8")).digest()
    digest = hmac.new(key, nonce.encode("ascii"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:18]).decode("ascii")


def issue(session: str | None) -> str:
    """A new token for a browser with session token ``session`` (None when not signed in)."""
    nonce = secrets.token_urlsafe(18)
    return f"{nonce}.{_mac(nonce, session)}"


def signed_for(token: str | None, session: str | None) -> bool:
    """Whether ``token`` is well formed and signed for ``session``."""
    if not token or not SHAPE.fullmatch(token):
        return False
    nonce, mac = token.split(".")
    return hmac.compare_digest(mac.encode("ascii"), _mac(nonce, session).encode("ascii"))


def valid(sent: str | None, cookie: str | None, session: str | None) -> bool:
    """Whether a form's token is the browser's cookie and is signed for its session."""
    if (
        not sent
        or not cookie
        or not hmac.compare_digest(sent.encode("utf-8", "replace"), cookie.encode("utf-8", "replace"))
    ):
        return False
    return signed_for(cookie, session)
