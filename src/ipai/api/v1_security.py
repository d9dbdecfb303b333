"""``/api/v1`` endpoints of accounts: sign-in, who am I, users, API keys and the audit log."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from ipai.api import responses as R
from ipai.api import schemas as M
from ipai.errors import InputError
from ipai.faces import params as P
from ipai.faces.auth import SESSION_COOKIE, credentials
from ipai.security.context import current
from ipai.security.roles import ROLES

router = APIRouter()
PASSWORD_POLICY = (
    "The platform's password policy (the CLI's too): at least password_min_length (12) characters, "
    "not a common password or a short pattern repeated, not containing the user name; else 400"
)
ERRORS = M.error_responses({409: "The user exists"})


class LoginIn(BaseModel):
    name: str = Field(min_length=1, max_length=128)
    password: str = Field(min_length=1, max_length=1024)


class UserIn(BaseModel):
    name: str = Field(min_length=1, max_length=128)
    role: str = Field(description="One of: " + ", ".join(ROLES))
    tenant: str | None = Field(
        None, max_length=128, description="Required for enterprise, analyst and agency"
    )
    password: str | None = Field(None, max_length=1024, description=PASSWORD_POLICY)
    display: str | None = Field(None, max_length=255)


class UserPatch(BaseModel):
    role: str | None = None
    tenant: str | None = Field(None, max_length=128)
    password: str | None = Field(None, max_length=1024, description=PASSWORD_POLICY)
    active: bool | None = None


class KeyIn(BaseModel):
    user: str = Field(min_length=1, max_length=128)
    name: str | None = Field(None, max_length=255)
    rate_per_minute: int | None = Field(None, ge=0, le=1_000_000, description="None = the platform setting")


def _svc(request: Request) -> Any:
    return request.app.state.service


@router.post("/auth/login", response_model=R.CallerResponse, responses=ERRORS, tags=["account"])
def login(request: Request, body: LoginIn) -> JSONResponse:
    """Sign in with a name and password: sets the session cookie (for the web UI and scripts)."""
    svc = _svc(request)
    if not svc.settings.auth:
        raise InputError(
            "sign-in is off (laptop mode: every request acts as the local administrator); "
            "set IPAI_AUTH=true on a shared server",
            errors=[{"field": "auth", "message": "off"}],
        )
    token, p = svc.security.auth.login(body.name, body.password)
    request.state.principal = p
    resp = JSONResponse({"ok": True, **p.public()})
    resp.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        max_age=int(svc.settings.session_hours * 3600),
        secure=request.url.scheme == "https",
    )
    return resp


@router.post("/auth/logout", response_model=R.Ok, tags=["account"])
def logout(request: Request) -> JSONResponse:
    """End the session of the cookie sent (a no-op without one)."""
    _, token = credentials(request)
    if token:
        _svc(request).security.auth.logout(token)
    resp = JSONResponse({"ok": True})
    resp.delete_cookie(SESSION_COOKIE)
    return resp


@router.get("/me", response_model=R.MeResponse, tags=["account"])
def me(request: Request) -> dict[str, Any]:
    """Who the caller is: user, role, tenant and how they signed in."""
    return {"ok": True, **current().public(), "auth": bool(_svc(request).settings.auth)}


@router.get("/users", response_model=R.Users, tags=["account"])
def users(request: Request) -> dict[str, Any]:
    """Every user with role, tenant, and how many active keys (administrators)."""
    return {"ok": True, "items": _svc(request).security.users()}


@router.post("/users", response_model=R.UserResponse, status_code=201, responses=ERRORS, tags=["account"])
def add_user(request: Request, body: UserIn) -> dict[str, Any]:
    """Create a user (administrators)."""
    return {
        "ok": True,
        **_svc(request).security.add_user(
            body.name, body.role, tenant=body.tenant, password=body.password, display=body.display
        ),
    }


@router.patch("/users/{name}", response_model=R.UserResponse, responses=ERRORS, tags=["account"])
def update_user(request: Request, name: str, body: UserPatch) -> dict[str, Any]:
    """Change a user's role, tenant, password or active flag; their sessions end (administrators)."""
    return {"ok": True, **_svc(request).security.update_user(name, **body.model_dump(exclude_none=True))}


@router.get("/keys", response_model=R.Items, tags=["account"])
def keys(request: Request, user: str | None = None) -> dict[str, Any]:
    """API keys (never their secrets), of one user or all (administrators)."""
    return {"ok": True, "items": _svc(request).security.api_keys(user)}


@router.post("/keys", response_model=R.NewKeyResponse, status_code=201, responses=ERRORS, tags=["account"])
def add_key(request: Request, body: KeyIn) -> dict[str, Any]:
    """A new API key for a user; the full key is in this response only (administrators)."""
    return {
        "ok": True,
        **_svc(request).security.create_api_key(
            body.user, name=body.name, rate_per_minute=body.rate_per_minute
        ),
    }


@router.delete("/keys/{key_id}", response_model=R.Revoked, responses=ERRORS, tags=["account"])
def revoke_key(request: Request, key_id: str) -> dict[str, Any]:
    """Revoke an API key (it stops working within seconds) (administrators)."""
    _svc(request).security.revoke_api_key(key_id)
    return {"ok": True, "revoked": key_id}


@router.get("/audit", response_model=R.Items, tags=["account"])
def audit(
    request: Request,
    user: str | None = None,
    tenant: str | None = None,
    action: str | None = None,
    since_id: P.SinceId = 0,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 100,
) -> dict[str, Any]:
    """The append-only audit log, newest first (administrators and regulators)."""
    return {
        "ok": True,
        "items": _svc(request).security.audit_log(
            user=user, tenant=tenant, action=action, since_id=since_id, limit=limit
        ),
    }
