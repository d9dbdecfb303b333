"""USPTO ST.32 PATDOC grants 2001–2004 (XML spelling of the SGML DTD v2.4/v2.5), real files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ipai.model import dump_record, load_record
from tests.conftest import detected, read_all

SGML = "uspto-sgml"


@pytest.fixture(scope="module")
def sgml(shared_data: Path) -> Path:
    return shared_data / "uspto-xml-samples" / "sgml"


def one(path: Path):
    items = read_all(SGML, path)
    assert len(items) == 1, items
    assert items[0].error is None, items[0].error
    return items[0].record


def test_detected(sgml: Path) -> None:
    files = sorted(sgml.glob("*.xml"))
    assert len(files) == 3
    assert {detected(f) for f in files} == {SGML}


def test_utility_grant_us6336130(sgml: Path) -> None:
    d = one(sgml / "US06336130.xml")
    assert d.id == "US6336130B" and d.pubno.kind == "B1" and d.doc_type == "patent"
    assert d.publication_date == d.grant_date == dt.date(2002, 1, 1)
    assert d.application.number == "09413215" and d.filing_date == dt.date(1999, 10, 5)
    assert [(p.country, p.number, p.date) for p in d.priorities] == [("NO", "971605", dt.date(1997, 4, 8))]
    assert d.titles["en"] == "Arrangement for improving availability of services in a communication system"
    # B511 "G06F 1516" / B512 "G06F 1300": fixed-width IPC
    assert [(c.code, c.main) for c in d.classifications if c.scheme == "ipc"] == [
        ("G06F15/16", True),
        ("G06F13/00", False),
    ]
    assert d.codes("uspc") == ["709202", "709201"]
    assert [(p.name, p.kind, p.city, p.country) for p in d.inventors] == [
        ("Do, Thanh Van", "person", "Oslo", "NO")
    ]
    assert [(p.name, p.country) for p in d.assignees] == [("Telefonaktiebolaget LM Ericsson (publ)", "SE")]
    assert [p.name for p in d.agents] == ["Nixon & Vanderhye P.C."]
    assert d.abstracts["en"].startswith("A communications systems, e.g., a telecommunications system")
    assert len(d.images) == 4 and d.images[0].file == "US06336130-20020101-D00000.TIF"


def test_claims_from_clref(sgml: Path) -> None:
    d = one(sgml / "US06336130.xml")
    assert len(d.claims) == 22
    assert [c.num for c in d.claims if c.independent] == [1, 9, 18]
    by = {c.num: c for c in d.claims}
    assert by[2].depends_on == [1] and by[5].depends_on == [4] and by[22].depends_on == [19]
    assert by[1].text.startswith("An arrangement in a network including a plurality of mobile terminals")
    assert "each of the mobile terminals including a fixed network node agent" in by[1].text  # CLMSTEP


def test_citations_with_cited_by_markers(sgml: Path) -> None:
    cits = one(sgml / "US06336130.xml").citations
    assert len(cits) == 9
    assert [(c.doc_id, c.cited_by) for c in cits[:6]] == [
        ("US5825759A", "examiner"),
        ("US5974441A", "examiner"),
        ("US6049819A", "examiner"),
        ("US6076099A", "examiner"),
        ("US6085086A", "examiner"),
        ("WO1996025012A", "unknown"),
    ]
    assert cits[0].date == "1998-10" and cits[0].name == "Liu"
    npl = [c for c in cits if c.kind == "npl"]
    assert len(npl) == 3 and all(c.cited_by == "unknown" for c in npl)  # CITED-BY-OTHER
    assert "‘Intelligence on Demand’" in npl[0].text  # &lsquo; &rsquo;
    assert "T. Handegåard" in npl[2].text  # &aring;


def test_description_parts(sgml: Path) -> None:
    paras = one(sgml / "US06336130.xml").description.paragraphs
    assert paras[0].text.startswith("This is a continuation of PCT application No. PCT/NO98/00107")
    assert not paras[0].heading
    assert paras[1].heading and paras[1].text == "FIELD OF THE INVENTION"
    headings = [p.text for p in paras if p.heading]
    assert headings == [
        "FIELD OF THE INVENTION",
        "BACKGROUND",
        "BRIEF DESCRIPTION OF THE DRAWINGS",
        "DETAILED DESCRIPTION",
    ]


def test_greek_and_fixed_width_ipc(sgml: Path) -> None:
    d = one(sgml / "US06337117.xml")
    assert d.codes("ipc") == ["B32B3/02"]  # B511 "B32B  302"
    assert len(d.priorities) == 4 and {p.country for p in d.priorities} == {"JP"}
    assert d.priority_date == dt.date(1998, 7, 1)
    text = d.description.text
    assert "λ" in text and "μ" in text  # ISO &lgr; &mgr;
    assert "&lgr;" not in text and "&mgr;" not in text


def test_design_grant_usd435854(sgml: Path) -> None:
    d = one(sgml / "USD435854S1.xml")
    assert d.id == "USD435854S" and d.pubno.kind == "S" and d.doc_type == "design"
    assert d.titles["en"] == "Disc cartridge"
    assert d.codes("locarno") == ["14-02"] and d.codes("ipc") == []  # B511 "1402" on a design
    assert d.codes("uspc") == ["D14480"]
    assert len(d.claims) == 1
    assert d.claims[0].text == "The ornamental design for a disc cartridge, as shown and described."
    assert len(d.citations) == 10 and all(c.cited_by == "examiner" for c in d.citations)
    assert d.citations[0].doc_id == "USD271298S" and d.citations[0].date == "1983-11"  # "D. 271298"
    assert [p.name for p in d.assignees] == [
        "Hitachi Maxell, Ltd.",
        "Sanyo Electric Co.,Ltd.",
        "Olympus Optical Co., Ltd.",
    ]
    assert len(d.inventors) == 8 and d.inventors[0].name == "Takagi, Hiroyoshi"
    assert len(d.images) == 5


def test_truncated_in_bulk(sgml: Path, tmp_path: Path) -> None:
    a = (sgml / "US06337117.xml").read_bytes()
    b = (sgml / "US06336130.xml").read_bytes()
    bulk = tmp_path / "pg020101.xml"
    bulk.write_bytes(b + a[: len(a) - 5000])
    items = read_all(SGML, bulk)
    assert items[0].record.id == "US6336130B"
    assert items[1].locator == "document 2 (US06337117)" and items[1].error.startswith("XML syntax error")


def test_round_trip(sgml: Path) -> None:
    for f in sorted(sgml.glob("*.xml")):
        d = one(f)
        assert load_record(dump_record(d)) == d
