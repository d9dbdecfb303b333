"""PATENTSCOPE result-set exports: the three pizza .xls files inside a zip, and .xlsx/.csv copies."""

from __future__ import annotations

import csv
import datetime as dt
import zipfile
from pathlib import Path

import pytest
import xlrd

from ipai.ingest.readers.patentscope_xls import ps_priorities, ps_pubno
from ipai.model import dump_record, load_record
from tests.conftest import detected

ZIP = "landscape-lens-patentscope/pizza_all_24294_raw.zip"
MEMBERS = {
    "pizza_all_24294/patentscope_pizza_1940_2005_9659.xls": 9659,
    "pizza_all_24294/patentscope_pizza_2006_2011_8458.xls": 8458,
    "pizza_all_24294/patentscope_pizza_2012_2015_6177.xls": 6177,
}


def _read(path: Path, member: str | None = None) -> list:
    from ipai.ingest.base import Source
    from ipai.ingest.registry import reader_by_name

    return list(reader_by_name("patentscope-xls").read(Source(path, member, explicit=True)))


@pytest.fixture(scope="module")
def recent(shared_data: Path) -> list:
    return _read(shared_data / ZIP, "pizza_all_24294/patentscope_pizza_2012_2015_6177.xls")


@pytest.mark.parametrize(("member", "count"), list(MEMBERS.items()))
def test_every_row_is_a_record(shared_data: Path, member: str, count: int) -> None:
    assert detected(shared_data / ZIP, member) == "patentscope-xls"
    items = _read(shared_data / ZIP, member)
    assert [i.error for i in items if i.error] == []
    assert len(items) == count


def test_known_record_without_kind_code(recent: list) -> None:
    first = recent[0]
    assert first.locator == "row 1 (US 20150376176)"
    doc = first.record
    assert doc.pubno.kind == "" and doc.id == "US20150376176A" and doc.doc_type == "application"
    assert doc.publication_date == dt.date(2015, 12, 31)
    assert doc.titles == {"en": "SWEET FLAVOR MODIFIER"}
    assert doc.codes("ipc") == [
        "C07D417/12",
        "A23L1/226",
        "C07D498/04",
        "C07D473/00",
        "C07D417/14",
        "C07D471/04",
    ]
    assert [a.name for a in doc.applicants] == ["Joseph R. FOTSING"]
    assert len(doc.inventors) == 7 and doc.inventors[0].name == "Sara Adamski-Werner"
    ep = next(i.record for i in recent if i.record.id == "EP2401919A")
    assert ep.publication_date == dt.date(2012, 1, 4)
    assert len(ep.priorities) == 7 and ep.priorities[0].country == "EP"
    assert ep.priority_date == dt.date(2006, 8, 22)
    assert load_record(dump_record(ep)) == ep


def test_priorities_and_odd_numbers(shared_data: Path) -> None:
    items = _read(shared_data / ZIP, "pizza_all_24294/patentscope_pizza_1940_2005_9659.xls")
    docs = {i.record.id: i for i in items}
    chiron = docs["US20050287165A"]
    assert chiron.locator == "row 3 (US 20050287165)"
    assert [(p.country, p.number, p.date) for p in chiron.record.priorities] == [
        ("GB", "9800760", dt.date(1998, 1, 14)),
        ("GB", "9819015", dt.date(1998, 9, 1)),
        ("GB", "9822143", dt.date(1998, 10, 9)),
    ]
    assert [a.name for a in chiron.record.applicants] == ["Chiron Corporation"]
    assert "MXPA05003863A" in docs  # "mxPA/a/2005/003863"
    assert docs["US2190483A"].record.publication_date == dt.date(1940, 2, 13)
    later = {
        i.record.id for i in _read(shared_data / ZIP, "pizza_all_24294/patentscope_pizza_2006_2011_8458.xls")
    }
    assert "KR101103226A" in later  # "KR101103226*"


def test_number_and_priority_spellings() -> None:
    assert ps_pubno("mxMX/a/2007/002094").doc_id == "MX2007002094A"
    assert ps_pubno("KR1015514300000*").number == "101551430"
    refs = ps_priorities(
        "[60/505,597 24.09.2003 US, null 23.09.2004 US, US 20100729 12/845,997, "
        "US20100819656  , 0305028.3  GB,  1991-08-16T23:59:59.000Z US]"
    )
    assert [(r.country, r.number, r.date) for r in refs] == [
        ("US", "60505597", dt.date(2003, 9, 24)),
        ("US", "12845997", dt.date(2010, 7, 29)),
        ("US", "20100819656", None),
        ("GB", "03050283", None),
    ]


def _sheet_rows(shared_data: Path, n: int) -> list[list[str]]:
    with zipfile.ZipFile(shared_data / ZIP) as zf:
        data = zf.read("pizza_all_24294/patentscope_pizza_2012_2015_6177.xls")
    sh = xlrd.open_workbook(file_contents=data).sheet_by_name("ResultSet")
    return [[str(v) for v in sh.row_values(r)] for r in range(n)]


def test_xlsx_and_csv_copies(shared_data: Path, tmp_path: Path, recent: list) -> None:
    import openpyxl

    rows = _sheet_rows(shared_data, 3 + 40)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "ResultSet"
    for row in rows:
        ws.append(row)
    xlsx = tmp_path / "result.xlsx"
    wb.save(xlsx)
    path = tmp_path / "result.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows[1:])  # one preamble row fewer: the header is found, not assumed
    expected = [dump_record(i.record) for i in recent[:40]]
    for copy in (xlsx, path):
        assert detected(copy) == "patentscope-xls"
        assert [dump_record(i.record) for i in _read(copy)] == expected


def test_broken_csv_row_is_an_error_naming_it(shared_data: Path, tmp_path: Path) -> None:
    rows = _sheet_rows(shared_data, 3 + 4)
    rows[4] = rows[4] + ["extra"]
    rows[5][0] = "not a number"
    path = tmp_path / "result.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    items = _read(path)
    assert [(i.locator, i.error is None) for i in items] == [
        ("row 1 (US 20150376176)", True),
        ("row 2", False),
        ("row 3", False),
        ("row 4 (US 20150375479)", True),
    ]
    assert "expected 8 fields, found 9" in items[1].error and "not a number" in items[2].error
