"""Users, API keys, roles and the audit log: ``ipai users …``, ``ipai keys …``, ``ipai audit …``.

The command line acts as the platform administrator (whoever can run it can read the store);
every change it makes is still written to the audit log as the local administrator."""

from __future__ import annotations

import os
from typing import Any

import typer

from ipai.cli import app, emit, service


class _Console:
    """rich's console, made on first print (importing rich would slow every command's start)."""

    _made: Any = None

    def print(self, *args: Any, **kwargs: Any) -> None:
        """``rich.console.Console.print``."""
        if self._made is None:
            from rich.console import Console

            self._made = Console()
        self._made.print(*args, **kwargs)


console = _Console()

users_app = typer.Typer(
    help="Users and their roles and tenants (server mode, IPAI_AUTH=true).", no_args_is_help=True
)
keys_app = typer.Typer(help="API keys of users: create (shown once), list, revoke.", no_args_is_help=True)
app.add_typer(users_app, name="users")
app.add_typer(keys_app, name="keys")


def _password(ask: bool) -> str | None:
    """A password from IPAI_NEW_PASSWORD (scripts) or typed twice (never a command-line argument);
    the service refuses one its policy does not accept (:mod:`ipai.security.passwords`), as the API does."""
    env = os.environ.get("IPAI_NEW_PASSWORD")
    if env:
        return env
    return typer.prompt("password", hide_input=True, confirmation_prompt=True) if ask else None


@users_app.command("add")
def add(
    name: str = typer.Argument(..., help="User name (sign-in name)."),
    role: str = typer.Option(..., "--role", help="public, enterprise, analyst, agency, admin or regulator."),
    tenant: str | None = typer.Option(
        None, "--tenant", help="Organisation (required for enterprise, analyst and agency)."
    ),
    password: bool = typer.Option(
        False,
        "--password",
        help="Set a password for web sign-in (prompted, or "
        "IPAI_NEW_PASSWORD; at least password_min_length = 12 characters, not a "
        "common one).",
    ),
    key: bool = typer.Option(False, "--key", help="Also create an API key and print it (shown once)."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Add a user."""
    svc = service()
    out = svc.security.add_user(name, role, tenant=tenant, password=_password(password))
    if key:
        out["api_key"] = svc.security.create_api_key(name, name="cli")["key"]
    if as_json:
        emit(out)
        return
    console.print(f"user [bold]{name}[/bold]: role {out['role']}, tenant {out['tenant'] or '—'}")
    if key:
        typer.echo(f"API key (shown once): {out['api_key']}")


@users_app.command("list")
def list_users(as_json: bool = typer.Option(False, "--json")) -> None:
    """List users with role, tenant and active keys."""
    items = service().security.users()
    if as_json:
        emit(items)
        return
    from rich.table import Table

    t = Table("user", "role", "tenant", "active", "password", "keys")
    for u in items:
        t.add_row(
            u["name"],
            u["role"],
            u["tenant"] or "—",
            "yes" if u["active"] else "no",
            "yes" if u["has_password"] else "no",
            str(u["keys"]),
        )
    console.print(t)


@users_app.command("set")
def set_user(
    name: str = typer.Argument(...),
    role: str | None = typer.Option(None, "--role"),
    tenant: str | None = typer.Option(None, "--tenant"),
    password: bool = typer.Option(
        False,
        "--password",
        help="Set a new password (prompted, or IPAI_NEW_PASSWORD; the same policy as users add).",
    ),
    active: bool | None = typer.Option(None, "--active/--inactive"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Change a user's role, tenant, password or active flag (their sessions end)."""
    out = service().security.update_user(
        name, role=role, tenant=tenant, password=_password(password), active=active
    )
    emit(out) if as_json else console.print(
        f"user {name}: role {out['role']}, tenant {out['tenant'] or '—'}, "
        f"{'active' if out['active'] else 'inactive'}"
    )


@keys_app.command("create")
def create_key(
    user: str = typer.Argument(...),
    name: str | None = typer.Option(None, "--name"),
    rate: int | None = typer.Option(None, "--rate", help="Requests per minute (default: the setting)."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Create an API key for a user; the key is printed once and only its hash is kept."""
    out = service().security.create_api_key(user, name=name, rate_per_minute=rate)
    emit(out) if as_json else typer.echo(f"API key for {user} (shown once): {out['key']}")


@keys_app.command("list")
def list_keys(
    user: str | None = typer.Option(None, "--user"), as_json: bool = typer.Option(False, "--json")
) -> None:
    """List API keys (ids, never secrets)."""
    items = service().security.api_keys(user)
    if as_json:
        emit(items)
        return
    from rich.table import Table

    t = Table("key id", "user", "name", "rate/min", "created", "last used", "revoked")
    for k in items:
        t.add_row(
            k["key_id"],
            k["user"],
            k["name"] or "",
            str(k["rate_per_minute"] or "default"),
            k["created_at"] or "",
            k["last_used_at"] or "",
            k["revoked_at"] or "",
        )
    console.print(t)


@keys_app.command("revoke")
def revoke_key(key_id: str = typer.Argument(...)) -> None:
    """Revoke an API key."""
    service().security.revoke_api_key(key_id)
    console.print(f"revoked {key_id}")


@app.command("audit")
def audit(
    user: str | None = typer.Option(None, "--user"),
    tenant: str | None = typer.Option(None, "--tenant"),
    action: str | None = typer.Option(None, "--action"),
    limit: int = typer.Option(50, "--limit"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Show the append-only audit log, newest first."""
    items = service().security.audit_log(user=user, tenant=tenant, action=action, limit=limit)
    if as_json:
        emit(items)
        return
    from rich.table import Table

    t = Table("id", "at", "user", "role", "tenant", "action", "request", "status")
    for a in items:
        t.add_row(
            str(a["id"]),
            a["at"],
            a["user"],
            a["role"],
            a["tenant"] or "—",
            a["action"],
            f"{a['method'] or ''} {a['path'] or ''}".strip()
            or " ".join(f"{k}={v}" for k, v in (a["detail"] or {}).items()),
            str(a["status"] or ""),
        )
    console.print(t)
