"""Tenants: one tenant's demands, matches, notifications, watchlists, alerts, knowledge documents,
chat history and evidence are invisible to another (lists, direct ids, searches, exports), while
platform roles oversee all; the audit log records who did what and refuses to be rewritten."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from ipai.faces.auth import API
from tests.security.conftest import as_

SECRET = "ACME-ONLY 石墨烯散热膜 graphene heat spreader for phones"


@pytest.fixture(scope="module")
def acme(secure_client: TestClient, keys: dict[str, str], secure_service: Any) -> dict[str, Any]:
    """Private data of tenant acme, made through the API by its enterprise user."""
    h = as_(keys["enterprise"])
    c = secure_client
    demand = c.post(
        f"{API}/transfer/demands", json={"title": SECRET, "text": SECRET + " neural network"}, headers=h
    ).json()
    watch = c.post(
        f"{API}/watchlists", json={"name": SECRET, "kind": "query", "terms": ["neural network"]}, headers=h
    ).json()
    doc = c.post(
        f"{API}/qa/documents",
        files={"files": ("acme.txt", f"{SECRET}。内部规范：散热膜厚度为 25 微米。".encode(), "text/plain")},
        headers=h,
    ).json()
    ev = c.post(
        f"{API}/evidence/files", files={"file": ("acme.txt", SECRET.encode(), "text/plain")}, headers=h
    ).json()
    c.post(f"{API}/qa/ask", json={"question": "散热膜厚度是多少?"}, headers=h)
    return {
        "demand": demand["demand"]["id"],
        "watch": watch["watchlist"]["id"],
        "doc": doc["documents"][0]["id"],
        "evidence": ev["entry"]["index"],
    }


def test_demands_and_matches_are_private(
    secure_client: TestClient, keys: dict[str, str], acme: dict[str, Any]
) -> None:
    c, mine, other = secure_client, as_(keys["enterprise"]), as_(keys["globex"])
    assert any(
        d["id"] == acme["demand"] for d in c.get(f"{API}/transfer/demands", headers=mine).json()["items"]
    )
    assert any(
        d["id"] == acme["demand"]
        for d in c.get(f"{API}/transfer/demands", headers=as_(keys["analyst"])).json()["items"]
    )
    assert c.get(f"{API}/transfer/demands", headers=other).json()["items"] == []
    for method, path in [
        ("GET", f"/transfer/demands/{acme['demand']}"),
        ("PATCH", f"/transfer/demands/{acme['demand']}"),
        ("POST", f"/transfer/demands/{acme['demand']}/match"),
        ("DELETE", f"/transfer/demands/{acme['demand']}"),
    ]:
        r = c.request(
            method, API + path, headers=other, json={"status": "closed"} if method == "PATCH" else None
        )
        assert r.status_code == 404 and SECRET not in r.text, (method, path, r.text)
    # matches (and their CSV/JSON listing) and notifications of acme's demand stay with acme
    mine_matches = c.get(f"{API}/transfer/matches", params={"demand_id": acme["demand"]}, headers=mine).json()
    assert mine_matches["total"] > 0
    assert (
        c.get(f"{API}/transfer/matches", params={"demand_id": acme["demand"]}, headers=other).json()["total"]
        == 0
    )
    assert SECRET not in c.get(f"{API}/transfer/matches", headers=other).text
    first = mine_matches["items"][0]["id"]
    assert (
        c.patch(f"{API}/transfer/matches/{first}", json={"status": "contacted"}, headers=other).status_code
        == 404
    )
    assert any(
        SECRET in n["message"] for n in c.get(f"{API}/transfer/notifications", headers=mine).json()["items"]
    )
    assert SECRET not in c.get(f"{API}/transfer/notifications", headers=other).text
    # searching demands by a patent (which demands fit this document?) only finds the caller's
    number = mine_matches["items"][0]["target"] if mine_matches["items"][0]["kind"] == "patent" else None
    if number:
        assert SECRET in c.get(f"{API}/transfer/documents/{number}/demands", headers=mine).text
        assert SECRET not in c.get(f"{API}/transfer/documents/{number}/demands", headers=other).text
    # the platform's administrator oversees every tenant
    assert any(
        d["id"] == acme["demand"]
        for d in c.get(f"{API}/transfer/demands", headers=as_(keys["admin"])).json()["items"]
    )


def test_watchlists_and_alerts_are_private(
    secure_client: TestClient, keys: dict[str, str], acme: dict[str, Any], secure_service: Any
) -> None:
    c, mine, other = secure_client, as_(keys["enterprise"]), as_(keys["globex"])
    assert [w["id"] for w in c.get(f"{API}/watchlists", headers=other).json()["items"]] == []
    assert c.get(f"{API}/watchlists/{acme['watch']}", headers=other).status_code == 404
    assert c.delete(f"{API}/watchlists/{acme['watch']}", headers=other).status_code == 404
    # a run by the platform (the scheduler) raises alerts that belong to the watchlist's tenant
    secure_service.store.set_watch_progress(acme["watch"], last_seq=0, last_tm_at=None, summary={})
    secure_service.monitor.run_watchlists()
    assert c.get(f"{API}/alerts", headers=mine).json()["total"] > 0
    other_alerts = c.get(f"{API}/alerts", headers=other).json()
    assert other_alerts["total"] == 0 and other_alerts["unacknowledged"] == 0
    assert c.post(f"{API}/alerts/ack", json={}, headers=other).json()["acknowledged"] == 0
    assert c.get(f"{API}/alerts", params={"unacknowledged": True}, headers=mine).json()["total"] > 0


def test_knowledge_and_chat_history_are_private(
    secure_client: TestClient, keys: dict[str, str], acme: dict[str, Any]
) -> None:
    c, mine, other = secure_client, as_(keys["enterprise"]), as_(keys["globex"])
    assert acme["doc"] not in [d["id"] for d in c.get(f"{API}/qa/documents", headers=other).json()["items"]]
    assert c.get(f"{API}/qa/documents/{acme['doc']}", headers=other).status_code == 404
    assert c.delete(f"{API}/qa/documents/{acme['doc']}", headers=other).status_code == 404
    q = {"question": "散热膜厚度是多少?"}
    cited = c.post(f"{API}/qa/ask", json=q, headers=mine).json()
    assert any(s["source"] == "doc" and s["id"] == str(acme["doc"]) for s in cited["citations"]), cited
    theirs = c.post(f"{API}/qa/ask", json=q, headers=other).json()
    assert "25 微米" not in str(theirs) and SECRET not in str(theirs)
    assert all(s["id"] != str(acme["doc"]) or s["source"] != "doc" for s in theirs.get("citations") or [])
    # history: the signed-in user's own, whatever ``user`` a caller names
    assert c.get(f"{API}/qa/history", headers=mine).json()["items"]
    assert c.get(f"{API}/qa/history", params={"user": "ent"}, headers=other).json()["items"] == [] or all(
        m["user"] == "glx"
        for m in c.get(f"{API}/qa/history", params={"user": "ent"}, headers=other).json()["items"]
    )


def test_evidence_is_private_but_verifiable(
    secure_client: TestClient, keys: dict[str, str], acme: dict[str, Any]
) -> None:
    c, mine, other = secure_client, as_(keys["enterprise"]), as_(keys["globex"])
    assert acme["evidence"] in [e["index"] for e in c.get(f"{API}/evidence", headers=mine).json()["items"]]
    assert acme["evidence"] not in [
        e["index"] for e in c.get(f"{API}/evidence", headers=other).json()["items"]
    ]
    assert c.get(f"{API}/evidence/{acme['evidence']}/receipt", headers=other).status_code == 404
    receipt = c.get(f"{API}/evidence/{acme['evidence']}/receipt", headers=mine)
    assert receipt.status_code == 200 and receipt.json()["entry"]["tenant"] == "acme"
    # anyone holding the receipt can verify it, signed in or not (the receipt is the owner's to share)
    v = c.post(f"{API}/evidence/verify", files={"receipt": ("r.json", receipt.content, "application/json")})
    assert v.status_code == 200 and v.json()["ok"], v.text
    # the regulator oversees all tenants' evidence
    assert acme["evidence"] in [
        e["index"] for e in c.get(f"{API}/evidence", headers=as_(keys["regulator"])).json()["items"]
    ]
    # a tenant cannot deposit in another tenant's name
    dep = c.post(
        f"{API}/evidence/hashes", json={"sha256": ["b" * 64], "tenant": "acme"}, headers=other
    ).json()
    theirs = {e["index"]: e for e in c.get(f"{API}/evidence", headers=other).json()["items"]}
    assert theirs[dep["first_index"]]["tenant"] == "globex"
    assert dep["first_index"] not in [
        e["index"] for e in c.get(f"{API}/evidence", headers=mine).json()["items"]
    ]


def test_audit_log_records_and_is_append_only(
    secure_client: TestClient, keys: dict[str, str], acme: dict[str, Any], secure_service: Any
) -> None:
    rows = secure_client.get(
        f"{API}/audit", params={"user": "ent", "limit": 500}, headers=as_(keys["regulator"])
    ).json()
    paths = {(a["method"], a["path"]) for a in rows["items"]}
    assert ("POST", f"{API}/transfer/demands") in paths and ("POST", f"{API}/evidence/files") in paths
    assert all(a["tenant"] == "acme" and a["role"] == "enterprise" for a in rows["items"])
    denied = secure_client.get(f"{API}/audit", headers=as_(keys["enterprise"]))
    assert denied.status_code == 403
    assert any(
        a["status"] == 403 and a["user"] == "ent" and a["path"] == f"{API}/audit"
        for a in secure_service.security.audit_log(user="ent", limit=50)
    )
    engine = secure_service.store.engine
    for stmt in ("UPDATE audit_log SET user = 'someone else'", "DELETE FROM audit_log"):
        with pytest.raises(sa.exc.DatabaseError, match="append-only"), engine.begin() as conn:
            conn.execute(sa.text(stmt))
    assert secure_service.store.audit_count() >= len(rows["items"])


def test_exports_hold_only_the_callers_tenant(secure_service: Any, acme: dict[str, Any]) -> None:
    from ipai.security.context import Principal, acting_as

    globex = Principal(user="glx", role="enterprise", tenant="globex", via="key")
    acme_user = Principal(user="ent", role="enterprise", tenant="acme", via="key")
    with acting_as(acme_user):
        assert SECRET in secure_service.transfer.export_matches(fmt="csv")
    with acting_as(globex):
        for fmt in ("csv", "json"):
            assert SECRET not in secure_service.transfer.export_matches(fmt=fmt)
