"""Results of security: users, API keys, the caller, the audit log (``ipai.service.security``)."""

from __future__ import annotations

from ipai.service.results.common import Result, Row


class User(Result):
    """A user as listed (``store.list_users``), with the number of active API keys."""

    id: int
    name: str
    display: str | None
    role: str
    tenant: str | None
    active: bool
    created_at: str | None
    has_password: bool
    keys: int


ApiKeyRow = Row
"""An API key without its secret (``store.list_api_keys``)."""

AuditRecord = Row
"""A record of the append-only audit log."""


class NewApiKey(Result):
    """``Service.create_api_key``: the full key, shown once."""

    key: str
    key_id: str
    user: str
    name: str | None
    rate_per_minute: int | None


class Caller(Result):
    """Who the caller is (``Principal.public``)."""

    user: str | None
    role: str | None
    tenant: str | None
    via: str | None
