"""The web UI in a real browser: Debian's Chromium driven by Playwright, against the whole
application served on loopback. Each step saves a full-page screenshot to
``tests/artifacts/screenshots/``. Requests to anything but the test server are blocked and
fail the test (pages must work offline)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web.browser import Page, browser  # noqa: F401 - the fixture
from tests.web.test_ingest_pages import DESIGN, csv_rows

pytestmark = pytest.mark.browser


@pytest.fixture()
def tab(browser: Any, live_server: str) -> Iterator[Page]:
    """A tab on the live server over the platform corpus."""
    t = Page(browser, live_server)
    yield t
    t.close()


def hit_ids(page: Any) -> list[str]:
    return page.locator('[data-testid="hit"]').evaluate_all("els => els.map(e => e.dataset.id)")


def test_chinese_search_highlights_and_associated_terms(tab: Page) -> None:
    page = tab.go("/?lang=zh")
    assert page.get_by_test_id("nav-search").inner_text() == "检索"
    page.get_by_test_id("q").fill("无人机")
    page.get_by_test_id("q").press("Enter")  # Enter in the query box submits
    page.wait_for_selector('[data-testid="hit"]')
    assert "CN113973606A" in hit_ids(page)
    mark = page.locator('[data-testid="passage"] mark').first
    assert mark.is_visible() and mark.inner_text() == "无人机"
    assert (
        page.evaluate("getComputedStyle(document.querySelector('mark')).backgroundColor")
        != "rgba(0, 0, 0, 0)"
    )
    # four documents here say 无人机 and share no other word: associated terms come from 电池 (battery,
    # 锂电池…), which many documents carry
    page = tab.go("/search?lang=zh&q=" + "电池")
    page.wait_for_selector('#suggest[data-loaded="1"]')
    chips = page.get_by_test_id("chip")
    assert chips.count() > 0
    tab.shot("01-search-zh-results-and-associated-terms")
    term = chips.first.get_attribute("data-term")
    chips.first.click()
    page.wait_for_load_state()
    page.wait_for_selector('[data-testid="hit"]')
    assert page.get_by_test_id("q").input_value() == f"(电池 OR {term})"
    assert page.get_by_test_id("hit").count() > 0
    tab.shot("02-search-zh-after-adding-an-associated-term")
    button = page.get_by_test_id("class-filter").first  # a class under a hit filters by it
    code = button.get_attribute("value")
    button.click()
    page.wait_for_url(re.compile(r"cls=" + code))
    page.wait_for_selector('[data-testid="hit"]')
    classes = page.locator('[data-testid="hit-classes"]').all_inner_texts()
    assert classes and all(code in c for c in classes)
    assert page.get_by_test_id("f-cls").input_value() == code


def test_add_term_keeps_the_query_structure(tab: Page) -> None:
    page = tab.go("/search?q=neural")
    cases = {
        ("ti:无人机 AND cpc:B64C*", "无人机", "机器人"): "ti:(无人机 OR 机器人) AND cpc:B64C*",
        ('"neural network" cc:US', "neural network", "neuron"): '("neural network" OR neuron) cc:US',
        ("Neural nets", "neural", "deep learning"): '(Neural OR "deep learning") nets',
        ("neuralx", "neural", "net"): "(neuralx) OR net",
    }
    for (query, original, extra), expected in cases.items():
        assert (
            page.evaluate("([q, o, e]) => window.ipaiAddTerm(q, o, e)", [query, original, extra]) == expected
        )


def test_english_search_filter_and_query_error(tab: Page) -> None:
    page = tab.go("/?lang=en")
    page.get_by_test_id("q").fill("neural network")
    page.get_by_test_id("search-submit").click()
    page.wait_for_selector('[data-testid="hit"]')
    assert page.locator('[data-testid="passage"] mark').first.is_visible()
    tab.shot("03-search-en-results")
    page.locator('[data-testid="filters"] > summary').click()
    page.get_by_test_id("f-cc").fill("US")
    page.get_by_test_id("f-year_from").fill("2010")
    page.get_by_test_id("f-year_to").fill("2015")
    page.get_by_test_id("apply-filters").click()
    page.wait_for_selector('[data-testid="hit"]')
    assert "cc=US" in page.url and "year_from=2010" in page.url
    ids = hit_ids(page)
    assert ids and all(i.startswith("US") for i in ids)
    dates = page.locator('[data-testid="hit"] .meta').all_inner_texts()
    years = [int(m) for d in dates for m in re.findall(r"Published (\d{4})-", d)]
    assert years and all(2010 <= y <= 2015 for y in years)
    tab.shot("04-search-en-filtered-us-2010-2015")
    page.get_by_test_id("q").fill("ti:(robot AND")
    page.get_by_test_id("q").press("Enter")
    alert = page.get_by_test_id("search-error")
    alert.wait_for()
    assert "could not be understood" in alert.inner_text()
    assert page.locator(".caret-at").inner_text() == "("
    assert page.get_by_test_id("syntax-help").get_attribute("open") is not None
    tab.shot("05-search-query-error-with-caret")


def test_open_a_result_document(tab: Page) -> None:
    page = tab.go("/search?q=high+voltage+assembly&cc=EP&lang=en")
    link = page.locator('[data-testid="hit"][data-id="EP3404678B"] [data-testid="hit-link"]')
    link.click()
    page.wait_for_url(re.compile(r"/doc/EP3404678B$"))
    assert page.get_by_test_id("biblio").is_visible()
    assert "2021-06-30" in page.get_by_test_id("doc-publication_date").inner_text()
    claims = page.get_by_test_id("claims-en")
    first = claims.locator('[data-testid="claim"][data-num="1"]')
    assert first.is_visible() and first.get_attribute("data-independent") == "true"
    nested = claims.locator('[data-testid="claim"][data-num="1"] > ol > [data-testid="claim"][data-num="2"]')
    assert nested.is_visible()
    assert page.get_by_test_id("similar-hit").count() > 0
    page.locator('[data-testid="description"] summary').click()
    assert page.locator('[data-testid="description"] .desc').is_visible()
    tab.shot("06-document-ep3404678-biblio-claims")


def test_patentability_report_in_chinese(tab: Page, platform_service: Any) -> None:
    claim = platform_service.resolve("EP3404678B1").claims[0].text
    page = tab.go("/assess?lang=zh")
    page.get_by_test_id("assess-text").fill(claim)
    page.get_by_test_id("assess-top").fill("5")
    page.get_by_test_id("assess-submit").click()
    page.wait_for_selector('[data-testid="assess-report"]')
    assert page.locator('[data-testid="prior-art"][data-category="X"][data-id="EP3404678B"]').count() == 1
    assert page.get_by_test_id("feature").count() >= 3
    assert "存在风险" in page.get_by_test_id("indicator-novelty").inner_text()
    assert (
        page.locator('[data-testid="evidence"][data-id="EP3404678B"] [data-testid="passage"] mark').count()
        > 0
    )
    assert page.get_by_test_id("assess-query").input_value()  # the query used, editable
    tab.shot("14-patentability-report-zh")


def test_landscape_page_and_report(tab: Page) -> None:
    page = tab.go("/landscape?lang=zh")
    page.get_by_test_id("landscape-q").fill("neural network OR 无人机")
    page.get_by_test_id("landscape-submit").click()
    page.wait_for_selector('[data-testid="landscape-summary"]')
    assert page.locator('[data-testid="landscape-applicants"] tr').count() >= 1
    assert page.get_by_test_id("nav-landscape").text_content() == "态势分析"
    page.wait_for_selector('[data-testid="landscape-topics"] canvas', timeout=60_000)  # loaded by htmx
    assert page.locator('[data-testid="landscape-talent"] tr').count() >= 2
    assert "技术发展脉络" in page.get_by_test_id("landscape-evolution").inner_text()
    tab.shot("15-landscape-zh")
    # the PatentsView neural-network records name no inventors: the talent chart needs the EP ones too
    report = tab.go("/report/landscape?q=neural+network+OR+vehicle")
    report.wait_for_selector("#c_year svg")
    for chart in (
        "#c_app",
        "#c_topics",
        "#c_talent",
    ):  # below the first screen: drawn once the page has loaded
        report.wait_for_selector(f"{chart} svg", timeout=30_000)
    tab.shot("16-landscape-report")


def test_design_drawings_load(tab: Page) -> None:
    page = tab.go("/doc/USD913174S?lang=zh")
    imgs = page.get_by_test_id("drawing")
    assert imgs.count() == 9
    for i in range(imgs.count()):  # lazy images load when scrolled to
        imgs.nth(i).scroll_into_view_if_needed()
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=drawing]')]"
        ".every(i => i.complete && i.naturalWidth > 0)"
    )
    assert page.get_by_test_id("doc-type").inner_text() == "外观设计"
    tab.shot("07-document-design-drawings-zh")


def test_language_switch(tab: Page) -> None:
    page = tab.go("/search?q=battery&lang=en")
    assert page.get_by_test_id("nav-dashboard").text_content() == "Dashboard"
    page.get_by_test_id("lang-zh").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("nav-dashboard").text_content() == "数据概览"
    assert page.get_by_test_id("search-submit").inner_text() == "检索"
    assert page.get_by_test_id("q").input_value() == "battery"  # same page, same query
    tab.shot("08-language-switched-to-zh")
    page.locator('[data-testid="nav-group-service"] summary').click()  # the ingest page is in the 服务 group
    page.get_by_test_id("nav-ingest").click()  # the choice is remembered
    page.wait_for_load_state()
    assert page.get_by_test_id("upload").inner_text() == "上传并导入"
    page.get_by_test_id("lang-en").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("nav-search").inner_text() == "Search"


def test_dashboard_charts_and_tables(tab: Page, platform_service: Any) -> None:
    page = tab.go("/dashboard?lang=zh")
    page.wait_for_selector('canvas[data-drawn="1"]')
    canvas = page.get_by_test_id("canvas-by_year")
    box = canvas.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 150
    assert page.evaluate(
        "() => Chart.getChart(document.getElementById('chart-by_year')).data.datasets[0]"
        ".data.reduce((a, b) => a + b, 0)"
    ) == sum(platform_service.stats()["by_year"].values())
    table = page.get_by_test_id("table-by_jurisdiction")
    assert table.is_visible() and "CN" in table.inner_text()
    tab.shot("09-dashboard-zh")


def test_upload_and_follow_the_task(
    browser: Any, upload_server: str, upload_service: Any, shared_data: Path, tmp_path: Path
) -> None:
    import threading

    # hold the task inside its first file until the page has shown that step: with warm models
    # the whole ingest takes well under a second, faster than the page polls
    shown = threading.Event()
    runner = upload_service.ctx.tasks
    save = runner._save

    def held_save(task: dict[str, Any]) -> None:
        save(task)
        if task["state"] == "running" and task["progress"].get("file") and not shown.is_set():
            shown.wait(120)

    runner._save = held_save
    t = Page(browser, upload_server)
    try:
        page = t.go("/ingest?lang=zh")
        cn = csv_rows(shared_data / "cn-patent-titles-ipc/titles_ipc.csv", tmp_path / "cn_titles.csv", 1, 40)
        design = tmp_path / "USD0930094-20210907.XML"
        design.write_bytes((shared_data / DESIGN).read_bytes())
        us = csv_rows(
            shared_data / "us-abstracts-patentsview/baseball_patent_query.csv",
            tmp_path / "baseball.csv",
            1,
            400,
        )  # 400 real abstracts: a few seconds' work to follow
        page.get_by_test_id("files").set_input_files([str(cn), str(design), str(us)])
        t.shot("10-ingest-form-zh")
        page.get_by_test_id("upload").click()
        page.wait_for_url(re.compile(r"/tasks/[0-9a-f]+$"))
        progress = page.get_by_test_id("task-progress")
        assert progress.get_attribute("data-state") in ("queued", "running")
        page.evaluate("document.getElementById('task-progress').dataset.first = '1'")
        page.wait_for_selector(
            '[data-testid="task-phase"]', timeout=90_000
        )  # the polled block shows the step
        assert page.get_by_test_id("task-file").inner_text().split(" ")[0] in {cn.name, design.name, us.name}
        t.shot("11-ingest-task-running-zh")
        shown.set()
        page.wait_for_selector('[data-testid="task-progress"][data-state="done"]', timeout=60_000)
        assert (
            page.get_by_test_id("task-progress").get_attribute("data-first") is None
        )  # swapped in by polling
        assert page.get_by_test_id("result-loaded").inner_text() == "441"  # 40 + 1 + 400
        assert page.get_by_test_id("task-state").inner_text() == "已完成"
        t.shot("12-ingest-task-done-zh")
        page.get_by_test_id("nav-search").click()
        page.get_by_test_id("q").fill("驱鸟")
        page.get_by_test_id("q").press("Enter")
        page.wait_for_selector('[data-testid="hit"][data-id="CN114081026A"]')
        big = tmp_path / "big.csv"
        big.write_bytes(b"publication_numbers,patent_title\n" + b"CN1A,x\n" * 360_000)  # ~2.5 MB > 2 MB
        page = t.go("/ingest")
        page.get_by_test_id("files").set_input_files(str(big))
        page.get_by_test_id("upload").click()
        err = page.get_by_test_id("ingest-error")
        err.wait_for()
        assert "文件过大" in err.inner_text() and "2 MB" in err.inner_text()
        t.shot("13-ingest-too-large-zh")
        page.get_by_test_id("files").set_input_files(
            str(shared_data / "us-abstracts-patentsview/neural_network_patent_query.csv")
        )  # 3.4 MB
        page.get_by_test_id("upload").click()  # refused by the request-size check before it is read
        page.wait_for_selector('[data-testid="ingest-error"]:has-text("请求体超过")')
        text = page.get_by_test_id("ingest-error").inner_text()
        assert "文件过大" in text and "2 MB" in text and "request body" not in text  # all in Chinese
    finally:
        shown.set()
        t.close()


def test_chinese_demand_matched_and_moved_through_statuses(tab: Page) -> None:
    """An IP-centre user enters a need in Chinese, sees patents, owners and experts with reasons,
    and moves a proposal from 已推荐 to 已联系 and then 已达成."""
    page = tab.go("/transfer/demands?lang=zh")
    page.get_by_test_id("demand-text").fill("我们需要一种工业机器人控制柜，前门通过铰链打开，便于维修")
    page.get_by_test_id("demand-organisation").fill("某智能制造有限公司")
    page.get_by_test_id("demand-region").fill("苏州")
    page.get_by_test_id("demand-submit").click()
    page.wait_for_selector('[data-testid="matches-patent"] [data-testid="match-row"]')
    assert "某智能制造有限公司" in page.get_by_test_id("demand-detail").inner_text()
    rows = page.locator('[data-testid="matches-patent"] [data-testid="match-row"]')
    assert rows.count() >= 5
    first_text = (
        rows.first.inner_text()
    )  # reasons in Chinese: shared or translated key terms, meaning similarity
    assert ("共同技术词" in first_text or "经翻译匹配" in first_text) and "语义相似度" in first_text
    assert (
        "EP2007181A" in page.get_by_test_id("matches-patent").inner_text()
    )  # an English patent for a Chinese need
    assert page.locator('[data-testid="matches-owner"] [data-testid="match-row"]').count() >= 1
    assert page.locator('[data-testid="matches-expert"] [data-testid="match-row"]').count() >= 1
    tab.shot("17-demand-matches-zh")
    first = rows.first
    match_id = first.get_attribute("data-match")
    first.get_by_test_id("match-status").select_option("contacted")
    first.get_by_test_id("match-status-save").click()
    page.wait_for_load_state()
    row = page.locator(f'tr[data-match="{match_id}"]')
    assert row.get_by_test_id("match-status").input_value() == "contacted"
    row.get_by_test_id("match-status").select_option("agreed")
    row.get_by_test_id("match-status-save").click()
    page.wait_for_load_state()
    page.locator(f'tr[data-match="{match_id}"]').get_by_test_id("match-accept").click()
    page.wait_for_load_state()
    assert (
        page.locator(f'tr[data-match="{match_id}"]').get_by_test_id("match-feedback").inner_text() == "已采纳"
    )
    lst = tab.go("/transfer/matches?status=agreed&lang=zh")
    assert "已达成" in lst.get_by_test_id("matches-table").inner_text()
    tab.shot("18-matches-list-zh")
