"""WIPO patent landscape table: the ritonavir landscape report."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from ipai.ingest.readers.wipo_landscape import ipc_codes
from ipai.model import dump_record, load_record
from tests.conftest import detected, read_all

RITONAVIR = "landscape-lens-patentscope/ritonavir.csv"


@pytest.fixture(scope="module")
def items(shared_data: Path) -> list:
    return read_all("wipo-landscape-csv", shared_data / RITONAVIR)


def test_every_row_is_a_record(shared_data: Path, items: list) -> None:
    assert detected(shared_data / RITONAVIR) == "wipo-landscape-csv"
    assert [i.error for i in items if i.error] == []
    assert len(items) == 804


def test_known_records(items: list) -> None:
    au = items[0].record
    assert items[0].locator == "row 1 (AU 2007202956 B2)"
    assert au.id == "AU2007202956B" and au.doc_type == "patent"
    assert au.publication_date == dt.date(2007, 7, 19) and au.filing_date == dt.date(2007, 6, 27)
    assert [(p.country, p.number, p.date) for p in au.priorities] == [
        ("AU", "19990050037", dt.date(1999, 7, 19))
    ]
    assert au.titles == {"en": "Polymorph of a pharmaceutical"}
    assert au.codes("ipc") == ["C07D417/00"]
    assert [a.name for a in au.applicants] == ["ABBOTT LAB"]
    assert au.inventors[0].name == "SALEKI-GERHARDT AZITA" and len(au.inventors) == 8
    assert au.family_members == ["AU2003254711A", "AU2007202943A", "AU2003254711B"]
    assert au.family_size == 3
    ca = items[1].record
    assert ca.doc_type == "application"  # "granted patent" describes the family, not this A1
    assert [(i.name, i.country) for i in ca.inventors] == [("SOLDIN STEVEN J", "US")]
    assert ca.codes("ipc") == ["H01J49/00", "G01N30/72"]
    cn = items[2].record
    assert cn.codes("ipc") == ["C07D417/14", "A61P31/18", "A61K31/426"]
    assert [(i.name, i.country) for i in cn.inventors] == [("JIANFENG ZHENG", "CN"), ("GUOZONG SHI", "CN")]
    docs = {i.record.id: i.record for i in items}
    assert "IN496MUM2008A" in docs  # "IN00496MUM2008"
    # short WO numbers land on the key Lens and PATENTSCOPE use
    assert docs["WO2001056547A"].titles["en"].startswith("PREPARATION OF AQUEOUS")  # "WO200156547"
    assert docs["WO2009120240A"].codes("ipc") == ["A61B5/0245"]  # ANALYTE SENSOR, 3-digit main
    multi = [i.record for i in items if len(i.record.applicants) > 1]
    assert any(a.name == "F. HOFFMANN-LA ROCHE AG" for d in multi for a in d.applicants)


def test_fixed_width_ipc() -> None:
    assert ipc_codes(["C07D41700", "A61K031426"]) == ["C07D41700", "A61K031426"]
    assert ipc_codes(["A61P000100", "A61K0031415"]) == ["A61P1/00", "A61K31/415"]
    assert ipc_codes(["A61B0050245"]) == ["A61B0050245"]
    assert ipc_codes(["A61K00920", "A61K009107"]) == ["A61K00920", "A61K009107"]  # 3-digit mains
    assert ipc_codes(["7A 61K 31:56 J"]) == ["7A 61K 31/56 J"]


def test_broken_row_is_an_error_naming_it(shared_data: Path, tmp_path: Path) -> None:
    with open(shared_data / RITONAVIR, newline="", encoding="utf-8") as fh:
        rows = [r for _, r in zip(range(5), csv.reader(fh), strict=False)]
    rows[2] = rows[2][:-3]
    rows[3][1] = "???"
    path = tmp_path / "landscape.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    assert detected(path) == "wipo-landscape-csv"
    got = read_all("wipo-landscape-csv", path)
    assert [(i.locator, i.error is None) for i in got] == [
        ("row 1 (AU 2007202956 B2)", True),
        ("row 2 (row no 2)", False),
        ("row 3 (row no 3)", False),
        ("row 4 (CN 101613325 A)", True),
    ]
    assert "expected 20 fields, found 17" in got[1].error and "???" in got[2].error


def test_round_trip(items: list) -> None:
    for item in items:
        assert load_record(dump_record(item.record)) == item.record
