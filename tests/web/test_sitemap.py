"""The pages the browser crawl and ``ipai bench web`` visit (ipai.web.sitemap), and the bench itself
on a small store (its figures are timings: only their presence and the statuses are checked)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from ipai.web import sitemap


def test_every_html_route_is_a_page_or_a_part_and_file_routes_are_not_pages() -> None:
    pages = sitemap.pages()
    routes = {p.route for p in pages}
    assert set(sitemap.get_routes()) - routes == set(sitemap.PARTS)
    assert "/search/export" in sitemap.get_routes(html=False) and "/search/export" not in routes
    names = [p.name for p in pages]
    assert len(names) == len(set(names))  # names are screenshot file names and test ids
    by_name = {p.name: p for p in pages}
    assert by_name["doc-id"].url({"number": "EP3404678B"}) == "/doc/EP3404678B"
    assert (
        by_name["search-results"].url({"search": "电池 OR battery"})
        == "/search?q=%E7%94%B5%E6%B1%A0+OR+battery"
    )
    assert by_name["not-found"].status == 404
    assert sitemap.missing(by_name["deals-id"], {"number": "x"}) == ["deal_id"]


def test_a_page_whose_parameter_has_no_rule_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    import ipai.web

    extra = APIRouter()

    @extra.get("/gizmos/{gizmo_id}", response_class=HTMLResponse)
    def gizmo(gizmo_id: int) -> str:  # pragma: no cover - never served
        return ""

    monkeypatch.setattr(ipai.web, "ROUTERS", [*ipai.web.ROUTERS, extra])
    with pytest.raises(ValueError, match=r"/gizmos/\{gizmo_id\}"):
        sitemap.pages()


def test_values_come_from_the_store(platform_service: Any) -> None:
    v = sitemap.values_from(platform_service)
    assert platform_service.resolve(v["number"]).id == v["number"]
    assert v["applicant"] and v["missing"] == "XX0000000A"
    assert sitemap.values_from(platform_service, number="EP3404678B")["number"] == "EP3404678B"


@pytest.mark.browser
def test_bench_web_prints_every_page_with_its_figures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from ipai.cli import main

    if not Path("/usr/bin/chromium").is_file():
        pytest.skip("needs Chromium at /usr/bin/chromium")
    for var in ("IPAI_STORE", "IPAI_CONFIG"):
        monkeypatch.delenv(var, raising=False)
    assert (
        main(
            [
                "--home",
                str(tmp_path / "home"),
                "bench",
                "web",
                "--runs",
                "1",
                "--browser-runs",
                "1",
                "--page",
                "evidence",
                "--page",
                "not-found",
                "--page",
                "doc-id",
            ]
        )
        == 0
    )
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert set(out["pages"]) == {"evidence", "not-found"}
    assert out["skipped"] == {"doc-id": "the store holds no number"}  # an empty store has no document to show
    assert out["pages"]["evidence"]["status"] == 200 and out["pages"]["not-found"]["status"] == 404
    for r in out["pages"].values():
        assert r["status"] == r["expected_status"]
        assert all(
            isinstance(r[k], (int, float)) and r[k] >= 0 for k in ("first_byte_ms", "load_ms", "full_ms")
        )
        assert r["ok"] == (r["first_byte_ok"] and r["full_ok"])
    assert {s["page"] for s in out["slowest"]} == {"evidence", "not-found"}
    assert out["limits"] == {"first_byte_ms": 300.0, "full_load_ms": 1000.0}
    assert out["all_ok"] == all(r["ok"] for r in out["pages"].values())
