"""The search results page's service side on the shared platform corpus: sorting the whole matched
set, facets whose counts are what a drill-down finds, export rows, saved searches per owner and
monitoring a search."""

from __future__ import annotations

import io
from typing import Any

import pytest

from ipai.errors import InputError, NotFound
from ipai.security.context import ANONYMOUS, Principal, acting_as

ALICE = Principal(user="alice", role="analyst", tenant="t1", via="session")
BOB = Principal(user="bob", role="analyst", tenant="t1", via="session")


def _dates(svc: Any, ids: list[str]) -> dict[str, str]:
    rows = svc.store.get_fields(ids, ("publication_date", "grant_date"))
    return {i: (f.get("publication_date") or f.get("grant_date") or "") for i, f in rows.items()}


def test_sort_by_date_orders_the_whole_matched_set_across_pages(platform_service: Any) -> None:
    svc = platform_service
    node = svc.search_tools.query_node("network")
    ids, total = svc.search_engine.match_ids(node, limit=10_000)
    assert total == len(ids) > 40
    dates = _dates(svc, ids)
    pages = [
        svc.search_tools.search_sorted("network", sort="date_desc", top=10, offset=o) for o in (0, 10, 20)
    ]
    seen = [h.id for p in pages for h in p.hits]
    assert len(seen) == 30 == len(set(seen))
    assert all(p.total == total and p.sorted == total for p in pages)
    got = [dates[i] for i in seen]
    assert got == sorted(got, reverse=True)
    assert got[0] == max(dates.values())  # the newest of the whole set, not of the relevance page
    assert [h.rank for h in pages[1].hits] == list(range(11, 21))
    oldest = svc.search_tools.search_sorted("network", sort="date_asc", top=5)
    assert [dates[h.id] for h in oldest.hits][0] == min(d for d in dates.values() if d)
    relevance = svc.search_tools.search_sorted("network", top=10)
    assert relevance.sort == "relevance" and [h.id for h in relevance.hits] != seen[:10]
    with pytest.raises(InputError, match="sort"):
        svc.search_tools.search_sorted("network", sort="newest")


def test_sort_by_citations_puts_the_most_cited_first(platform_service: Any) -> None:
    svc = platform_service
    ids, _ = svc.search_engine.match_ids(svc.search_tools.query_node("pd:[1900 TO 2100]"), limit=10_000)
    cites = {
        i: int(f.get("cited_by_count") or 0)
        for i, f in svc.store.get_fields(ids, ("cited_by_count",)).items()
    }
    res = svc.search_tools.search_sorted("pd:[1900 TO 2100]", sort="citations", top=20)
    got = [cites[h.id] for h in res.hits]
    assert got == sorted(got, reverse=True) and got[0] == max(cites.values())


@pytest.mark.parametrize("query", ["pd:[1900 TO 2100]", "network"])
def test_facet_counts_equal_what_the_drill_down_finds(platform_service: Any, query: str) -> None:
    svc = platform_service
    f = svc.search_tools.search_facets(query)
    assert f["matched"] == f["counted"] > 0 and not f["capped"]
    fac = f["facets"]
    assert sum(v["count"] for v in fac["country"]) == f["matched"]  # one country each
    assert sum(v["count"] for v in fac["status"]) == f["matched"]  # one status each
    checked = 0
    for name in ("applicant", "year", "country", "cls", "status"):
        for v in fac[name][:3]:
            drilled = svc.search_tools.search_sorted(query, sort="date_desc", top=1, filters=v["filter"])
            assert drilled.total == v["count"], (name, v)
            checked += 1
    assert checked >= 10
    if query.startswith("pd:"):
        assert fac["applicant"] and fac["cls"]


def test_drill_down_keeps_the_query_and_narrows_the_facets(platform_service: Any) -> None:
    svc = platform_service
    top_cc = svc.search_tools.search_facets("network")["facets"]["country"][0]
    f = svc.search_tools.search_facets("network", filters=top_cc["filter"])
    assert f["matched"] == top_cc["count"]
    assert [v["value"] for v in f["facets"]["country"]] == [top_cc["value"]]


def test_a_filter_that_finds_nothing_gives_empty_facets(platform_service: Any) -> None:
    f = platform_service.search_tools.search_facets("network", filters={"cc": "JP"})
    assert f["matched"] == 0 and f["counted"] == 0 and not f["capped"]
    assert f["facets"] == {"applicant": [], "year": [], "country": [], "cls": [], "status": []}


def test_facets_say_when_they_are_capped(platform_service: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(platform_service.settings, "search_facet_max", 100)
    f = platform_service.search_tools.search_facets("pd:[1900 TO 2100]")
    assert f["capped"] and f["counted"] == 100 < f["matched"]
    assert sum(v["count"] for v in f["facets"]["status"]) == f["matched"]  # status counts stay exact


def test_export_rows_in_chinese_with_the_cap(platform_service: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from openpyxl import load_workbook

    from ipai.service.search_export import csv_chunks, write_xlsx

    svc = platform_service
    total = svc.search_tools.search_facets("无人机")["matched"]
    ex = svc.search_tools.export_results("无人机", lang="zh", base_url="http://h")
    assert ex.count == ex.matched == total > 3
    data = b"".join(csv_chunks(ex))
    assert data.startswith("\ufeff公开号,标题,申请人,公开日,国家/地区".encode("utf-8"))
    text = data.decode("utf-8-sig")
    assert "一种棉花打顶无人机的智能控制系统及方法" in text and "http://h/doc/CN113973606A" in text
    assert len(text.strip().splitlines()) == total + 1
    monkeypatch.setattr(svc.settings, "search_export_max", 3)
    ex = svc.search_tools.export_results("无人机", lang="zh", sort="date_desc")
    buf = io.BytesIO()
    assert write_xlsx(ex, buf) == 3 == ex.count and ex.matched == total
    rows = list(load_workbook(io.BytesIO(buf.getvalue()), read_only=True).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("公开号", "标题", "申请人", "公开日") and len(rows) == 4
    with pytest.raises(InputError, match="search_export_max"):
        svc.search_tools.export_results("无人机", limit=4)


def test_select_and_export_writes_exactly_the_selection(platform_service: Any) -> None:
    from ipai.service.search_export import csv_chunks

    us = platform_service.search_tools.search_sorted("network", sort="date_desc", top=1).hits[0]
    chosen = ["CN113973606A", us.id, "NOPE123"]
    ex = platform_service.search_tools.export_results(ids=chosen, lang="en")
    assert (ex.count, ex.matched) == (2, 3)
    lines = b"".join(csv_chunks(ex)).decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("Publication number,Title,Applicants,Publication date")
    assert [ln.split(",")[0] for ln in lines[1:]] == ["CN 113973606 A", us.pubno]
    with pytest.raises(InputError, match="no document selected"):
        platform_service.search_tools.export_results(ids=[])


def test_saved_searches_belong_to_their_owner(platform_service: Any) -> None:
    svc = platform_service
    with acting_as(ALICE):
        row = svc.searches.save_search(
            "无人机", "drones", {"cc": "CN", "sort": "date_desc", "year_from": "2015"}
        )
        assert (
            row["params"] == {"cc": "CN", "sort": "date_desc", "year_from": 2015} and row["name"] == "drones"
        )
        assert [s["id"] for s in svc.searches.saved_searches()] == [row["id"]]
    with acting_as(BOB):
        assert svc.searches.saved_searches() == []
        with pytest.raises(NotFound):
            svc.searches.delete_saved_search(row["id"])
        with pytest.raises(NotFound):
            svc.searches.saved_search(row["id"])
    with acting_as(ANONYMOUS):
        assert svc.searches.saved_searches(visitor="v" * 20) == []
        with pytest.raises(InputError):
            svc.searches.save_search("无人机")  # a visitor without an id keeps nothing
        mine = svc.searches.save_search("neural network", visitor="visitor-one-123")
        assert [s["id"] for s in svc.searches.saved_searches(visitor="visitor-one-123")] == [mine["id"]]
        assert svc.searches.saved_searches(visitor="visitor-two-456") == []
    with acting_as(ALICE):
        svc.searches.delete_saved_search(row["id"])
        assert svc.searches.saved_searches() == []
        with pytest.raises(InputError, match="cc"):
            svc.searches.save_search("x", params={"cc": "China"})


def test_history_moves_a_repeated_search_to_the_top_and_keeps_a_few(
    platform_service: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    svc = platform_service
    monkeypatch.setattr(svc.settings, "search_history_keep", 3)
    who = Principal(user="carol", role="analyst", tenant="t2", via="session")
    with acting_as(who):
        for q in ("a1", "a2", "a1", "a3", "a4"):
            svc.searches.record_search(q, {"cc": "US"} if q == "a2" else {})
        assert [h["query"] for h in svc.searches.search_history()] == ["a4", "a3", "a1"]
        assert svc.searches.clear_search_history() == 3 and svc.searches.search_history() == []


def test_monitor_this_search_creates_a_query_watch(platform_service: Any) -> None:
    svc = platform_service
    w = svc.searches.monitor_search("无人机", {"cc": "CN", "status": "alive", "sort": "date_desc"})
    try:
        assert w["kind"] == "query" and w["terms"] == ['(无人机) cc:CN status:"alive"']
        assert "无人机" in w["name"] and w["enabled"]
        assert w["id"] in {x["id"] for x in svc.monitor.watches()["items"]}
    finally:
        svc.monitor.remove_watch(w["id"])


def test_cn_hits_carry_their_abstract(platform_service: Any) -> None:
    res = platform_service.search("银行客服 会话", top=5)
    hit = next(h for h in res.hits if h.id == "CN117151122A")
    assert hit.abstract.startswith("本发明涉及人工智能技术领域") and len(hit.abstract) <= 302
    title_only = platform_service.search("棉花打顶无人机", top=3).hits[0]
    assert title_only.id == "CN113973606A" and title_only.abstract is None and title_only.date is None


def test_bench_export_reports_rows_seconds_and_memory(platform_service: Any) -> None:
    from ipai.evals.bench.export import bench_export

    out = bench_export(platform_service, rows=120, formats=("xlsx",))
    x = out["formats"]["xlsx"]
    assert out["rows"] == x["rows"] == 120 and out["matched"] >= 120 and x["file_kb"] > 0
    assert "met" in out["target"]  # times and memory are the bench's figures, not asserted
    with pytest.raises(InputError, match="fewer than"):
        bench_export(platform_service, query="棉花打顶", rows=50)
