"""USPTO pre-grant publication XML 2001–2004 (``patent-application-publication``), real files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ipai.model import dump_record, load_record
from tests.conftest import detected, read_all

PAP = "uspto-pap"


@pytest.fixture(scope="module")
def pap(shared_data: Path) -> Path:
    return shared_data / "uspto-xml-samples" / "pap"


def one(path: Path):
    items = read_all(PAP, path)
    assert len(items) == 1, items
    assert items[0].error is None, items[0].error
    return items[0].record


def test_detected(pap: Path) -> None:
    files = sorted(pap.glob("*.xml"))
    assert len(files) == 3
    assert {detected(f) for f in files} == {PAP}


def test_organic_el_application(pap: Path) -> None:
    d = one(pap / "US20010000943A1.xml")
    assert d.id == "US20010000943A" and d.pubno.kind == "A1" and d.doc_type == "application"
    assert d.publication_date == dt.date(2001, 5, 10) and d.grant_date is None
    assert d.application.number == "09727454" and d.filing_date == dt.date(2000, 12, 4)
    assert [(p.country, p.number, p.date) for p in d.priorities] == [("JP", "11097727", dt.date(1999, 4, 5))]
    assert d.priority_date == dt.date(1999, 4, 5)
    assert d.titles["en"] == "Organic electroluminescence device and method of manufacturing same"
    assert d.codes("ipc") == ["H01J1/62"]
    assert d.codes("uspc") == ["313503000", "313504000"]
    assert [(p.name, p.kind) for p in d.assignees] == [("IDEMITSU KOSAN CO., LTD.", "organisation")]
    assert [(p.name, p.city, p.country) for p in d.inventors] == [
        ("Fukuoka, Kenichi", "Sodegaura-shi", "JP"),
        ("Eida, Mitsura", "Sodegaura-shi", "JP"),
    ]
    assert d.applicants == d.inventors  # <authority-applicant>INV</authority-applicant>
    # SGML entities of the DTD (&minus; &plus; &emsp;) become characters without loading it
    assert "Min−20 nm<t<Min+20 nm" in d.abstracts["en"]
    assert "&" not in d.abstracts["en"]
    assert len(d.images) == 35


def test_claims_from_dependent_claim_reference(pap: Path) -> None:
    d = one(pap / "US20010000943A1.xml")
    assert len(d.claims) == 13
    by = {c.num: c for c in d.claims}
    assert by[2].depends_on == [1] and by[3].depends_on == [2] and by[6].depends_on == [1]
    assert [c.num for c in d.claims if c.independent] == [1, 8, 9, 11]
    assert by[2].text.startswith("The organic electroluminescence device according to claim 1, wherein")


def test_description_paragraph_numbers(pap: Path) -> None:
    d = one(pap / "US20010000943A1.xml")
    paras = d.description.paragraphs
    assert paras[0].heading and paras[0].text == "CROSS REFERENCE TO RELATED APPLICATION"
    assert paras[1].num == "0001"  # <number>1.</number>, printed [0001]
    assert (
        paras[1].text == "This is a continuation application of PCT International Application of "
        "PCT/JP00/02182 filed on Apr. 4, 2000."
    )
    assert "“organic EL device”" in paras[3].text  # &ldquo; &rdquo;


def test_file_without_xml_declaration(pap: Path) -> None:
    """US20010000044A1.xml starts with a stray XHTML DOCTYPE and no <?xml …?> line."""
    d = one(pap / "US20010000044A1.xml")
    assert d.id == "US20010000044A"
    assert d.titles["en"] == (
        "Systems and Methods For Transacting Business Over A Global Communications "
        "Network Such As The Internet"
    )
    assert len(d.claims) == 21
    assert [c.num for c in d.claims if c.independent] == [1, 13, 19]  # no markup: from the wording
    assert {c.num: c.depends_on for c in d.claims}[5] == [4]
    assert d.inventors[0].name == "Lin, Wayne W" and d.inventors[0].country == "US"
    assert d.codes("ipc") == ["G06F17/60"] and d.codes("uspc")[0] == "705026000"


def test_provisional_priority_and_suffix(pap: Path) -> None:
    d = one(pap / "US20010009014A1.xml")
    assert [(p.country, p.number, p.date) for p in d.priorities] == [("US", "60128037", dt.date(1999, 4, 6))]
    assert d.inventors[0].name == "Savage III, James A."
    assert len(d.claims) == 55


def test_concatenated_and_truncated(pap: Path, tmp_path: Path) -> None:
    a = (pap / "US20010000943A1.xml").read_bytes()
    b = (pap / "US20010009014A1.xml").read_bytes()
    bulk = tmp_path / "pab.xml"
    bulk.write_bytes(a[: len(a) // 3] + b)
    items = read_all(PAP, bulk)
    assert [i.locator for i in items] == ["document 1 (US20010000943)", "document 2 (US20010009014)"]
    assert items[0].error.startswith("XML syntax error line ") and items[1].record.id == "US20010009014A"


def test_round_trip(pap: Path) -> None:
    for f in sorted(pap.glob("*.xml")):
        d = one(f)
        assert load_record(dump_record(d)) == d
