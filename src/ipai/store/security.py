"""SQL for security (mixed into :class:`ipai.store.sql.SqlStore`): users, API keys, sessions, the
append-only audit log, and the tenant filter every private table goes through."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import sqlalchemy as sa

from ipai.security.context import owner, tenant_scope
from ipai.store import schema as S
from ipai.store.ports import SecurityStore

_USER_FIELDS = ("name", "display", "role", "tenant", "password_hash", "active")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _iso(v: Any) -> Any:
    return v.isoformat(timespec="seconds") + "Z" if isinstance(v, dt.datetime) else v


def tenant_where(table: sa.Table) -> list[Any]:
    """Conditions that keep only the rows of the current principal's tenant (none for platform
    roles; a principal without a tenant keeps no private row)."""
    filtered, tenant = tenant_scope()
    if not filtered:
        return []
    return [table.c.tenant == tenant] if tenant is not None else [sa.false()]


def row_owner() -> str | None:
    """The tenant new private rows are written for."""
    return owner()


class SecuritySql(SecurityStore):
    """Users, keys, sessions and the audit log on the store's engine."""

    engine: Any

    # ---- users ----------------------------------------------------------------------------------
    def add_user(self, user: dict[str, Any]) -> int:
        row = {k: user.get(k) for k in _USER_FIELDS}
        row["active"] = True if row["active"] is None else bool(row["active"])
        with self.engine.begin() as conn:
            return int(
                conn.execute(S.users.insert().values(**row, created_at=_now())).inserted_primary_key[0]
            )

    def update_user(self, name: str, fields: dict[str, Any]) -> bool:
        row = {k: v for k, v in fields.items() if k in _USER_FIELDS and k != "name"}
        with self.engine.begin() as conn:
            return bool(conn.execute(S.users.update().where(S.users.c.name == name).values(**row)).rowcount)

    def get_user(self, name: str | None = None, *, user_id: int | None = None) -> dict[str, Any] | None:
        u = S.users
        cond = u.c.id == user_id if user_id is not None else u.c.name == name
        with self.engine.connect() as conn:
            r = conn.execute(sa.select(u).where(cond)).mappings().first()
        return {k: _iso(v) for k, v in dict(r).items()} if r else None

    def list_users(self) -> list[dict[str, Any]]:
        u, k = S.users, S.api_keys
        keys = (
            sa.select(sa.func.count())
            .select_from(k)
            .where(k.c.user_id == u.c.id, k.c.revoked_at.is_(None))
            .scalar_subquery()
        )
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(
                    u.c.id,
                    u.c.name,
                    u.c.display,
                    u.c.role,
                    u.c.tenant,
                    u.c.active,
                    u.c.created_at,
                    (u.c.password_hash.isnot(None)).label("has_password"),
                    keys.label("keys"),
                ).order_by(u.c.id)
            ).mappings()
            return [{k2: _iso(v) for k2, v in dict(r).items()} for r in rows]

    # ---- API keys -------------------------------------------------------------------------------
    def add_api_key(
        self, *, key_id: str, secret_hash: str, user_id: int, name: str | None, rate_per_minute: int | None
    ) -> int:
        with self.engine.begin() as conn:
            return int(
                conn.execute(
                    S.api_keys.insert().values(
                        key_id=key_id,
                        secret_hash=secret_hash,
                        user_id=user_id,
                        name=name,
                        rate_per_minute=rate_per_minute,
                        created_at=_now(),
                    )
                ).inserted_primary_key[0]
            )

    def get_api_key(self, key_id: str) -> dict[str, Any] | None:
        """The key with its user's fields (``user_*``), revoked or not."""
        k, u = S.api_keys, S.users
        q = (
            sa.select(
                k,
                u.c.name.label("user_name"),
                u.c.role.label("user_role"),
                u.c.tenant.label("user_tenant"),
                u.c.active.label("user_active"),
            )
            .join(u, u.c.id == k.c.user_id)
            .where(k.c.key_id == key_id)
        )
        with self.engine.connect() as conn:
            r = conn.execute(q).mappings().first()
        return dict(r) if r else None

    def list_api_keys(self, user_id: int | None = None) -> list[dict[str, Any]]:
        k, u = S.api_keys, S.users
        q = (
            sa.select(
                k.c.key_id,
                k.c.name,
                k.c.rate_per_minute,
                k.c.created_at,
                k.c.last_used_at,
                k.c.revoked_at,
                u.c.name.label("user"),
            )
            .join(u, u.c.id == k.c.user_id)
            .order_by(k.c.id)
        )
        if user_id is not None:
            q = q.where(k.c.user_id == user_id)
        with self.engine.connect() as conn:
            return [{k2: _iso(v) for k2, v in dict(r).items()} for r in conn.execute(q).mappings()]

    def revoke_api_key(self, key_id: str) -> bool:
        k = S.api_keys
        with self.engine.begin() as conn:
            return bool(
                conn.execute(
                    k.update().where(k.c.key_id == key_id, k.c.revoked_at.is_(None)).values(revoked_at=_now())
                ).rowcount
            )

    def touch_api_key(self, key_id: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(S.api_keys.update().where(S.api_keys.c.key_id == key_id).values(last_used_at=_now()))

    # ---- sessions -------------------------------------------------------------------------------
    def add_session(self, token_hash: str, user_id: int, expires_at: dt.datetime) -> None:
        with self.engine.begin() as conn:
            s = S.sessions
            conn.execute(s.delete().where(s.c.expires_at < _now()))  # sweep expired ones as we go
            conn.execute(
                s.insert().values(
                    token_hash=token_hash, user_id=user_id, created_at=_now(), expires_at=expires_at
                )
            )

    def session_user(self, token_hash: str) -> dict[str, Any] | None:
        """The user of a live session."""
        s, u = S.sessions, S.users
        q = (
            sa.select(u)
            .join(s, s.c.user_id == u.c.id)
            .where(s.c.token_hash == token_hash, s.c.expires_at > _now())
        )
        with self.engine.connect() as conn:
            r = conn.execute(q).mappings().first()
        return dict(r) if r else None

    def delete_session(self, token_hash: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(S.sessions.delete().where(S.sessions.c.token_hash == token_hash))

    def delete_user_sessions(self, user_id: int) -> int:
        with self.engine.begin() as conn:
            return int(conn.execute(S.sessions.delete().where(S.sessions.c.user_id == user_id)).rowcount)

    # ---- audit log (append-only: the database refuses UPDATE and DELETE) -------------------------
    def audit_append(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        now = _now()
        out = [
            {
                "at": r.get("at") or now,
                "user": r["user"],
                "role": r["role"],
                "tenant": r.get("tenant"),
                "action": r["action"],
                "method": r.get("method"),
                "path": (r.get("path") or "")[:2000],
                "status": r.get("status"),
                "ip": r.get("ip"),
                "detail": json.dumps(r["detail"], ensure_ascii=False, default=str)
                if r.get("detail")
                else None,
            }
            for r in rows
        ]
        with self.engine.begin() as conn:
            conn.execute(S.audit_log.insert(), out)

    def audit_list(
        self,
        *,
        user: str | None = None,
        tenant: str | None = None,
        action: str | None = None,
        since_id: int = 0,
        limit: int = 100,
    ) -> list[dict[str, Any]]:
        a = S.audit_log
        where = [
            c
            for c in (
                a.c.user == user if user else None,
                a.c.tenant == tenant if tenant else None,
                a.c.action == action if action else None,
                a.c.id > since_id if since_id else None,
            )
            if c is not None
        ]
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(a).where(*where).order_by(a.c.id.desc()).limit(limit)).mappings()
            out = []
            for r in rows:
                d = {k: _iso(v) for k, v in dict(r).items()}
                d["detail"] = json.loads(d["detail"]) if d["detail"] else None
                out.append(d)
            return out

    def audit_count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(S.audit_log)).scalar_one())
