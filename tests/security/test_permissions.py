"""Every API endpoint × every role: the roles its action allows get past the guard (and, where
the request is a valid one, a success), every other role gets 403 with nothing but the error
shape. The same request is sent for every role, so a 400 for an allowed role is proof the guard
let it through (denied roles get 403 for it first)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ipai.faces.auth import API
from ipai.security.roles import ACTIONS, API_POLICY, DEPRECATED_PREFIXES, ROLES
from tests.security.conftest import as_

OK, ANY = "ok", "any"  # expect a success / anything but 401 and 403


def _specs(doc: str) -> dict[tuple[str, str], dict[str, Any]]:
    """One request per endpoint: path values, query, body, and whether it must succeed; a
    feature's paths under its own name (``/transfer/…``) get the request of their deprecated alias."""
    specs = _alias_specs(doc)
    moved = {
        (m, p): specs[(m, p[len(pre) :])]
        for m, p in API_POLICY
        for pre in DEPRECATED_PREFIXES
        if p.startswith(pre + "/")
    }
    return {**specs, **moved}


def _alias_specs(doc: str) -> dict[tuple[str, str], dict[str, Any]]:
    receipt = {"files": {"receipt": ("r.json", b"{}", "application/json")}}
    return {
        ("GET", "/health"): {"expect": OK},
        ("GET", "/search"): {"params": {"q": "neural network"}, "expect": OK},
        ("GET", "/search/facets"): {"params": {"q": "neural network"}, "expect": OK},
        ("GET", "/search/export"): {"params": {"q": "neural network", "limit": 5}, "expect": OK},
        ("GET", "/searches/saved"): {"expect": OK},
        ("POST", "/searches/saved"): {"json": {"query": "neural network"}},  # a visitor without an id: 400
        ("DELETE", "/searches/saved/{search_id}"): {"path": {"search_id": "999999"}},
        ("GET", "/searches/history"): {"expect": OK},
        ("DELETE", "/searches/history"): {"expect": OK},
        ("POST", "/searches/monitor"): {"json": {"query": "neural network"}, "expect": OK},
        ("GET", "/expand"): {"params": {"term": "neural"}, "expect": OK},
        ("GET", "/documents"): {"expect": OK},
        ("GET", "/documents/{number}"): {"path": {"number": doc}, "expect": OK},
        ("GET", "/documents/{number}/similar"): {"path": {"number": doc}, "expect": OK},
        ("GET", "/documents/{number}/images/{n}"): {"path": {"number": doc, "n": "1"}},
        ("GET", "/explain/{number}"): {"path": {"number": doc}, "expect": OK},
        ("GET", "/trademarks/{tm_id}"): {"path": {"tm_id": "none"}},
        ("GET", "/stats"): {"expect": OK},
        ("GET", "/formats"): {"expect": OK},
        ("GET", "/classify/models"): {"expect": OK},
        ("GET", "/triz/parameters"): {"expect": OK},
        ("GET", "/industry"): {"params": {"q": "neural network"}, "expect": OK},
        ("GET", "/industry/schemes"): {"expect": OK},
        ("POST", "/industry/concordance"): {"files": {"file": ("c.csv", b"code_prefix\n", "text/csv")}},
        ("POST", "/industry/figures"): {"files": {"file": ("f.csv", b"industry_id\n", "text/csv")}},
        ("GET", "/images/status"): {"expect": OK},
        ("GET", "/images/{kind}/thumbnail"): {"path": {"kind": "mark"}, "params": {"id": "none"}},
        ("GET", "/marks/words"): {"params": {"text": "apple"}},
        ("GET", "/evidence/head"): {"expect": OK},
        ("POST", "/evidence/verify"): receipt,
        ("POST", "/evidence/consistency"): {"json": {}},
        ("POST", "/qa/ask"): {"json": {"question": "what is a neural network patent about?"}, "expect": OK},
        ("GET", "/landscape"): {"params": {"q": "neural network"}, "expect": OK},
        ("GET", "/topics"): {"params": {"q": "neural network", "k": 0}},
        ("GET", "/evolution"): {"params": {"q": "neural network", "k": 0}},
        ("GET", "/talent"): {"params": {"q": "neural network"}, "expect": OK},
        ("GET", "/company"): {"params": {"name": "IBM"}},
        ("GET", "/value"): {"params": {"number": doc}},
        ("GET", "/value/screen"): {"params": {"q": "neural network", "top": 0}},
        ("POST", "/classify"): {"json": {}},
        ("GET", "/triz"): {"params": {"improving": 0}},
        ("POST", "/triz"): {"json": {}},
        ("GET", "/triz/suggest"): {"params": {}},
        ("GET", "/triz/compare"): {"params": {"examples": -1}},
        ("POST", "/images/search"): {},
        ("GET", "/match"): {"params": {"text": "neural network for image recognition"}, "expect": OK},
        ("GET", "/resources"): {"expect": OK},
        ("GET", "/directory/{kind}"): {"path": {"kind": "agencies"}, "expect": OK},
        ("POST", "/assess"): {"json": {}},
        ("POST", "/draft"): {"json": {}},
        ("POST", "/draft/check"): {"json": {}},
        ("POST", "/fto/compare"): {"json": {}},
        ("POST", "/fto/scan"): {"json": {}},
        ("POST", "/overseas"): {"json": {}},
        ("POST", "/demands"): {
            "json": {"title": "Edge AI camera", "text": "low-power neural network inference"},
            "params": {"match": False},
            "expect": OK,
        },
        ("POST", "/demands/import"): {},
        ("GET", "/demands"): {"expect": OK},
        ("GET", "/demands/{demand_id}"): {"path": {"demand_id": "999999"}},
        ("PATCH", "/demands/{demand_id}"): {"path": {"demand_id": "999999"}, "json": {"status": "closed"}},
        ("DELETE", "/demands/{demand_id}"): {"path": {"demand_id": "999999"}},
        ("POST", "/demands/{demand_id}/match"): {"path": {"demand_id": "999999"}},
        ("GET", "/documents/{number}/demands"): {"path": {"number": doc}, "expect": OK},
        ("GET", "/matches"): {"expect": OK},
        ("PATCH", "/matches/{match_id}"): {"path": {"match_id": "999999"}, "json": {"status": "contacted"}},
        ("GET", "/notifications"): {"expect": OK},
        ("POST", "/notifications/read"): {"expect": OK},
        ("POST", "/watchlists"): {
            "json": {"name": "nn", "kind": "query", "terms": ["neural network"]},
            "expect": OK,
        },
        ("GET", "/watchlists"): {"expect": OK},
        ("GET", "/watchlists/{watch_id}"): {"path": {"watch_id": "999999"}},
        ("PATCH", "/watchlists/{watch_id}"): {"path": {"watch_id": "999999"}, "json": {"enabled": False}},
        ("DELETE", "/watchlists/{watch_id}"): {"path": {"watch_id": "999999"}},
        ("POST", "/watchlists/run"): {"json": {"ids": [999999]}},
        ("GET", "/alerts"): {"expect": OK},
        ("POST", "/alerts/ack"): {"json": {"ids": [999999]}},
        ("POST", "/disclosures"): {
            "params": {"assess": False},
            "expect": OK,
            "json": {"title": "Edge AI camera", "text": "low-power inference", "inventors": ["A"]},
        },
        ("GET", "/disclosures"): {"expect": OK},
        ("GET", "/disclosures/{disclosure_id}"): {"path": {"disclosure_id": "999999"}},
        ("POST", "/disclosures/{disclosure_id}/move"): {
            "path": {"disclosure_id": "999999"},
            "json": {"status": "reviewing"},
        },
        ("POST", "/disclosures/{disclosure_id}/office-actions"): {
            "path": {"disclosure_id": "999999"},
            "json": {"action_date": "2025-01-01"},
        },
        ("GET", "/deadlines"): {"expect": OK},
        ("POST", "/deadlines/{deadline_id}/done"): {"path": {"deadline_id": "999999"}},
        ("POST", "/deadlines/scan"): {"expect": OK},
        ("GET", "/deadline-alerts"): {"expect": OK},
        ("POST", "/deadline-alerts/ack"): {"json": {"ids": [999999]}, "expect": OK},
        ("POST", "/products/links"): {"json": {"patent": "CN1", "product": "camera"}, "expect": OK},
        ("GET", "/portfolio"): {"expect": OK},
        ("POST", "/deals"): {
            "expect": OK,
            "json": {
                "kind": "transfer",
                "patents": ["CN1234567A"],
                "parties": {"assignor": "A", "assignee": "B"},
            },
        },
        ("GET", "/deals"): {"expect": OK},
        ("GET", "/deals/{deal_id}"): {"path": {"deal_id": "999999"}},
        ("POST", "/deals/{deal_id}/move"): {"path": {"deal_id": "999999"}, "json": {"status": "signed"}},
        ("POST", "/deals/{deal_id}/amend"): {"path": {"deal_id": "999999"}, "json": {"terms": {"note": "x"}}},
        ("POST", "/deals/{deal_id}/milestones"): {
            "path": {"deal_id": "999999"},
            "json": {"title": "m", "due_date": "2025-01-01"},
        },
        ("GET", "/deals/{deal_id}/verify"): {"path": {"deal_id": "999999"}},
        ("GET", "/deals/{deal_id}/export"): {"path": {"deal_id": "999999"}},
        ("GET", "/qa/history"): {"expect": OK},
        ("DELETE", "/qa/history"): {"params": {"user": "x"}, "expect": OK},
        ("POST", "/qa/documents"): {
            "files": {"files": ("g.txt", "专利权的保护范围以其权利要求的内容为准。".encode(), "text/plain")},
            "expect": OK,
        },
        ("GET", "/qa/documents"): {"expect": OK},
        ("GET", "/qa/documents/{doc_id}"): {"path": {"doc_id": "999999"}},
        ("DELETE", "/qa/documents/{doc_id}"): {"path": {"doc_id": "999999"}},
        ("POST", "/evidence/files"): {
            "files": {"file": ("e.txt", b"evidence body", "text/plain")},
            "expect": OK,
        },
        ("POST", "/evidence/hashes"): {"json": {"sha256": ["a" * 64]}, "expect": OK},
        ("POST", "/evidence/gi"): {"json": {}},
        ("GET", "/evidence"): {"expect": OK},
        ("GET", "/evidence/{index}/receipt"): {"path": {"index": "999999"}},
        ("GET", "/evidence/{index}/certificate"): {"path": {"index": "999999"}},
        ("GET", "/evidence/gi/{batch}"): {"path": {"batch": "none"}},
        ("GET", "/index"): {"expect": OK},
        ("POST", "/index"): {"params": {"rebuild": "maybe"}},
        ("POST", "/ingest"): {},
        ("POST", "/classify/train"): {"params": {"scheme": "none"}},
        ("GET", "/tasks"): {"expect": OK},
        ("GET", "/tasks/{task_id}"): {"path": {"task_id": "none"}},
        ("POST", "/directory/{kind}"): {"path": {"kind": "agencies"}},
        ("POST", "/evidence/audit"): {"expect": OK},
        ("GET", "/audit"): {"expect": OK},
        ("GET", "/users"): {"expect": OK},
        ("POST", "/users"): {"json": {"name": "newbie", "role": "nobody"}},
        ("PATCH", "/users/{name}"): {"path": {"name": "nobody-here"}, "json": {"active": False}},
        ("GET", "/keys"): {"expect": OK},
        ("POST", "/keys"): {"json": {"user": "nobody-here"}},
        ("DELETE", "/keys/{key_id}"): {"path": {"key_id": "nokey"}},
        ("POST", "/auth/login"): {"json": {"name": "pub", "password": "correct horse battery"}, "expect": OK},
        ("POST", "/auth/logout"): {"expect": OK},
        ("GET", "/me"): {"expect": OK},
    }


def test_every_endpoint_has_a_request_here(secure_client: TestClient) -> None:
    """The policy covers every route of the application and this test covers every policy entry."""
    from ipai.api.app import declared_routes, unguarded_routes
    from ipai.security.roles import WEB_POLICY

    routes = declared_routes()
    assert {(m, p[len(API) :]) for m, p in routes if p.startswith(API + "/")} == set(API_POLICY)
    assert {(m, p) for m, p in routes if not p.startswith(API + "/")} == set(WEB_POLICY)
    assert unguarded_routes() == []
    assert set(_specs("x")) == set(API_POLICY)
    openapi = secure_client.get(f"{API}/openapi.json").json()["paths"]  # the routes the app really serves
    aliases = {  # the old paths of a renamed feature answer, but are not advertised
        (m, p[len(pre) :]) for m, p in API_POLICY for pre in DEPRECATED_PREFIXES if p.startswith(pre + "/")
    }
    served = {(m.upper(), p[len(API) :]) for p, ops in openapi.items() for m in ops}
    assert aliases and served == set(API_POLICY) - aliases


CASES = sorted(API_POLICY)


@pytest.mark.parametrize("endpoint", CASES, ids=[f"{m} {p}" for m, p in CASES])
def test_endpoint_allows_exactly_its_roles(
    endpoint: tuple[str, str], secure_client: TestClient, secure_service: Any, keys: dict[str, str]
) -> None:
    method, template = endpoint
    doc = secure_service.store.recent_ids(1)[0]
    spec = _specs(doc)[endpoint]
    path = API + template.format(**spec.get("path", {}))
    allowed_roles = ACTIONS[API_POLICY[endpoint]][1]
    callers = {**{r: keys[r] for r in ROLES}, "anonymous": None}
    for who, key in callers.items():
        role = "public" if who == "anonymous" else who
        r = secure_client.request(
            method,
            path,
            params=spec.get("params"),
            json=spec.get("json"),
            files=spec.get("files"),
            headers=as_(key),
        )
        secure_client.cookies.clear()  # a sign-in must not carry over to the next caller
        if role in allowed_roles:
            assert r.status_code not in (401, 403), f"{who} refused on {method} {template}: {r.text[:300]}"
            if spec.get("expect") == OK:
                assert r.status_code < 300, f"{who} on {method} {template}: {r.status_code} {r.text[:300]}"
        else:
            assert r.status_code == 403, f"{who} got {r.status_code} on {method} {template}: {r.text[:300]}"
            body = r.json()
            assert set(body) == {"ok", "error", "errors", "status"} and body["status"] == 403
            assert f"role {role!r} may not" in body["error"]
            # nothing but the refusal: no record, id or text of the platform's data
            assert doc not in json.dumps(body) and len(json.dumps(body)) < 400


def test_bad_and_revoked_keys_are_401_and_audited(
    secure_client: TestClient, secure_service: Any, keys: dict[str, str]
) -> None:
    r = secure_client.get(f"{API}/me", headers=as_("ipai_0000_wrong"))
    assert r.status_code == 401 and r.json()["errors"][0]["field"] == "authorization"
    k = secure_service.security.create_api_key("ent", name="short-lived")
    assert secure_client.get(f"{API}/transfer/demands", headers=as_(k["key"])).status_code == 200
    assert secure_client.delete(f"{API}/keys/{k['key_id']}", headers=as_(keys["admin"])).status_code == 200
    assert secure_client.get(f"{API}/transfer/demands", headers=as_(k["key"])).status_code == 401
    rows = secure_service.security.audit_log(limit=50)
    assert any(a["status"] == 401 and a["path"] == f"{API}/me" for a in rows)
    assert any(
        a["action"] == "admin" and a["user"] == "adm" and a["path"] == f"{API}/keys/{k['key_id']}"
        for a in rows
    )
