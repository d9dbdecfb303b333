"""Security (:mod:`ipai.security`): users, API keys, login sessions and the audit log."""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol, runtime_checkable


@runtime_checkable
class SecurityStore(Protocol):
    """Users, API keys, sessions and the append-only audit log."""

    def add_user(self, user: dict[str, Any]) -> int:
        """Insert a user (active unless said otherwise); the new id."""

    def update_user(self, name: str, fields: dict[str, Any]) -> bool:
        """Change a user's fields (not the name); whether the user exists."""

    def get_user(self, name: str | None = None, *, user_id: int | None = None) -> dict[str, Any] | None:
        """A user by name or id, or ``None``."""

    def list_users(self) -> list[dict[str, Any]]:
        """Every user with whether they have a password and how many live API keys."""

    def add_api_key(
        self, *, key_id: str, secret_hash: str, user_id: int, name: str | None, rate_per_minute: int | None
    ) -> int:
        """Store an API key (its secret hashed) for a user; the row id."""

    def get_api_key(self, key_id: str) -> dict[str, Any] | None:
        """The key with its user's fields (``user_*``), revoked or not."""

    def list_api_keys(self, user_id: int | None = None) -> list[dict[str, Any]]:
        """API keys (of one user, when given) with their user's name, in creation order."""

    def revoke_api_key(self, key_id: str) -> bool:
        """Revoke a live key; whether it was live."""

    def touch_api_key(self, key_id: str) -> None:
        """Record that a key was just used."""

    def add_session(self, token_hash: str, user_id: int, expires_at: dt.datetime) -> None:
        """Store a login session by its token's hash (expired sessions are swept on the way)."""

    def session_user(self, token_hash: str) -> dict[str, Any] | None:
        """The user of a live session."""

    def delete_session(self, token_hash: str) -> None:
        """End a session."""

    def delete_user_sessions(self, user_id: int) -> int:
        """End every session of a user; how many there were."""

    def audit_append(self, rows: list[dict[str, Any]]) -> None:
        """Append rows to the audit log (append-only: the database refuses changes)."""

    def audit_list(
        self,
        *,
        user: str | None = None,
        tenant: str | None = None,
        action: str | None = None,
        since_id: int = 0,
        limit: int = 100,
    ) -> list[dict[str, Any]]:
        """Audit rows filtered by user, tenant, action and id, newest first."""

    def audit_count(self) -> int:
        """How many rows the audit log has."""
