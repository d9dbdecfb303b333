"""The navigation reaches every tool and marks where the reader is; the API docs work offline; the
company portrait has its own search box; an applicant query on the valuation page is resolved, and
names that match nothing give a friendly page, never a 404."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote, urlencode

import pytest

from ipai.web.i18n import catalogue
from ipai.web.nav import GROUPS, ITEMS, current
from tests.web.helpers import all_of, one, parse, text


def test_every_tool_is_in_the_navigation_in_both_languages() -> None:
    keys = [it.key for it in ITEMS]
    assert len(keys) == len(set(keys))
    for must in ("value", "company", "check", "portfolio", "images", "deals", "api"):
        assert must in keys
    assert [g for g, _ in GROUPS] == ["search", "create", "use", "protect", "manage", "service"]
    for lang in ("en", "zh"):
        cat = catalogue(lang)
        assert all(f"nav.{k}" in cat for k in keys) and all(f"nav.group.{g}" in cat for g, _ in GROUPS)
    assert catalogue("zh")["nav.group.use"] == "运用" and catalogue("zh")["nav.menu"] == "菜单"


@pytest.mark.parametrize(
    "path, group, item",
    [
        ("/", "search", "search"),
        ("/doc/EP1000000A1", "search", "search"),
        ("/draft", "create", "draft"),
        ("/draft/check", "create", "check"),
        ("/industry", "use", "industry"),
        ("/report/company", "use", "company"),
        ("/transfer/matches", "use", "demands"),
        ("/transfer/demands/7", "use", "demands"),
        ("/value", "use", "value"),
        ("/portfolio", "use", "portfolio"),
        ("/deals/3", "manage", "deals"),
        ("/tasks/abc/rejects", "service", "tasks"),
        ("/login", None, None),
        ("/drafts", None, None),
    ],
)
def test_the_current_item_comes_from_the_path(path: str, group: str | None, item: str | None) -> None:
    assert current(path) == (group, item)


@pytest.mark.parametrize("item", [it for it in ITEMS if it.key != "api"], ids=lambda it: it.key)
def test_each_page_marks_its_own_item_and_group(client: Any, item: Any) -> None:
    r = client.get(item.path + "?lang=zh")
    assert r.status_code == 200, (item.path, r.text[:300])
    doc = parse(r.text)
    link = one(doc, f"nav-{item.key}")
    assert link.get("aria-current") == "page" and link.get("href") == item.path
    assert len(doc.xpath('//nav[@data-testid="nav"]//*[@aria-current="page"]')) == 1
    group = next(g for g, items in GROUPS if item in items)
    assert "active" in link.xpath("ancestor::li[contains(@class, 'nav-group')]")[0].get("class")
    assert [
        el.get("data-testid")
        for el in doc.xpath(
            "//li[contains(@class, 'nav-group') and "
            "contains(concat(' ', @class, ' '), ' active ')]//*[@data-testid]"
            "[starts-with(@data-testid, 'nav-group-')]"
        )
    ] in ([f"nav-group-{group}"], [])
    assert one(doc, "menu-button").get("aria-controls") == "site-nav"


def test_industry_page_is_not_the_landscape_in_the_menu(client: Any) -> None:
    doc = parse(client.get("/industry?lang=zh").text)
    assert one(doc, "nav-industry").get("aria-current") == "page"
    assert one(doc, "nav-landscape").get("aria-current") is None
    assert 'src="/static/js/charts.js' in client.get("/industry?q=drone").text


# ---- API docs offline -------------------------------------------------------------------------
@pytest.mark.parametrize(
    "path, asset",
    [
        ("/api/v1/docs", "/api/v1/docs/assets/swagger-ui-bundle-5.36.0.js"),
        ("/api/v1/redoc", "/api/v1/docs/assets/redoc-2.5.4.standalone.js"),
    ],
)
def test_api_docs_load_vendored_files_only(client: Any, path: str, asset: str) -> None:
    r = client.get(path)
    assert r.status_code == 200 and asset in r.text
    assert not re.search(r"""(src|href)=["']https?://""", r.text)  # nothing from a CDN
    csp = r.headers["content-security-policy"]
    script = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script and "http" not in csp
    if path.endswith("/docs"):
        assert "'sha256-" in script  # its one inline script, by hash
    got = client.get(asset)
    # kept gzip-compressed (each file under 1 MB in the repository), sent as such: the client unpacks it
    assert (
        got.status_code == 200 and got.headers["content-encoding"] == "gzip" and len(got.content) > 1_000_000
    )


def test_api_docs_without_the_web_ui(platform_service: Any) -> None:
    from fastapi.testclient import TestClient

    from ipai.api import create_app

    c = TestClient(create_app(service=platform_service, web=False))
    assert c.get("/api/v1/docs").status_code == 200
    assert c.get("/static/vendor/swagger-ui-5.36.0.css").status_code == 200


# ---- company portrait search -------------------------------------------------------------------
def test_company_page_finds_one_applicant(client: Any) -> None:
    doc = parse(client.get("/company?name=Apple&lang=zh").text)
    assert one(doc, "company-name").get("value") == "Apple"
    assert text(one(doc, "company-portrait")).startswith("Apple Inc.")
    assert "“Apple”在文献中记为 Apple Inc." in text(one(doc, "company-resolved"))
    assert one(doc, "company-report").get("href") == "/report/company?name=Apple"
    assert one(doc, "company-value").get("href") == "/value?" + urlencode({"q": 'pa:"Apple Inc."'})


def test_company_page_offers_candidates(client: Any) -> None:
    doc = parse(client.get("/company?name=BOE&lang=en").text)
    rows = all_of(doc, "company-candidate")
    assert [text(r.xpath(".//a")[0]) for r in rows] == [
        "BOE TECHNOLOGY GROUP CO., LTD.",
        "Chengdu BOE Optoelectronics Technology Co., Ltd.",
    ]
    assert rows[0].xpath(".//a")[0].get("href") == "/company?" + urlencode(
        {"name": "BOE TECHNOLOGY GROUP CO., LTD."}
    )


@pytest.mark.parametrize(
    "lang, says",
    [
        ("zh", "已导入的文献中没有与“京东方”匹配的申请人"),
        ("en", "No applicant in the loaded documents matches “京东方”"),
    ],
)
def test_a_chinese_name_matching_nothing_is_no_404(client: Any, lang: str, says: str) -> None:
    r = client.get(f"/company?name={quote('京东方')}&lang={lang}")
    assert r.status_code == 200 and says in text(one(parse(r.text), "company-none"))
    r = client.get(f"/report/company?name={quote('京东方')}", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/company?name=" + quote("京东方", safe="")
    r = client.get("/report/company", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/company"


def test_report_of_a_name_that_means_one_applicant(client: Any) -> None:
    r = client.get("/report/company?name=VMware")
    assert r.status_code == 200 and "VMware, Inc." in r.text


# ---- valuation page ----------------------------------------------------------------------------
def test_value_page_example_query_is_no_404(client: Any) -> None:
    r = client.get("/value?lang=zh&q=" + quote('pa:"清华大学"'))
    assert r.status_code == 200
    assert "已导入的文献中没有与“清华大学”匹配的申请人" in text(one(parse(r.text), "value-empty"))
    r = client.get("/value?lang=en&q=zzqqxxunknownword")
    assert r.status_code == 200 and "No document matches zzqqxxunknownword" in text(
        one(parse(r.text), "value-empty")
    )


def test_value_page_resolves_an_applicant_spelled_otherwise(client: Any) -> None:
    r = client.get("/value?lang=en&q=" + quote('pa:"Yaskawa Electric"'))
    doc = parse(r.text)
    assert r.status_code == 200 and not all_of(doc, "value-pool")
    assert [text(a) for a in all_of(doc, "value-candidate")] == ["KABUSHIKI KAISHA YASKAWA DENKI"]
    follow = parse(client.get(all_of(doc, "value-candidate")[0].get("href")).text)
    assert len(all_of(follow, "value-summary")) == 1
