"""Server-side tests of the document page, the dashboard and the HTML error pages."""

from __future__ import annotations

from typing import Any

import pytest

from ipai.web.document import claim_tree
from tests.web.helpers import all_of, one, parse, text


# ---- document page -------------------------------------------------------------------------
@pytest.mark.parametrize(
    "lang, claims_heading, inventors", [("en", "Claims", "Inventors"), ("zh", "权利要求", "发明人")]
)
def test_epo_grant_page(client: Any, lang: str, claims_heading: str, inventors: str) -> None:
    r = client.get(f"/doc/EP3404678B1?lang={lang}")
    assert r.status_code == 200
    doc = parse(r.text)
    assert text(one(doc, "doc-number")).startswith("EP 3404678 B1")
    assert (
        text(one(doc, "doc-title")) == "HIGH VOLTAGE ASSEMBLY AND METHOD TO OPERATE THE HIGH VOLTAGE ASSEMBLY"
    )
    biblio = one(doc, "biblio")
    assert text(one(biblio, "doc-publication_date")) == "2021-06-30"
    assert text(one(biblio, "doc-filing_date")) == "2017-05-17"
    assert "HARTHUM, Jörg" in text(one(biblio, "doc-inventors"))
    assert inventors in text(biblio)
    assert [a.text for a in one(biblio, "doc-classes-ipc").xpath(".//a")] == ["H01F27/14", "H01F27/40"]
    assert "HOCHSPANNUNGSANORDNUNG" in text(one(doc, "title-de"))
    claims = one(doc, "claims")
    assert claims_heading in text(claims)
    # 12 claims in each of en, de, fr; the interface language's block (or English) opens first
    for lg in ("en", "de", "fr"):
        assert len(one(claims, f"claims-{lg}").xpath('.//*[@data-testid="claim"]')) == 12
    assert one(claims, "claims-en").get("open") is not None
    en = one(claims, "claims-en")
    top = en.xpath('./ol[@class="claim-tree"]/li')
    assert [li.get("data-num") for li in top] == ["1", "7"]  # the two independent claims
    under1 = [li.get("data-num") for li in top[0].xpath("./ol/li")]
    assert under1 == ["2", "3", "4", "5"]
    assert [li.get("data-num") for li in top[0].xpath('./ol/li[@data-num="5"]/ol/li')] == ["6"]
    cites = all_of(doc, "citation")
    assert len(cites) == 7 and "EP 3109871 A1" in text(cites[0])
    assert all(c.get("data-stored") == "false" for c in cites)  # none of them is in this corpus
    assert "epo-xml" in text(one(doc, "provenance"))
    similar = all_of(doc, "similar-hit")
    assert 0 < len(similar) <= 8
    assert not any("/doc/EP3404678B" in a.get("href") for s in similar for a in s.xpath(".//a"))
    desc = one(doc, "description").xpath(".//details")[0]
    assert desc.get("open") is None and "0001" in text(desc)  # collapsed but present


def test_legal_status_and_family_in_chinese(
    client: Any, platform_service: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # EP3404678 B1 (EPO XML, filed 2017-05-17): mention of the grant (B450) on 2021-06-30
    monkeypatch.setattr(platform_service.settings, "status_date", "2025-12-01")
    doc = parse(client.get("/doc/EP3404678B1?lang=zh").text)
    st = one(doc, "legal-status")
    assert text(st).startswith("法律状态") and one(st, "status-badge").get("data-status") == "in_force"
    assert text(one(st, "status-badge")) == "有效" and text(one(st, "status-basis")) == "依据法律事件"
    assert text(one(st, "status-since")) == "2021-06-30" and text(one(st, "status-expiry")) == "2037-05-17"
    assert text(one(st, "status-reason")).startswith("授权：2021-06-30的法律事件B450")
    fam = one(doc, "family")
    assert text(fam).startswith("同族") and text(one(fam, "family-none")) == "库中没有该同族的其他文献。"
    monkeypatch.setattr(platform_service.settings, "status_date", "2037-05-18")
    later = parse(client.get("/doc/EP3404678B1?lang=en").text)
    assert text(one(later, "status-badge")) == "Expired" and "2037-05-17" in text(one(later, "status-reason"))


def test_claim_tree_nests_dependent_claims(platform_service: Any) -> None:
    doc = platform_service.resolve("EP3404678B1")
    roots = claim_tree(doc.claims_in("en"))
    assert [n["claim"].num for n in roots] == [1, 7]
    seen: list[int] = []

    def walk(nodes: list[dict[str, Any]], depth: int) -> None:
        for n in nodes:
            seen.append(n["claim"].num)
            assert n["depth"] == depth < 4
            if n["depth"]:
                assert n["claim"].depends_on and not n["claim"].independent
            walk(n["children"], depth + 1)

    walk(roots, 0)
    assert sorted(seen) == list(range(1, 13))  # every claim exactly once


def test_chinese_document_title_and_classes(client: Any) -> None:
    doc = parse(client.get("/doc/CN113973606A?lang=zh").text)
    assert text(one(doc, "doc-title")) == "一种棉花打顶无人机的智能控制系统及方法"
    assert text(one(doc, "doc-type")) == "申请公开"
    assert [a.text for a in one(doc, "doc-classes-ipc").xpath(".//a")] == ["A01G", "B64C", "G05B"]
    assert "数据源中没有权利要求" in text(one(doc, "claims"))


def test_design_patent_drawings_are_served_as_png(client: Any, platform_service: Any) -> None:
    doc_id = "USD913174S"
    page = parse(client.get(f"/doc/{doc_id}").text)
    imgs = all_of(page, "drawing")
    n = len(platform_service.resolve(doc_id).images)
    assert n >= 2 and len(imgs) == n
    src = imgs[0].get("src")
    assert src == f"/api/v1/documents/{doc_id}/images/0"
    png = client.get(src)
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    assert png.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert text(one(page, "doc-title")) == "Display screen for automobile"


@pytest.mark.parametrize("lang, title", [("en", "Not found"), ("zh", "未找到")])
def test_unknown_document_is_a_404_page(client: Any, lang: str, title: str) -> None:
    r = client.get(f"/doc/CN999999999A?lang={lang}")
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    doc = parse(r.text)
    assert one(doc, "error-page").get("data-status") == "404"
    assert title in text(doc.xpath("//h1")[0])
    assert "CN999999999A" in text(one(doc, "error-message"))
    assert one(doc, "nav-search") is not None  # the layout is still there


def test_not_a_number_is_a_400_page(client: Any) -> None:
    r = client.get("/doc/hello-world")
    assert r.status_code == 400 and "not a publication number" in text(one(parse(r.text), "error-message"))


def test_unknown_path_gets_the_html_error_page(client: Any) -> None:
    r = client.get("/no-such-page", headers={"accept": "text/html,application/xhtml+xml"})
    assert r.status_code == 404 and "text/html" in r.headers["content-type"]
    assert "/no-such-page" in text(one(parse(r.text), "error-message"))
    api = client.get("/api/v1/documents/CN999999999A", headers={"accept": "text/html"})
    assert api.status_code == 404 and api.json()["ok"] is False  # the API keeps JSON


# ---- dashboard ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "lang, heading, physics", [("en", "Corpus dashboard", "G · Physics"), ("zh", "数据概览", "G · 物理")]
)
def test_dashboard_tables_match_stats(
    client: Any, platform_service: Any, lang: str, heading: str, physics: str
) -> None:
    stats = platform_service.stats()
    doc = parse(client.get(f"/dashboard?lang={lang}").text)
    assert heading in text(doc.xpath("//h1")[0])
    assert text(one(doc, "tile-documents")).startswith(f"{stats['documents']:,}")
    assert text(one(doc, "tile-trademarks")).startswith(str(stats["trademarks"]))
    for key in ("by_year", "by_jurisdiction", "by_language", "by_section", "by_doc_type", "by_source_format"):
        rows = one(doc, f"table-{key}").xpath(".//tbody/tr")
        got = {tr.get("data-key"): int(tr.xpath("./td")[0].text.replace(",", "")) for tr in rows}
        assert got == {k: v for k, v in stats[key].items()}, key
        canvas = one(doc, f"canvas-{key}")
        assert canvas.tag == "canvas" and canvas.get("data-values")
    assert stats["by_jurisdiction"]["CN"] > 0 and stats["by_language"]["zh"] > 0
    section_g = one(doc, "table-by_section").xpath('.//tr[@data-key="G"]/th')[0]
    assert text(section_g) == physics
    assert doc.xpath('//script[contains(@src, "/static/vendor/chart-4.6.1.umd.min.js")]')
