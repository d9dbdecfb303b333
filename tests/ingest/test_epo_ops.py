"""EPO OPS responses and USPTO application JSON on real recorded responses: legal events enter the
store as legal events of the right publication, families carry their id and members, the
responses of one publication merge into one document."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.conftest import detected, read_all

OPS = "office-xml-samples/epo-ops-xml"
FIX = "patent-client-fixtures/epo/ops"


def _records(fmt: str, path: Path) -> dict[str, object]:
    items = read_all(fmt, path)
    assert all(i.error is None for i in items), [i.error for i in items if i.error]
    return {i.record.id: i.record for i in items}


def test_inpadoc_legal_events_of_the_family_member(shared_data: Path) -> None:
    [doc] = _records("epo-ops", shared_data / FIX / "legal/fixtures/example_1.xml").values()
    assert doc.id == "EP1000000A" and doc.family_id == "19768124"
    assert doc.application.number == "99203729" and doc.priorities[0].country == "NL"
    by = {(e.code, e.country, e.date): e for e in doc.legal_events}
    grant = by[("GRAA", "EP", dt.date(2002, 12, 28))]
    assert grant.description.startswith("(EXPECTED) GRANT")
    lapse = by[("PG25", "CH", dt.date(2003, 2, 12))]  # lapsed in CH: the event's own state
    assert "LAPSE BECAUSE OF FAILURE TO SUBMIT A TRANSLATION" in lapse.description
    assert "Effective DATE: 20030212" in lapse.description
    assert ("26N", "EP", dt.date(2004, 2, 4)) in by  # no opposition filed
    us = _records("epo-ops", shared_data / FIX / "legal/fixtures/example_3.xml")
    assert list(us) == ["US10465445B"] and len(us["US10465445B"].legal_events) >= 10


def test_ops_sample_legal_and_claims(shared_data: Path) -> None:
    [legal] = _records("epo-ops", shared_data / OPS / "testdata_legal.xml").values()
    codes = {e.code for e in legal.legal_events}
    assert legal.id == "EP2400812A" and {"AK", "17P", "17Q", "INTG"} <= codes
    rics = [e for e in legal.legal_events if e.code == "RIC1" and e.date == dt.date(2019, 6, 26)]
    assert (
        len(rics) == 1
        and "H04W 88/04" in rics[0].description.replace("  ", " ")
        and " | " in rics[0].description
    )
    [claims] = _records("epo-ops", shared_data / OPS / "testdata_claims.xml").values()
    deps = {c.num: c.depends_on for c in claims.claims}
    assert deps[1] == [] and deps[2] == [1] and deps[4] == [2, 3] and claims.claims[0].lang == "en"
    [desc] = _records("epo-ops", shared_data / OPS / "testdata_description.xml").values()
    assert desc.id == "EP2400812B" and desc.description.paragraphs[2].heading


def test_inpadoc_family(shared_data: Path) -> None:
    fam = _records("epo-ops", shared_data / FIX / "family/fixtures/family_input.xml")
    assert set(fam) == {"EP1000000A", "EP1000000B", "AT232441T", "DE69905327D", "NL1010536C", "US6093011A"}
    assert {d.family_id for d in fam.values()} == {"19768124"}
    assert set(fam["US6093011A"].family_members) == set(fam) - {"US6093011A"}
    assert fam["EP1000000B"].family_size == 6


def test_responses_merge_into_one_document_in_the_store(service, shared_data: Path) -> None:
    files = [
        shared_data / FIX / "published/test/expected/ep1000000_biblio_result.xml",
        shared_data / FIX / "published/test/claims_example.xml",
        shared_data / FIX / "legal/fixtures/example_1.xml",
    ]
    assert [detected(f) for f in files] == ["epo-ops"] * 3
    s = service.corpus.ingest(files)
    assert s.rejected == 0
    doc = service.store.get_document("EP1000000A")
    assert doc.titles["en"] and doc.family_id == "19768124"  # biblio
    assert len(doc.claims) == 11 and doc.claims[1].depends_on == [1]  # claims
    assert any(e.code == "PG25" and e.country == "CH" for e in doc.legal_events)  # legal


def test_uspto_application_json_events_on_the_publication(shared_data: Path) -> None:
    peds = _records(
        "uspto-api-json", shared_data / "patent-client-fixtures/uspto/peds/fixtures/app_1_input.json"
    )
    doc = peds["US8457796B"]  # patented: the events belong to the grant
    assert doc.family_members == ["US20100235004A"] and doc.application.number == "12721698"
    fee = [e for e in doc.legal_events if e.code == "M2552"]
    assert fee and fee[0].date == dt.date(2020, 10, 28) and "Maintenance Fee" in fee[0].description
    assert any(
        e.code == "PTA" and e.description == "patent term adjustment: 119 days" for e in doc.legal_events
    )
    odp = _records(
        "uspto-api-json", shared_data / "patent-client-fixtures/uspto/odp/fixtures/application.json"
    )
    app = odp["US20170071586A"]  # abandoned, never granted: the pre-grant publication
    status = [e for e in app.legal_events if e.code == "STATUS"]
    assert status[0].description.startswith("Abandoned") and status[0].date == dt.date(2018, 10, 2)
    assert app.applicants[0].name == "The General Hospital Corporation"
    [rej] = read_all(
        "uspto-api-json", shared_data / "patent-client-fixtures/uspto/odp/fixtures/transactions.json"
    )
    assert rej.record is None and "no publication" in rej.error and "没有可归属的文献" in rej.error
