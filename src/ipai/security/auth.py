"""Authentication: passwords (scrypt), API keys, sign-in sessions, and the users they belong to.

An API key is ``ipai_<key id>_<secret>``: the key id is stored as is (it names the key in lists and
the audit log), the secret only as its SHA-256 (a random 256-bit secret needs no slow hash). A
session token is random too and stored only hashed. Passwords use scrypt (stdlib ``hashlib``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import threading
import time
from typing import Any

from ipai.errors import Conflict, InputError, NotFound
from ipai.security.context import ANONYMOUS, Principal
from ipai.security.roles import ROLES

KEY_PREFIX = "ipai_"
CACHE_S = 5.0  # a key or session is looked up again after this long (revocations take effect within it)
_SCRYPT = {"n": 2 ** 14, "r": 8, "p": 1}
TENANT_ROLES = frozenset({"enterprise", "analyst", "agency"})  # roles that work inside one tenant


class Unauthorized(InputError):
    """Credentials were given but are not valid (401)."""

    status = 401


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    h = hashlib.scrypt(password.encode("utf-8"), salt=salt, dklen=32, **_SCRYPT)
    return f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}${salt.hex()}${h.hex()}"


def check_password(password: str, stored: str | None) -> bool:
    if not stored or not stored.startswith("scrypt$"):
        return False
    _, n, r, p, salt, want = stored.split("$")
    got = hashlib.scrypt(password.encode("utf-8"), salt=bytes.fromhex(salt), dklen=32, n=int(n), r=int(r), p=int(p))
    return hmac.compare_digest(got.hex(), want)


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def new_api_key() -> tuple[str, str, str]:
    """(full key shown once, key id, secret hash)."""
    key_id, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
    return f"{KEY_PREFIX}{key_id}_{secret}", key_id, _sha256(secret)


def split_api_key(key: str) -> tuple[str, str] | None:
    """(key id, secret) of a well-formed key, else None."""
    if not key.startswith(KEY_PREFIX):
        return None
    rest = key[len(KEY_PREFIX):]
    key_id, _, secret = rest.partition("_")
    return (key_id, secret) if key_id and secret else None


def check_user_fields(role: str, tenant: str | None) -> None:
    """A user's role must exist, and tenant roles need a tenant (platform roles may have none)."""
    if role not in ROLES:
        raise InputError(f"unknown role {role!r}: use one of {', '.join(ROLES)}",
                         errors=[{"field": "role", "message": "unknown role"}])
    if role in TENANT_ROLES and not (tenant or "").strip():
        raise InputError(f"role {role!r} works inside a tenant: give --tenant",
                         errors=[{"field": "tenant", "message": "required for this role"}])


class Authenticator:
    """Resolves credentials to principals over one store, with a short cache."""

    def __init__(self, store: Any, session_hours: float = 12.0) -> None:
        self.store = store
        self.session_hours = session_hours
        self._cache: dict[str, tuple[float, Principal, int | None]] = {}
        self._lock = threading.Lock()

    def _cached(self, key: str) -> tuple[Principal, int | None] | None:
        with self._lock:
            hit = self._cache.get(key)
        if hit and time.monotonic() - hit[0] < CACHE_S:
            return hit[1], hit[2]
        return None

    def _remember(self, key: str, p: Principal, rate: int | None) -> None:
        with self._lock:
            if len(self._cache) > 10_000:
                self._cache.clear()
            self._cache[key] = (time.monotonic(), p, rate)

    def forget(self) -> None:
        """Drop the cache (after revoking keys, deactivating users or signing out)."""
        with self._lock:
            self._cache.clear()

    # ---- API keys -------------------------------------------------------------------------------
    def from_key(self, key: str) -> tuple[Principal, int | None]:
        """The principal of an API key and its own rate limit; :class:`Unauthorized` if not valid."""
        cache_key = "k:" + _sha256(key)
        hit = self._cached(cache_key)
        if hit:
            return hit
        parts = split_api_key(key.strip())
        row = self.store.get_api_key(parts[0]) if parts else None
        if (row is None or not hmac.compare_digest(row["secret_hash"], _sha256(parts[1]))  # type: ignore[index]
                or row["revoked_at"] is not None or not row["user_active"]):
            raise Unauthorized("invalid, revoked or inactive API key", errors=[{"field": "authorization",
                                                                               "message": "invalid API key"}])
        p = Principal(user=row["user_name"], role=row["user_role"], tenant=row["user_tenant"],
                      user_id=int(row["user_id"]), key_id=row["key_id"], via="key")
        self.store.touch_api_key(row["key_id"])
        self._remember(cache_key, p, row["rate_per_minute"])
        return p, row["rate_per_minute"]

    def create_key(self, user: str, *, name: str | None = None, rate_per_minute: int | None = None) -> dict[str, Any]:
        u = self.store.get_user(user)
        if u is None:
            raise NotFound(f"no user {user!r}")
        full, key_id, secret_hash = new_api_key()
        self.store.add_api_key(key_id=key_id, secret_hash=secret_hash, user_id=int(u["id"]), name=name,
                               rate_per_minute=rate_per_minute)
        return {"key": full, "key_id": key_id, "user": user, "name": name, "rate_per_minute": rate_per_minute}

    def revoke_key(self, key_id: str) -> None:
        if not self.store.revoke_api_key(key_id):
            raise NotFound(f"no active API key {key_id!r}")
        self.forget()

    # ---- sessions -------------------------------------------------------------------------------
    def login(self, name: str, password: str) -> tuple[str, Principal]:
        """A new session token for a user's name and password; :class:`Unauthorized` otherwise
        (the same message whether the user or the password is wrong)."""
        u = self.store.get_user(name)
        if u is None or not u["active"] or not check_password(password, u.get("password_hash")):
            raise Unauthorized("wrong user name or password", errors=[{"field": "password", "message": "not accepted"}])
        token = secrets.token_urlsafe(32)
        expires = dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(hours=self.session_hours)
        self.store.add_session(_sha256(token), int(u["id"]), expires)
        return token, self._principal(u, "session")

    def from_session(self, token: str) -> Principal | None:
        """The principal of a live session, or None (expired or unknown: treated as signed out)."""
        cache_key = "s:" + _sha256(token)
        hit = self._cached(cache_key)
        if hit:
            return hit[0]
        u = self.store.session_user(_sha256(token))
        if u is None or not u["active"]:
            return None
        p = self._principal(u, "session")
        self._remember(cache_key, p, None)
        return p

    def logout(self, token: str) -> None:
        self.store.delete_session(_sha256(token))
        self.forget()

    @staticmethod
    def _principal(u: dict[str, Any], via: str) -> Principal:
        return Principal(user=u["name"], role=u["role"], tenant=u.get("tenant"), user_id=int(u["id"]), via=via)

    # ---- users ----------------------------------------------------------------------------------
    def add_user(self, name: str, role: str, *, tenant: str | None = None, password: str | None = None,
                 display: str | None = None) -> dict[str, Any]:
        name = (name or "").strip()
        if not name or len(name) > 128:
            raise InputError("a user name is 1–128 characters", errors=[{"field": "name", "message": "bad length"}])
        tenant = (tenant or "").strip() or None
        check_user_fields(role, tenant)
        if self.store.get_user(name) is not None:
            raise Conflict(f"user {name!r} exists")
        self.store.add_user({"name": name, "role": role, "tenant": tenant, "display": display,
                             "password_hash": hash_password(password) if password else None})
        return self.user(name)

    def update_user(self, name: str, *, role: str | None = None, tenant: str | None = None,
                    password: str | None = None, active: bool | None = None) -> dict[str, Any]:
        u = self.store.get_user(name)
        if u is None:
            raise NotFound(f"no user {name!r}")
        fields: dict[str, Any] = {}
        if role is not None or tenant is not None:
            new_role, new_tenant = role or u["role"], (tenant if tenant is not None else u["tenant"]) or None
            check_user_fields(new_role, new_tenant)
            fields.update(role=new_role, tenant=new_tenant)
        if password is not None:
            fields["password_hash"] = hash_password(password)
        if active is not None:
            fields["active"] = bool(active)
        self.store.update_user(name, fields)
        if fields:
            self.store.delete_user_sessions(int(u["id"]))  # a changed role or password signs the user out
        self.forget()
        return self.user(name)

    def user(self, name: str) -> dict[str, Any]:
        for u in self.store.list_users():
            if u["name"] == name:
                return u
        raise NotFound(f"no user {name!r}")


__all__ = ["ANONYMOUS", "Authenticator", "Unauthorized", "check_password", "hash_password", "new_api_key"]
