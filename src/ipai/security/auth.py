"""Authentication: passwords (scrypt), API keys, sign-in sessions, and the users they belong to.

An API key is ``ipai_<key id>_<secret>``: the key id is stored as is (it names the key in lists and
the audit log), the secret only as its SHA-256 (a random 256-bit secret needs no slow hash). A
session token is random too and stored only hashed. Passwords use scrypt at OWASP's parameters
(:mod:`.passwords`); failed sign-ins and bad keys back off per address and per user name
(:mod:`.throttle`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import threading
import time
from typing import TYPE_CHECKING, Any

from ipai.errors import Conflict, InputError, NotFound
from ipai.security.context import ANONYMOUS, Principal, current_address
from ipai.security.passwords import check_password, hash_password, needs_rehash, policy_problem
from ipai.security.ratelimit import RateLimited
from ipai.security.roles import ROLES
from ipai.security.throttle import Backoff

if TYPE_CHECKING:
    from ipai.store.ports import SecurityStore

KEY_PREFIX = "ipai_"
CACHE_S = 5.0  # a key or session is looked up again after this long (revocations take effect within it)
TENANT_ROLES = frozenset({"enterprise", "analyst", "agency"})  # roles that work inside one tenant


class Unauthorized(InputError):
    """Credentials were given but are not valid (401)."""

    status = 401


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
    rest = key[len(KEY_PREFIX) :]
    key_id, _, secret = rest.partition("_")
    return (key_id, secret) if key_id and secret else None


def check_user_fields(role: str, tenant: str | None) -> None:
    """A user's role must exist, and tenant roles need a tenant (platform roles may have none)."""
    if role not in ROLES:
        raise InputError(
            f"unknown role {role!r}: use one of {', '.join(ROLES)}",
            errors=[{"field": "role", "message": "unknown role"}],
        )
    if role in TENANT_ROLES and not (tenant or "").strip():
        raise InputError(
            f"role {role!r} works inside a tenant: give --tenant",
            errors=[{"field": "tenant", "message": "required for this role"}],
        )


class Authenticator:
    """Resolves credentials to principals over one store, with a short cache."""

    def __init__(self, store: SecurityStore, session_hours: float = 12.0, settings: Any = None) -> None:
        self.store = store
        self.session_hours = session_hours
        self._cache: dict[str, tuple[float, Principal, int | None]] = {}
        self._lock = threading.Lock()
        get = (lambda k, d: getattr(settings, k, d)) if settings is not None else (lambda k, d: d)
        wait, forget = get("auth_backoff_max_s", 900), get("auth_failure_window_s", 900)
        self.min_length = int(get("password_min_length", 12))
        self.by_address = Backoff(int(get("auth_failures_per_address", 10)), wait, forget)
        self.by_account = Backoff(int(get("auth_failures_per_account", 5)), wait, forget)

    # ---- back-off -------------------------------------------------------------------------------
    def address_wait(self, address: str | None) -> int:
        """Seconds a client address must still wait after failed sign-ins or bad keys (0 = none)."""
        return self.by_address.wait(address) if address else 0

    @staticmethod
    def _too_many(wait: int, what: str) -> RateLimited:
        return RateLimited(f"too many failed {what}: try again in {wait} s", wait)

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
    def from_key(self, key: str, address: str | None = None) -> tuple[Principal, int | None]:
        """The principal of an API key and its own rate limit; :class:`Unauthorized` if not valid.
        A client address that sent too many bad keys is refused (429) before the key is looked at."""
        address = address or current_address()
        wait = self.address_wait(address)
        if wait:
            raise self._too_many(wait, "sign-ins or API keys from this address")
        cache_key = "k:" + _sha256(key)
        hit = self._cached(cache_key)
        if hit:
            return hit
        parts = split_api_key(key.strip())
        row = self.store.get_api_key(parts[0]) if parts else None
        if (
            not parts
            or row is None
            or not hmac.compare_digest(row["secret_hash"], _sha256(parts[1]))
            or row["revoked_at"] is not None
            or not row["user_active"]
        ):
            if address:
                self.by_address.fail(address)
            raise Unauthorized(
                "invalid, revoked or inactive API key",
                code="bad_key",
                errors=[{"field": "authorization", "message": "invalid API key"}],
            )
        p = Principal(
            user=row["user_name"],
            role=row["user_role"],
            tenant=row["user_tenant"],
            user_id=int(row["user_id"]),
            key_id=row["key_id"],
            via="key",
        )
        self.store.touch_api_key(row["key_id"])
        self._remember(cache_key, p, row["rate_per_minute"])
        return p, row["rate_per_minute"]

    def create_key(
        self, user: str, *, name: str | None = None, rate_per_minute: int | None = None
    ) -> dict[str, Any]:
        u = self.store.get_user(user)
        if u is None:
            raise NotFound(f"no user {user!r}", code="not_found", params={"what": "user", "id": user})
        full, key_id, secret_hash = new_api_key()
        self.store.add_api_key(
            key_id=key_id,
            secret_hash=secret_hash,
            user_id=int(u["id"]),
            name=name,
            rate_per_minute=rate_per_minute,
        )
        return {"key": full, "key_id": key_id, "user": user, "name": name, "rate_per_minute": rate_per_minute}

    def revoke_key(self, key_id: str) -> None:
        if not self.store.revoke_api_key(key_id):
            raise NotFound(
                f"no active API key {key_id!r}", code="not_found", params={"what": "api_key", "id": key_id}
            )
        self.forget()

    # ---- sessions -------------------------------------------------------------------------------
    def login(self, name: str, password: str, address: str | None = None) -> tuple[str, Principal]:
        """A new session token for a user's name and password; :class:`Unauthorized` otherwise
        (the same message, and the same password-hashing work, whether the user or the password is
        wrong). After too many failures of the address or the name, :class:`RateLimited` until the
        back-off has passed (the password is then not checked at all)."""
        address = address or current_address()
        account = "name:" + " ".join(name.split()).lower()
        wait = max(self.address_wait(address), self.by_account.wait(account))
        if wait:
            raise self._too_many(wait, "sign-ins")
        u = self.store.get_user(name)
        usable = u is not None and bool(u["active"])
        ok = check_password(password, u.get("password_hash") if u is not None and usable else None)
        if not (ok and usable):
            if address:
                self.by_address.fail(address)
            self.by_account.fail(account)
            raise Unauthorized(
                "wrong user name or password",
                errors=[{"field": "password", "message": "not accepted"}],
                code="bad_password",
            )
        assert u is not None
        self.by_account.clear(account)
        if needs_rehash(u.get("password_hash")):  # made with older parameters: store it at today's
            self.store.update_user(u["name"], {"password_hash": hash_password(password)})
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
        return Principal(
            user=u["name"], role=u["role"], tenant=u.get("tenant"), user_id=int(u["id"]), via=via
        )

    # ---- users ----------------------------------------------------------------------------------
    def add_user(
        self,
        name: str,
        role: str,
        *,
        tenant: str | None = None,
        password: str | None = None,
        display: str | None = None,
    ) -> dict[str, Any]:
        name = (name or "").strip()
        if not name or len(name) > 128:
            raise InputError(
                "a user name is 1–128 characters", errors=[{"field": "name", "message": "bad length"}]
            )
        tenant = (tenant or "").strip() or None
        check_user_fields(role, tenant)
        if password is not None:
            self.check_password_policy(password, name)
        if self.store.get_user(name) is not None:
            raise Conflict(f"user {name!r} exists")
        self.store.add_user(
            {
                "name": name,
                "role": role,
                "tenant": tenant,
                "display": display,
                "password_hash": hash_password(password) if password else None,
            }
        )
        return self.user(name)

    def update_user(
        self,
        name: str,
        *,
        role: str | None = None,
        tenant: str | None = None,
        password: str | None = None,
        active: bool | None = None,
    ) -> dict[str, Any]:
        u = self.store.get_user(name)
        if u is None:
            raise NotFound(f"no user {name!r}", code="not_found", params={"what": "user", "id": name})
        fields: dict[str, Any] = {}
        if role is not None or tenant is not None:
            new_role, new_tenant = role or u["role"], (tenant if tenant is not None else u["tenant"]) or None
            check_user_fields(new_role, new_tenant)
            fields.update(role=new_role, tenant=new_tenant)
        if password is not None:
            self.check_password_policy(password, name)
            fields["password_hash"] = hash_password(password)
        if active is not None:
            fields["active"] = bool(active)
        self.store.update_user(name, fields)
        if fields:
            self.store.delete_user_sessions(int(u["id"]))  # a changed role or password signs the user out
        self.forget()
        return self.user(name)

    def check_password_policy(self, password: str, name: str | None = None) -> None:
        """Refuse (400, field ``password``) a password the policy does not accept (CLI and API alike)."""
        problem = policy_problem(password, name=name, min_length=self.min_length)
        if problem:
            raise InputError(problem, errors=[{"field": "password", "message": problem}])

    def user(self, name: str) -> dict[str, Any]:
        for u in self.store.list_users():
            if u["name"] == name:
                return u
        raise NotFound(f"no user {name!r}", code="not_found", params={"what": "user", "id": name})


__all__ = ["ANONYMOUS", "Authenticator", "Unauthorized", "check_password", "hash_password", "new_api_key"]
