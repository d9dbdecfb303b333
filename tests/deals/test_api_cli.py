"""Deals through the API, the web pages and the CLI, in process."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.webforms import with_csrf

API = "/api/v1"
OFFER = {
    "kind": "pledge",
    "title": "质押融资",
    "patents": ["CN1234567A"],
    "parties": {"pledgor": "Acme", "pledgee": "Bank"},
    "territory": "CN",
    "secured_amount": 5_000_000,
    "currency": "CNY",
    "start_date": "2025-01-01",
}


@pytest.fixture()
def client(service: Any) -> Iterator[TestClient]:
    from ipai.api import create_app

    with with_csrf(TestClient(create_app(service=service))) as c:
        yield c


def test_api_workflow_errors_verify_export(client: TestClient, service: Any) -> None:
    r = client.post(f"{API}/deals", json={**OFFER, "parties": {"pledgor": "Acme"}})
    assert r.status_code == 400 and r.json()["errors"] == [
        {"field": "parties.pledgee", "message": "the pledgee is required for a pledge"}
    ]
    r = client.post(f"{API}/deals", json={**OFFER, "territory": ["CN", "ZZ"]})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "territory"
    r = client.post(f"{API}/deals", json={**OFFER, "start_date": "2025-13-01"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "start_date"
    r = client.post(f"{API}/deals", json=OFFER)
    assert r.status_code == 201
    i = r.json()["deal"]["id"]
    r = client.post(f"{API}/deals/{i}/move", json={"status": "completed"})
    assert r.status_code == 409 and r.json()["errors"][0]["field"] == "status"
    r = client.post(
        f"{API}/deals/{i}/move", json={"status": "negotiating", "terms": {"secured_amount": 4_000_000}}
    )
    assert r.status_code == 200 and r.json()["deal"]["agreement"]["secured_amount"] == 4_000_000
    assert (
        client.post(
            f"{API}/deals/{i}/move", json={"status": "signed", "signed_date": "2025-02-01"}
        ).status_code
        == 200
    )
    r = client.post(
        f"{API}/deals/{i}/milestones", json={"title": "registration at CNIPA", "due_date": "2025-02-31"}
    )
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "due_date"
    r = client.post(
        f"{API}/deals/{i}/milestones", json={"title": "registration at CNIPA", "done_date": "2025-02-20"}
    )
    assert r.status_code == 201 and len(r.json()["deal"]["records"]) == 1
    v = client.get(f"{API}/deals/{i}/verify").json()["verification"]
    assert v["ok"] and v["checked"] == 2
    r = client.get(f"{API}/deals/{i}/export", params={"format": "csv"})
    assert r.headers["content-type"].startswith("text/csv") and r.text.splitlines()[0].startswith(
        "deal_id,kind"
    )
    assert len(r.text.splitlines()) == 3
    assert client.get(f"{API}/deals/{i}/export").json()["agreement"]["parties"] == {
        "pledgee": "Bank",
        "pledgor": "Acme",
    }
    assert client.get(f"{API}/deals", params={"kind": "pledge"}).json()["total"] == 1
    assert client.get(f"{API}/deals/999999").status_code == 404
    # the web pages show the verification status
    assert client.get("/deals").status_code == 200
    page = client.get(f"/deals/{i}").text
    assert 'data-testid="deal-verification" data-ok="true"' in page
    with service.store.engine.begin() as conn:
        import sqlalchemy as sa

        conn.execute(
            sa.text(
                "UPDATE deal_records SET data = replace(data, '2025-02-20', '2025-02-10') "
                "WHERE kind = 'milestone'"
            )
        )
    page = client.get(f"/deals/{i}").text
    assert 'data-ok="false"' in page
    assert client.get(f"{API}/deals/{i}/verify").json()["verification"]["tampered"] == 1


def test_web_offer_form(client: TestClient) -> None:
    r = client.post(
        "/deals",
        data={"kind": "licence", "patents": "CN1", "party_first": "A", "exclusivity": "sole"},
        follow_redirects=False,
    )
    assert r.status_code == 400 and "licensee" in r.text
    r = client.post(
        "/deals",
        data={
            "kind": "licence",
            "patents": "CN1234567A",
            "party_first": "A",
            "party_second": "B",
            "exclusivity": "sole",
            "territory": "CN",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303
    r = client.post(r.headers["location"] + "/move", data={"status": "signed"}, follow_redirects=True)
    assert r.status_code == 200 and 'data-state="signed"' in r.text


def test_cli_offer_to_verify(service: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from ipai import cli

    monkeypatch.setattr(cli, "service", lambda: service)
    import ipai.cli.deals as cd

    monkeypatch.setattr(cd, "service", lambda: service)
    run = CliRunner().invoke
    r = run(cli.app, ["deal", "offer", "transfer", "--patents", "CN1234567A", "--party", "assignor=A"])
    assert r.exit_code != 0 and "parties.assignee" in (r.output + str(r.exception))
    r = run(
        cli.app,
        [
            "deal",
            "offer",
            "transfer",
            "--patents",
            "CN1234567A",
            "--party",
            "assignor=A",
            "--party",
            "assignee=B",
            "--lump-sum",
            "100",
            "--currency",
            "USD",
        ],
    )
    assert r.exit_code == 0, r.output
    i = json.loads(r.output)["id"]
    assert run(cli.app, ["deal", "move", str(i), "signed", "--signed-date", "2025-03-01"]).exit_code == 0
    r = run(
        cli.app, ["deal", "milestone", str(i), "--payment", "--amount", "100", "--done-date", "2025-03-02"]
    )
    assert r.exit_code == 0, r.output
    r = run(cli.app, ["deal", "verify", str(i)])
    assert r.exit_code == 0 and json.loads(r.output)["checked"] == 2
    r = run(cli.app, ["deal", "export", str(i), "--format", "csv"])
    assert r.exit_code == 0 and r.output.count("\n") == 3
    assert json.loads(run(cli.app, ["deal", "list"]).output)["total"] == 1
