"""EPO publication XML reader: real EP A1/A2/B1/B2 files of every DTD version 1.0 … 1.5.1."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from ipai.ingest.base import Source
from ipai.ingest.readers import epo_xml
from ipai.ingest.readers.epo_xml import EpoXml, cited_pubno
from ipai.model import dump_record, load_record
from tests.conftest import detected, read_all

N_FILES = 33


@pytest.fixture(scope="module")
def epo(shared_data: Path) -> Path:
    return shared_data / "epo-xml-samples"


@pytest.fixture(scope="module")
def files(epo: Path) -> list[Path]:
    found = sorted(epo.rglob("*.xml"))
    assert len(found) == N_FILES
    return found


@pytest.fixture(scope="module")
def docs(files: list[Path]) -> dict[str, object]:
    """Every file's one record, by file name (``grant/v1-5-B1.xml``)."""
    out = {}
    for f in files:
        items = read_all("epo-xml", f)
        assert len(items) == 1, f
        out[f"{f.parent.name}/{f.name}"] = items[0]
    return out


def one(docs: dict, name: str):
    item = docs[name]
    assert item.error is None, item.error
    return item.record


# ---- every file ---------------------------------------------------------------------------
def test_every_file_detected_and_parsed_without_error(files, docs) -> None:
    for f in files:
        assert detected(f) == "epo-xml", f
    errors = {k: v.error for k, v in docs.items() if v.error}
    assert errors == {}
    ids = {v.record.id for v in docs.values()}
    assert len(ids) == N_FILES  # 33 distinct publications (no file repeats another)
    for item in docs.values():
        d = item.record
        assert d.pubno.country == "EP" and d.titles and d.publication_date and d.filing_date
        assert item.locator == f"document 1 ({d.pubno.country}{d.pubno.number}{d.pubno.kind})"
        assert d.doc_type == ("patent" if d.pubno.kind.startswith("B") else "application")
        assert set(d.titles) == {"de", "en", "fr"}
        assert d.codes("ipc"), d.id


def test_round_trip_dump_load_is_equal(docs) -> None:
    for item in docs.values():
        assert load_record(dump_record(item.record)) == item.record


def test_not_an_epo_file_is_not_sniffed(tmp_path: Path) -> None:
    f = tmp_path / "x.xml"
    f.write_text('<?xml version="1.0"?><us-patent-grant lang="EN"/>')
    assert EpoXml().sniff(Source(f)) == 0


# ---- EP 3404678 B1 (DTD 1.5) --------------------------------------------------------------
def test_ep3404678_b1(docs) -> None:
    d = one(docs, "grant/v1-5-B1.xml")
    assert docs["grant/v1-5-B1.xml"].locator == "document 1 (EP3404678B1)"
    assert d.id == "EP3404678B" and d.pubno.kind == "B1" and d.doc_type == "patent" and d.lang == "en"
    assert d.titles["en"] == "HIGH VOLTAGE ASSEMBLY AND METHOD TO OPERATE THE HIGH VOLTAGE ASSEMBLY"
    assert d.titles["de"].startswith("HOCHSPANNUNGSANORDNUNG UND VERFAHREN")
    assert d.titles["fr"].startswith("ENSEMBLE À HAUTE TENSION")
    assert (d.publication_date, d.grant_date, d.filing_date) == (
        dt.date(2021, 6, 30),
        dt.date(2021, 6, 30),
        dt.date(2017, 5, 17),
    )
    assert d.application.country == "EP" and d.application.number == "17171508"
    assert d.priorities == [] and d.priority_date is None
    # claims: 12 in each of en, de, fr; independent claims 1 and 7
    for lang, first in (
        ("en", "A high voltage assembly (2) comprising:"),
        ("de", "Hochspannungsanordnung (2), umfassend:"),
        ("fr", "Ensemble haute tension (2) comprenant :"),
    ):
        cl = d.claims_in(lang)
        assert [c.num for c in cl] == list(range(1, 13))
        assert cl[0].text.startswith(first)
        assert [c.num for c in cl if c.independent] == [1, 7]
        assert cl[1].depends_on == [1] and cl[10].depends_on == [7, 8, 9, 10]
    assert "characterized in that the pipe arrangement (16) further comprises" in d.claims[0].text
    assert d.abstracts == {}
    # description: headings and numbered paragraphs, English
    desc = d.description
    assert desc.lang == "en"
    assert desc.paragraphs[0].heading and desc.paragraphs[0].text == "FIELD OF THE INVENTION"
    assert desc.paragraphs[1].num == "0001" and desc.paragraphs[1].text.startswith("The present invention")
    nums = [p.num for p in desc.paragraphs if not p.heading]
    assert nums[0] == "0001" and nums[-1] == f"{len(nums):04d}"
    assert "Figures 1 and 2 show a schematic high voltage assembly" in desc.text
    # classifications
    assert [(c.code, c.main) for c in d.classifications] == [("H01F27/14", True), ("H01F27/40", False)]
    # parties: a B document names proprietors (→ assignees), not applicants
    assert d.applicants == []
    assert [(p.name, p.kind, p.country, p.city) for p in d.assignees] == [
        ("General Electric Technology GmbH", "organisation", "CH", "Baden")
    ]
    assert [(p.last_name, p.first_name, p.country) for p in d.inventors] == [
        ("HARTHUM", "Jörg", "DE"),
        ("STIRL", "Tobias", "DE"),
    ]
    assert d.inventors[0].city == "Erftstadt" and d.inventors[0].kind == "person"
    assert [p.name for p in d.agents] == ["Freigutpartners IP Law Firm"]
    assert len(d.designated_states) == 38 and {"DE", "FR", "GB", "CH", "TR"} <= set(d.designated_states)
    # citations: front page (office) and reference list (applicant)
    exam = [c.doc_id for c in d.citations if c.cited_by == "examiner"]
    assert exam == ["EP3109871A", "FR84247E", "GB693448A", "US20080197955A"]
    ep = next(c for c in d.citations if c.doc_id == "EP3109871A")
    assert ep.pubno.kind == "A1" and ep.text == "EP-A1- 3 109 871" and ep.kind == "patent"
    appl = [c.doc_id for c in d.citations if c.cited_by == "applicant"]
    assert appl == ["EP3109871A", "US20080197955A", "GB693448A"]
    # drawings and events
    assert [(i.file, i.kind, i.path) for i in d.images] == [
        (f"imgf000{k}.tif", "drawing", None) for k in (1, 2, 3)
    ]
    assert [(e.code, e.date) for e in d.legal_events] == [
        ("B241", dt.date(2019, 5, 21)),
        ("B450", dt.date(2021, 6, 30)),
    ]


# ---- old DTDs -----------------------------------------------------------------------------
def test_dtd_1_0_a1_with_old_style_ipc(docs) -> None:
    d = one(docs, "application/v1-0-A1.xml")
    assert d.id == "EP1325900A" and d.pubno.kind == "A1" and d.doc_type == "application"
    assert d.grant_date is None and d.publication_date == dt.date(2003, 7, 9)
    # <B511> 7C 07C  29/44   A</B511><B512> 7C 07C  31/38   B</B512>
    assert [(c.scheme, c.code, c.main) for c in d.classifications] == [
        ("ipc", "C07C29/44", True),
        ("ipc", "C07C31/38", False),
    ]
    assert [(p.country, p.number, p.date) for p in d.priorities] == [
        ("JP", "2000273711", dt.date(2000, 9, 8))
    ]
    assert d.priority_date == dt.date(2000, 9, 8)
    assert d.application.number == "01963450" and d.filing_date == dt.date(2001, 9, 5)
    assert d.ids == {"pct_application": "PCT/JP2001/007711", "wo_publication": "WO2002020444"}
    assert [p.name for p in d.applicants] == ["ASAHI GLASS COMPANY LTD."] and d.assignees == []
    assert d.applicants[0].country == "JP" and d.applicants[0].city == "Tokyo"
    assert [p.name for p in d.agents] == ["Müller-Boré & Partner Patentanwälte"]
    assert d.abstracts["en"].startswith("A process for producing a fluoroalkanol")
    assert "CF2=CFRf are continuously supplied" in d.abstracts["en"]
    assert len(d.claims) == 7 and {c.lang for c in d.claims} == {"en"}
    assert d.claims[0].independent
    # the search report is a page image in these files: no structured citations
    srep_pages = [(i.file, i.kind) for i in d.images if i.kind == "search-report"]
    assert srep_pages == [("srep0001.tif", "search-report")]
    assert d.citations == []


def test_dtd_1_1_a1_old_ipc_and_unnumbered_claims(docs) -> None:
    d = one(docs, "application/v1-1-A1.xml")
    assert d.id == "EP2A" and d.pubno.number == "2" and d.lang == "de"
    assert d.codes("ipc") == ["C07D307/12", "C07D407/12", "C07D307/42", "A01N43/08"]
    assert [c.code for c in d.classifications if c.main] == ["C07D307/12"]
    # <claim num=""> with "1.) …" text: the number comes from the id and is cut from the text
    assert [c.num for c in d.claims] == [1, 2, 3, 4, 5, 6]
    assert d.claims[0].text.startswith("Tetrahydrofuran-Derivate der Formel")
    assert d.claims[2].text.startswith("Herbizide Mittel") and d.claims[2].depends_on == [1]


def test_ipcr_and_cpc_with_main_flags(docs) -> None:
    d = one(docs, "application/v1-5-1-A1-1.xml")
    assert d.codes("ipc") == ["A01B71/02", "B60K28/04", "B60K25/06"]
    assert "F16D2500/10437" in d.codes("cpc") and "B60K17/28" in d.codes("cpc")
    assert [c.code for c in d.classifications if c.scheme == "cpc" and c.main] == ["F16D48/06"]
    b2 = one(docs, "grant/v1-4-B2.xml")  # C07D 498/06 appears as AFI and ALN: one code, main
    assert [(c.code, c.main) for c in b2.classifications][:2] == [
        ("C07D498/06", True),
        ("A61K31/5383", False),
    ]


def test_biblio_only_a2_has_no_text(docs) -> None:
    d = one(docs, "application/v1-01-A2.xml")
    assert d.claims == [] and d.description is None and d.abstracts == {}
    assert d.titles["en"] == "COMPOSITE YARN AND PRODUCTS MADE THEREFROM"
    assert d.ids["wo_publication"] == "WO2005045109"


# ---- languages ----------------------------------------------------------------------------
def test_german_and_french_texts_stored_under_their_language(docs) -> None:
    a2 = one(docs, "application/v1-0-A2.xml")  # a German-language application
    assert a2.lang == "de" and list(a2.abstracts) == ["de"] and a2.description.lang == "de"
    assert {c.lang for c in a2.claims} == {"de"} and len(a2.claims) == 19
    assert a2.titles["de"].startswith("Verfahren und System zur Ermittlung")
    b2 = one(docs, "grant/v1-5-B2.xml")  # a German-language grant: claims de, en, fr
    assert b2.lang == "de" and b2.description.lang == "de"
    assert [len(b2.claims_in(lg)) for lg in ("de", "en", "fr")] == [13, 13, 13]
    assert b2.claims[0].lang == "de"
    assert b2.claims[0].text.startswith("Druckmaschine (102) zum Direktbedrucken")
    assert b2.claims_in("fr")[0].text.startswith("Machine d'impression (102) pour l'impression directe")
    assert b2.titles == {
        "de": "Druckmaschine mit Verkleidung",
        "en": "Printing machine with cladding",
        "fr": "Imprimante avec habillage",
    }
    fr = one(docs, "grant/v1-5-B1.xml").claims_in("fr")
    assert fr[1].text.startswith("Ensemble haute tension (2) selon la revendication 1")
    # "selon une quelconque revendication précédente": dependencies follow the English claim 5
    assert fr[4].depends_on == [1, 2, 3, 4] and not fr[4].independent


# ---- parties, citations, events -----------------------------------------------------------
def test_b2_opponents_and_lapses_become_events(docs) -> None:
    d = one(docs, "grant/v1-2-B2.xml")
    opp = [(e.date, e.description) for e in d.legal_events if e.code == "B781"]
    assert opp[0] == (dt.date(1999, 10, 26), "opposition filed by Cytocell Ltd.")
    lapses = {e.country: e.date for e in d.legal_events if e.code == "B475"}
    assert lapses["LU"] == dt.date(2000, 8, 8) and len(lapses) == 10
    assert d.assignees[0].name == "The Regents of the University of California"
    npl = [c for c in d.citations if c.kind == "npl" and c.cited_by == "examiner"]
    assert npl[0].text.startswith("PROCEEDINGS OF THE NATL. ACADEMY OF SCIENCES USA, vol. 85")


def test_cited_number_spellings() -> None:
    cases = {
        "EP-A1- 3 109 871": "EP3109871A",
        "US-A1- 2008 197 955": "US20080197955A",
        "WO-A-03/008444": "WO2003008444A",
        "WO-A-90/05789": "WO1990005789A",
        "WO-A1-2014/114885": "WO2014114885A",
        "DE-A1-102009 041 527": "DE102009041527A",
        "US-E- R E36 154": "USRE36154E",
        "DE-U1- 29 618 318": "DE29618318U",
        "US-B1- 6 382 450": "US6382450B",
    }
    for raw, doc_id in cases.items():
        assert cited_pubno(raw).doc_id == doc_id, raw
    assert cited_pubno("EP-A1- 3 109 871").kind == "A1"
    assert cited_pubno("nonsense") is None


def test_applicant_citations_from_reference_list_and_application_numbers(docs) -> None:
    d = one(docs, "grant/v1-2-B1.xml")
    appl = [c for c in d.citations if c.cited_by == "applicant"]
    assert appl[0].doc_id == "WO1991006571A"
    app_no = next(c for c in appl if c.text == "application US662276A")
    assert app_no.pubno is None and app_no.date == "1991-02-28"
    # structured article references written out, with the first author and the year
    rafnar = next(c for c in appl if c.kind == "npl" and c.name == "RAFNAR et al.")
    assert rafnar.text == "RAFNAR et al.: J. Biol. Chem., 1991, vol. 226, pages 1229-1236"
    assert rafnar.date == "1991"
    d = one(docs, "grant/v1-4-B1.xml")
    npl = [c.text for c in d.citations if c.kind == "npl" and c.cited_by == "applicant"]
    assert npl == [
        "M. Suzuki et al.: An optical-heterodyne alignment technique for quarter-micron "
        "x-ray lithography, Journal of Vacuum Science & Technology: Part B, vol. 7, no. 6, "
        "pages 1971-1976"
    ]


def test_structured_search_report_gives_categories(epo: Path, tmp_path: Path) -> None:
    """The sample files carry the search report as page images only; EPO's structured form
    (``srep-citations/citation`` with ``category`` and ``rel-claims``) is read when present."""
    parser = etree.XMLParser(load_dtd=False, no_network=True)
    root = etree.parse(str(epo / "application/v1-5-A1.xml"), parser).getroot()
    srep = root.find("search-report-data")
    cits = etree.SubElement(etree.SubElement(srep, "srep-for-pub"), "srep-citations")
    for cat, claims, dnum in (("X", "1-5", "US2015123456A1"), ("Y", "6", "EP3109871A1"), ("A", "1", None)):
        c = etree.SubElement(cits, "citation")
        if dnum:
            etree.SubElement(c, "patcit", dnum=dnum)
        else:
            etree.SubElement(etree.SubElement(c, "nplcit"), "text").text = "SMITH: Displays, 2010"
        etree.SubElement(c, "category").text = cat
        etree.SubElement(c, "rel-claims").text = claims
    f = tmp_path / "srep.xml"
    f.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    d = read_all("epo-xml", f)[0].record
    srep_cits = [c for c in d.citations if c.phase == "search"]
    assert [(c.categories, c.claims, c.doc_id, c.cited_by) for c in srep_cits] == [
        (["X"], "1-5", "US20150123456A", "examiner"),
        (["Y"], "6", "EP3109871A", "examiner"),
        (["A"], "1", None, "examiner"),
    ]
    assert srep_cits[2].kind == "npl" and srep_cits[2].text == "SMITH: Displays, 2010"


def test_claim_ref_markup_is_preferred(epo: Path, tmp_path: Path) -> None:
    # v1-2-A1 writes "according to the first claim": the text parser reads the ordinal, the markup wins when present
    raw = (epo / "application/v1-2-A1.xml").read_bytes()
    marked = raw.replace(
        b"according to the first claim,",
        b'according to the <claim-ref idref="c-en-0001">first claim</claim-ref>,',
        2,
    )
    f = tmp_path / "marked.xml"
    f.write_bytes(marked)
    plain = read_all("epo-xml", epo / "application/v1-2-A1.xml")[0].record
    d = read_all("epo-xml", f)[0].record
    assert plain.claims[1].depends_on == [1]
    assert d.claims[1].depends_on == [1] and d.claims[2].depends_on == [1]
    assert d.claims[1].text.startswith("Sound damping and fire resistant insulating panel according to")


# ---- malformed, truncated, concatenated, zipped -------------------------------------------
def test_known_defects_are_repaired(docs) -> None:
    d = one(docs, "application/v1-2-A1.xml")  # bare "&" in an agent's address
    assert d.agents[0].address.startswith("UDAPI & ASOCIADOS")
    d = one(docs, "application/v1-5-1-A1-2.xml")  # "<First Embodiment" heading
    assert any(p.heading and p.text == "<First Embodiment" for p in d.description.paragraphs)
    d = one(docs, "application/v1-4-A1-1.xml")  # no XML declaration, browser <style> junk
    assert d.id == "EP560858A" and d.codes("ipc")[0] == "B05B7/00"


def test_truncated_file_gives_an_error_naming_the_document(epo: Path, tmp_path: Path) -> None:
    raw = (epo / "grant/v1-5-B1.xml").read_bytes()
    f = tmp_path / "cut.xml"
    f.write_bytes(raw[: len(raw) // 2])
    items = read_all("epo-xml", f)
    assert len(items) == 1 and items[0].record is None
    assert items[0].locator == "document 1 (EP3404678B1)"
    assert "not well-formed XML" in items[0].error and "line " in items[0].error


def test_concatenated_documents_stream_and_a_broken_one_does_not_stop_the_rest(
    epo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a = (epo / "grant/v1-5-B1.xml").read_bytes()
    b = (epo / "application/v1-0-A1.xml").read_bytes()
    c = (epo / "application/v1-4-A1-1.xml").read_bytes()  # no <?xml declaration
    d = (epo / "grant/v1-5-B2.xml").read_bytes()
    f = tmp_path / "bulk.xml"
    f.write_bytes(a + b"\n" + b[: len(b) // 3] + b"\n" + c + b"\n" + d + b"\n")
    monkeypatch.setattr(epo_xml, "_CHUNK", 777)  # boundaries fall across read chunks
    items = read_all("epo-xml", f)
    assert [i.locator for i in items] == [
        "document 1 (EP3404678B1)",
        "document 2 (EP1325900A1)",
        "document 3 (EP560858A1)",
        "document 4 (EP2743087B2)",
    ]
    assert [i.error is None for i in items] == [True, False, True, True]
    line2 = a.count(b"\n") + 2
    assert f"line {line2}" not in items[1].error  # the position is a line of the bulk file
    assert int(items[1].error.rsplit("line ", 1)[1].split(",")[0]) > line2
    assert items[3].record.claims_in("de")[0].num == 1


def test_minimal_and_broken_documents(tmp_path: Path) -> None:
    f = tmp_path / "min.xml"
    f.write_text(
        '<ep-patent-document lang="fr" country="EP" doc-number="1234567" kind="A1"><SDOBI>'
        "<B500><B540><B541>fr</B541><B542>Titre &eacute;lev&eacute;</B542></B540></B500></SDOBI>"
        '<claims lang="fr"><claim num="1"><claim-text>Dispositif.</claim-text></claim></claims>'
        "</ep-patent-document>\n"
        '<ep-patent-document lang="en" kind="A1"><SDOBI/></ep-patent-document>\n',
        encoding="utf-8",
    )
    items = read_all("epo-xml", f)
    d = items[0].record
    assert (d.id, d.lang, d.titles, d.claims[0].lang) == ("EP1234567A", "fr", {"fr": "Titre élevé"}, "fr")
    assert d.description is None and d.application is None and d.citations == []
    assert items[1].locator == "document 2" and "no publication number" in items[1].error


def test_zip_of_documents(files: list[Path], tmp_path: Path) -> None:
    z = tmp_path / "EPO_bulk.zip"
    with zipfile.ZipFile(z, "w") as zf:
        for f in files[:5]:
            zf.write(f, f"DOC/{f.name}")
    member = f"DOC/{files[0].name}"
    assert detected(z, member) == "epo-xml"
    items = list(EpoXml().read(Source(z, member)))
    assert items[0].record.id == "EP1325900A"
    assert all(i.path is None for i in items[0].record.images)  # no folder inside a zip


def test_drawing_beside_the_xml_is_copied_into_the_media_store(service, epo: Path, tmp_path: Path) -> None:
    f = tmp_path / "EP3404678B1.xml"
    f.write_bytes((epo / "grant/v1-5-B1.xml").read_bytes())
    (tmp_path / "imgf0002.tif").write_bytes(b"II*\x00" + bytes(32))
    assert [i.path for i in read_all("epo-xml", f)[0].record.images] == [None, None, None]  # names only
    service.corpus.ingest([f])
    d = service.resolve("EP3404678B1")
    assert [i.sha256 is not None for i in d.images] == [False, True, False]
    assert (service.settings.home / "media" / d.images[1].sha256[:2] / d.images[1].sha256).is_file()
    assert d.images[0].missing == "imgf0001.tif: not found beside the source"


# ---- pipeline -----------------------------------------------------------------------------
def test_pipeline_loads_every_publication_once(service, epo: Path) -> None:
    s = service.corpus.ingest([epo])
    assert (s.loaded, s.rejected, s.by_format) == (N_FILES, 0, {"epo-xml": N_FILES})
    again = service.corpus.ingest([epo])
    assert (again.loaded, again.updated, again.rejected) == (0, 0, 0)
    doc = service.resolve("EP3404678B1")
    assert doc.assignees[0].name == "General Electric Technology GmbH"
    assert {c.lang for c in doc.claims} == {"en", "de", "fr"}


def test_every_file_reads_as_one_record(files: list[Path]) -> None:
    """Each sample file is one publication (the parse speed is a benchmark's figure, not a test's)."""
    reader = EpoXml()
    n = sum(1 for f in files for i in reader.read(Source(f)) if i.record)
    assert n == N_FILES
