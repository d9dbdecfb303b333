"""A deal's page reads like a history: what changed (from → to), who, when, amounts and dates
written for the reader (¥200,000（20万元）, 2025年1月15日 / CNY 200,000, 15 Jan 2025), never raw JSON."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ipai.web.fmt import day, moment, money
from tests.web.helpers import all_of, one, parse, text
from tests.webforms import with_csrf

OFFER = {
    "kind": "licence",
    "title": "无人机电池许可",
    "patents": "CN112345678A",
    "exclusivity": "sole",
    "parties": {"licensor": "Acme Drones", "licensee": "Globex"},
    "territory": "CN",
    "royalty_rate": 3,
    "lump_sum": 200000,
    "currency": "CNY",
}


@pytest.fixture()
def deal(service: Any) -> Iterator[tuple[TestClient, int]]:
    from ipai.api import create_app

    d = service.deals.offer_deal(OFFER)
    service.deals.move_deal(d["id"], "negotiating", {"terms": {"lump_sum": 250000, "territory": "CN, HK"}})
    service.deals.move_deal(d["id"], "signed", {"signed_date": "2025-01-15"})
    service.deals.amend_deal(d["id"], {"royalty_rate": 4}, signed_date="2025-06-01")
    service.deals.add_deal_milestone(
        d["id"], {"kind": "payment", "amount": "200000", "done_date": "2025-02-01", "payer": "Globex"}
    )
    with with_csrf(TestClient(create_app(service=service))) as c:
        yield c, d["id"]


def test_money_and_dates_for_each_language() -> None:
    assert money(200000.0, "CNY", "zh") == "¥200,000（20万元）"
    assert money(200000.0, "CNY", "en") == "CNY 200,000"
    assert money(150_000_000, "USD", "zh") == "US$150,000,000（1.5亿美元）"
    assert money(9500.5, "EUR", "zh") == "€9,500.50" and money(9500.5, "EUR", "en") == "EUR 9,500.50"
    assert day("2025-01-15", "zh") == "2025年1月15日" and day("2025-01-15", "en") == "15 Jan 2025"
    assert moment("2026-12-07T20:44:58Z", "zh") == "2026年12月7日 20:44 UTC"
    assert day("not a date", "en") == "not a date"


def test_history_rows_in_chinese(deal: tuple[TestClient, int]) -> None:
    c, i = deal
    r = c.get(f"/deals/{i}?lang=zh")
    assert r.status_code == 200
    doc = parse(r.text)
    rows = all_of(doc, "history-row")
    assert [row.get("data-event") for row in rows] == ["offer", "move", "move", "amend", "payment"]
    assert [text(m) for m in all_of(doc, "history-move")] == ["已要约 → 谈判中", "谈判中 → 已签署"]
    signed = text(rows[2])
    assert (
        "2025年1月15日" in signed
        and "一次性费用：¥250,000（25万元）" in signed
        and "地域范围：CN、HK" in signed
    )
    assert "提成比例（%）：3% → 4%" in text(rows[3])  # what the amendment changed, from → to
    assert "金额：¥200,000（20万元）" in text(rows[4]) and "付款方：Globex" in text(rows[4])
    assert all("本机用户" in text(row) for row in rows)  # who (laptop mode: this computer's user)
    assert [row.get("data-ok") for row in rows] == [None, None, "true", "true", "true"]
    terms = text(one(doc, "agreement-terms"))
    assert "¥250,000（25万元）" in terms and "200000.0" not in r.text and "250000.0" not in r.text
    assert '{"' not in text(doc) and "&#34;" not in r.text.split('data-testid="history"')[1]  # no raw JSON


def test_history_rows_in_english(deal: tuple[TestClient, int]) -> None:
    c, i = deal
    doc = parse(c.get(f"/deals/{i}?lang=en").text)
    rows = all_of(doc, "history-row")
    assert "Offer made" in text(rows[0]) and "Status changed: Offered → Negotiating" in text(rows[1])
    assert "Lump sum: CNY 250,000" in text(rows[2]) and "Signed on 15 Jan 2025" in text(rows[2])
    assert "Royalty (%): 3 % → 4 %" in text(rows[3])
    assert "Amount: CNY 200,000" in text(rows[4]) and "1 Feb 2025" in text(rows[4])
    assert "Lump sumCNY 250,000" in text(one(doc, "agreement-terms"))  # dt and dd, no space between


def test_a_tampered_record_shows_in_its_row(deal: tuple[TestClient, int], service: Any) -> None:
    c, i = deal
    import sqlalchemy as sa

    with service.store.engine.begin() as conn:
        conn.execute(
            sa.text(
                "UPDATE deal_records SET data = replace(data, '2025-02-01', '2025-01-01') "
                "WHERE kind = 'payment'"
            )
        )
    doc = parse(c.get(f"/deals/{i}?lang=zh").text)
    rows = all_of(doc, "history-row")
    assert [row.get("data-ok") for row in rows][2:] == ["true", "true", "false"]
    assert "已篡改" in text(rows[4])
