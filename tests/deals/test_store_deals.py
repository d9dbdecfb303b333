"""The deals SQL on SQLite and PostgreSQL: migration 0014 and the tenant filter."""

from __future__ import annotations

from typing import Any

from ipai.security.context import Principal, acting_as


def test_deals_and_records_keep_to_their_tenant(store_url: Any) -> None:
    from ipai.store import open_store

    store = open_store(store_url())
    agreement = {"kind": "licence", "patents": ["CN1"], "parties": {"licensor": "甲", "licensee": "乙"}}
    with acting_as(Principal(user="ent", role="enterprise", tenant="acme")):
        i = store.add_deal("licence", "许可", agreement)
        assert store.update_deal(i, {"status": "signed", "version": 1}, expect_status="offered")
        assert not store.update_deal(i, {"status": "active"}, expect_status="offered")
        store.add_deal_record(i, "version", 1, '{"a":1}', "0" * 64, 0)
        d = store.get_deal(i)
        assert (
            d["agreement"]["parties"]["licensee"] == "乙"
            and d["status"] == "signed"
            and d["tenant"] == "acme"
        )
        assert [r["kind"] for r in store.list_deal_records(i)] == ["version"]
    with acting_as(Principal(user="glx", role="enterprise", tenant="globex")):
        assert store.get_deal(i) is None and store.list_deals() == ([], 0)
        assert store.list_deal_records(i) == [] and not store.update_deal(i, {"status": "terminated"})
    assert store.list_deals(status="signed")[1] == 1  # the platform sees every tenant
    assert store.list_deal_records(i)[0]["tenant"] == "acme"
    store.close()
