"""Old API paths kept for one release: the same handler under the old path, marked
``deprecated`` in the OpenAPI document, and every answer of its handler carries
``Deprecation: true`` and ``Link: <new path>; rel="successor-version"`` (RFC 8288, RFC 5829).

A feature's router declares its paths under its own prefix (``/transfer/…``);
:func:`deprecated_aliases` gives the same routes without the prefix, as they were before.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any, ClassVar

from fastapi import APIRouter, Request, Response
from fastapi.routing import APIRoute

API = "/api/v1"


class DeprecatedRoute(APIRoute):
    """A route under its old path: answers as the new one, plus the deprecation headers."""

    new_prefix: ClassVar[str] = ""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        prefix = self.new_prefix

        async def with_headers(request: Request) -> Response:
            response = await handler(request)
            path = request.url.path
            response.headers["Deprecation"] = "true"
            response.headers["Link"] = (
                f'<{path.replace(API + "/", API + prefix + "/", 1)}>; rel="successor-version"'
            )
            return response

        return with_headers


def deprecated_aliases(router: APIRouter, prefix: str) -> list[APIRoute]:
    """The routes of ``router`` (declared under ``prefix``) again under their old paths, without
    the prefix: the same endpoints, parameters, response models and tags, deprecated."""
    route_class = type(
        f"Deprecated{prefix.strip('/').title()}Route", (DeprecatedRoute,), {"new_prefix": prefix}
    )
    old = APIRouter(route_class=route_class)
    for r in router.routes:
        if not isinstance(r, APIRoute) or not r.path.startswith(prefix + "/"):
            continue
        note = f"**Deprecated**: use `{API}{r.path}` (this path is removed in the next release)."
        old.add_api_route(
            r.path[len(prefix) :],
            r.endpoint,
            methods=sorted(r.methods or ()),
            status_code=r.status_code,
            response_model=r.response_model,
            response_class=r.response_class,
            responses=r.responses,
            tags=r.tags,
            summary=r.summary,
            description=f"{note}\n\n{r.description}" if r.description else note,
            response_description=r.response_description,
            dependencies=r.dependencies,
            # not in the OpenAPI document: Swagger UI 5.36 stops listing operations when the same
            # endpoints appear under two paths; the headers and docs/api.md announce the move
            include_in_schema=False,
            openapi_extra=r.openapi_extra,
            name=r.name,
            deprecated=True,
        )
    return [r for r in old.routes if isinstance(r, APIRoute)]
