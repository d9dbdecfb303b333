"""The store of saved searches and history (ipai.store.searches) on SQLite and PostgreSQL: rows per
owner, a repeated history entry moved to the top, history trimmed, Chinese and long queries kept."""

from __future__ import annotations

from typing import Any

from ipai.store import open_store


def test_saved_searches_and_history_on_both_backends(store_url: Any) -> None:
    store = open_store(store_url())
    long_query = "无人机 " + "电池 OR " * 2000 + "充电"
    a = store.add_search(
        "user:alice", "saved", long_query, {"cc": "CN", "year_from": 2015}, name="无人机电池"
    )
    b = store.add_search("visitor:abc", "saved", "neural network", {}, name=None, total=12)
    row = store.get_search("user:alice", a)
    assert (row["query"], row["name"], row["params"], row["kind"]) == (
        long_query,
        "无人机电池",
        {"cc": "CN", "year_from": 2015},
        "saved",
    )
    assert "owner" not in row and row["created_at"].endswith("Z")
    assert store.get_search("visitor:abc", a) is None and store.get_search("visitor:abc", b)["total"] == 12
    assert [r["id"] for r in store.list_searches("user:alice", "saved")] == [a]
    ids = [store.add_search("user:alice", "history", q, {"s": i % 2}, keep=3) for i, q in enumerate("wxyzw")]
    assert ids[4] != ids[0]  # other parameters: another entry
    again = store.add_search("user:alice", "history", "y", {"s": 0}, total=5, keep=3)
    assert again > ids[4]
    hist = store.list_searches("user:alice", "history")
    assert [(h["query"], h["params"]) for h in hist] == [("y", {"s": 0}), ("w", {"s": 0}), ("z", {"s": 1})]
    assert hist[0]["total"] == 5
    assert store.delete_searches("visitor:abc", search_id=a) == 0
    assert store.delete_searches("user:alice", kind="history") == 3
    assert (
        store.delete_searches("user:alice", search_id=a) == 1
        and store.list_searches("user:alice", "saved") == []
    )
    store.close()
