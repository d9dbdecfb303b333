"""The search results page in a real browser, in Chinese: search, drill down with a facet, sort by
publication date, go to page 2 by its number; screenshots at 1280 px and 375 px, and no horizontal
overflow on the phone-sized screen (the facets fold above the list). Debian's Chromium driven by
Playwright against the whole application on loopback; requests anywhere else are blocked."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.web.browser import SHOTS, browser  # noqa: F401 - the fixture

pytestmark = pytest.mark.browser


@pytest.fixture()
def tab(browser: Any, live_server: str) -> Iterator[Any]:
    """A Chinese tab on the live server; fails on page errors, refused scripts or outside requests."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    outside: list[str] = []
    errors: list[str] = []
    ctx.route(
        re.compile(r"^(?!" + re.escape(live_server) + ").*"),
        lambda route: (outside.append(route.request.url), route.abort()),
    )
    page = ctx.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
    page.base = live_server
    yield page
    ctx.close()
    assert outside == [] and errors == []


def _query(page: Any) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def _ids(page: Any) -> list[str]:
    return page.eval_on_selector_all('[data-testid="hit"]', "els => els.map(e => e.dataset.id)")


def test_search_facet_sort_and_page_numbers_in_chinese(tab: Any) -> None:
    tab.goto(tab.base + "/search?lang=zh")
    tab.fill('[data-testid="q"]', "神经网络")
    with tab.expect_navigation():
        tab.click('[data-testid="search-submit"]')
    assert tab.inner_text('[data-testid="facet-panel"] summary') == "结果分析与筛选"
    country = tab.locator('[data-testid="facet-value"][data-facet="country"]').first
    value, count = country.get_attribute("data-value"), int(country.get_attribute("data-count"))
    assert count > 10
    with tab.expect_navigation():
        country.click()
    assert _query(tab)["cc"] == [value] and _query(tab)["q"] == ["神经网络"]
    assert tab.get_attribute('[data-testid="facets-matched"]', "data-n") == str(count)
    assert tab.inner_text('[data-testid="filter-chip"]').startswith(f"国家/地区: {value}")
    with tab.expect_navigation():
        tab.click('[data-testid="sort-date_desc"]')
    assert tab.get_attribute('[data-testid="sort-date_desc"]', "aria-current") == "true"
    first_page = _ids(tab)
    with tab.expect_navigation():
        tab.click('[data-testid="page-2"]')
    q = _query(tab)
    assert q["offset"] == ["10"] and q["sort"] == ["date_desc"] and q["cc"] == [value]
    assert tab.inner_text('[data-testid="page-current"]') == "2"
    assert tab.inner_text('[data-testid="rank"] >> nth=0') == "11" and not set(_ids(tab)) & set(first_page)
    dates = tab.eval_on_selector_all(
        '[data-testid="hit-date"]', "els => els.map(e => e.textContent.trim().slice(-10))"
    )
    assert dates == sorted(dates, reverse=True)
    tab.screenshot(path=str(SHOTS / "search-zh-facets.png"), full_page=True)
    tab.set_viewport_size({"width": 375, "height": 812})
    tab.reload()
    width = tab.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the results page is {width} px wide on a 375 px screen"
    panel = tab.locator('[data-testid="facet-panel"]')
    assert panel.get_attribute("open") is None  # folded above the list on a phone
    facets_box, list_box = (
        tab.locator('[data-testid="facets"]').bounding_box(),
        tab.locator('[data-testid="results"]').bounding_box(),
    )
    assert facets_box["y"] + facets_box["height"] <= list_box["y"]
    tab.screenshot(path=str(SHOTS / "search-zh-mobile.png"), full_page=True)
