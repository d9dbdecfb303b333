"""Legal status and families where they are used, on one small real store: the EPO XML grants,
the INPADOC family of EP1000000 (OPS family response) with its OPS legal events, EP2400812 with
the office-xml-samples OPS legal events. ``status:`` filters agree with ipai.status on both the
single and the sharded index; collapse=family; the web search and the API; deals, watchlists,
valuation and landscapes (the document page in Chinese: tests/web/test_doc_pages.py)."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ipai.errors import InputError
from ipai.model import DocRef, PatentDocument, dump_record, parse_pubno
from ipai.service import Service
from ipai.settings import load_settings
from ipai.status import STATUSES, legal_status
from tests.status.ops import events_from_convert, events_from_ops_xml

TODAY = dt.date(2025, 12, 1)
LATER = dt.date(2031, 1, 1)  # after every stored event; EP2400812 (filed 2010-06-24) has expired
FAMILY = "patent-client-fixtures/epo/ops/family/fixtures/family_model_output.json"
BIBLIO = "patent-client-fixtures/epo/ops/published/fixtures/ep1000000_biblio_result.json"


def _family_docs(data: Path) -> list[PatentDocument]:
    """The six publications of INPADOC family 19768124 as OPS gives them (number, application,
    priority); EP1000000A1 with its OPS title, abstract and legal events."""
    fam = json.loads((data / FAMILY).read_text(encoding="utf-8"))
    biblio = json.loads((data / BIBLIO).read_text(encoding="utf-8"))["documents"][0]
    events = events_from_convert(
        data / "patent-client-fixtures/epo/ops/legal/fixtures/example_1_convert.json"
    )
    out = []
    for m in fam["family_members"]:
        app, pub = m["application_reference"][0], m["publication_reference"][0]
        pr = m["priority_claims"][0]["application_reference"]
        prio = dt.date.fromisoformat(pr["date"])
        extra: dict[str, Any] = {}
        if m["publication_number"] == "EP1000000A1":
            extra = {
                "titles": {"en": biblio["title"]},
                "abstracts": {"en": biblio["abstract"]},
                "legal_events": events,
            }
        out.append(
            PatentDocument(
                pubno=parse_pubno(m["publication_number"]),
                publication_date=dt.date.fromisoformat(pub["date"]),
                application=DocRef(
                    country=app["country"], number=app["number"], date=dt.date.fromisoformat(app["date"])
                ),
                filing_date=dt.date.fromisoformat(app["date"]),
                priority_date=prio,
                priorities=[DocRef(country=pr["country"], number=pr["number"], date=prio)],
                **extra,
            )
        )
    return out


@pytest.fixture(scope="module")
def svc(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Iterator[Service]:
    src = tmp_path_factory.mktemp("status-corpus")
    shutil.copytree(shared_data / "epo-xml-samples/grant", src / "epo")  # 14 EP grants, 4 with B475 lapses
    legal = events_from_ops_xml(shared_data / "office-xml-samples/epo-ops-xml/testdata_legal.xml")
    ep24 = PatentDocument(
        pubno=parse_pubno("EP2400812A1"),
        filing_date=dt.date(2010, 6, 24),
        publication_date=dt.date(2011, 12, 28),
        legal_events=legal["EP2400812A1"],
    )
    docs = _family_docs(shared_data) + [ep24]
    (src / "ops.jsonl").write_text("".join(dump_record(d) + "\n" for d in docs), encoding="utf-8")
    s = Service(load_settings(home=tmp_path_factory.mktemp("status-home"), progress=False))
    s.corpus.ingest([src])
    s.corpus.index()
    yield s
    s.close()


def _expected(svc: Service, day: dt.date) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {s: set() for s in STATUSES}
    for d in svc.store.iter_documents():
        out[legal_status(d, day).status].add(d.id)
    return out


def _found(engine: Any, svc: Service, status: str, day: dt.date) -> set[str]:
    from ipai.search.query.parser import parse_query

    ids, total = engine.match_ids(svc.status.resolve_query(parse_query(f"status:{status}"), day), limit=1000)
    assert total == len(ids)
    return set(ids)


def test_status_filters_agree_with_the_status(svc: Service) -> None:
    # (the sharded index gives the same sets: tests/test_cluster.py)
    for day in (TODAY, LATER):
        want = _expected(svc, day)
        assert (
            want["lapsed"] == {"EP1000000A"}
            and "EP2400812A" in want["in_force" if day == TODAY else "expired"]
        )
        for status in STATUSES:
            assert _found(svc.search_engine, svc, status, day) == want[status], (day, status)
    # status:in_force returns nothing that has ended, and every hit shows its status
    res = svc.search("status:in_force", top=100, today=TODAY)
    assert res.hits and {h.status["status"] for h in res.hits} == {"in_force"}
    assert "EP1000000A" not in {h.id for h in res.hits}
    assert svc.search("status:有效", top=100, today=TODAY).total == res.total
    dead = {h.id for h in svc.search("cc:EP status:dead", top=50, today=TODAY).hits}
    assert dead == {i for s in ("lapsed", "expired") for i in _expected(svc, TODAY)[s] if i.startswith("EP")}
    assert "EP1000000A" in dead and not dead & {h.id for h in res.hits}


def test_collapse_gives_one_row_per_family(svc: Service) -> None:
    plain = svc.search("prd:1998-11-12", top=20, today=TODAY)
    assert {h.id for h in plain.hits} == {
        "EP1000000A",
        "EP1000000B",
        "ATE232441T",
        "DE69905327D",
        "NL1010536C",
        "US6093011A",
    }
    res = svc.search("prd:1998-11-12", top=20, collapse="family", today=TODAY)
    [row] = res.hits
    assert res.families == 1 and row.family["key"] == "P:NL1010536"
    members = {m["id"]: m["status"]["status"] for m in row.family["members"]}
    assert set(members) | {row.id} == {h.id for h in plain.hits}
    assert members.get("US6093011A", row.status["status"]) == "expired"  # filed 1998-12-08: ended 2018
    members = {h.id for h in svc.search("family:EP1000000A1", top=20, today=TODAY).hits}
    assert members == {h.id for h in plain.hits}  # the family of one publication, through the store
    with pytest.raises(InputError):
        svc.search("cc:EP", collapse="applicant")


def test_web_search_and_api(svc: Service, monkeypatch: pytest.MonkeyPatch) -> None:
    from ipai.api import create_app
    from tests.webforms import with_csrf

    monkeypatch.setattr(svc.settings, "status_date", TODAY.isoformat())
    with with_csrf(TestClient(create_app(service=svc))) as c:
        page = c.get("/search?q=prd:1998-11-12&lang=zh&collapse=family").text
        [row] = re.findall(r'data-testid="hit-family" data-key="([^"]+)"', page)
        assert row == "P:NL1010536" and "以上结果共 1 个同族" in page
        members = re.findall(r'data-testid="family-member" data-id="(\w+)"', page)
        assert len(members) == 5 and "届满" in page and "失效" in page
        page = c.get("/search?q=cc:EP&lang=zh&status=lapsed").text
        assert re.findall(r'data-testid="hit-status" data-status="(\w+)"', page) == ["lapsed"]
        body = c.get("/api/v1/search", params={"q": "cc:EP", "status": "lapsed"}).json()
        assert [h["id"] for h in body["results"]] == ["EP1000000A"]
        assert body["results"][0]["status"]["label"] == {"en": "Lapsed", "zh": "失效"}
        body = c.get("/api/v1/search", params={"q": "prd:1998-11-12", "collapse": "family"}).json()
        assert body["families"] == 1 and len(body["results"]) == 1
        doc = c.get("/api/v1/documents/EP1000000A1").json()
        assert doc["legal_status"]["status"] == "lapsed" and doc["legal_status"]["since"] == "2011-11-30"
        assert doc["family"]["key"] == "P:NL1010536" and len(doc["family"]["members"]) == 5
        assert {m["status"]["status"] for m in doc["family"]["members"]} <= {"expired", "pending", "lapsed"}
        bad = c.get("/api/v1/search", params={"q": "status:bogus"})
        assert bad.status_code == 400 and "in_force" in bad.json()["error"]


def test_deal_on_a_lapsed_patent_is_refused_with_the_reason(svc: Service) -> None:
    offer = {
        "kind": "licence",
        "patents": ["EP1000000A1"],
        "parties": {"licensor": "A", "licensee": "B"},
        "exclusivity": "exclusive",
        "territory": "EP",
    }
    with pytest.raises(InputError) as zh:
        svc.deals.offer_deal(offer, lang="zh", today=TODAY)
    assert zh.value.message.startswith(
        "EP1000000A1不能作为许可的标的：其法律状态为失效（已在全部19个指定国失效"
    )
    assert zh.value.errors[0]["field"] == "patents" and zh.value.errors[0]["status"] == "lapsed"
    with pytest.raises(InputError) as en:
        svc.deals.offer_deal(offer, lang="en", today=TODAY)
    assert "cannot be the subject of a licence: its legal status is Lapsed" in en.value.message
    d = svc.deals.offer_deal({**offer, "patents": ["EP2400812A1"]}, today=TODAY)  # in force: accepted
    with pytest.raises(InputError) as late:  # signing after the term ended is refused
        svc.deals.move_deal(d["id"], "signed", lang="zh", today=LATER)
    assert "届满" in late.value.message and svc.deals.deal(d["id"])["status"] == "offered"


def test_status_change_of_a_watched_patent_is_an_alert(svc: Service) -> None:
    w = svc.monitor.add_watch(
        {"kind": "own", "terms": ["EP2400812A1"], "options": {"closeness": False}}, today=TODAY
    )
    assert w["last_run"]["statuses"] == {"EP2400812A": "in_force"}
    assert svc.monitor.run_watchlists(ids=[w["id"]], today=TODAY, push=False)["alerts"] == 0
    out = svc.monitor.run_watchlists(ids=[w["id"]], today=LATER, push=False)
    [alert] = svc.store.list_alerts(ids=out["alert_ids"])[0]
    assert alert["severity"] == "high" and alert["detail"]["status_to"] == "expired"
    assert alert["detail"]["labels"]["zh"] == {"from": "有效", "to": "届满"}
    assert svc.monitor.run_watchlists(ids=[w["id"]], today=LATER, push=False)["alerts"] == 0  # raised once


def test_valuation_and_landscape(svc: Service) -> None:
    from ipai.value.indicators import FIELDS, extract

    f = svc.store.get_fields(["EP1000000A", "EP2400812A"], FIELDS)
    lapsed = extract("EP1000000A", f["EP1000000A"], dt.date(2015, 1, 1))  # lapsed 2011, term to 2019
    assert lapsed.values["legal_status"] == "lapsed" and lapsed.values["remaining_term"] == 0.0
    alive = extract("EP2400812A", f["EP2400812A"], TODAY)
    assert alive.values["legal_status"] == "in_force" and 4.5 < alive.values["remaining_term"] < 4.6
    docs = svc.analytics.landscape("prd:1998-11-12", trends=False)
    fams = svc.analytics.landscape("prd:1998-11-12", trends=False, count="families")
    assert (docs["documents"], docs["families"], fams["families"]) == (6, 1, 1)
    by_cc = lambda r: {x["key"]: x["count"] for x in r["by_jurisdiction"]}  # noqa: E731
    assert by_cc(docs)["EP"] == 2 and by_cc(fams) == {"EP": 1, "AT": 1, "DE": 1, "NL": 1, "US": 1}
    assert fams["by_year"] == {1998: 1}


def test_an_index_of_the_previous_version_is_rebuilt(svc: Service, tmp_path: Path) -> None:
    from ipai.search.docmap import DocMap

    home = tmp_path / "copy"
    shutil.copytree(svc.settings.home, home, ignore=shutil.ignore_patterns("*.lock"))
    dm = DocMap(home / "index" / "docmap.sqlite")
    dm.set_state(version=3)  # as every store indexed before legal status was
    dm.commit()
    dm.close()
    notices: list[str] = []
    old = Service(svc.settings.model_copy(update={"home": home, "store": None}))
    old.notice = notices.append
    try:
        res = old.search("status:lapsed", top=5, today=TODAY)
        assert [h.id for h in res.hits] == ["EP1000000A"]
        assert any("index format 3 is not 4" in n and "rebuilding" in n for n in notices), notices
    finally:
        old.close()


def test_only_a_right_in_force_blocks_in_a_claim_chart(svc: Service) -> None:
    # EP2716170 B2: in force (DE, IT, NL, PL) on TODAY; its term (filed 2012) has ended by 2033
    product = "A product described in plain words for the chart."
    now = svc.fto.compare_product("EP2716170B2", product, lang="zh", today=TODAY)
    assert now["legal_status"]["status"] == "in_force" and now["blocks"] and not now["may_block"]
    later = svc.fto.compare_product("EP2716170B2", product, lang="zh", today=dt.date(2033, 1, 1))
    assert later["legal_status"]["status"] == "expired" and not later["blocks"] and not later["may_block"]
    assert later["legal_status"]["label"]["zh"] == "届满"
