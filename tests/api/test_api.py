"""The REST API: every endpoint, its errors, the OpenAPI schema, background tasks."""

from __future__ import annotations

import csv
import io
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ipai.api import create_app
from ipai.service import Service
from ipai.settings import load_settings


@pytest.fixture(scope="module")
def client(platform_service: Service) -> TestClient:
    return TestClient(create_app(service=platform_service, web=False))


def _error_shape(r: Any, status: int) -> dict[str, Any]:
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"ok", "error", "errors", "status"} and body["ok"] is False
    assert body["status"] == status and body["error"]
    return body


def test_health_counts_the_corpus(client: TestClient, platform_service: Service) -> None:
    body = client.get("/api/v1/health").json()
    assert body["documents"] == platform_service.store.count_documents() > 500
    assert body["index"]["documents"] == body["documents"] and body["index"]["pending"] == 0


def test_search_returns_results_with_highlights(client: TestClient) -> None:
    body = client.get("/api/v1/search", params={"q": "neural network", "top": 5}).json()
    assert body["ok"] and body["top"] == 5 and len(body["results"]) == 5
    first = body["results"][0]
    assert {"id", "score", "title", "highlights", "matched"} <= set(first)
    assert any("<mark>" in p["text"] for p in first["highlights"])
    assert body["next_offset"] == 5


def test_search_pages_do_not_overlap(client: TestClient) -> None:
    p1 = client.get("/api/v1/search", params={"q": "neural network", "top": 5}).json()["results"]
    p2 = client.get("/api/v1/search", params={"q": "neural network", "top": 5, "offset": 5}).json()["results"]
    assert p2 and not {h["id"] for h in p1} & {h["id"] for h in p2}
    assert [h["rank"] for h in p2] == list(range(6, 6 + len(p2)))


def test_chinese_search_and_same_language_switch(client: TestClient) -> None:
    body = client.get("/api/v1/search", params={"q": "无人机", "top": 5, "cross_lingual": "false"}).json()
    assert body["lang"] == "zh" and body["results"]
    assert all("zh" in h["langs"] for h in body["results"])


def test_filters_run_inside_the_search(client: TestClient) -> None:
    us = client.get("/api/v1/search", params={"q": "network", "cc": "US", "top": 20}).json()
    assert us["results"] and all(h["id"].startswith("US") for h in us["results"])
    assert us["filters"] == {"cc": "US"}
    recent = client.get("/api/v1/search", params={"q": "network", "year_from": 2015, "top": 20}).json()
    assert recent["results"] and all(h["date"] is None or h["date"] >= "2015" for h in recent["results"])
    g06 = client.get(
        "/api/v1/search", params={"q": "artificial intelligence", "cls": "G06N", "top": 10}
    ).json()
    assert g06["results"] and all(any(c.startswith("G06N") for c in h["classes"]) for h in g06["results"])
    # no G06N document here says "network" in any language: the class filter alone is no match
    none = client.get("/api/v1/search", params={"q": "network", "cls": "G06N", "top": 10}).json()
    assert none["results"] == [] and none["total_keyword"] == 0


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"q": "x", "top": 0}, "top"),
        ({"q": "x", "top": "many"}, "top"),
        ({}, "q"),
        ({"q": "x", "mode": "fuzzy"}, "mode"),
        ({"q": "x", "cc": "USA"}, "cc"),
        ({"q": "x", "cls": "123"}, "cls"),
        ({"q": "x", "year_from": 2020, "year_to": 2010}, "year_from"),
        ({"q": "x", "lang": "xx"}, "lang"),
    ],
)
def test_bad_search_parameters_name_the_field(client: TestClient, params: dict[str, Any], field: str) -> None:
    body = _error_shape(client.get("/api/v1/search", params=params), 400)
    assert any(e.get("field") == field for e in body["errors"]), body


def test_malformed_query_points_at_the_position(client: TestClient) -> None:
    body = _error_shape(client.get("/api/v1/search", params={"q": "ti:(robot AND"}), 400)
    assert body["errors"] == [{"query": "ti:(robot AND", "position": 3}]
    bad_field = _error_shape(client.get("/api/v1/search", params={"q": "zz:robot"}), 400)
    assert "zz" in bad_field["error"]


def test_expand_lists_associated_terms(client: TestClient) -> None:
    body = client.get("/api/v1/expand", params={"term": "network", "top": 5}).json()
    assert body["term"] == "network" and 0 < len(body["suggestions"]) <= 5
    assert {"term", "lang", "score", "sources", "count"} <= set(body["suggestions"][0])
    _error_shape(client.get("/api/v1/expand", params={"term": " "}), 400)


def test_document_list_is_paginated(client: TestClient, platform_service: Service) -> None:
    page = client.get("/api/v1/documents", params={"limit": 7}).json()
    assert page["total"] == platform_service.store.count_documents() and len(page["items"]) == 7
    nxt = client.get("/api/v1/documents", params={"limit": 7, "offset": page["next_offset"]}).json()
    assert not {d["id"] for d in page["items"]} & {d["id"] for d in nxt["items"]}
    cn = client.get("/api/v1/documents", params={"cc": "cn", "limit": 5}).json()
    assert cn["items"] and all(d["country"] == "CN" for d in cn["items"])
    _error_shape(client.get("/api/v1/documents", params={"limit": 501}), 400)


def test_document_by_any_spelling_and_unknown_number(client: TestClient) -> None:
    for spelling in ("EP3404678B1", "EP 3404678 B1", "ep3404678b1"):
        body = client.get(f"/api/v1/documents/{spelling}").json()
        assert body["document"]["pubno"] == {"country": "EP", "number": "3404678", "kind": "B1"}
        assert body["provenance"] and body["document"]["claims"]
    body = _error_shape(client.get("/api/v1/documents/EP9999999B1"), 404)
    assert "EP9999999B1" in body["error"]
    _error_shape(client.get("/api/v1/documents/not-a-number"), 400)


def test_similar_documents(client: TestClient) -> None:
    body = client.get("/api/v1/documents/EP3404678B1/similar", params={"top": 3}).json()
    assert len(body["results"]) == 3 and all(h["id"] != "EP3404678B" for h in body["results"])


def test_design_drawings_are_served_as_png(client: TestClient, platform_service: Service) -> None:
    page = client.get("/api/v1/documents", params={"limit": 500, "cc": "US"}).json()["items"]
    design = next(d for d in page if d["doc_type"] == "design")
    r = client.get(f"/api/v1/documents/{design['id']}/images/0")
    assert r.status_code == 200 and r.headers["content-type"] == "image/png"
    assert r.content[:8] == b"\x89PNG\r\n\x1a\n"
    n = len(platform_service.resolve(design["id"]).images)
    _error_shape(client.get(f"/api/v1/documents/{design['id']}/images/{n}"), 404)


def test_stats_formats_index(client: TestClient) -> None:
    st = client.get("/api/v1/stats").json()
    assert st["by_language"]["zh"] > 0 and st["by_language"]["en"] > 0
    assert any(f["name"] == "uspto-xml" for f in client.get("/api/v1/formats").json()["formats"])
    assert client.get("/api/v1/index").json()["pending"] == 0


def test_trademark_endpoint_unknown_id(client: TestClient) -> None:
    _error_shape(client.get("/api/v1/trademarks/EM000000000"), 404)


def test_unknown_route_and_method(client: TestClient) -> None:
    _error_shape(client.get("/api/v1/nothing-here"), 404)
    _error_shape(client.delete("/api/v1/search"), 405)


def test_openapi_schema_is_served_and_valid(client: TestClient) -> None:
    from openapi_spec_validator import validate

    spec = client.get("/api/v1/openapi.json").json()
    validate(spec)
    for path in ("/api/v1/search", "/api/v1/documents/{number}", "/api/v1/ingest", "/api/v1/tasks/{task_id}"):
        assert path in spec["paths"]
    assert client.get("/api/v1/docs").status_code == 200


# ---- background tasks (own store: they change it) -------------------------------------------------


@pytest.fixture()
def fresh(tmp_path: Path) -> Any:
    svc = Service(load_settings(home=tmp_path / "home", progress=False, upload_max_mb=1))
    yield TestClient(create_app(service=svc, web=False)), svc
    svc.close()


def _csv_rows(path: Path, rows: int) -> bytes:
    buf = io.StringIO()
    with path.open(encoding="utf-8", newline="") as f:
        w = csv.writer(buf)
        for i, row in enumerate(csv.reader(f)):
            if i > rows:
                break
            w.writerow(row)
    return buf.getvalue().encode()


def _wait(client: TestClient, url: str) -> dict[str, Any]:
    for _ in range(600):
        t = client.get(url).json()
        if t["state"] not in ("queued", "running"):
            return t
        time.sleep(0.05)
    raise AssertionError(f"task did not finish: {t}")


def test_upload_ingests_in_the_background_and_indexes(fresh: Any, shared_data: Path) -> None:
    client, svc = fresh
    data = _csv_rows(shared_data / "us-abstracts-patentsview/baseball_patent_query.csv", 40)
    r = client.post("/api/v1/ingest", files=[("files", ("baseball.csv", data, "text/csv"))])
    assert r.status_code == 202 and r.json()["kind"] == "ingest"
    t = _wait(client, r.json()["url"])
    assert t["state"] == "done" and t["result"]["loaded"] == 40 and t["result"]["rejected"] == 0
    assert t["progress"]["records"] == 40 and t["seconds"] is not None
    assert client.get("/api/v1/health").json()["documents"] == 40
    # the index exists after an explicit index task; the next upload refreshes it incrementally
    t2 = _wait(client, client.post("/api/v1/index").json()["url"])
    assert t2["state"] == "done" and t2["result"]["documents"] == 40
    more = _csv_rows(shared_data / "us-abstracts-patentsview/neural_network_patent_query.csv", 10)
    t3 = _wait(client, client.post("/api/v1/ingest", files=[("files", ("nn.csv", more))]).json()["url"])
    assert t3["result"]["index"]["indexed"] == 10 and t3["result"]["index"]["documents"] == 50
    hits = client.get("/api/v1/search", params={"q": "neural network", "top": 3}).json()["results"]
    assert hits and "neural" in (hits[0]["title"] + str(hits[0]["highlights"])).lower()
    listed = client.get("/api/v1/tasks").json()["items"]
    assert [x["id"] for x in listed[:3]] == [t3["id"], t2["id"], t["id"]]


def test_malformed_upload_is_rejected_by_name_and_nothing_is_lost(fresh: Any, shared_data: Path) -> None:
    client, svc = fresh
    good = _csv_rows(shared_data / "us-abstracts-patentsview/baseball_patent_query.csv", 5)
    _wait(client, client.post("/api/v1/ingest", files=[("files", ("ok.csv", good))]).json()["url"])
    t = _wait(
        client,
        client.post("/api/v1/ingest", files=[("files", ("broken.xml", b"<us-patent-grant><oops"))]).json()[
            "url"
        ],
    )
    assert t["state"] == "done" and t["result"]["rejected"] == 1
    assert "broken.xml" in t["result"]["rejects"][0]["file"]
    assert client.get("/api/v1/health").json()["documents"] == 5
    assert client.get("/api/v1/search", params={"q": "baseball", "mode": "keyword"}).status_code == 200


def test_oversized_and_empty_uploads(fresh: Any) -> None:
    client, svc = fresh
    body = _error_shape(client.post("/api/v1/ingest", files=[("files", ("big.csv", b"x" * (2 << 20)))]), 413)
    assert "1 MB" in body["error"]
    _error_shape(client.post("/api/v1/ingest", files=[("files", ("empty.csv", b""))]), 400)
    _error_shape(client.post("/api/v1/ingest"), 400)
    _error_shape(
        client.post("/api/v1/ingest", data={"format": "nope"}, files=[("files", ("a.csv", b"a,b\n1,2\n"))]),
        400,
    )
    assert not list((svc.settings.home / "uploads").glob("*/big.csv"))
    assert client.get("/api/v1/health").status_code == 200  # still serving


def test_unknown_task(fresh: Any) -> None:
    client, _ = fresh
    _error_shape(client.get("/api/v1/tasks/nope"), 404)


def test_interrupted_tasks_are_marked_on_restart(tmp_path: Path) -> None:
    home = tmp_path / "home"
    svc = Service(load_settings(home=home, progress=False))
    svc.store.save_task(
        {"id": "t1", "kind": "ingest", "state": "running", "params": {}, "progress": {}, "created_at": None}
    )
    svc.close()
    svc2 = Service(load_settings(home=home, progress=False))
    try:
        t = svc2.corpus.task("t1")
        assert t["state"] == "interrupted" and "submit it again" in t["error"]["error"]
    finally:
        svc2.close()
