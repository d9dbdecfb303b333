"""A disclosure from submission to "filed" in a real browser (Chromium via Playwright, see
tests/web/test_browser.py): the assessment is attached, the deadline computed, a bad date is
refused with the field named, and a missed deadline raises an alert."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.web.browser import Page, browser  # noqa: F401 - the fixture

pytestmark = pytest.mark.browser


@pytest.fixture()
def tab(browser: Any, live_server: str) -> Iterator[Page]:  # noqa: F811
    t = Page(browser, live_server)
    yield t
    t.close()


def test_disclosure_from_submission_to_filed(tab: Page) -> None:
    page = tab.go("/disclosures?lang=en")
    page.get_by_test_id("disclosure-title").fill("Drone battery quick change")
    page.get_by_test_id("disclosure-text").fill(
        "一种无人机电池快速更换装置，包括机架、电池仓和锁紧机构，锁紧机构将电池锁定在电池仓内。"
    )
    page.get_by_test_id("disclosure-inventors").fill("Zhang San, Li Si")
    page.get_by_test_id("disclosure-applicant").fill("Acme Drones")
    page.get_by_test_id("disclosure-submit").click()
    page.wait_for_selector('[data-testid="disclosure-status"] [data-state="submitted"]')
    assert page.locator('[data-testid="categories"]').inner_text().startswith("X ")
    assert page.locator('[data-testid="prior-art"] li a').count() > 0  # the assessment's prior art
    tab.shot("manage-01-submitted-with-assessment")
    for state in ("reviewing", "file"):
        page.get_by_test_id("move-status").select_option(state)
        page.get_by_test_id("move-submit").click()
        page.wait_for_selector(f'[data-testid="disclosure-status"] [data-state="{state}"]')
    page.get_by_test_id("move-status").select_option("filed")
    page.get_by_test_id("move-jurisdiction").select_option("CN")
    page.get_by_test_id("move-filing_date").fill("2024-02-30")
    page.get_by_test_id("move-submit").click()
    assert "filing_date" in page.get_by_test_id("disclosure-error").inner_text()
    assert page.get_by_test_id("move-filing_date").input_value() == "2024-02-30"  # the input is kept
    page.get_by_test_id("move-status").select_option("filed")
    page.get_by_test_id("move-filing_date").fill("2024-02-29")
    page.get_by_test_id("move-application_number").fill("CN202410000001.X")
    page.get_by_test_id("move-submit").click()
    page.wait_for_selector('[data-testid="disclosure-status"] [data-state="filed"]')
    row = page.locator('[data-testid="deadline"][data-kind="priority_year"]')
    assert row.get_attribute("data-due") == "2025-02-28"  # 12 months, clamped to February's end
    tab.shot("manage-02-filed-with-deadline")
    page = tab.go("/disclosures?lang=en")
    page.get_by_test_id("scan-submit").click()
    page.wait_for_selector('[data-testid="scan-result"]')
    alerts = page.locator('[data-testid="alert-overdue"]').all_inner_texts()
    assert any("Drone battery quick change" in a and "2025-02-28" in a for a in alerts)
    tab.shot("manage-03-missed-deadline-alert")
