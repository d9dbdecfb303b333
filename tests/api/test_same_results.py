"""The CLI, the REST API and the web UI return the same results for the same query: all three
call the one service layer, and this test holds them to it."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ipai.api import create_app
from ipai.cli import main
from ipai.service import Service

CASES = [
    ("neural network", {}),
    ("无人机", {}),
    ("network", {"cc": "US", "year_from": 2012}),
    ("ti:(robot OR 机器人) OR ab:sensor", {}),
]
_HIT = re.compile(r'data-testid="hit" data-id="([^"]+)"')


@pytest.fixture(scope="module")
def client(platform_service: Service) -> TestClient:
    return TestClient(create_app(service=platform_service))


def _cli(svc: Service, q: str, filters: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> list[str]:
    flags = [x for k, v in filters.items() for x in (f"--{k.replace('_', '-')}", str(v))]
    capsys.readouterr()
    code = main(
        ["--home", str(svc.settings.home), "--no-progress", "search", q, "--top", "10", "--json", *flags]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    return [h["id"] for h in json.loads(out.strip().splitlines()[-1])["results"]]


@pytest.mark.parametrize(("q", "filters"), CASES)
def test_cli_api_and_web_agree(
    client: TestClient,
    platform_service: Service,
    q: str,
    filters: dict[str, Any],
    capsys: pytest.CaptureFixture[str],
) -> None:
    api = [
        h["id"] for h in client.get("/api/v1/search", params={"q": q, "top": 10, **filters}).json()["results"]
    ]
    page = client.get("/search", params={"q": q, "top": 10, **filters})
    assert page.status_code == 200
    web = _HIT.findall(page.text)
    cli = _cli(platform_service, q, filters, capsys)
    assert api, f"no results for {q!r}"
    assert api == web == cli
