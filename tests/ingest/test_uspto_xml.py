"""USPTO v4 full-text XML reader (us-patent-grant / us-patent-application, v4.0–v4.5, designs):
real grants of 2005, 2007 and 2015, applications of 2005, and 41 design grants of 2021."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ipai.model import dump_record, load_record
from tests.conftest import detected, read_all

XML = "uspto-xml"


@pytest.fixture(scope="module")
def samples(shared_data: Path) -> Path:
    return shared_data / "uspto-xml-samples"


def one(path: Path):
    items = read_all(XML, path)
    assert len(items) == 1, items
    assert items[0].error is None, items[0].error
    return items[0].record


@pytest.fixture(scope="module")
def us8926509(samples: Path):
    return one(samples / "xml2014" / "US08926509.xml")


# ---- a 2015 grant (v4.5) ------------------------------------------------------------------
def test_grant_numbers_dates_and_type(us8926509) -> None:
    d = us8926509
    assert d.id == "US8926509B"
    assert (d.pubno.country, d.pubno.number, d.pubno.kind) == ("US", "8926509", "B2")
    assert d.doc_type == "patent" and d.lang == "en"
    assert d.publication_date == d.grant_date == dt.date(2015, 1, 6)
    assert d.application.number == "12134151" and d.application.date == dt.date(2008, 6, 5)
    assert d.filing_date == dt.date(2008, 6, 5)
    # the provisional application 60/968,023 is the earliest priority
    assert [(p.country, p.number, p.date) for p in d.priorities] == [("US", "60968023", dt.date(2007, 8, 24))]
    assert d.priority_date == dt.date(2007, 8, 24)
    assert d.family_members == ["US20090054737A"]  # its own pre-grant publication (related-publication)
    assert d.titles == {"en": "Wireless physiological sensor patches and systems"}
    assert d.abstracts["en"].startswith("The present invention provides methods, devices, and systems")


def test_grant_claims_and_dependencies(us8926509) -> None:
    claims = us8926509.claims
    assert len(claims) == 31
    assert [c.num for c in claims if c.independent] == [1, 6, 11, 17, 22, 27]
    by = {c.num: c for c in claims}
    assert by[2].depends_on == [1] and not by[2].independent
    assert by[3].depends_on == [2]
    assert by[31].depends_on == [27]
    assert by[1].text.startswith("A system for measuring physiological signals, comprising: (a) a patch-ASIC")
    assert by[2].text.startswith("The system of claim 1 wherein")  # printed "2." removed
    assert "μ-Patch" in by[2].text  # &#x3bc; character reference
    assert all(c.lang == "en" for c in claims)


def test_grant_classifications(us8926509) -> None:
    d = us8926509
    ipc = d.codes("ipc")
    assert ipc[:4] == ["A61B5/00", "A61B5/0205", "A61B5/0404", "A61B5/11"]
    assert "H04L29/08" in ipc and "G06F19/00" in ipc
    assert [c.code for c in d.classifications if c.scheme == "ipc" and c.main] == ["A61B5/00"]
    cpc = d.codes("cpc")
    assert cpc[0] == "A61B5/0205"
    assert [c.code for c in d.classifications if c.scheme == "cpc" and c.main] == ["A61B5/0205"]
    assert {"A61B5/0024", "H04L67/125", "G06F19/3418", "A61B2560/0209", "H04W84/18"} <= set(cpc)
    assert len(cpc) == len(set(cpc))  # combination sets repeat codes: kept once
    assert d.codes("uspc")[0] == "600301"
    assert "700  2" in d.codes("uspc")  # raw, as the office writes it


def test_grant_parties(us8926509) -> None:
    d = us8926509
    assert [p.name for p in d.applicants] == [
        "Magar, Surendar",
        "Sattiraju, Venkateswara Rao",
        "Niknejad, Ali",
        "Yun, Louis",
        "Beck, James C.",
    ]
    first = d.applicants[0]
    assert (first.kind, first.last_name, first.first_name, first.city, first.country) == (
        "person",
        "Magar",
        "Surendar",
        "Dublin",
        "US",
    )
    assert [p.name for p in d.inventors] == [p.name for p in d.applicants]
    assert [(p.name, p.kind, p.city, p.country) for p in d.assignees] == [
        ("Hmicro, Inc.", "organisation", "Fremont", "US")
    ]
    # the agent's country is written "unknown": no country
    assert [(p.name, p.country) for p in d.agents] == [("Wilson Sonsini Goodrich & Rosati", None)]


def test_grant_citations(us8926509) -> None:
    cits = us8926509.citations
    assert len(cits) == 160
    assert sum(c.kind == "patent" for c in cits) == 130 and sum(c.kind == "npl" for c in cits) == 30
    assert sum(c.cited_by == "examiner" for c in cits) == 14
    assert sum(c.cited_by == "applicant" for c in cits) == 146
    first = cits[0]
    assert (first.doc_id, first.date, first.name, first.cited_by) == (
        "US4313443A",
        "1982-02",
        "Frosch et al.",
        "applicant",
    )
    gauglitz = next(c for c in cits if c.name == "Gauglitz")
    assert gauglitz.doc_id == "US5231990A" and gauglitz.cited_by == "examiner"
    design = next(c for c in cits if c.name == "Kasabach et al.")
    assert design.pubno.number == "D439981" and design.doc_id == "USD439981S"
    assert cits[-1].kind == "npl"
    assert cits[-1].text == "Office action dated Apr. 25, 2014 for U.S. Appl. No. 12/193,865."


def test_grant_description_and_images(us8926509) -> None:
    paras = us8926509.description.paragraphs
    assert paras[0].heading and paras[0].text == "CROSS-REFERENCE"
    assert paras[1].num == "0001"
    assert paras[1].text.startswith("This application claims the benefit of U.S. Provisional")
    assert paras[2].heading and paras[2].text == "BACKGROUND OF THE INVENTION"
    assert paras[-1].num == "0305"
    nums = [int(p.num) for p in paras if not p.heading]
    assert nums == sorted(set(nums))  # the office's numbers, in order, each once
    # sub-headings written as <p id="h-0007" num="0000"> are headings without a number
    sub = next(p for p in paras if p.text == "Wireless Technology (Radio)")
    assert sub.heading and sub.num is None
    imgs = us8926509.images
    assert [i.file for i in imgs][:2] == ["US08926509-20150106-D00000.TIF", "US08926509-20150106-D00001.TIF"]
    assert len(imgs) == 11 and imgs[0].id == "EMI-D00000" and imgs[0].kind == "drawing"
    assert all(i.path is None for i in imgs)  # the sample folder holds no TIFs


# ---- older DTDs and applications ----------------------------------------------------------
def test_v40_grant_2005(samples: Path) -> None:
    d = one(samples / "xml2004" / "US06970935.xml")
    assert d.id == "US6970935B" and d.pubno.kind == "B1"
    assert d.codes("ipc") == ["G06F15/16"]  # v4.0 <classification-ipc> "G06F015/16"
    assert len(d.claims) == 30 and [c.num for c in d.claims if c.independent] == [1, 22, 30]
    assert [p.name for p in d.applicants] == ["Maes, Stephane H."]
    assert [p.name for p in d.inventors] == ["Maes, Stephane H."]  # applicant-inventor before 2012
    assert d.applicants[0].country == "US"
    assert [p.name for p in d.agents] == ["F.Chau & Associates, LLC", "DeRosa, Frank V."]
    assert [p.kind for p in d.agents] == ["organisation", "person"]
    assert len(d.citations) == 11 and all(c.cited_by == "examiner" for c in d.citations)
    assert d.citations[9].doc_id == "US20020120760A"  # "2002/0120760" A1
    assert len(d.images) == 19


def test_v42_grant_cited_by_other(samples: Path) -> None:
    d = one(samples / "xml2006" / "US07272630B2.xml")
    assert d.id == "US7272630B" and d.codes("ipc") == ["G06F15/13"]
    assert len(d.citations) == 116
    assert sum(c.cited_by == "unknown" for c in d.citations) == 111  # "cited by other"
    assert sum(c.cited_by == "examiner" for c in d.citations) == 5
    assert d.citations[-1].text.startswith("Ferbrache, “A Pathology of Computer Viruse”")
    assert [p.name for p in d.assignees] == ["Microsoft Corporation"]


def test_application_2005(samples: Path) -> None:
    d = one(samples / "xmlApp2004" / "US20050004974A1.xml")
    assert d.id == "US20050004974A" and d.doc_type == "application" and d.grant_date is None
    assert d.publication_date == dt.date(2005, 1, 6)
    assert d.application.number == "10687244" and d.filing_date == dt.date(2003, 10, 16)
    assert [p.number for p in d.priorities] == ["60319622", "60319623", "60319624", "60319625"]
    assert d.priority_date == dt.date(2002, 10, 16)
    assert d.titles["en"] == "Device model agent"
    assert [p.name for p in d.assignees] == ["Xerox Corporation"]  # <assignee><orgname> directly
    assert d.applicants[1].name == "Furst, Michael R."  # middle name kept with the first name
    assert len(d.applicants) == 12 and d.inventors == d.applicants
    assert d.codes("uspc") == ["709202000"] and d.codes("ipc") == ["G06F15/16"]
    assert d.citations == []
    app2 = one(samples / "xmlApp2004" / "US20050004437A1.xml")
    assert [(p.country, p.number, p.date) for p in app2.priorities] == [
        ("CH", "197401", dt.date(2001, 10, 26))
    ]


# ---- design grants -------------------------------------------------------------------------
def test_design_patent_usd925503(shared_data: Path) -> None:
    folder = shared_data / "us-design-patents" / "USD0925503-20210720"
    d = one(folder / "USD0925503-20210720.XML")
    assert d.id == "USD925503S" and d.pubno.kind == "S1" and d.doc_type == "design"
    assert d.titles["en"] == "Microphone"
    assert d.codes("locarno") == ["14-01"]
    assert d.codes("uspc") == ["D14225", "D14228"]
    assert len(d.claims) == 1 and d.claims[0].independent
    assert d.claims[0].text == "The ornamental design for a microphone, as shown and described."
    assert len(d.images) == 9
    for img in d.images:  # the reader names the sheets; ingest copies them into the media store
        assert img.path is None and (folder / img.file).is_file()
    assert len(d.citations) == 82 and all(c.cited_by == "examiner" for c in d.citations)
    assert d.citations[1].doc_id == "USD167828S"
    em = next(c for c in d.citations if c.pubno and c.pubno.country == "EM")
    assert em.date == "2020-01"
    assert [(p.name, p.country) for p in d.applicants] == [("Shenzhen Jiemeisi Industrial Co., Ltd.", "CN")]
    assert [p.name for p in d.inventors] == ["Wang, Liming"]
    first = d.description.paragraphs[0]
    assert first.text == "FIG. 1 is a perspective view of a microphone showing my new design;"


def test_every_design_grant(shared_data: Path) -> None:
    files = sorted((shared_data / "us-design-patents").glob("*/*.XML"))
    assert len(files) == 41
    for f in files:
        assert detected(f) == XML, f
        d = one(f)
        assert d.doc_type == "design" and d.pubno.number.startswith("D")
        assert len(d.codes("locarno")) == 1 and len(d.claims) == 1
        tifs = sorted(p.name for p in f.parent.glob("*.TIF"))
        assert sorted(i.file for i in d.images) == tifs, f
        assert all(i.path is None and (f.parent / i.file).is_file() for i in d.images)


# ---- bulk files: concatenated documents and broken ones -----------------------------------
def _concat(tmp_path: Path, name: str, parts: list[bytes]) -> Path:
    out = tmp_path / name
    out.write_bytes(b"".join(parts))
    return out


def test_concatenated_bulk_file(samples: Path, tmp_path: Path) -> None:
    a = (samples / "xml2014" / "US08930553.xml").read_bytes()
    b = (samples / "xml2004" / "US06970935.xml").read_bytes()
    c = (samples / "xmlApp2004" / "US20050004437A1.xml").read_bytes()
    bulk = _concat(tmp_path, "ipg-bulk.xml", [a, b, c])
    assert detected(bulk) == XML
    items = read_all(XML, bulk)
    assert [i.locator for i in items] == [
        "document 1 (US08930553)",
        "document 2 (US06970935)",
        "document 3 (US20050004437)",
    ]
    assert [i.record.id for i in items] == ["US8930553B", "US6970935B", "US20050004437A"]


def test_truncated_second_document(samples: Path, tmp_path: Path) -> None:
    a = (samples / "xml2014" / "US08930553.xml").read_bytes()
    b = (samples / "xml2004" / "US06970935.xml").read_bytes()
    bulk = _concat(tmp_path, "second-truncated.xml", [a, b[: len(b) // 2]])
    items = read_all(XML, bulk)
    assert len(items) == 2
    assert items[0].record is not None and items[0].record.id == "US8930553B"
    assert items[1].record is None and items[1].locator == "document 2 (US06970935)"
    # the line within the document, then the line in the bulk file
    first_line = a.count(b"\n") + 1
    assert items[1].error.startswith("XML syntax error line ")
    assert f"(file line {first_line + int(items[1].error.split()[4].rstrip(',')) - 1})" in items[1].error


def test_truncated_first_document_mid_line(samples: Path, tmp_path: Path) -> None:
    a = (samples / "xml2014" / "US08926509.xml").read_bytes()
    b = (samples / "xml2014" / "US08930553.xml").read_bytes()
    c = (samples / "xml2006" / "US07272630B2.xml").read_bytes()
    cut = a.index(b"<claim-text>3.") + 20  # the next declaration follows on the same line
    bulk = _concat(tmp_path, "first-truncated.xml", [a[:cut], b, c])
    items = read_all(XML, bulk)
    assert [i.locator for i in items] == [
        "document 1 (US08926509)",
        "document 2 (US08930553)",
        "document 3 (US07272630)",
    ]
    assert items[0].error and items[0].record is None
    first_line_of_b = a[:cut].count(b"\n") + 1
    assert items[0].error.startswith(f"XML syntax error line {first_line_of_b}, column ")
    assert [i.record.id for i in items[1:]] == ["US8930553B", "US7272630B"]
    assert len(items[2].record.citations) == 116


def test_document_that_is_not_a_patent(samples: Path, tmp_path: Path) -> None:
    a = (samples / "xml2014" / "US08930553.xml").read_bytes()
    odd = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b"<us-sequence-listing><doc-number>1</doc-number></us-sequence-listing>\n"
    )
    bulk = _concat(tmp_path, "mixed.xml", [odd, a])
    items = read_all(XML, bulk)
    assert items[0].error and "not a USPTO v4" in items[0].error and items[0].locator == "document 1 (US1)"
    assert items[1].record.id == "US8930553B"


def test_round_trip(samples: Path, shared_data: Path) -> None:
    files = (
        sorted((samples / "xml2014").glob("*.xml"))
        + sorted((samples / "xml2004").glob("*.xml"))
        + [shared_data / "us-design-patents" / "USD0925503-20210720" / "USD0925503-20210720.XML"]
    )
    for f in files:
        d = one(f)
        assert load_record(dump_record(d)) == d, f


def test_citation_fast_path_matches_parse_pubno() -> None:
    """The reader's shortcut for plain US numbers must agree with the model's parser."""
    from ipai.ingest.readers.uspto_common import citation_patent
    from ipai.model import PubNo, parse_pubno

    for number, kind in [
        ("4313443", "A"),
        ("04313443", "A"),
        ("D439981", "S"),
        ("D0439981", "S"),
        ("6230970", "B1"),
        ("2013/0230752", "A1"),
        ("RE28563", "E"),
        ("PP12345", "P2"),
    ]:
        pub = citation_patent(number, "US", kind, "19820200", "X", "examiner")["pubno"]
        got = PubNo(**pub) if isinstance(pub, dict) else pub
        assert got == parse_pubno(number, "US", kind), number


def test_byte_order_mark_and_small_blocks(samples: Path, tmp_path: Path, monkeypatch) -> None:
    """A BOM before the first declaration is not a document; documents cut across read blocks."""
    from ipai.ingest.readers import uspto_common

    a = (samples / "xml2014" / "US08930553.xml").read_bytes()
    b = (samples / "xmlApp2004" / "US20050004437A1.xml").read_bytes()
    bulk = _concat(tmp_path, "bom.xml", [b"\xef\xbb\xbf", a, b])
    monkeypatch.setattr(uspto_common, "_CHUNK", 4099)
    items = read_all(XML, bulk)
    assert [i.record.id for i in items] == ["US8930553B", "US20050004437A"]
