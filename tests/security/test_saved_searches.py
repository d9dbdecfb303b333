"""Saved searches and history in server mode: each signed-in user sees only their own (whatever
their role or tenant), an anonymous visitor only its browser's (the visitor cookie), and only roles
with a workspace may turn a search into a watchlist."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from ipai.faces.auth import API, VISITOR_COOKIE
from tests.security.conftest import as_


def test_saved_searches_are_per_user_through_the_api(secure_client: TestClient, keys: dict[str, str]) -> None:
    mine = secure_client.post(
        f"{API}/searches/saved",
        json={"query": "neural network", "name": "nn", "params": {"cc": "US", "sort": "date_desc"}},
        headers=as_(keys["enterprise"]),
    )
    assert mine.status_code == 200, mine.text
    sid = mine.json()["search"]["id"]
    assert mine.json()["search"]["params"] == {"cc": "US", "sort": "date_desc"}
    listed = secure_client.get(f"{API}/searches/saved", headers=as_(keys["enterprise"])).json()["items"]
    assert [s["id"] for s in listed] == [sid]
    for other in ("analyst", "globex", "admin"):  # same tenant, another tenant, the platform admin
        items = secure_client.get(f"{API}/searches/saved", headers=as_(keys[other])).json()["items"]
        assert sid not in [s["id"] for s in items], other
        gone = secure_client.delete(f"{API}/searches/saved/{sid}", headers=as_(keys[other]))
        assert gone.status_code == 404, other
    assert (
        secure_client.delete(f"{API}/searches/saved/{sid}", headers=as_(keys["enterprise"])).status_code
        == 200
    )
    assert secure_client.get(f"{API}/searches/saved", headers=as_(keys["enterprise"])).json()["items"] == []


def test_anonymous_visitors_keep_their_own_history_on_the_web(secure_service: Any) -> None:
    from ipai.api import create_app

    app = create_app(service=secure_service)
    with TestClient(app) as a, TestClient(app) as b:
        assert a.get("/search", params={"q": "neural network"}).status_code == 200
        visitor = a.cookies.get(VISITOR_COOKIE)
        assert visitor and len(visitor) >= 16
        assert (
            a.get(f"{API}/searches/history").json()["items"] == []
        )  # a first visit (a crawler) keeps nothing
        a.get("/search", params={"q": "neural network"})
        seen_a = a.get(f"{API}/searches/history").json()["items"]
        assert [h["query"] for h in seen_a] == ["neural network"]
        for _ in range(2):
            b.get("/search", params={"q": "无人机"})
        assert [h["query"] for h in b.get(f"{API}/searches/history").json()["items"]] == ["无人机"]
        assert b.cookies.get(VISITOR_COOKIE) != visitor
        assert a.post(f"{API}/searches/monitor", json={"query": "neural network"}).status_code == 403
        assert 'data-testid="monitor-search"' not in a.get("/search", params={"q": "neural network"}).text
