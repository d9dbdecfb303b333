"""USPTO BRS text export (``*** BRS DOCUMENT BOUNDARY ***`` records), the real 6-grant sample."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ipai.model import dump_record, load_record
from tests.conftest import detected, read_all

BRS = "uspto-brs"


@pytest.fixture(scope="module")
def sample(shared_data: Path) -> Path:
    return shared_data / "uspto-xml-samples" / "css_brs" / "css_brs_sample.txt"


@pytest.fixture(scope="module")
def items(sample: Path) -> list:
    return read_all(BRS, sample)


def test_detected_and_all_records(sample: Path, items: list) -> None:
    assert detected(sample) == BRS
    assert [i.error for i in items] == [None] * 6
    assert [i.locator for i in items] == [f"record {n} (WKU 0920458{n})" for n in range(1, 7)]
    assert [i.record.id for i in items] == [f"US920458{n}B" for n in range(1, 7)]


def test_us9204581(items: list) -> None:
    d = items[0].record
    assert (d.pubno.country, d.pubno.number, d.pubno.kind) == ("US", "9204581", "B2")
    assert d.doc_type == "patent"
    assert d.publication_date == d.grant_date == dt.date(2015, 12, 1)
    assert d.application.number == "13676098" and d.filing_date == dt.date(2012, 11, 14)
    assert [(p.country, p.number, p.date) for p in d.priorities] == [
        ("US", "61559247", dt.date(2011, 11, 14))
    ]
    assert d.titles["en"] == (
        "Method for performing chip level electromagnetic interference reduction, and associated apparatus"
    )
    assert [(c.code, c.main) for c in d.classifications if c.scheme == "cpc"] == [("H05K9/0066", True)]
    assert d.codes("ipc") == ["H05K9/00"]
    assert [(p.name, p.kind, p.city, p.country) for p in d.applicants] == [
        ("MEDIATEK INC.", "organisation", "Hsin-Chu", "TW")
    ]
    assert [(p.name, p.country) for p in d.assignees] == [("MEDIATEK INC.", "TW")]
    assert [(p.name, p.last_name, p.first_name, p.city) for p in d.inventors] == [
        ("Yu, Long-Kun", "Yu", "Long-Kun", "New Taipei"),
        ("Deng, Kuo-Liang", "Deng", "Kuo-Liang", "Miaoli County"),
    ]
    assert [p.name for p in d.agents] == ["Hsu, Winston", "Margo, Scott"]
    assert d.family_members == ["US20130120958A"]  # PDID, the pre-grant publication
    assert d.abstracts["en"].startswith("A method for performing chip level electromagnetic interference")


def test_us9204581_citations(items: list) -> None:
    cits = items[0].record.citations
    assert len(cits) == 12
    assert [(c.doc_id, c.date, c.name, c.cited_by) for c in cits[:2]] == [
        ("US20030169838A", "2003-09", "Greenstreet et al.", "examiner"),
        ("US20090169874A", "2009-07", "McCloskey et al.", "examiner"),
    ]
    assert cits[0].pubno.kind == "A1"
    foreign = [(c.doc_id, c.cited_by) for c in cits if c.pubno and c.pubno.country != "US"]
    assert foreign == [
        ("CN1402605A", "examiner"),
        ("CN1760783A", "applicant"),
        ("CN1845666A", "applicant"),
        ("CN102064808A", "applicant"),
        ("JP201045940A", "applicant"),
    ]
    npl = [c for c in cits if c.kind == "npl"]
    assert len(npl) == 1 and npl[0].cited_by == "applicant"
    assert npl[0].text == (
        '"International Search Report" mailed on Feb. 28, 2013 for International '
        "application No. PCT/CN2012/084589, International filing date:Nov. 14, 2012."
    )
    assert sum(c.cited_by == "examiner" for c in cits) == 7
    assert sum(c.cited_by == "applicant" for c in cits) == 5


def test_us9204581_claims_and_description(items: list) -> None:
    d = items[0].record
    assert len(d.claims) == 20
    assert [c.num for c in d.claims if c.independent] == [1, 11]
    by = {c.num: c for c in d.claims}
    assert by[2].depends_on == [1] and by[3].depends_on == [2] and by[13].depends_on == [12]
    assert by[1].text.startswith("A method for performing chip level electromagnetic interference (EMI) red")
    paras = d.description.paragraphs
    assert paras[0].heading and paras[0].text == "CROSS REFERENCE TO RELATED APPLICATIONS"
    assert not paras[1].heading
    assert paras[1].text.startswith("This application claims the benefit of U.S. Provisional")
    assert "DETAILED DESCRIPTION" in [p.text for p in paras if p.heading]


def test_other_records(items: list) -> None:
    d2, d3, d4, d5, d6 = (i.record for i in items[1:])
    assert [(c.code, c.main) for c in d2.classifications if c.scheme == "cpc"] == [
        ("H05K9/0086", True),
        ("H01Q15/006", False),
        ("H01Q15/0013", False),
    ]
    assert len(d2.citations) == 38 and sum(c.kind == "npl" for c in d2.citations) == 9
    assert [(p.name, p.country) for p in d2.agents] == [("Toler Law Group, PC", None)]
    assert [(p.country, p.number) for p in d3.priorities] == [("KR", "1020110055402")]
    assert [(p.country, p.number) for p in d4.priorities] == [("CN", "201310195919")]
    assert "Y10T29/49121" in d5.codes("cpc")
    jp = [c for c in d6.citations if c.pubno and c.pubno.country == "JP"]
    assert jp[0].pubno.number == "6143669" and jp[0].pubno.kind == "A"  # "A-6-143669"


def test_round_trip(items: list) -> None:
    for i in items:
        assert load_record(dump_record(i.record)) == i.record
