"""The OpenAPI schema of ``/api/v1`` with every error response an operation can give declared."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

from ipai.api.schemas import ErrorBody

ERROR_REF = {"$ref": "#/components/schemas/ErrorBody"}
# status → (description, when: "all", "input" (has parameters or a body), "body", "path", "write")
ERRORS: dict[int, tuple[str, str]] = {
    400: ("Bad request: the field (or the query position) at fault is named in errors", "input"),
    401: ("Invalid, revoked or inactive API key or session", "all"),
    403: ("The caller's role may not do this (no data is shown)", "all"),
    404: ("Not found (an unknown id or number is answered exactly as another tenant's)", "path"),
    409: (
        "The request collides with the stored state (a move the state does not allow, a change made "
        "meanwhile, an existing name)",
        "write",
    ),
    413: ("Request body over the upload_max_mb limit (nothing of it is kept)", "body"),
    429: ("Rate limit reached; Retry-After says when to retry", "all"),
    500: ("A bug: the body carries an error id, the server log has the detail", "all"),
    503: ("The store, an index, an optional engine or the audit log is unavailable", "all"),
}


def _applies(when: str, method: str, op: dict[str, Any]) -> bool:
    params = op.get("parameters", [])
    body = "requestBody" in op
    return {
        "all": True,
        "input": bool(params) or body,
        "body": body,
        "write": method != "get",
        "path": any(p.get("in") == "path" for p in params),
    }[when]


def declare_errors(spec: dict[str, Any]) -> dict[str, Any]:
    """Declare the error responses of every operation of ``spec`` (in place) in the one error
    shape; FastAPI's 422 goes: a bad request is answered 400."""
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("ErrorBody", ErrorBody.model_json_schema(ref_template="#/components/schemas/{model}"))
    for item in spec.get("paths", {}).values():
        for method, op in item.items():
            if method not in {"get", "put", "post", "delete", "patch", "options", "head", "trace"}:
                continue
            responses = op.setdefault("responses", {})
            responses.pop("422", None)
            for status, (description, when) in ERRORS.items():
                if str(status) not in responses and _applies(when, method, op):
                    responses[str(status)] = {"description": description}
            for status, response in responses.items():
                if status[:1] in "45":  # errors are JSON whatever the route's own media type
                    response["content"] = {"application/json": {"schema": ERROR_REF}}
            if "429" in responses:
                responses["429"].setdefault(
                    "headers",
                    {
                        "Retry-After": {
                            "description": "Seconds until a request is accepted again",
                            "schema": {"type": "integer"},
                        }
                    },
                )
    used = repr(spec.get("paths"))
    for name in ("HTTPValidationError", "ValidationError"):
        if f"/{name}'" not in used:
            schemas.pop(name, None)
    return spec


def install(app: FastAPI) -> Callable[[], dict[str, Any]]:
    """Make ``app.openapi()`` return the schema with the error responses declared."""
    base = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = declare_errors(base())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return openapi
