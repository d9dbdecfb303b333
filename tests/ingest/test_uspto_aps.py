"""USPTO APS "Greenbook" full text 1976–2001 (PATN records), real files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ipai.model import dump_record, load_record
from tests.conftest import detected, read_all

APS = "uspto-aps"


@pytest.fixture(scope="module")
def gb(shared_data: Path) -> Path:
    return shared_data / "uspto-xml-samples" / "greenbook"


def one(path: Path):
    items = read_all(APS, path)
    assert len(items) == 1, items
    assert items[0].error is None, items[0].error
    return items[0].record


def test_detected(gb: Path) -> None:
    files = sorted(gb.glob("*.greenbook"))
    assert len(files) == 3
    assert {detected(f) for f in files} == {APS}


def test_us3937375(gb: Path) -> None:
    d = one(gb / "US03937375.greenbook")
    assert d.id == "US3937375A" and d.pubno.number == "3937375"  # WKU 039373754: check digit dropped
    assert d.doc_type == "patent" and d.lang == "en"
    assert d.publication_date == d.grant_date == dt.date(1976, 2, 10)
    # APN 5184541 = serial 518,454 + check digit; series code SRC 5
    assert d.application.number == "05518454" and d.filing_date == dt.date(1974, 10, 29)
    assert d.titles["en"] == "Bumper support for a boat loader"
    assert d.codes("ipc") == ["B60R9/00"]  # ICL "B60R  900"
    assert [(c.code, c.main) for c in d.classifications if c.scheme == "uspc"] == [
        ("224 4207", True),
        ("214450", False),
    ]
    assert [(p.name, p.kind, p.city, p.country) for p in d.inventors] == [
        ("Daniels, Everette E.", "person", "Des Moines", "US")
    ]
    assert d.abstracts["en"].startswith("A unit mountable on a rear bumper of a vehicle")
    assert [(c.doc_id, c.date, c.name) for c in d.citations] == [
        ("US2542907A", "1951-02", "Dayton et al."),
        ("US2762542A", "1956-09", "Hodgeman"),
        ("US2772799A", "1956-12", "Bridinger"),
        ("US3113789A", "1963-12", "Safford"),
        ("US3702197A", "1972-11", "Sellers"),
    ]


def test_us3937375_claims_and_description(gb: Path) -> None:
    d = one(gb / "US03937375.greenbook")
    assert len(d.claims) == 3
    assert [(c.num, c.depends_on) for c in d.claims] == [(1, []), (2, [1]), (3, [2])]
    assert d.claims[0].text.startswith("In a bumper support for a boat loader, the combination of a pair")
    assert d.claims[0].text.endswith("automobile bumper rear lower edge.")
    paras = d.description.paragraphs
    assert paras[0].text == "This invention relates generally to automotive accessories."
    assert paras[-1].text.startswith("While various changes may be made in the detail construction")
    assert not any(p.heading for p in paras)


def test_us4347903_foreign_parties_priority_headings(gb: Path) -> None:
    d = one(gb / "US04347903.greenbook")
    assert d.id == "US4347903A" and d.application.number == "06192529"
    assert len(d.inventors) == 8 and d.inventors[0].name == "Yano, Shozo"
    assert {p.country for p in d.inventors} == {"JP"}  # CNT JPX
    assert [(p.name, p.kind, p.country) for p in d.assignees] == [
        ("Shimadzu Corporation", "organisation", "JP")
    ]
    assert [(p.name, p.kind) for p in d.agents] == [("Oujevolk, George B.", "person")]
    assert [(p.country, p.number, p.date) for p in d.priorities] == [("JP", "5384696", dt.date(1978, 7, 10))]
    assert d.codes("ipc") == ["G01G19/04", "G01G23/10", "G06F7/28"]
    first = d.description.paragraphs[0]
    assert first.heading and first.text == "BACKGROUND OF THE INVENTION"
    c1 = d.claims[0]
    assert c1.num == 1 and "(a) balance means (1) disposed" in c1.text  # PA1 sub-paragraphs joined
    assert [c.depends_on for c in d.claims] == [[], [1], [1]]


def test_stream_of_records_with_header(gb: Path, tmp_path: Path) -> None:
    """A weekly file: an HHHHHT header line then PATN records back to back."""
    body = b"".join(
        (gb / n).read_bytes()
        for n in ("US03932709.greenbook", "US03937375.greenbook", "US04347903.greenbook")
    )
    f = tmp_path / "pftaps19760113_wk02.txt"
    f.write_bytes(b"HHHHHT  APS1 ISSUE 760113\n" + body)
    assert detected(f) == APS
    items = read_all(APS, f)
    assert [i.locator for i in items] == [
        "record 1 (WKU 039327094)",
        "record 2 (WKU 039373754)",
        "record 3 (WKU 043479030)",
    ]
    assert [len(i.record.claims) for i in items] == [17, 3, 3]


def test_broken_record_is_an_error_item(gb: Path, tmp_path: Path) -> None:
    good = (gb / "US03937375.greenbook").read_text()
    bad = (gb / "US03932709.greenbook").read_text().replace("WKU  039327094\n", "")
    f = tmp_path / "two.txt"
    f.write_text(bad + good)
    items = read_all(APS, f)
    assert items[0].locator == "record 1" and "WKU" in items[0].error
    assert items[1].locator == "record 2 (WKU 039373754)" and items[1].record.id == "US3937375A"


def test_round_trip(gb: Path) -> None:
    for f in sorted(gb.glob("*.greenbook")):
        d = one(f)
        assert load_record(dump_record(d)) == d
