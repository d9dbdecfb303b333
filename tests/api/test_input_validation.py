"""Issue 19, defect 6: every input validated into a typed range, no 500 with internal detail.

- every integer of every route (query, path, JSON body) has a floor and a ceiling in the OpenAPI
  schema, and a number above 2^63 is a 400 naming the field (it raised OverflowError in SQLite);
- a query nested 1,000 deep is a 400 naming the position (it raised RecursionError);
- an unexpected error is the standard error shape with an error id; the detail is only logged;
- a 405 carries ``Allow``; the OpenAPI declares the error responses (no FastAPI 422).
"""

from __future__ import annotations

import logging
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from ipai.api import create_app
from ipai.api.app import api_routers
from ipai.api.openapi import install
from ipai.service import Service

HUGE = 99999999999999999999999  # > 2^63: no SQL integer holds it
# (method, path, name) of integers that may stay without a range, with the reason (none)
UNBOUNDED_OK: set[tuple[str, str, str]] = set()


def _spec() -> dict[str, Any]:
    app = FastAPI()
    for r in api_routers():
        app.include_router(r, prefix="/api/v1")
    install(app)
    return app.openapi()


SPEC = _spec()


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = SPEC["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _integers(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The integer schemas among the alternatives of ``schema``."""
    schema = _resolve(schema)
    if schema.get("type") == "integer":
        return [schema]
    return [s for alt in schema.get("anyOf", []) + schema.get("oneOf", []) for s in _integers(alt)]


def _integer_fields() -> list[tuple[str, str, str, str, dict[str, Any]]]:
    """(method, path, where, name, schema) of every integer an operation takes: ``where`` is
    query, path or body (a body's top-level fields and the items of its lists)."""
    out = []
    for path, item in SPEC["paths"].items():
        for method, op in item.items():
            for p in op.get("parameters", []):
                for s in _integers(p["schema"]):
                    out.append((method.upper(), path, p["in"], p["name"], s))
            body = op.get("requestBody", {}).get("content", {}).get("application/json")
            alternatives = (
                [_resolve(a) for a in [body["schema"]] + body["schema"].get("anyOf", [])] if body else []
            )
            for schema in alternatives:
                for name, prop in schema.get("properties", {}).items():
                    prop = _resolve(prop)
                    for s in _integers(prop):
                        out.append((method.upper(), path, "body", name, s))
                    for alt in [prop] + prop.get("anyOf", []):
                        if _resolve(alt).get("type") == "array":
                            for s in _integers(_resolve(alt)["items"]):
                                out.append((method.upper(), path, "body", f"{name}.0", s))
    return out


FIELDS = _integer_fields()


@pytest.fixture(scope="module")
def client(platform_service: Service) -> TestClient:
    return TestClient(create_app(service=platform_service, web=False), raise_server_exceptions=False)


def _error_shape(r: Any, status: int) -> dict[str, Any]:
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"ok", "error", "errors", "status"} and body["ok"] is False, body
    assert body["status"] == status and body["error"]
    return body


def test_the_schema_has_the_integers_of_the_issue() -> None:
    names = {(m, p, n) for m, p, _, n, _ in FIELDS}
    assert ("GET", "/api/v1/documents", "offset") in names and ("GET", "/api/v1/tasks", "offset") in names
    assert ("POST", "/api/v1/alerts/ack", "ids.0") in names and ("POST", "/api/v1/triz", "improving") in names
    assert len({(m, p) for m, p, *_ in FIELDS}) >= 40  # operations taking an integer


def test_every_integer_has_a_floor_and_a_ceiling() -> None:
    missing = [
        f"{m} {p} {w}:{n}"
        for m, p, w, n, s in FIELDS
        if (m, p, n) not in UNBOUNDED_OK
        and not ({"minimum", "exclusiveMinimum"} & set(s) and {"maximum", "exclusiveMaximum"} & set(s))
    ]
    assert not missing, missing
    assert all(s.get("maximum", 0) <= 2**53 - 1 for *_, s in FIELDS)  # a JSON number holds it exactly


@pytest.mark.parametrize(
    ("method", "path", "where", "name"),
    [f[:4] for f in FIELDS],
    ids=[f"{f[0]} {f[1]} {f[3]}" for f in FIELDS],
)
def test_an_overflowing_integer_is_a_400_naming_the_field(
    client: TestClient, method: str, path: str, where: str, name: str
) -> None:
    params: dict[str, Any] = {}
    body: dict[str, Any] | None = None
    url = path
    for p in SPEC["paths"][path][method.lower()].get("parameters", []):
        value = HUGE if p["name"] == name else (1 if _integers(p["schema"]) else "x")
        if p["in"] == "path":
            url = url.replace("{" + p["name"] + "}", str(value))
        elif p["in"] == "query" and (p["name"] == name or p.get("required")):
            params[p["name"]] = value
    if where == "body":
        field = name.split(".")[0]
        body = {field: [HUGE] if name.endswith(".0") else HUGE}
    r = client.request(method, url, params=params, json=body)
    if (method, path, name) in UNBOUNDED_OK:
        assert r.status_code < 500, r.text
        return
    err = _error_shape(r, 400)
    fields = [str(e.get("field")) for e in err["errors"]]
    assert any(f == name or f.startswith(name + ".") for f in fields), err  # a union adds its member


@pytest.mark.parametrize(
    ("q", "position"), [("NOT " * 1000 + "x", 128), ("-(" * 1000 + "x", 32), ("非 " * 1000 + "x", 64)]
)
@pytest.mark.parametrize("path", ["/api/v1/search", "/api/v1/landscape"])
def test_a_query_nested_too_deeply_is_a_400_naming_the_position(
    client: TestClient, path: str, q: str, position: int
) -> None:
    err = _error_shape(client.get(path, params={"q": q}), 400)
    assert err["errors"] == [{"query": q, "position": position}]
    assert f"nests too deeply at position {position}" in err["error"]


def test_an_unexpected_error_is_the_standard_shape_with_an_id_and_no_detail(
    platform_service: Service, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    secret = "/srv/ipai/home/ipai.sqlite is locked"

    def boom() -> None:
        raise RuntimeError(secret)

    monkeypatch.setattr(platform_service, "stats", boom)
    c = TestClient(create_app(service=platform_service, web=False), raise_server_exceptions=False)
    with caplog.at_level(logging.ERROR, logger="ipai.api"):
        r = c.get("/api/v1/stats")
    err = _error_shape(r, 500)
    error_id = err["errors"][0]["error_id"]
    assert err["error"].startswith(f"internal error (id {error_id})") and len(error_id) == 12
    assert "RuntimeError" not in r.text and secret not in r.text and "Traceback" not in r.text
    logged = [rec for rec in caplog.records if error_id in rec.getMessage()]
    assert (
        logged and logged[0].exc_info and secret in str(logged[0].exc_info[1])
    )  # the detail stays in the log


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("DELETE", "/api/v1/index", "GET, POST"),
        ("PUT", "/api/v1/health", "GET"),
        ("POST", "/api/v1/demands/1", "GET, PATCH, DELETE"),
        ("GET", "/api/v1/alerts/ack", "POST"),
    ],
)
def test_a_405_carries_allow(client: TestClient, method: str, path: str, allow: str) -> None:
    r = client.request(method, path)
    _error_shape(r, 405)
    assert r.headers["allow"] == allow


def test_the_openapi_declares_the_errors_of_every_operation(client: TestClient) -> None:
    from openapi_spec_validator import validate

    spec = client.get("/api/v1/openapi.json").json()
    validate(spec)
    assert "HTTPValidationError" not in spec["components"]["schemas"]
    for path, item in spec["paths"].items():
        for method, op in item.items():
            codes = set(op["responses"])
            assert "422" not in codes and {"401", "403", "429", "500", "503"} <= codes, (method, path)
            if op.get("parameters") or op.get("requestBody"):
                assert "400" in codes, (method, path)
            for code, resp in op["responses"].items():
                if code >= "400":
                    assert resp["content"] == {
                        "application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}
                    }, (method, path, code)


def test_every_path_answers_a_method_it_lacks_with_405_and_its_methods_in_allow(client: TestClient) -> None:
    import re

    templates = {p: re.compile(re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(p)) + "$") for p in SPEC["paths"]}
    for path in SPEC["paths"]:
        url = re.sub(r"\{[^}]+\}", "1", path)
        # every route whose template takes the URL (/demands/import is also /demands/{demand_id})
        declared = {m.upper() for p, rx in templates.items() if rx.match(url) for m in SPEC["paths"][p]}
        wrong = next(m for m in ("PUT", "PATCH", "DELETE", "POST", "GET") if m not in declared)
        r = client.request(wrong, url)
        _error_shape(r, 405)
        assert set(r.headers["allow"].split(", ")) == declared, (wrong, path)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", f"/deals/{HUGE}"),
        ("POST", f"/deals/{HUGE}/move"),
        ("POST", f"/deals/{HUGE}/milestones"),
        ("GET", f"/disclosures/{HUGE}"),
        ("POST", f"/disclosures/{HUGE}/move"),
        ("POST", f"/watch/{HUGE}/remove"),
        ("GET", f"/qa/documents/{HUGE}"),
        ("GET", f"/transfer/demands/{HUGE}"),
        ("POST", f"/transfer/demands/{HUGE}/rematch"),
        ("POST", f"/transfer/matches/{HUGE}"),
        ("GET", f"/tasks?offset={HUGE}"),
    ],
)
def test_web_pages_take_integers_in_range_too(platform_service: Service, method: str, path: str) -> None:
    from tests.webforms import with_csrf

    c = with_csrf(TestClient(create_app(service=platform_service), raise_server_exceptions=False))
    r = c.request(method, path, headers={"accept": "text/html"})
    assert r.status_code == 400 and "text/html" in r.headers["content-type"], (path, r.status_code)


@pytest.mark.parametrize("value", [str(HUGE), "²", "-1", "abc"])
def test_the_alert_form_refuses_an_id_that_is_no_alert_number(platform_service: Service, value: str) -> None:
    from tests.webforms import with_csrf

    c = with_csrf(TestClient(create_app(service=platform_service), raise_server_exceptions=False))
    r = c.post("/alerts/ack", data={"id": value}, headers={"accept": "text/html"}, follow_redirects=False)
    assert r.status_code == 400, r.text[:300]  # it acknowledged every alert, or failed with a 500
