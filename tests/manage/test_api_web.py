"""The workflow through the API and the web pages, in process."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.webforms import with_csrf

API = "/api/v1"
BODY = {
    "title": "Battery swap",
    "text": "A drone battery quick-change device with a latch.",
    "inventors": ["Ann"],
    "applicant": "Acme",
}


@pytest.fixture()
def client(service: Any) -> Iterator[TestClient]:
    from ipai.api import create_app

    with with_csrf(TestClient(create_app(service=service))) as c:
        yield c


def test_api_submission_to_filed_and_error_shapes(client: TestClient) -> None:
    r = client.post(f"{API}/disclosures", params={"assess": False}, json=BODY)
    assert r.status_code == 201
    i = r.json()["disclosure"]["id"]
    r = client.post(f"{API}/disclosures/{i}/move", json={"status": "filed"})
    assert r.status_code == 409 and r.json()["errors"][0]["field"] == "status"
    for s in ("reviewing", "file"):
        assert client.post(f"{API}/disclosures/{i}/move", json={"status": s}).status_code == 200
    r = client.post(
        f"{API}/disclosures/{i}/move",
        json={"status": "filed", "jurisdiction": "XX", "filing_date": "2025-01-01"},
    )
    assert r.status_code == 400 and r.json()["errors"] == [
        {"field": "jurisdiction", "message": "unknown jurisdiction; known: CN, US, EP, JP, KR, PCT"}
    ]
    r = client.post(
        f"{API}/disclosures/{i}/move",
        json={"status": "filed", "jurisdiction": "PCT", "filing_date": "2024-02-29"},
    )
    assert r.status_code == 200
    due = {(x["kind"], x["jurisdiction"]): x["due"] for x in r.json()["disclosure"]["deadlines"]}
    assert due == {
        ("priority_year", "PCT"): "2025-02-28",
        ("national_phase", "PCT"): "2026-08-29",
        ("national_phase", "EP"): "2026-09-29",
    }
    r = client.post(f"{API}/deadlines/scan", params={"days": 30, "today": "2025-03-01"})
    assert r.json()["overdue"] == 1 and r.json()["new_alerts"] == 1
    assert client.get(f"{API}/deadline-alerts").json()["items"][0]["level"] == "overdue"
    r = client.post(f"{API}/deadlines/scan", params={"today": "1 March"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "today"
    r = client.post(f"{API}/disclosures", json={**BODY, "inventors": []})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "inventors"
    assert client.get(f"{API}/disclosures").json()["total"] == 1
    assert client.get(f"{API}/disclosures/999999").status_code == 404


def test_web_form_errors_keep_the_input(client: TestClient) -> None:
    r = client.post(
        "/disclosures?lang=en", data={"title": "Battery swap", "text": "A latch.", "inventors": ""}
    )
    assert r.status_code == 400 and "inventors: at least one inventor is required" in r.text
    assert 'value="Battery swap"' in r.text
    r = client.post(
        "/disclosures?lang=zh",
        data={"title": "电池", "text": "锁紧机构", "inventors": "张三"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    page = client.get(r.headers["location"] + "?lang=zh")
    assert page.status_code == 200 and "已提交" in page.text and "专利性评估" in page.text


def test_web_portfolio_per_product_line(client: TestClient) -> None:
    r = client.post(
        "/portfolio?lang=en",
        data={"patent": "CN113973606A", "product": "X9 drone", "product_line": "drones"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    client.post("/portfolio", data={"patent": "US1", "product": "Dock", "product_line": "chargers"})
    page = client.get("/portfolio?lang=en&product_line=drones")
    assert page.status_code == 200 and "X9 drone" in page.text and "CN113973606A" in page.text
    assert "Dock" not in page.text
    r = client.post("/portfolio?lang=en", data={"patent": "CN1", "product": ""})
    assert r.status_code == 400 and "product: required" in r.text and 'value="CN1"' in r.text
