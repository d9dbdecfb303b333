"""Lens.org JSON lines: the COVID-19 patent collections."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from ipai.model import dump_record, load_record
from tests.conftest import detected, read_all

COVID = "covid-patents-lens-biblio"


@pytest.mark.parametrize(
    ("name", "count"),
    [
        ("Coronavirus-patents-SARS-MERS-TAC.jsonl", 1588),
        ("Coronavirus-CPC-based-patents.jsonl", 1470),
        ("Coronavirus-declared-patseq-organism.jsonl", 762),
    ],
)
def test_every_line_is_a_record(shared_data: Path, name: str, count: int) -> None:
    path = shared_data / COVID / name
    assert detected(path) == "lens-jsonl"
    items = read_all("lens-jsonl", path)
    assert [i.error for i in items if i.error] == []
    assert len(items) == count


def test_known_records(shared_data: Path) -> None:
    items = read_all("lens-jsonl", shared_data / COVID / "Coronavirus-CPC-based-patents.jsonl")
    wo = items[0].record
    assert items[0].locator == "line 1 (WO 2008155316 A1)"
    assert wo.id == "WO2008155316A" and wo.doc_type == "application"
    assert wo.publication_date == dt.date(2008, 12, 24) and wo.filing_date == dt.date(2008, 6, 17)
    assert (wo.application.country, wo.application.number, wo.application.kind) == ("EP", "2008057583", "W")
    assert [(p.country, p.number, p.date) for p in wo.priorities] == [("GB", "0711858", dt.date(2007, 6, 19))]
    assert wo.priority_date == dt.date(2007, 6, 19)
    assert wo.titles == {"en": "Immunogenic Compositions Associated With Sars Corona Virus Spike Protein"}
    assert [a.name for a in wo.applicants][:2] == ["GLAXOSMITHKLINE BIOLOG SA", "PASTEUR INSTITUT"]
    assert len(wo.inventors) == 7 and wo.inventors[0].name == "BARAS BENOIT"
    assert wo.codes("cpc")[:2] == ["C07K16/10", "A61K39/12"] and "A61K2039/55555" in wo.codes("cpc")
    assert wo.codes("ipc") == ["A61K39/215", "A61P31/14", "C07K14/165"]
    assert len(wo.citations) == 2 and all(c.kind == "npl" for c in wo.citations)
    assert wo.citations[0].text.startswith("CALLENDRET B, LORIN V")
    assert (wo.cited_by_count, wo.family_size, wo.extended_family_size) == (3, 8, 8)
    assert wo.ids == {"lens": "165-682-789-919-350"}
    us = items[1].record
    assert us.id == "US20090022735A"
    assert [a.name for a in us.assignees] == ["NATIONAL HEALTH RESEARCH INSTITUTES"]
    assert "424/159.1" in us.codes("uspc")
    assert load_record(dump_record(us)) == us


def test_numbers_with_dates_and_letters(shared_data: Path) -> None:
    items = read_all("lens-jsonl", shared_data / COVID / "Coronavirus-patents-SARS-MERS-TAC.jsonl")
    ids = {i.record.id for i in items}
    assert "US20090068101A" in ids  # displayKey "US 2009 0068101 A9 20090312"
    assert "SG11201608567YA" in ids  # "SG 11201608567Y A"


def test_bad_line_is_an_error_naming_it(shared_data: Path, tmp_path: Path) -> None:
    lines = (shared_data / COVID / "Coronavirus-CPC-based-patents.jsonl").read_text().splitlines()[:4]
    broken = json.loads(lines[2])
    broken["displayKey"] = broken["publicationKey"] = ""
    path = tmp_path / "lens.jsonl"
    path.write_text("\n".join([lines[0], lines[1][:50], json.dumps(broken), lines[3]]) + "\n")
    assert detected(path) == "lens-jsonl"
    items = read_all("lens-jsonl", path)
    assert [bool(i.record) for i in items] == [True, False, False, True]
    assert items[1].locator == "line 2" and "not valid JSON" in items[1].error
    assert items[2].locator == "line 3" and "publication number" in items[2].error


def test_round_trip(shared_data: Path) -> None:
    for item in read_all("lens-jsonl", shared_data / COVID / "Coronavirus-declared-patseq-organism.jsonl"):
        assert load_record(dump_record(item.record)) == item.record
