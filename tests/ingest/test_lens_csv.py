"""Lens.org CSV exports (raw and hand-cleaned): real files of the landscape training set."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ipai.model import dump_record, load_record
from tests.conftest import detected, read_all

LANDSCAPE = "landscape-lens-patentscope"


def _by_id(items: list) -> dict:
    return {i.record.id: i.record for i in items if i.record is not None}


@pytest.fixture(scope="module")
def tac(shared_data: Path) -> list:
    """drones_tac_1606_families.csv: old-Mac \\r endings, Mac Roman, dd/mm/yy dates."""
    return read_all("lens-csv", shared_data / LANDSCAPE / "drones_tac_1606_families.csv")


@pytest.mark.parametrize(
    ("name", "count"),
    [
        ("pizza_lens_1000_raw.csv", 1000),
        ("drones_tac_1606_families.csv", 1606),
        ("drone_drones_fulltext_families_5884.csv", 5884),
    ],
)
def test_every_row_is_a_record(shared_data: Path, name: str, count: int) -> None:
    items = read_all("lens-csv", shared_data / LANDSCAPE / name)
    assert [i.error for i in items if i.error] == []
    assert len(items) == count
    assert detected(shared_data / LANDSCAPE / name) == "lens-csv"


def test_two_digit_years_follow_publication_year(tac: list) -> None:
    docs = _by_id(tac)
    ar = docs["AR21856A"]  # "07/08/02", application "27/10/99"
    assert str(ar.pubno) == "AR 21856 A1" and ar.doc_type == "application"
    assert ar.publication_date == dt.date(2002, 8, 7)
    assert ar.filing_date == dt.date(1999, 10, 27)
    assert ar.application.country == "AR" and ar.application.number == "P990105416"
    assert [(p.country, p.number, p.date) for p in ar.priorities] == [
        ("IT", "RE980117", dt.date(1998, 11, 23))
    ]
    assert [a.name for a in ar.applicants] == ["ASK IND SPA"]
    assert ar.codes("cpc")[:3] == ["H04R1/283", "B60R11/0217", "B60R11/0223"]
    assert ar.codes("ipc") == ["B60R11/00", "B60R11/02", "H04R1/28"]
    assert ar.titles["es"].startswith("Elemento Pasivo Que Funciona")
    assert ar.ids == {"lens": "189-466-043-698-920"}
    assert (ar.extended_family_size, ar.cited_by_count) == (16, 0)
    # 1909, not 2009: the "Publication Year" column settles the century
    gb = docs["GB190814366A"]
    assert gb.publication_date == dt.date(1909, 4, 1) and gb.filing_date == dt.date(1909, 1, 23)
    assert docs["GB190113488A"].filing_date == dt.date(1901, 7, 2)


def test_mac_roman_mojibake_is_repaired(tac: list) -> None:
    docs = _by_id(tac)
    assert "6α-fluor-16α,18-dimethyl" in docs["AT312823B"].titles["de"]
    title = docs["ATA33585A"].titles["de"]
    assert "Zweivölkerbetriebsweise" in title
    assert "\ufffd" in title  # "Für" lost its ü in the export itself: marked, not invented
    assert all("Ã" not in d.title for d in docs.values())


def test_pizza_record(shared_data: Path) -> None:
    items = read_all("lens-csv", shared_data / LANDSCAPE / "pizza_lens_1000_raw.csv")
    first = items[0]
    assert first.locator == "row 1 (US 20130101709 A1)"
    doc = first.record
    assert doc.id == "US20130101709A" and doc.doc_type == "application"
    assert doc.publication_date == dt.date(2013, 4, 25) and doc.filing_date == dt.date(2012, 10, 22)
    assert doc.priorities[0].number == "201161550506" and doc.priorities[0].kind == "P"
    assert doc.priority_date == dt.date(2011, 10, 24)
    assert [a.name for a in doc.applicants] == ["PIZZA HUT INC"]
    assert [i.name for i in doc.inventors] == ["RADER JEFF"]
    assert doc.codes("cpc") == ["A23L1/0067", "G01G19/00"]
    assert doc.codes("uspc") == ["426/231", "99/493"]
    assert doc.titles == {"en": "METHOD AND SYSTEM FOR ASSEMBLING A PIZZA"}
    assert (doc.cited_by_count, doc.family_size, doc.extended_family_size) == (3, 2, 2)
    assert doc.urls == ["https://www.lens.org/lens/patent/US_2013_0101709_A1"]
    granted = items[2].record  # "Granted Patent"
    assert str(granted.pubno) == "US 3982033 A" and granted.doc_type == "patent"
    assert [p.number for p in granted.priorities] == ["17439471", "88088069"]
    assert {i.record.doc_type for i in items if i.record.pubno.number.startswith("D")} == {"design"}


def test_fulltext_export_german_title_and_lists(shared_data: Path) -> None:
    items = read_all("lens-csv", shared_data / LANDSCAPE / "drone_drones_fulltext_families_5884.csv")
    doc = _by_id(items)["AT556755T"]
    assert doc.titles == {
        "de": "Verfahren Und Gerät Zur Fernbedienung Einer Drohne, Insbesondere Einer Drohne Mit Drehflügeln"
    }
    assert [(p.country, p.number, p.date) for p in doc.priorities] == [
        ("FR", "1051751", dt.date(2010, 3, 11)),
        ("FR", "1054449", dt.date(2010, 6, 7)),
    ]
    assert [i.name for i in doc.inventors] == ["SEYDOUX HENRI", "D HAEYER FREDERIC"]
    assert "G08C2201/93" in doc.codes("cpc") and "A63F13/10" in doc.codes("ipc")
    assert (doc.family_size, doc.extended_family_size) == (11, 13)
    assert doc.ids["lens"] == "005-506-993-736-485"
    # numbers parse_pubno does not take: Indian numbers with letters, a correction date appended
    ids = _by_id(items)
    assert "IN1442CH2015A" in ids and "EP259054B" in ids


def test_cleaned_variant(shared_data: Path) -> None:
    path = shared_data / LANDSCAPE / "drones_tac_1606_cleaned.csv"
    assert detected(path) == "lens-csv-cleaned"
    items = read_all("lens-csv-cleaned", path)
    assert len(items) == 1606 and not [i for i in items if i.error]
    doc = items[0].record
    assert str(doc.pubno) == "AR 21856 A1" and doc.publication_date == dt.date(2002, 8, 7)
    assert [a.name for a in doc.applicants] == ["ASK IND SPA"]
    assert doc.codes("cpc") == [
        "B60R11/0217",
        "B60R11/0223",
        "B60R2011/0043",
        "B60R2011/0045",
        "H04R1/283",
        "H04R2499/13",
    ]
    assert doc.priorities[0].number == "RE980117" and doc.ids == {"lens": "189-466-043-698-920"}
    hs = items[2].record
    assert hs.titles == {"de": "Unbemannter Hubschrauber"}
    assert [i.name for i in hs.inventors] == ["SCHIEBEL HANS-GEORG"]
    multi = next(i.record for i in items if len(i.record.inventors) > 2)
    assert all(";" not in p.name for p in multi.inventors)


def test_broken_row_is_an_error_naming_it(tmp_path: Path) -> None:
    header = (
        "#,Jurisdiction,Kind,Publication Number,Lens ID,Publication Date,Publication Year,"
        "Application Number,Application Date,Priority Numbers,Title,Applicants,Inventors,URL,Type,"
        "Full Text,Cited Count,Simple Family Size,Extended Family Size,Sequence Count,"
        "CPC Classifications,IPCR Classifications,US Classifications,PubMed Id(s),DOI(s),"
        "Non-Patent Citations"
    )
    good = (
        "{n},US,B2,US {num} B2,000-000-000-000-00{n},2016-08-30,2016,US 201514719620 A,2015-05-22,"
        "US 201514719620 A 20150522,Unmanned Aerial Vehicle,ACME CORP,DOE JOHN;;ROE JANE,"
        "https://lens.org/000-000-000-000-00{n},Granted Patent,no,1,2,3,0,B64C39/024,B64C39/02,,,,"
    )
    rows = [
        header,
        good.format(n=1, num=9429953),
        good.format(n=2, num=9429954).replace("ACME CORP", "ACME CORP,EXTRA"),
        good.format(n=3, num=9429955).replace("US 9429955 B2", "n/a"),
        good.format(n=4, num=9429956),
    ]
    path = tmp_path / "lens.csv"
    path.write_text("\r".join(rows) + "\r", encoding="utf-8")  # old-Mac line ends
    assert detected(path) == "lens-csv"
    items = read_all("lens-csv", path)
    assert [(i.locator, bool(i.record)) for i in items] == [
        ("row 1 (US 9429953 B2)", True),
        ("row 2 (#2)", False),
        ("row 3 (#3)", False),
        ("row 4 (US 9429956 B2)", True),
    ]
    assert "expected 26 fields, found 27" in items[1].error
    assert "n/a" in items[2].error
    doc = items[3].record
    assert [i.name for i in doc.inventors] == ["DOE JOHN", "ROE JANE"] and doc.doc_type == "patent"


def test_round_trip(tac: list) -> None:
    for item in tac[:200]:
        assert load_record(dump_record(item.record)) == item.record
