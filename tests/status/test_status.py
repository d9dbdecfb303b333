"""Legal status from real legal events (EPO OPS responses, EPO XML, USPTO XML), the term by law,
the code table against the EPO's documented list, the query values, and families."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from ipai.errors import QueryError
from ipai.model import DocRef, LegalEvent, PatentDocument, parse_pubno
from ipai.search.query import ast as A
from ipai.search.query.parser import parse_query
from ipai.status import family_key, family_tokens, group, legal_status, phase
from ipai.status.codes import CLASSES, CODES, classify
from ipai.status.query import resolve
from tests.conftest import read_all
from tests.status.ops import events_from_convert, events_from_ops_xml

LEGAL = "patent-client-fixtures/epo/ops/legal/fixtures"
DAY = dt.date(2025, 12, 1)


@pytest.fixture(scope="module")
def code_list(shared_data: Path) -> list[tuple]:
    """The rows of the EPO legal-event code list (authority, code, …, event class, its description)."""
    import openpyxl

    rows = list(
        openpyxl.load_workbook(shared_data / LEGAL / "legal_code_descriptions_202417.xlsx")
        .worksheets[0]
        .iter_rows(values_only=True)
    )
    assert rows[0][:2] == ("Authority", "Event-code") and rows[0][8] == "Event-class"
    return rows[1:]


def _doc(pubno: str, **kw: object) -> PatentDocument:
    return PatentDocument(pubno=parse_pubno(pubno), **kw)  # type: ignore[arg-type]


def test_ep1000000_lapsed_in_every_designated_state(shared_data: Path) -> None:
    # OPS legal events of EP1000000 (application 99203729, filed 1999-11-08): granted (GB/IE FG4D of
    # 2003), lapsed state by state; NL, GB and BE kept it alive until 2010, then lapsed too
    doc = _doc(
        "EP1000000A1",
        filing_date=dt.date(1999, 11, 8),
        legal_events=events_from_convert(shared_data / LEGAL / "example_1_convert.json"),
    )
    s = legal_status(doc, DAY)
    assert (s.status, s.basis, s.reason) == ("lapsed", "events", "all-states-lapsed")
    assert s.states is not None and s.states["in_force"] == [] and len(s.states["lapsed"]) == 19
    assert s.since == dt.date(2011, 11, 30) and s.expiry == dt.date(2019, 11, 8)
    assert s.label("zh") == "失效" and "19" in s.reason_text("zh") and "GB" in s.reason_text("en")
    then = legal_status(doc, dt.date(2005, 1, 1))  # events after the day are not yet known
    assert then.status == "in_force" and then.states["in_force"] == ["BE", "GB", "NL"]
    assert legal_status(doc, dt.date(2001, 1, 1)).status == "pending"


def test_ep2400812_in_force_where_fees_were_paid(shared_data: Path) -> None:
    # office-xml-samples OPS legal response: granted 2019-10-25 (GRAA), lapsed in 32 states, annual fees
    # of 2025 paid in DE, FI, GB, SE; filed 2010-06-24 (the OPS biblio sample)
    events = events_from_ops_xml(shared_data / "office-xml-samples/epo-ops-xml/testdata_legal.xml")
    doc = _doc("EP2400812A1", filing_date=dt.date(2010, 6, 24), legal_events=events["EP2400812A1"])
    s = legal_status(doc, DAY)
    assert (s.status, s.basis, s.since) == ("in_force", "events", dt.date(2019, 10, 25))
    assert s.states["in_force"] == ["DE", "FI", "GB", "SE"] and len(s.states["lapsed"]) == 32
    assert s.label("zh") == "有效" and "DE FI GB SE" in s.reason_text("en")
    assert legal_status(doc, dt.date(2019, 1, 1)).status == "pending"
    late = legal_status(doc, dt.date(2030, 6, 25))
    assert (late.status, late.since, late.reason) == ("expired", dt.date(2030, 6, 24), "term-ended")
    assert "2030-06-24" in late.reason_text("zh") and late.label("zh") == "届满"


def test_us_grant_with_post_grant_review(shared_data: Path) -> None:
    # example_3: US10465445B2, STCF "PATENTED CASE" 2019-10-16, then PGR and IPR petitions
    doc = _doc(
        "US10465445B2",
        filing_date=dt.date(2018, 3, 13),
        legal_events=events_from_convert(shared_data / LEGAL / "example_3_convert.json"),
    )
    s = legal_status(doc, DAY)
    assert (s.status, s.since, s.notes) == ("in_force", dt.date(2019, 10, 16), ("review",))
    assert s.to_dict()["notes"][0]["zh"].startswith("异议")


def test_epo_xml_grant_lapsed_in_most_states(shared_data: Path) -> None:
    # EP2716170 B2 (maintained as amended, 2021): B475 lapses in 34 of 38 designated states
    [item] = [i for i in read_all("epo-xml", shared_data / "epo-xml-samples/grant/v1-5-1-B2.xml") if i.record]
    s = legal_status(item.record, DAY)
    assert (s.status, s.basis, s.since) == ("in_force", "events", dt.date(2016, 2, 3))
    assert s.states["in_force"] == ["DE", "IT", "NL", "PL"] and len(s.states["lapsed"]) == 34


def test_us_term_adjustment_from_the_grant(shared_data: Path) -> None:
    # US8926509: filed 2008-06-05, <us-term-extension>605</us-term-extension>
    [item] = read_all("uspto-xml", shared_data / "uspto-xml-samples/xml2014/US08926509.xml")
    doc = item.record
    assert doc.term_extension_days == 605
    s = legal_status(doc, DAY)
    assert (s.status, s.basis, s.expiry) == ("granted", "kind-code", dt.date(2030, 1, 31))
    assert "605" in s.note_texts("zh")[0]


@pytest.mark.parametrize(
    "doc_type, filed, expiry",
    [
        ("utility_model", dt.date(2012, 3, 1), dt.date(2022, 3, 1)),
        ("patent", dt.date(2012, 3, 1), dt.date(2032, 3, 1)),
        ("design", dt.date(2021, 5, 31), dt.date(2031, 5, 31)),  # before the 2021-06-01 change: 10 years
        ("design", dt.date(2021, 6, 1), dt.date(2036, 6, 1)),  # 15 years
    ],
)
def test_cn_terms(doc_type: str, filed: dt.date, expiry: dt.date) -> None:
    kind = {"utility_model": "U", "patent": "B", "design": "S"}[doc_type]
    doc = _doc(f"CN202012345{kind}", doc_type=doc_type, filing_date=filed)
    s = legal_status(doc, dt.date(2023, 1, 1))
    assert s.expiry == expiry and s.basis == "kind-code"
    assert s.status == ("expired" if expiry < dt.date(2023, 1, 1) else "granted")


def test_cn_utility_model_filed_2012_is_expired_in_2023() -> None:
    doc = _doc("CN202345678U", doc_type="utility_model", filing_date=dt.date(2012, 3, 1))
    s = legal_status(doc, dt.date(2023, 1, 1))
    assert (s.status, s.since, s.label("zh")) == ("expired", dt.date(2022, 3, 1), "届满")
    assert s.reason_text("zh") == "保护期限已于2022-03-01届满（自申请日2012-03-01起10年）"
    assert legal_status(doc, dt.date(2022, 3, 1)).status == "granted"  # the last day of the term


def test_us_design_terms() -> None:
    old = _doc(
        "USD700000S", doc_type="design", filing_date=dt.date(2015, 5, 12), grant_date=dt.date(2016, 1, 5)
    )
    new = _doc(
        "USD800000S", doc_type="design", filing_date=dt.date(2015, 5, 13), grant_date=dt.date(2016, 1, 5)
    )
    assert legal_status(old, DAY).expiry == dt.date(2030, 1, 5)  # 14 years from grant
    assert legal_status(new, DAY).expiry == dt.date(2031, 1, 5)  # 15 years from grant


def test_cnipa_events() -> None:
    def ev(d: str, c: str, desc: str = "") -> LegalEvent:
        return LegalEvent(date=dt.date.fromisoformat(d), code=c, country="CN", description=desc)

    base = dict(filing_date=dt.date(2010, 1, 4))
    cases = [
        ([ev("2012-05-02", "C14")], "in_force"),
        ([ev("2012-05-02", "C14"), ev("2016-03-02", "CF01", "未缴年费专利权终止")], "lapsed"),
        ([ev("2012-05-02", "C14"), ev("2016-03-02", "CF01"), ev("2016-09-01", "RR01")], "in_force"),
        ([ev("2012-05-02", "C14"), ev("2018-07-10", "IW01")], "revoked"),
        ([ev("2011-01-05", "C06"), ev("2013-08-21", "WD01")], "withdrawn"),
        ([ev("2011-01-05", "C06"), ev("2013-08-21", "RJ01")], "refused"),
        ([ev("2011-01-05", "PB01"), ev("2011-06-01", "SE01")], "pending"),
        ([ev("2012-05-02", "GR01"), ev("2013-02-01", "XX99", "专利权全部无效")], "revoked"),
    ]
    for events, want in cases:
        number = "CN101234567B" if want in ("in_force", "lapsed", "revoked") else "CN101234567A"
        s = legal_status(_doc(number, legal_events=events, **base), dt.date(2020, 1, 1))
        assert (s.status, s.basis) == (want, "events"), [e.code for e in events]
    assert (
        legal_status(_doc("CN101234567B", legal_events=cases[1][0], **base), dt.date(2020, 1, 1))
        .reason_text("zh")
        .startswith("专利权终止")
    )


def test_codes_agree_with_the_epo_documented_list(code_list: list[tuple]) -> None:
    table = {(r[0], (r[1] or "").strip()): (r[8] or "").strip() for r in code_list}
    checked, departures = 0, set()
    for auth, codes in CODES.items():
        for code, effect in codes.items():
            cls = table.get((auth, code))
            if cls:
                checked += 1
                if cls not in CLASSES[effect]:
                    departures.add(f"{auth}.{code}")
    assert checked >= 180
    # the departures the module documents, and no other
    assert departures == {"EP.GRAU", "US.STPP", "US.FEPP", "WO.ENPW", "WO.WWG", "WO.WWR", "WO.WWW"}
    # a code outside the table is read from its description, in the state it names
    assert (
        classify("GBPC", None, "GB: EUROPEAN PATENT CEASED THROUGH NON-PAYMENT OF RENEWAL FEE", "EP").state
        == "GB"
    )
    assert classify("ZZ99", "CN", "专利权的终止", "CN").effect == "lapsed"


def test_status_in_the_query_language() -> None:
    node = parse_query("drone status:有效")
    assert node.children[1] == A.Match(6, "status", "有效")
    with pytest.raises(QueryError) as err:
        parse_query("drone status:bogus")
    assert err.value.position == 13 and "in_force" in err.value.message
    day = dt.date(2024, 3, 1)
    r = resolve(parse_query("status:in_force"), day)
    assert r == A.And(
        0, (A.Match(0, "phase", "in_force"), A.Not(0, A.DateRange(0, "exp", None, "2024-02-29")))
    )
    dead = resolve(parse_query("status:已失效"), day)
    assert (
        isinstance(dead, A.Or) and len(dead.children) == 6
    )  # lapsed, expired (2 ways), withdrawn, refused, revoked


def test_families_by_priority_and_family_id(shared_data: Path) -> None:
    # the INPADOC family of EP1000000 (OPS family response): six publications, one priority NL1010536
    fam = json.loads(
        (shared_data / "patent-client-fixtures/epo/ops/family/fixtures/family_model_output.json").read_text(
            encoding="utf-8"
        )
    )
    docs = []
    for m in fam["family_members"]:
        app = m["application_reference"][0]
        pr = m["priority_claims"][0]["application_reference"]
        docs.append(
            _doc(
                m["publication_number"],
                application=DocRef(country=app["country"], number=app["number"]),
                priorities=[
                    DocRef(country=pr["country"], number=pr["number"], date=dt.date.fromisoformat(pr["date"]))
                ],
            )
        )
    assert {family_key(d) for d in docs} == {"P:NL1010536"}
    other = _doc("US8926509B2", application=DocRef(country="US", number="12133977"))
    groups = group([(d.id, family_tokens(d)) for d in [docs[0], other, *docs[1:]]])
    assert groups == [[docs[0].id, *[d.id for d in docs[1:]]], [other.id]]
    # a family id joins documents whose priorities are written differently; members listed join too
    a = _doc("EP1000000A1", family_id="19768124")
    b = _doc("NL1010536C2", family_id="19768124")
    c = _doc("US6093011A", family_members=["NL1010536C"])
    assert group([(x.id, family_tokens(x)) for x in (a, b, c)]) == [[a.id, b.id, c.id]]
    assert phase(a).status == "pending"


def test_pct_application_ends_with_its_national_phase_deadline() -> None:
    # WO2016069169A1 (demo corpus): priority 2014-10-29 → national phase until 2017-04-29
    doc = _doc("WO2016069169A1", priority_date=dt.date(2014, 10, 29), filing_date=dt.date(2015, 9, 28))
    assert phase(doc).expiry == dt.date(2017, 4, 29)  # what the index keeps, so status: filters agree
    before, after = legal_status(doc, dt.date(2017, 4, 29)), legal_status(doc, dt.date(2017, 4, 30))
    assert (before.status, before.reason) == ("pending", "pct-phase")
    assert (after.status, after.reason, after.label("zh")) == ("expired", "pct-ended", "届满")
    assert "30个月" in after.reason_text("zh")


def test_every_fixture_document_with_legal_events_gets_its_status_from_them(shared_data: Path) -> None:
    """Through the readers: every document of the recorded OPS/USPTO responses (and the OPS samples)
    that has legal events has a status based on them; known ones checked against the fixture."""
    from ipai.ingest.base import Source
    from ipai.ingest.registry import detect

    docs: dict[str, PatentDocument] = {}
    for root in (shared_data / "patent-client-fixtures", shared_data / "office-xml-samples/epo-ops-xml"):
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            reader = detect(Source(path, explicit=True))
            for item in reader.read(Source(path, explicit=True)) if reader else ():
                if isinstance(item.record, PatentDocument) and item.record.legal_events:
                    docs[item.record.id] = item.record
    assert len(docs) >= 3
    statuses = {i: legal_status(d, DAY) for i, d in docs.items()}
    assert {i: s.basis for i, s in statuses.items()} == {i: "events" for i in docs}
    assert (statuses["EP1000000A"].status, statuses["EP1000000A"].reason) == ("lapsed", "all-states-lapsed")
    assert statuses["EP2400812A"].status == "in_force"
    # US8457796 (USPTO file wrapper): granted 2013-06-04, expired for an unpaid maintenance fee on
    # 2017-07-04 (EXP.), the late fee accepted on 2018-09-20 (PMFG); 119 days of term adjustment
    us = docs["US8457796B"]
    assert legal_status(us, dt.date(2018, 1, 1)).status == "lapsed"
    s = statuses["US8457796B"]
    assert (s.status, s.since, s.expiry) == ("in_force", dt.date(2018, 9, 20), dt.date(2030, 7, 8))


def test_descriptions_alone_agree_with_the_documented_classes(code_list: list[tuple]) -> None:
    """The keyword rules (for codes outside the table) on every decisive code of the EPO list:
    grant (F), application ended (B) or revived (C), right ended (H) or revived (K)."""
    from ipai.status.codes import from_text

    decisive = [(r[8].strip(), r[4] or "") for r in code_list if (r[8] or "").strip() in set("BCFHK")]
    agree = sum(cls in CLASSES[from_text(desc)] for cls, desc in decisive)
    assert len(decisive) == 898 and agree / len(decisive) >= 0.9  # measured 0.909
