"""Server-side tests of the web pages over the real platform corpus (search, document,
dashboard, error pages), in both interface languages."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.web.helpers import all_of, hit_ids, one, parse, text

HTML = {"accept": "text/html"}


# ---- layout and language ---------------------------------------------------------------------
@pytest.mark.parametrize("lang, nav, html_lang", [("en", "Dashboard", "en"), ("zh", "数据概览", "zh-CN")])
def test_home_page_in_each_language(client: Any, lang: str, nav: str, html_lang: str) -> None:
    r = client.get(f"/?lang={lang}")
    assert r.status_code == 200
    doc = parse(r.text)
    assert doc.get("lang") == html_lang
    assert text(one(doc, "nav-dashboard")) == nav
    assert one(doc, "lang-" + lang).get("aria-current") == "true"
    assert one(doc, "q").tag == "textarea"
    assert "ipai_lang=" + lang in r.headers["set-cookie"]  # the choice is remembered
    from ipai import __version__

    assert __version__ in text(one(doc, "footer"))
    assert one(doc, "nav-api").get("href") == "/api/v1/docs"


def test_language_from_cookie_then_accept_language(client: Any) -> None:
    def nav(**headers: str) -> str:
        return text(one(parse(client.get("/", headers=headers).text), "nav-search"))

    assert nav() == "Search"  # default
    assert nav(**{"accept-language": "zh-CN,zh;q=0.9,en;q=0.8"}) == "检索"
    assert nav(**{"accept-language": "fr-FR, en;q=0.5, zh;q=0.3"}) == "Search"
    assert nav(**{"accept-language": "fr-FR, en;q=0.2, zh;q=0.3"}) == "检索"
    client.get("/dashboard?lang=zh")  # sets the cookie
    assert nav(**{"accept-language": "en"}) == "检索"
    assert "set-cookie" not in client.get("/").headers


def test_language_switch_keeps_the_page_and_query(client: Any) -> None:
    doc = parse(client.get("/search?q=%E6%97%A0%E4%BA%BA%E6%9C%BA&cc=CN&lang=en").text)
    href = one(doc, "lang-zh").get("href")
    assert href.startswith("/search?") and "cc=CN" in href and "lang=zh" in href and "lang=en" not in href
    r = client.get(href)
    assert text(one(parse(r.text), "search-submit")) == "检索"
    assert one(parse(r.text), "q").text == "无人机"


def test_pages_load_nothing_from_the_internet(client: Any) -> None:
    for path in ("/", "/search?q=neural+network", "/doc/EP3404678B1", "/dashboard", "/ingest", "/tasks"):
        body = client.get(path).text
        external = re.findall(r'(?:src|href)="((?:https?:)?//[^"]+)"', body)
        assert external == [], (path, external)
        for asset in re.findall(r'(?:src|href)="(/static/[^"?]+)', body):
            assert client.get(asset).status_code == 200, asset


def test_vendored_libraries_carry_licence_and_version(client: Any) -> None:
    htmx = client.get("/static/vendor/htmx-2.0.11.min.js")
    chart = client.get("/static/vendor/chart-4.6.1.umd.min.js")
    assert htmx.status_code == chart.status_code == 200
    assert "htmx 2.0.11" in htmx.text[:200] and "BSD" in htmx.text[:200]
    assert "Chart.js v4.6.1" in chart.text[:200] and "MIT" in chart.text[:200]


# ---- search ----------------------------------------------------------------------------------
def test_chinese_search_lists_marked_results(client: Any, platform_service: Any) -> None:
    r = client.get("/search", params={"q": "无人机", "lang": "zh"})
    assert r.status_code == 200
    doc = parse(r.text)
    expected = [h.id for h in platform_service.search("无人机").hits]
    assert hit_ids(doc) == expected and "CN113973606A" in expected
    hit = doc.xpath('//*[@data-testid="hit"][@data-id="CN113973606A"]')[0]
    assert text(one(hit, "hit-title")) == "一种棉花打顶无人机的智能控制系统及方法"
    assert one(hit, "hit-link").get("href") == "/doc/CN113973606A"
    assert "A01G" in text(one(hit, "hit-classes"))
    assert [m.text for m in hit.xpath('.//*[@data-testid="passage"]//mark')] == ["无人机"]
    assert "关键词第" in text(one(hit, "found-keyword"))
    summary = text(one(doc, "summary"))
    assert "含检索词的文献" in summary and "毫秒" in summary
    assert one(doc, "suggest").get("data-terms") == '["无人机"]'
    assert one(doc, "suggest").get("data-api") == "/api/v1/expand"


def test_english_search_pages_and_badges(client: Any, platform_service: Any) -> None:
    doc = parse(client.get("/search?q=neural+network&lang=en").text)
    first = [h.id for h in platform_service.search("neural network", top=10).hits]
    assert hit_ids(doc) == first
    marks = {m.text.lower() for m in doc.xpath('//*[@data-testid="passage"]//mark')}
    assert {"neural", "network"} <= marks | {w.rstrip("s") for w in marks}
    assert text(all_of(doc, "found-by")[0]).startswith(("keyword #", "semantic #"))
    nxt = one(doc, "next").get("href")
    assert "offset=10" in nxt and "q=neural+network" in nxt
    page2 = parse(client.get(nxt).text)
    second = [h.id for h in platform_service.search("neural network", top=10, offset=10).hits]
    assert hit_ids(page2) == second and not set(first) & set(second)
    assert one(page2, "prev") is not None
    assert text(all_of(page2, "rank")[0]) == "11"
    assert one(page2, "results").get("start") == "11"


def test_suggestion_terms_skip_codes_names_and_truncations(client: Any) -> None:
    doc = parse(
        client.get("/search", params={"q": 'ti:无人机 AND cpc:B64C* pa:"Acme" comput* "neural network"'}).text
    )
    import json

    assert json.loads(one(doc, "suggest").get("data-terms")) == ["无人机", "neural network"]


@pytest.mark.parametrize(
    "q, params, svc_kwargs",
    [
        (
            "neural network",
            {"cc": "US", "year_from": "2010", "year_to": "2015"},
            {"filters": {"cc": "US", "year_from": 2010, "year_to": 2015}},
        ),
        ("battery", {"language": "zh"}, {"filters": {"lang": "zh"}}),  # 电池 in the Chinese titles
        # the G06N documents here are Chinese titles about 人工智能 (none says 神经网络)
        ("artificial intelligence", {"cls": "G06N"}, {"filters": {"cls": "G06N"}}),
        (
            "artificial intelligence",
            {"cls": ["", "G06N"]},
            {"filters": {"cls": "G06N"}},
        ),  # a class button after the empty field
        ("neural network", {"mode": "keyword", "xl": ["0"]}, {"mode": "keyword", "cross_lingual": False}),
        (
            "neural network",
            {"mode": "semantic", "xl": ["0", "1"]},
            {"mode": "semantic", "cross_lingual": True},
        ),
    ],
)
def test_filters_reach_the_service(
    client: Any, platform_service: Any, q: str, params: dict[str, Any], svc_kwargs: dict[str, Any]
) -> None:
    r = client.get("/search", params={"q": q, **params})
    assert r.status_code == 200
    expected = [h.id for h in platform_service.search(q, **svc_kwargs).hits]
    assert expected and hit_ids(parse(r.text)) == expected


def test_filter_results_hold_the_filter(client: Any, platform_service: Any) -> None:
    doc = parse(client.get("/search?q=neural+network&cc=US&year_from=2010&year_to=2015&top=50").text)
    ids = hit_ids(doc)
    assert ids and all(i.startswith("US") for i in ids)
    years = {int(platform_service.resolve(i).publication_date.year) for i in ids}
    assert min(years) >= 2010 and max(years) <= 2015
    assert one(doc, "filters").get("open") is not None  # a filtered search shows its filters
    assert one(doc, "f-cc").get("value") == "US"
    designs = hit_ids(parse(client.get("/search?q=display&doc_type=design").text))
    assert designs and all(i.startswith("USD") for i in designs)


@pytest.mark.parametrize(
    "lang, heading", [("en", "The query could not be understood"), ("zh", "检索式有语法错误")]
)
def test_query_error_shows_caret_and_keeps_the_form(client: Any, lang: str, heading: str) -> None:
    r = client.get("/search", params={"q": "ti:(robot AND", "lang": lang})
    assert r.status_code == 400
    doc = parse(r.text)
    err = one(doc, "search-error")
    assert err.get("role") == "alert" and heading in text(err)
    caret = one(doc, "query-caret")
    assert caret.get("data-pos") == "3"
    assert caret.xpath('.//*[@class="caret-at"]')[0].text == "("
    assert text(caret) == "ti:(robot AND"
    # the parser's message in the page's language
    assert {"en": "missing ')'", "zh": "缺少对应的 ')'"}[lang] in text(one(doc, "error-message"))
    assert one(doc, "q").text == "ti:(robot AND"  # the page stays usable
    assert one(doc, "syntax-help").get("open") is not None
    assert not all_of(doc, "hit")


def test_filter_error_marks_the_field(client: Any) -> None:
    r = client.get("/search?q=robot&year_from=2020&year_to=2010")
    assert r.status_code == 400
    doc = parse(r.text)
    assert one(doc, "search-error").get("data-kind") == "input"
    assert "year_from" in text(one(doc, "error-message"))
    assert "bad" in one(doc, "f-year_from").getparent().get("class")
    r = client.get("/search?q=robot&cls=not-a-class")
    assert r.status_code == 400 and "cls" in text(one(parse(r.text), "error-message"))


def test_no_results_message(client: Any) -> None:
    r = client.get("/search", params={"q": "ti:zzyzxqwv", "mode": "keyword", "lang": "zh"})
    assert r.status_code == 200
    assert "未检索到文献" in text(one(parse(r.text), "no-results"))
