"""The search results page in Chinese and English: facets that drill down (with removable chips),
sort links, page numbers, export of the result set and of the ticked hits, saving a search,
history, and monitoring a search (一键监控)."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import parse_qs, urlsplit

from openpyxl import load_workbook

from tests.web.helpers import all_of, hit_ids, one, parse, text
from tests.webforms import form_token

ZH = {"Accept-Language": "zh-CN,zh;q=0.9"}


def test_facets_drill_down_keep_the_query_and_show_removable_chips(client: Any) -> None:
    doc = parse(client.get("/search?q=network&lang=zh").text)
    assert text(one(doc, "facet-panel")).startswith("结果分析与筛选")
    matched = int(one(doc, "facets-matched").get("data-n"))
    countries = [a for a in all_of(doc, "facet-value") if a.get("data-facet") == "country"]
    years = [a for a in all_of(doc, "facet-value") if a.get("data-facet") == "year"]
    assert sum(int(a.get("data-count")) for a in countries) == matched and years
    year = years[0]
    qs = parse_qs(urlsplit(year.get("href")).query)
    assert qs["q"] == ["network"] and qs["year_from"] == qs["year_to"] == [year.get("data-value")]
    drilled = parse(client.get(year.get("href")).text)
    assert one(drilled, "facets-matched").get("data-n") == year.get("data-count")
    assert f"{int(year.get('data-count')):,}" in text(one(drilled, "total"))
    chip = one(drilled, "filter-chip")
    assert chip.get("data-name") == "years" and text(chip).startswith(f"年份: {year.get('data-value')}")
    back = parse(client.get(chip.get("href")).text)
    assert one(back, "facets-matched").get("data-n") == str(matched) and all_of(back, "filter-chip") == []


def test_sort_links_and_page_numbers(client: Any, platform_service: Any) -> None:
    doc = parse(client.get("/search?q=network&lang=zh").text)
    assert one(doc, "sort-relevance").get("aria-current") == "true"
    by_date = one(doc, "sort-date_desc").get("href")
    assert "sort=date_desc" in by_date and "offset" not in by_date
    sorted_page = parse(client.get(by_date).text)
    assert text(one(sorted_page, "page-current")) == "1"
    two = one(sorted_page, "page-2").get("href")
    assert "offset=10" in two and "sort=date_desc" in two
    page2 = parse(client.get(two).text)
    want = [
        h.id
        for h in platform_service.search_tools.search_sorted(
            "network", sort="date_desc", top=10, offset=10
        ).hits
    ]
    assert hit_ids(page2) == want and text(all_of(page2, "rank")[0]) == "11"
    assert text(one(page2, "page-current")) == "2" and one(page2, "page-1") is not None
    last = int(text(all_of(page2, "page-numbers")[0]).split()[-1])
    assert last == -(-platform_service.search_tools.search_sorted("network", sort="date_desc").sorted // 10)
    assert 'name="sort" value="date_desc"' in client.get(two).text  # a new query keeps the order


def test_export_in_the_readers_language(client: Any, platform_service: Any) -> None:
    doc = parse(client.get("/search?q=无人机", headers=ZH).text)
    csv_url, xlsx_url = one(doc, "export-csv").get("href"), one(doc, "export-xlsx").get("href")
    r = client.get(csv_url, headers=ZH)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert r.content.startswith(b"\xef\xbb\xbf") and "attachment" in r.headers["content-disposition"]
    lines = r.content.decode("utf-8-sig").strip().splitlines()
    total = platform_service.search_tools.search_facets("无人机")["matched"]
    assert lines[0].split(",")[:4] == ["公开号", "标题", "申请人", "公开日"] and len(lines) == total + 1
    assert any("一种棉花打顶无人机的智能控制系统及方法" in ln for ln in lines)
    x = client.get(xlsx_url, headers={"Accept-Language": "en"})
    rows = list(load_workbook(io.BytesIO(x.content), read_only=True).active.iter_rows(values_only=True))
    assert rows[0][:2] == ("Publication number", "Title") and len(rows) == total + 1
    assert x.headers["x-ipai-rows"] == str(total)


def test_export_of_the_ticked_hits(client: Any) -> None:
    doc = parse(client.get("/search?q=无人机&lang=zh").text)
    form = one(doc, "export-selected-form")
    assert {c.get("form") for c in all_of(doc, "pick")} == {"export-selected"}
    params = [(i.get("name"), i.get("value")) for i in form.xpath(".//input[@type='hidden']")]
    chosen = hit_ids(doc)[1:3]
    r = client.get(
        "/search/export", params=params + [("ids", chosen[1]), ("ids", chosen[0]), ("format", "csv")]
    )
    body = r.content.decode("utf-8-sig").strip().splitlines()
    assert len(body) == 3 and all(
        f"/doc/{i}" in ln for i, ln in zip([chosen[1], chosen[0]], body[1:], strict=False)
    )
    none = client.get("/search/export", params=params + [("format", "csv")])
    assert none.status_code == 400


def test_save_a_search_run_it_again_and_delete_it(client: Any) -> None:
    page_url = "/search?q=无人机&cc=CN&sort=date_desc&lang=zh"
    doc = parse(client.get(page_url).text)
    fields = {i.get("name"): i.get("value") for i in one(doc, "save-form").xpath(".//input[@type='hidden']")}
    assert fields["q"] == "无人机" and fields["cc"] == "CN" and fields["sort"] == "date_desc"
    r = client.post(
        "/search/saved", data={**fields, **form_token(client), "name": "中国无人机"}, follow_redirects=False
    )
    assert r.status_code == 303 and "saved=" in r.headers["location"]
    after = parse(client.get(r.headers["location"]).text)
    assert text(one(after, "notice-saved")) == "检索已保存。"
    mine = [li for li in all_of(after, "saved-search") if text(li).startswith("中国无人机")]
    assert len(mine) == 1
    run = mine[0].xpath('.//*[@data-testid="saved-run"]')[0].get("href")
    assert parse_qs(urlsplit(run).query) == {"q": ["无人机"], "cc": ["CN"], "sort": ["date_desc"]}
    history = [text(li) for li in all_of(after, "history-entry")]
    assert any(h.startswith("无人机") for h in history)
    sid = mine[0].get("data-id")
    gone = client.post(
        f"/search/saved/{sid}/remove", data={**form_token(client), "next": page_url}, follow_redirects=True
    )
    assert sid not in [li.get("data-id") for li in all_of(parse(gone.text), "saved-search")]


def test_monitor_this_search_creates_the_watch_and_links_to_it(client: Any, platform_service: Any) -> None:
    doc = parse(client.get("/search?q=无人机&cc=CN&lang=zh").text)
    fields = {
        i.get("name"): i.get("value") for i in one(doc, "monitor-form").xpath(".//input[@type='hidden']")
    }
    r = client.post("/search/monitor", data={**fields, **form_token(client)}, follow_redirects=False)
    wid = int(parse_qs(urlsplit(r.headers["location"]).query)["watched"][0])
    try:
        w = platform_service.monitor.watch(wid)
        assert (w["kind"], w["terms"]) == ("query", ["(无人机) cc:CN"])
        page = parse(client.get(r.headers["location"]).text)
        assert f"已创建监控 #{wid}" in text(one(page, "notice-watched"))
        assert one(page, "watch-link").get("href") == "/watch"
    finally:
        platform_service.monitor.remove_watch(wid)


def test_hits_without_a_date_say_so_and_show_the_abstract(client: Any) -> None:
    doc = parse(client.get("/search?q=银行客服+会话&lang=zh").text)
    hit = next(h for h in all_of(doc, "hit") if h.get("data-id") == "CN117151122A")
    assert hit.xpath('.//*[@data-testid="hit-date-missing"]')[0].get("title") == "来源数据未提供"
    shown = [text(p) for p in hit.xpath('.//*[@data-testid="passage" or @data-testid="hit-abstract"]')]
    assert any("本发明涉及人工智能技术领域" in p for p in shown)
