"""The workflow's SQL on SQLite and PostgreSQL: migration 0013, the tenant filter, the scan."""

from __future__ import annotations

from typing import Any

from ipai.security.context import Principal, acting_as


def test_scan_and_tenants_on_both_backends(store_url: Any) -> None:
    from ipai.store import open_store

    store = open_store(store_url())
    acme = Principal(user="ent", role="enterprise", tenant="acme")
    with acting_as(acme):
        [i] = store.add_disclosures(
            [{"title": "电池", "text": "x", "inventors": ["张三"], "status": "filed"}]
        )
        store.add_deadlines(
            i,
            [
                {"kind": "priority_year", "jurisdiction": "CN", "due": "2026-01-31"},
                {"kind": "annuity", "jurisdiction": "CN", "due": "2027-01-31"},
            ],
        )
        assert store.scan_deadlines("2026-02-01", "2026-03-01") == {"due": 1, "overdue": 1, "new_alerts": 1}
        assert store.scan_deadlines("2026-02-01", "2026-03-01")["new_alerts"] == 0
        assert store.add_product_link("CN1", "drone", "air") and not store.add_product_link(
            "CN1", "drone", "air"
        )
        assert store.get_disclosure(i)["inventors"] == ["张三"]
    with acting_as(Principal(user="glx", role="enterprise", tenant="globex")):
        assert store.get_disclosure(i) is None and store.list_deadlines() == []
        assert store.scan_deadlines("2026-02-01", "2027-03-01")["due"] == 0
        assert store.list_deadline_alerts() == [] and store.list_product_links() == []
        assert not store.close_deadline(1) and not store.update_disclosure(i, {"status": "dropped"})
    assert len(store.list_deadlines()) == 2  # the platform sees every tenant
    assert store.list_deadline_alerts()[0]["tenant"] == "acme"
    store.close()
