"""Domain model: number, date and classification normalisation; record round trip."""

from __future__ import annotations

import datetime as dt

import pytest

from ipai.errors import RecordError
from ipai.model import (
    Claim,
    Classification,
    PatentDocument,
    Trademark,
    doc_type_for,
    dump_record,
    load_record,
    make_party,
    normalize_ipc,
    normalize_locarno,
    normalize_vienna,
    parse_date,
    parse_partial_date,
    parse_pubno,
)


@pytest.mark.parametrize(
    "raw,country,expected_id,kind",
    [
        ("US 2013/0101709 A1", None, "US20130101709A", "A1"),
        ("US20150376176", None, "US20150376176A", ""),  # PATENTSCOPE: no kind
        ("US_2009_0022735_A1", None, "US20090022735A", "A1"),  # Lens key
        ("06970935", "US", "US6970935B", ""),  # USPTO XML grant, 2005
        ("5535303", "US", "US5535303A", ""),  # PatentsView grant, 1996
        ("D0925503", "US", "USD925503S", ""),
        ("USD435854S1", None, "USD435854S", "S1"),
        ("EP 3404678 B1", None, "EP3404678B", "B1"),
        ("WO 2008/155316 A1", None, "WO2008155316A", "A1"),
        ("CN114081026A", None, "CN114081026A", "A"),
        ("US 8,926,509 B2", None, "US8926509B", "B2"),
        ("EP 0259054 B9 20031217", None, "EP259054B", "B9"),  # Lens: correction date appended
        ("WO 98/38906", None, "WO1998038906A", ""),  # short WO numbers are widened
        ("WO200156547", None, "WO2001056547A", ""),
        ("03/8444", "WO", "WO2003008444A", ""),
        ("IN 1442CH2015 A", None, "IN1442CH2015A", "A"),  # letters inside the number
        ("SG 11201502189U A", None, "SG11201502189UA", "A"),
    ],
)
def test_pubno_spellings_meet_on_one_key(raw: str, country: str | None, expected_id: str, kind: str) -> None:
    pn = parse_pubno(raw, country=country)
    assert pn.doc_id == expected_id
    assert pn.kind == kind


def test_pubno_rejects_garbage() -> None:
    with pytest.raises(RecordError, match="not a publication number"):
        parse_pubno("hello world")
    with pytest.raises(RecordError):
        parse_pubno("")


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("G06F015/16", "G06F15/16"),
        ("G06F 1516", "G06F15/16"),
        ("B60R  900", "B60R9/00"),
        ("H01F  27/14        20060101AFI20171122BHEP", "H01F27/14"),
        ("C07D41700", "C07D417/00"),
        (" 7C 07C  29/44   A", "C07C29/44"),
        ("A61K2039/55555", "A61K2039/55555"),
        ("G06F", "G06F"),
        ("A63F 9/24 (2006.01)", "A63F9/24"),
        ("709230", None),
        ("", None),
    ],
)
def test_ipc_normal_form(raw: str, expected: str | None) -> None:
    assert normalize_ipc(raw) == expected


def test_locarno_and_vienna() -> None:
    assert normalize_locarno("1401") == "14-01"
    assert normalize_vienna("011703") == "01.17.03"
    assert normalize_vienna("2.1.1") == "02.01.01"
    assert normalize_vienna("x") is None


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("2021-06-30", dt.date(2021, 6, 30)),
        ("20051129", dt.date(2005, 11, 29)),
        ("07/08/02", dt.date(2002, 8, 7)),
        ("31.12.2015", dt.date(2015, 12, 31)),
        ("2007-06-27T00:00:00Z", dt.date(2007, 6, 27)),
        ("2002-8-7", dt.date(2002, 8, 7)),
        ("19981000", None),
        ("31/02/2015", None),
        ("", None),
    ],
)
def test_dates(raw: str, expected: dt.date | None) -> None:
    assert parse_date(raw) == expected


def test_partial_dates_keep_what_is_known() -> None:
    assert parse_partial_date("19981000") == "1998-10"
    assert parse_partial_date("19500000") == "1950"
    assert parse_partial_date("20030300") == "2003-03"


def test_record_round_trip_and_strictness() -> None:
    doc = PatentDocument(
        pubno=parse_pubno("EP3404678B1"),
        titles={"en": "HIGH VOLTAGE ASSEMBLY", "de": "HOCHSPANNUNG"},
        claims=[
            Claim(num=1, text="A high voltage assembly.", lang="en"),
            Claim(num=2, text="Assembly according to claim 1.", lang="en", independent=False, depends_on=[1]),
        ],
        classifications=[Classification(scheme="ipc", code="H01F27/14")],
        applicants=[make_party("General Electric Technology GmbH")],
        publication_date=dt.date(2021, 6, 30),
    )
    assert doc.id == "EP3404678B"
    assert doc.doc_type is None and doc_type_for(doc.pubno) == "patent"
    assert load_record(dump_record(doc)) == doc
    assert doc.languages == ["de", "en"]
    with pytest.raises(ValueError):
        PatentDocument(id="EP1A", pubno=parse_pubno("EP3404678B1"))


def test_trademark_key() -> None:
    tm = Trademark(office="EM", number="000001751", mark_text="Uncle Ben's", vienna_codes=["02.01.01"])
    assert tm.id == "TM-EM000001751"
    assert load_record(dump_record(tm)) == tm


def test_party_names_normalise() -> None:
    a = make_party("International Business Machines Corporation")
    b = make_party("INTERNATIONAL BUSINESS MACHINES CORP.")
    assert a.kind == "organisation" and a.name_norm == b.name_norm
    p = make_party("Daniels; Everette E.")
    assert p.kind == "person" and p.name_norm == "DANIELS EVERETTE E"
    zh = make_party("華為技術有限公司")
    assert zh.kind == "organisation" and zh.name_norm == "华为技术有限公司"
