"""Issue 23: every JSON route declares a response model (``ipai.api.responses`` over
``ipai.service.results``), and declaring it changed no response.

For real calls over the test corpus, the route's JSON equals the service's own result serialised
(same keys, same values, same JSON types: an ``int`` that became ``3.0`` or a key the model dropped
fails), and every key of the response is declared in the route's OpenAPI schema (a result type that
lags behind its method fails here before a client sees an undocumented key). Timings (``took_ms``,
``timing_ms``, ``seconds``) differ between two runs and are left out of the comparison."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.encoders import jsonable_encoder
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from ipai.api import create_app
from ipai.api.app import api_routers
from ipai.service import Service

VOLATILE = {"took_ms", "timing_ms", "seconds", "id"}
STREAMS = {  # routes that send a file, a page or a stream: no JSON model
    "/documents/{number}/images/{n}",
    "/search/export",
    "/images/{kind}/thumbnail",
    "/evidence/{index}/receipt",
    "/evidence/{index}/certificate",
}


@pytest.fixture(scope="module")
def client(platform_service: Service) -> TestClient:
    return TestClient(create_app(service=platform_service, web=False))


@pytest.fixture(scope="module")
def schema(client: TestClient) -> dict[str, Any]:
    return client.get("/api/v1/openapi.json").json()


def test_every_json_route_declares_a_response_model() -> None:
    loose = [
        f"{sorted(r.methods)[0]} {r.path}"
        for router in api_routers()
        for r in router.routes
        if isinstance(r, APIRoute)
        and r.path not in STREAMS
        and (r.response_model is None or r.response_model is Any or str(r.response_model).startswith("dict"))
    ]
    assert not loose, loose


def _same(a: Any, b: Any, where: str = "") -> list[str]:
    """Differences between two JSON values, types included (``1`` is not ``1.0``, ``True`` not ``1``)."""
    if type(a) is not type(b):
        return [f"{where or '/'}: {type(a).__name__} {a!r:.80} != {type(b).__name__} {b!r:.80}"]
    if isinstance(a, dict):
        out = [f"{where}/{k}: only in the route" for k in a.keys() - b.keys()]
        out += [f"{where}/{k}: only in the service" for k in b.keys() - a.keys()]
        for k in a.keys() & b.keys():
            if k not in VOLATILE:
                out += _same(a[k], b[k], f"{where}/{k}")
        return out
    if isinstance(a, list):
        if len(a) != len(b):
            return [f"{where}: {len(a)} items != {len(b)}"]
        return [d for i, (x, y) in enumerate(zip(a, b, strict=True)) for d in _same(x, y, f"{where}/{i}")]
    if isinstance(a, float):  # e5 vectors differ in the last digits from one encoding to the next
        return [] if math.isclose(a, b, rel_tol=1e-2, abs_tol=1e-3) else [f"{where}: {a!r} != {b!r}"]
    return [] if a == b else [f"{where}: {a!r:.80} != {b!r:.80}"]


def _as_sent(result: Any) -> Any:
    """A result as the route sent it before it declared a model (jsonable_encoder, then JSON)."""
    return json.loads(json.dumps(jsonable_encoder(result)))


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        node = schema["components"]["schemas"][name]
    return node


def _undeclared(schema: dict[str, Any], node: dict[str, Any], value: Any, where: str = "") -> list[str]:
    """Keys of ``value`` that the schema ``node`` does not declare, where it declares an object's
    properties (open objects, ``dict[str, Any]``, are not looked into)."""
    node = _resolve(schema, node)
    if "anyOf" in node:
        branches = [_resolve(schema, b) for b in node["anyOf"]]
        typed = [b for b in branches if (b.get("type") == "object") == isinstance(value, dict)]
        return _undeclared(schema, typed[0], value, where) if typed else []
    if isinstance(value, dict) and "properties" in node:
        props = node["properties"]
        out = [f"{where}/{k}" for k in value if k not in props]
        for k, v in value.items():
            if k in props:
                out += _undeclared(schema, props[k], v, f"{where}/{k}")
        return out
    if isinstance(value, list) and "items" in node:
        return [
            d for i, v in enumerate(value[:20]) for d in _undeclared(schema, node["items"], v, f"{where}/{i}")
        ]
    return []


def _response_schema(schema: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    op = schema["paths"][f"/api/v1{path}"][method.lower()]
    ok = next(s for s in ("200", "201") if s in op["responses"])
    return op["responses"][ok]["content"]["application/json"]["schema"]


def _first_ep(svc: Service) -> str:
    docs = svc.documents(limit=500, country="EP")["items"]
    with_claims = [d["id"] for d in docs if svc.resolve(d["id"]).claims]
    assert with_claims, "the platform corpus has EPO documents with claims"
    return with_claims[0]


CLAIMS = "1. A drone comprising a frame, four rotors and a camera.\n2. The drone of claim 1, wherein the camera is a thermal camera."
PRODUCT = "A flying device with a body, four propellers and an infrared camera for inspections."

# (method, path, request, the service's own call) — the route returns {"ok": true, **result}
# unless the call returns the whole body itself
CASES: list[tuple[str, str, dict[str, Any], Callable[[Service], Any]]] = [
    ("GET", "/stats", {}, lambda s: {"ok": True, **s.stats()}),
    ("GET", "/formats", {}, lambda s: {"ok": True, "formats": s.corpus.formats()}),
    ("GET", "/index", {}, lambda s: {"ok": True, **s.corpus.index_status()}),
    (
        "GET",
        "/landscape",
        {"params": {"q": "drone OR 无人机"}},
        lambda s: {
            "ok": True,
            **s.analytics.landscape(
                "drone OR 无人机",
                filters={"cc": None, "year_from": None, "year_to": None, "cls": None},
                limit=25_000,
                top=20,
                count="documents",
            ),
        },
    ),
    (
        "GET",
        "/topics",
        {"params": {"q": "neural network"}},
        lambda s: {"ok": True, **s.analytics.topics("neural network", limit=5_000, k=None)},
    ),
    (
        "GET",
        "/evolution",
        {"params": {"q": "neural network"}},
        lambda s: {"ok": True, **s.analytics.evolution("neural network", limit=5_000)},
    ),
    (
        "GET",
        "/talent",
        {"params": {"q": "neural network"}},
        lambda s: {"ok": True, **s.analytics.talent("neural network", top=20)},
    ),
    (
        "GET",
        "/value",
        {"params": {"q": "neural network"}},
        lambda s: {"ok": True, **s.value.value(None, "neural network", top=20, limit=1000)},
    ),
    (
        "GET",
        "/value/screen",
        {"params": {"q": "neural network"}},
        lambda s: {
            "ok": True,
            **s.value.value_screen("neural network", limit=25_000, top_share=0.5, min_term=3.0, listed=100),
        },
    ),
    (
        "GET",
        "/transfer/match",
        {"params": {"text": "用于农业的无人机喷洒系统"}},
        lambda s: {"ok": True, **s.transfer.match_demand("用于农业的无人机喷洒系统", top=20, mode="hybrid")},
    ),
    (
        "GET",
        "/transfer/resources",
        {},
        lambda s: {"ok": True, **s.transfer.resources(kinds=("university", "institute"), limit=50)},
    ),
    (
        "GET",
        "/transfer/demands",
        {},
        lambda s: {"ok": True, **s.transfer.demands(status=None, limit=50, offset=0)},
    ),
    ("GET", "/transfer/matches", {}, lambda s: {"ok": True, **s.transfer.matches(limit=100, offset=0)}),
    (
        "GET",
        "/transfer/notifications",
        {},
        lambda s: {"ok": True, **s.transfer.notifications(unread=False, limit=50)},
    ),
    ("GET", "/watchlists", {}, lambda s: {"ok": True, **s.monitor.watches()}),
    ("GET", "/alerts", {}, lambda s: {"ok": True, **s.monitor.alerts(limit=100, offset=0)}),
    ("GET", "/images/status", {}, lambda s: {"ok": True} | s.images.image_status()),
    (
        "POST",
        "/draft/check",
        {"json": {"claims": CLAIMS}},
        lambda s: {"ok": True, **s.checker.check_claims(CLAIMS, description=None, office="CN", ui_lang=None)},
    ),
    ("GET", "/triz/parameters", {}, lambda s: {"ok": True, **s.triz.triz_parameters()}),
    (
        "GET",
        "/triz/suggest",
        {"params": {"text": "increase the strength without increasing the weight"}},
        lambda s: {
            "ok": True,
            **s.triz.triz_suggest("increase the strength without increasing the weight", top=5),
        },
    ),
    (
        "GET",
        "/triz",
        {"params": {"improving": 14, "worsening": 1}},
        lambda s: {"ok": True, **s.triz.triz(14, 1, text=None, matrix="both", examples=True, top_examples=3)},
    ),
    ("GET", "/triz/compare", {}, lambda s: {"ok": True, **s.triz.triz_compare(examples=10)}),
    (
        "POST",
        "/fto/scan",
        {"json": {"product": PRODUCT}},
        lambda s: {"ok": True, **s.fto.scan_product(PRODUCT, top=10, lang=None)},
    ),
    ("GET", "/industry/schemes", {}, lambda s: {"ok": True, "schemes": s.industry.industry_schemes()}),
    (
        "GET",
        "/industry",
        {"params": {"q": "neural network"}},
        lambda s: {
            "ok": True,
            **s.industry.industry_view(
                "neural network", applicant=None, scheme="wipo35", region=None, year=None, limit=25_000
            ),
        },
    ),
    ("GET", "/users", {}, lambda s: {"ok": True, "items": s.security.users()}),
    ("GET", "/deals", {}, lambda s: {"ok": True, **s.deals.deals(limit=50, offset=0)}),
    ("GET", "/disclosures", {}, lambda s: {"ok": True, **s.manage.disclosures(limit=50, offset=0)}),
    ("GET", "/portfolio", {}, lambda s: {"ok": True, **s.manage.portfolio()}),
    (
        "POST",
        "/assess",
        {"json": {"text": "A drone with four rotors and a thermal camera for inspecting power lines."}},
        lambda s: {
            "ok": True,
            **s.assessment.assess(
                "A drone with four rotors and a thermal camera for inspecting power lines.",
                top=10,
                query=None,
                cross_lingual=True,
                lang=None,
            ),
        },
    ),
]


@pytest.mark.parametrize(
    ("method", "path", "request_", "call"), CASES, ids=[f"{m} {p}" for m, p, _, _ in CASES]
)
def test_route_returns_the_service_result_and_declares_every_key(
    client: TestClient,
    platform_service: Service,
    schema: dict[str, Any],
    method: str,
    path: str,
    request_: dict[str, Any],
    call: Callable[[Service], Any],
) -> None:
    r = client.request(method, f"/api/v1{path}", **request_)
    assert r.status_code in (200, 201), r.text
    body = r.json()
    expected = _as_sent(call(platform_service))
    assert not _same(body, expected), _same(body, expected)[:20]
    assert not _undeclared(schema, _response_schema(schema, method, path), body)


def test_documents_explain_compare_and_company(
    client: TestClient, platform_service: Service, schema: dict[str, Any]
) -> None:
    """Routes whose request names a stored document or applicant (found in the corpus first)."""
    svc = platform_service
    ep = _first_ep(svc)
    company = next(
        p.name for d in svc.documents(limit=500)["items"] for p in svc.resolve(d["id"]).assignees[:1]
    )
    cases: list[tuple[str, str, str, dict[str, Any], Any]] = [
        (
            "GET",
            f"/explain/{ep}",
            "/explain/{number}",
            {},
            {"ok": True, **svc.explain.explain(ep, ui_lang="en")},
        ),
        (
            "GET",
            f"/transfer/documents/{ep}/demands",
            "/transfer/documents/{number}/demands",
            {},
            {"ok": True, **svc.transfer.match_patent(ep, top=20)},
        ),
        (
            "POST",
            "/fto/compare",
            "/fto/compare",
            {"json": {"number": ep, "product": PRODUCT}},
            {"ok": True, **svc.fto.compare_product(ep, PRODUCT, claim=None, lang=None)},
        ),
        (
            "GET",
            "/company",
            "/company",
            {"params": {"name": company}},
            {"ok": True, **svc.analytics.company(company, top=10)},
        ),
    ]
    for method, url, path, req, result in cases:
        r = client.request(method, f"/api/v1{url}", **req)
        assert r.status_code == 200, (url, r.text)
        body = r.json()
        diff = _same(body, _as_sent(result))
        assert not diff, (url, diff[:20])
        assert not _undeclared(schema, _response_schema(schema, method, path), body), url


def test_a_dropped_key_would_be_found(schema: dict[str, Any]) -> None:
    """The two checks above fail on a key the model does not know and on a changed JSON type."""
    node = _response_schema(schema, "GET", "/stats")
    assert _undeclared(schema, node, {"ok": True, "documents": 1, "brand_new": 2}) == ["/brand_new"]
    assert _same({"n": 3}, {"n": 3.0}) and _same({"a": 1}, {"a": 1, "b": 2})
