"""The principal a piece of work runs as, carried in a context variable.

The API sets it for each request after authentication; the CLI, scheduled jobs and laptop mode
run as :data:`LOCAL` (the platform administrator). The store reads it to scope private rows:
a principal that does not see every tenant reads and writes only its own tenant's rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

PLATFORM_ROLES = frozenset({"admin", "regulator"})  # roles that oversee every tenant


@dataclass(frozen=True)
class Principal:
    """Who is calling: user name, role, tenant, and how they signed in."""

    user: str
    role: str
    tenant: str | None = None
    user_id: int | None = None
    key_id: str | None = None  # the API key used, if any
    via: str = "local"  # local | key | session | anonymous

    @property
    def sees_all_tenants(self) -> bool:
        """Platform roles oversee every tenant; everyone else sees only their own tenant's rows."""
        return self.role in PLATFORM_ROLES

    @property
    def limit_key(self) -> str:
        """What a rate limit counts against: the API key, else the user."""
        return f"key:{self.key_id}" if self.key_id else f"user:{self.user}"

    def public(self) -> dict[str, str | None]:
        """What the API shows of a principal (``/me``)."""
        return {"user": self.user, "role": self.role, "tenant": self.tenant, "via": self.via}


LOCAL = Principal(user="local", role="admin", tenant=None, via="local")
ANONYMOUS = Principal(user="anonymous", role="public", tenant=None, via="anonymous")

_current: ContextVar[Principal] = ContextVar("ipai_principal", default=LOCAL)
_address: ContextVar[str | None] = ContextVar("ipai_client_address", default=None)


def current() -> Principal:
    """The principal of the work in progress (:data:`LOCAL` outside any request)."""
    return _current.get()


def set_current(p: Principal) -> None:
    """Make ``p`` the principal of the current context (the API does this once per request)."""
    _current.set(p)


def set_address(address: str | None) -> None:
    """Record the calling client's address for the work in progress (the API does this per request)."""
    _address.set(address)


def current_address() -> str | None:
    """The calling client's address (None outside a request: the CLI, jobs)."""
    return _address.get()


@contextmanager
def acting_as(p: Principal) -> Iterator[Principal]:
    """Run a block as ``p`` (tests, jobs run on a user's behalf)."""
    token = _current.set(p)
    try:
        yield p
    finally:
        _current.reset(token)


def tenant_scope() -> tuple[bool, str | None]:
    """(whether rows must be filtered, the tenant to keep): no filter for platform roles; a tenant
    principal keeps its tenant's rows; a principal without a tenant keeps none."""
    p = current()
    if p.sees_all_tenants:
        return False, None
    return True, p.tenant


def owner() -> str | None:
    """The tenant new private rows belong to (None for platform principals)."""
    return current().tenant
