"""The disclosure workflow on a service: states, deadlines, errors, reminders, audit, tenants."""

from __future__ import annotations

from typing import Any

import pytest

from ipai.errors import Conflict, InputError, NotFound
from ipai.security.context import Principal, acting_as

DISCLOSURE = {
    "title": "无人机电池快换",
    "text": "一种无人机电池快速更换装置，包括机架、电池仓和锁紧机构。",
    "inventors": "张三，李四",
    "applicant": "Acme Drones",
    "product_line": "drones",
}


def _filed(svc: Any, **filing: str) -> dict[str, Any]:
    d = svc.manage.submit_disclosure(DISCLOSURE, assess=False)
    svc.manage.move_disclosure(d["id"], "reviewing")
    svc.manage.move_disclosure(d["id"], "file")
    return svc.manage.move_disclosure(
        d["id"], "filed", {"jurisdiction": "CN", "filing_date": "2025-01-31", **filing}
    )


def test_submission_to_grant_with_deadlines_and_audit(service: Any) -> None:
    d = service.manage.submit_disclosure(DISCLOSURE)
    assert d["status"] == "submitted" and d["inventors"] == ["张三", "李四"]
    assert set(d["assessment"]["categories"]) == {"X", "Y", "A"} and d["assessment"]["indicators"]
    assert d["next"] == ["reviewing", "dropped"]
    d = service.manage.move_disclosure(d["id"], "reviewing")
    d = service.manage.move_disclosure(d["id"], "file", {"note": "core product"})
    d = service.manage.move_disclosure(
        d["id"],
        "filed",
        {"jurisdiction": "cn", "filing_date": "2025-01-31", "application_number": "CN202510012345.6"},
    )
    assert d["status"] == "filed" and d["jurisdiction"] == "CN"
    assert [(x["kind"], x["due"]) for x in d["deadlines"]] == [("priority_year", "2026-01-31")]
    d = service.manage.record_office_action(d["id"], "2025-09-15")
    assert ("office_action", "2026-01-15") in [(x["kind"], x["due"]) for x in d["deadlines"]]
    d = service.manage.move_disclosure(d["id"], "examination")
    d = service.manage.move_disclosure(d["id"], "granted", {"grant_date": "2026-03-02"})
    annuities = [x["due"] for x in d["deadlines"] if x["kind"] == "annuity"]
    assert annuities[0] == "2027-01-31" and annuities[-1] == "2044-01-31"
    moves = [
        a["detail"]
        for a in service.security.audit_log(action="workspace", limit=50)
        if a["detail"] and a["detail"].get("disclosure_id") == d["id"]
    ]
    assert [(m.get("op"), m.get("to")) for m in reversed(moves)] == [
        ("disclosure_submit", None),
        ("disclosure_move", "reviewing"),
        ("disclosure_move", "file"),
        ("disclosure_move", "filed"),
        ("office_action", None),
        ("disclosure_move", "examination"),
        ("disclosure_move", "granted"),
    ]


def test_forbidden_moves_name_the_allowed_ones(service: Any) -> None:
    d = service.manage.submit_disclosure(DISCLOSURE, assess=False)
    with pytest.raises(Conflict, match="allowed: reviewing, dropped"):
        service.manage.move_disclosure(d["id"], "filed")
    with pytest.raises(InputError) as e:
        service.manage.move_disclosure(d["id"], "sleeping")
    assert e.value.errors[0]["field"] == "status"
    service.manage.move_disclosure(d["id"], "dropped")
    with pytest.raises(Conflict, match="final state"):
        service.manage.move_disclosure(d["id"], "reviewing")
    with pytest.raises(NotFound):
        service.manage.move_disclosure(999_999, "reviewing")


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"title": "", "text": "x", "inventors": "A"}, "title"),
        ({"title": "t", "text": "x", "inventors": " , "}, "inventors"),
        ({"title": "t", "text": "x", "inventors": "A", "jurisdiction": "Mars"}, "jurisdiction"),
        ({"title": "t", "text": "x", "inventors": "A", "priority_date": "2025-13-01"}, "priority_date"),
    ],
)
def test_bad_submissions_name_the_field_and_store_nothing(
    service: Any, values: dict[str, Any], field: str
) -> None:
    with pytest.raises(InputError) as e:
        service.manage.submit_disclosure(values, assess=False)
    assert e.value.errors[0]["field"] == field
    assert service.manage.disclosures()["total"] == 0


@pytest.mark.parametrize(
    ("filing", "field"),
    [
        ({"jurisdiction": "CN", "filing_date": "31/01/2025"}, "filing_date"),
        ({"jurisdiction": "ZZ", "filing_date": "2025-01-31"}, "jurisdiction"),
        ({"jurisdiction": "CN"}, "filing_date"),
        ({"jurisdiction": "CN", "filing_date": "2025-01-31", "priority_date": "2025-02-01"}, "priority_date"),
    ],
)
def test_bad_filings_keep_the_disclosure_unchanged(service: Any, filing: dict[str, str], field: str) -> None:
    d = service.manage.submit_disclosure(DISCLOSURE, assess=False)
    service.manage.move_disclosure(d["id"], "reviewing")
    service.manage.move_disclosure(d["id"], "file")
    with pytest.raises(InputError) as e:
        service.manage.move_disclosure(d["id"], "filed", filing)
    assert e.value.errors[0]["field"] == field
    after = service.manage.disclosure(d["id"])
    assert after["status"] == "file" and after["deadlines"] == [] and after["title"] == DISCLOSURE["title"]


def test_filing_needs_an_applicant(service: Any) -> None:
    d = service.manage.submit_disclosure({**DISCLOSURE, "applicant": None}, assess=False)
    service.manage.move_disclosure(d["id"], "reviewing")
    service.manage.move_disclosure(d["id"], "file")
    with pytest.raises(InputError) as e:
        service.manage.move_disclosure(d["id"], "filed", {"jurisdiction": "US", "filing_date": "2025-01-31"})
    assert e.value.errors == [{"field": "applicant", "message": "an applicant is required to file"}]
    d = service.manage.move_disclosure(
        d["id"], "filed", {"jurisdiction": "US", "filing_date": "2025-01-31", "applicant": "Acme Inc."}
    )
    assert d["applicant"] == "Acme Inc."


def test_missed_deadline_raises_one_alert_per_level(service: Any) -> None:
    d = _filed(service)  # priority year ends 2026-01-31
    assert service.manage.scan_deadlines(days=30, today="2025-12-01") == {
        "today": "2025-12-01",
        "days": 30,
        "due": 0,
        "overdue": 0,
        "new_alerts": 0,
    }
    assert service.manage.scan_deadlines(days=30, today="2026-01-10")["new_alerts"] == 1
    res = service.manage.scan_deadlines(days=30, today="2026-02-02")
    assert res["overdue"] == 1 and res["new_alerts"] == 1
    assert service.manage.scan_deadlines(days=30, today="2026-02-03")["new_alerts"] == 0  # raised once
    alerts = service.manage.deadline_alerts()
    assert [a["level"] for a in alerts] == ["overdue", "due_soon"]
    assert alerts[0]["disclosure_id"] == d["id"] and "was due on 2026-01-31" in alerts[0]["message"]
    service.manage.complete_deadline(d["deadlines"][0]["id"])
    assert service.manage.scan_deadlines(days=30, today="2026-03-01")["due"] == 0
    assert (
        service.manage.ack_deadline_alerts([a["id"] for a in alerts]) == 2
        and service.manage.deadline_alerts(unacked=True) == []
    )


def test_product_links_and_portfolio(service: Any) -> None:
    d = _filed(service)
    service.manage.link_product(f"disclosure:{d['id']}", "X9 drone", product_line="drones")
    service.manage.link_product("CN113973606A", "X9 drone", product_line="drones")
    service.manage.link_product("CN113973606A", "Battery dock", product_line="drones")
    assert service.manage.link_product("CN113973606A", "Battery dock", product_line="drones")["new"] is False
    p = service.manage.portfolio(product_line="drones")
    assert p["lines"][0]["patents"] == 2
    assert {x["product"]: sorted(x["patents"]) for x in p["lines"][0]["products"]} == {
        "Battery dock": ["CN113973606A"],
        "X9 drone": ["CN113973606A", f"disclosure:{d['id']}"],
    }
    assert service.manage.portfolio(patent="CN113973606A")["patents"][0]["products"] == [
        "Battery dock",
        "X9 drone",
    ]
    assert service.manage.disclosure(d["id"])["links"][0]["product"] == "X9 drone"
    with pytest.raises(InputError):
        service.manage.link_product("", "X9")
    with pytest.raises(NotFound):
        service.manage.link_product("disclosure:999999", "X9")


def test_tenants_see_only_their_disclosures_deadlines_and_alerts(service: Any) -> None:
    acme = Principal(user="ent", role="enterprise", tenant="acme")
    globex = Principal(user="glx", role="enterprise", tenant="globex")
    with acting_as(acme):
        d = _filed(service)
        service.manage.link_product(f"disclosure:{d['id']}", "X9 drone", product_line="drones")
        assert service.manage.scan_deadlines(days=30, today="2026-02-02")["new_alerts"] == 1
    with acting_as(globex):
        assert service.manage.disclosures()["total"] == 0
        with pytest.raises(NotFound):
            service.manage.disclosure(d["id"])
        with pytest.raises(NotFound):
            service.manage.move_disclosure(d["id"], "examination")
        with pytest.raises(NotFound):
            service.manage.complete_deadline(d["deadlines"][0]["id"])
        assert service.manage.deadlines() == [] and service.manage.deadline_alerts() == []
        assert service.manage.scan_deadlines(days=30, today="2026-02-02")["due"] == 0
        assert service.manage.portfolio()["links"] == 0
    with acting_as(acme):
        assert service.manage.disclosures()["total"] == 1 and len(service.manage.deadline_alerts()) == 1
        assert service.manage.portfolio()["links"] == 1
    assert service.manage.disclosures()["total"] == 1  # the platform (local admin) oversees every tenant
