"""Service use cases of security: users, API keys, sessions and the audit log (mixed into
:class:`ipai.service.Service`). Who may call these is the API's concern (:mod:`ipai.security.roles`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ipai.errors import InputError
from ipai.security.context import current
from ipai.service.context import Feature, ServiceContext

if TYPE_CHECKING:
    from ipai.security.auth import Authenticator


class SecurityService(Feature):
    """Users, keys, sessions and the audit log."""

    def __init__(self, ctx: ServiceContext) -> None:
        super().__init__(ctx)
        self._auth: Authenticator | None = None

    @property
    def auth(self) -> Authenticator:
        """The authenticator over this store (keys and sessions cached a few seconds)."""
        if self._auth is None:
            from ipai.security.auth import Authenticator

            self._auth = Authenticator(self.store, self.settings.session_hours, settings=self.settings)
        return self._auth

    def add_user(
        self,
        name: str,
        role: str,
        *,
        tenant: str | None = None,
        password: str | None = None,
        display: str | None = None,
    ) -> dict[str, Any]:
        """A new user; tenant roles (enterprise, analyst, agency) need a tenant."""
        out = self.auth.add_user(name, role, tenant=tenant, password=password, display=display)
        self.audit("admin", detail={"op": "add_user", "name": name, "role": role, "tenant": tenant})
        return out

    def update_user(self, name: str, **fields: Any) -> dict[str, Any]:
        """Change a user's role, tenant, password or active flag (signs the user out)."""
        out = self.auth.update_user(name, **fields)
        shown = {k: ("***" if k == "password" else v) for k, v in fields.items() if v is not None}
        self.audit("admin", detail={"op": "update_user", "name": name, **shown})
        return out

    def users(self) -> list[dict[str, Any]]:
        return self.store.list_users()

    def create_api_key(
        self, user: str, *, name: str | None = None, rate_per_minute: int | None = None
    ) -> dict[str, Any]:
        """A new API key for ``user``; the full key is returned once and never stored."""
        if rate_per_minute is not None and not 0 <= rate_per_minute <= 1_000_000:
            raise InputError(
                "rate_per_minute must be 0–1,000,000",
                errors=[{"field": "rate_per_minute", "message": "out of range"}],
            )
        out = self.auth.create_key(user, name=name, rate_per_minute=rate_per_minute)
        self.audit("admin", detail={"op": "create_key", "user": user, "key_id": out["key_id"]})
        return out

    def api_keys(self, user: str | None = None) -> list[dict[str, Any]]:
        uid = None
        if user is not None:
            u = self.store.get_user(user)
            uid = -1 if u is None else int(u["id"])
        return self.store.list_api_keys(uid)

    def revoke_api_key(self, key_id: str) -> None:
        self.auth.revoke_key(key_id)
        self.audit("admin", detail={"op": "revoke_key", "key_id": key_id})

    # ---- the audit log --------------------------------------------------------------------------
    def audit(
        self,
        action: str,
        *,
        method: str | None = None,
        path: str | None = None,
        status: int | None = None,
        ip: str | None = None,
        detail: dict[str, Any] | None = None,
    ) -> None:
        """Append one record of who (the current principal) did what."""
        p = current()
        self.store.audit_append(
            [
                {
                    "user": p.user,
                    "role": p.role,
                    "tenant": p.tenant,
                    "action": action,
                    "method": method,
                    "path": path,
                    "status": status,
                    "ip": ip,
                    "detail": detail,
                }
            ]
        )

    def audit_log(
        self,
        *,
        user: str | None = None,
        tenant: str | None = None,
        action: str | None = None,
        since_id: int = 0,
        limit: int = 100,
    ) -> list[dict[str, Any]]:
        """Audit records, newest first."""
        if not 1 <= limit <= 10_000:
            raise InputError("limit must be 1–10,000", errors=[{"field": "limit", "message": "out of range"}])
        return self.store.audit_list(user=user, tenant=tenant, action=action, since_id=since_id, limit=limit)
