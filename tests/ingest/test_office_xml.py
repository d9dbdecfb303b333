"""Office full-text and bibliographic XML on the real samples of ``office-xml-samples``: CNIPA (both
schemas), EPO DOCDB, JPO gazette and WIPO ST.96 — Chinese and Japanese parties as written, claim
dependencies, priorities, classifications, citations, family ids."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.conftest import detected, read_all

OX = "office-xml-samples"


def _one(reader: str, path: Path):
    items = read_all(reader, path)
    assert [i.error for i in items] == [None]
    return items[0].record


def _deps(doc) -> dict[int, list[int]]:
    return {c.num: c.depends_on for c in doc.claims}


def test_every_office_sample_is_detected_and_yields_documents(shared_data: Path) -> None:
    expected = {
        "cnipa-xml": "cnipa-xml",
        "epo-docdb-xml": "epo-docdb",
        "epo-ops-xml": "epo-ops",
        "jpo-xml": "jpo-xml",
        "wipo-st96-xml": "wipo-st96",
    }
    files = sorted(f for f in (shared_data / OX).rglob("*") if f.is_file() and f.suffix.lower() == ".xml")
    assert len(files) == 14
    for f in files:
        fmt = detected(f)
        assert fmt == expected[f.parent.name], f
        items = read_all(fmt, f)
        assert items and all(i.error is None for i in items), f


def test_cnipa_current_schema(shared_data: Path) -> None:
    doc = _one("cnipa-xml", shared_data / OX / "cnipa-xml/cn_new1.xml")
    assert doc.id == "CN113781974A" and doc.doc_type == "application" and doc.lang == "zh"
    assert doc.titles == {"zh": "显示设备"}
    assert doc.publication_date == dt.date(2021, 12, 10) and doc.filing_date == dt.date(2017, 4, 24)
    assert doc.application.number == "202111286633"  # 202111286633.X: the check digit dropped
    assert [(p.country, p.number, p.date) for p in doc.priorities] == [
        ("KR", "1020160063019", dt.date(2016, 5, 23))
    ]
    [app] = doc.applicants
    assert (app.name, app.kind, app.country, app.address) == (
        "三星显示有限公司",
        "organisation",
        "KR",
        "韩国京畿道",
    )
    assert [p.name for p in doc.inventors] == ["金驲柱", "田武经", "李安洙"]
    assert [(p.name, p.kind) for p in doc.agents] == [
        ("北京英赛嘉华知识产权代理有限责任公司", "organisation"),
        ("王达佐", "person"),
        ("刘铮", "person"),
    ]
    assert [c.code for c in doc.classifications if c.main] == ["G09G3/36"]
    assert doc.ids["parent_application"] == "CN201710269973"
    deps = _deps(doc)
    assert len(deps) == 17 and deps[1] == [] and deps[2] == [1] and deps[5] == [4] and deps[17] == [16]
    assert doc.claims[1].text.startswith("如权利要求1所述的显示设备") and doc.claims[1].lang == "zh"
    heads = [p.text for p in doc.description.paragraphs if p.heading]
    assert heads[:3] == ["相关申请的交叉引用", "技术领域", "背景技术"]
    assert doc.images[0].kind == "abstract" and sum(i.kind == "drawing" for i in doc.images) > 10


def test_cnipa_applicant_address_and_claim_range(shared_data: Path) -> None:
    doc = _one(
        "cnipa-xml", shared_data / OX / "cnipa-xml/CN102015000481495CN00001152124630AFULZH20221021CN00D.XML"
    )
    assert doc.id == "CN115212463A"
    [app] = doc.applicants
    assert (app.name, app.country, app.city, app.address) == (
        "北京大基康明医疗设备有限公司",
        "CN",
        "北京市",
        "北京市经济技术开发区永昌北路11号",
    )
    assert _deps(doc)[5] == [1, 2, 3, 4]  # 根据权利要求1至4任一项所述的
    assert (
        doc.agents[0].name == "北京银龙知识产权代理有限公司"
    )  # the agency code 11243 is not part of the name


def test_cnipa_older_schema(shared_data: Path) -> None:
    doc = _one("cnipa-xml", shared_data / OX / "cnipa-xml/cn_old1.xml")
    assert doc.id == "CN104223352A" and doc.titles["zh"] == "一种甘草发酵所得烟用香料及其应用"
    [app] = doc.applicants
    assert (app.name, app.country, app.city) == ("云南中烟工业有限责任公司", "CN", "昆明市")
    assert len(doc.inventors) == 8 and doc.inventors[0].name == "段焰青"
    assert doc.agents[0].name == "昆明协立知识产权代理事务所(普通合伙)"
    assert _deps(doc) == {1: [], 2: [1], 3: [1]}
    # the line breaks (<br/>) inside a Chinese claim join without a space
    assert "将甘草片或甘草粉与水按1:5～1:50的质量比配制成发酵培养基" in doc.claims[0].text
    assert [c.code for c in doc.classifications] == ["A24B15/18", "C11B9/00", "C12P1/02", "C12R1/645"]
    assert (
        doc.abstracts["zh"].startswith("本发明公开了一种甘草发酵所得烟用香料")
        and "CGMCC No.6645" not in doc.abstracts["zh"]
    )


def test_docdb_bulk_file_and_single_record(shared_data: Path) -> None:
    docs = [i.record for i in read_all("epo-docdb", shared_data / OX / "epo-docdb-xml/DE-backfile.xml")]
    assert len(docs) == 10 and docs[0].id == "DE1258188B" and docs[0].family_id == "6979546"
    assert docs[0].applicants[0].name == "ROBERT BOSCH G.M.B.H."
    assert docs[0].citations[0].doc_id == "DE814968C" and docs[0].citations[0].phase == "search"
    wo = _one("epo-docdb", shared_data / OX / "epo-docdb-xml/WO-2022259205-A1_544370561.xml")
    assert (wo.id, wo.family_id, wo.ids["docdb"]) == ("WO2022259205A", "82558028", "584641170")
    assert set(wo.titles) == {"en", "fr"} and set(wo.abstracts) == {"en", "fr"}
    assert [(p.name, p.country) for p in wo.applicants] == [("UNIVERSIDADE DA BEIRA INTERIOR", "PT")]
    assert wo.inventors[0].name == "OLIVEIRA DOS SANTOS, Adriana" and wo.inventors[0].first_name == "Adriana"
    assert [p.country for p in wo.priorities] == ["PT"] and wo.application.country == "IB"
    first = wo.citations[0]
    assert (
        first.kind == "npl"
        and first.categories == ["X", "Y"]
        and first.phase == "international-search-report"
    )
    assert "KOŚNIK" in wo.citations[3].text  # &SACUTE; of the DOCDB entity set, never loaded
    assert any(c.doc_id == "CN102908333A" for c in wo.citations)
    assert [c.code for c in wo.classifications if c.scheme == "ipc" and c.main] == ["A61K9/00"]


def test_jpo_gazette(shared_data: Path) -> None:
    doc = _one("jpo-xml", shared_data / OX / "jpo-xml/jp_example1.xml")
    assert doc.id == "JP2021044377A" and doc.titles == {"ja": "ウェーハの加工方法"}
    assert [(p.name, p.kind, p.country) for p in doc.applicants] == [
        ("株式会社ディスコ", "organisation", "JP")
    ]
    assert doc.inventors[0].name == "原田 成規" and len(doc.agents) == 5
    assert _deps(doc) == {1: [], 2: [1], 3: [1], 4: [1], 5: [4], 6: [1]}  # 請求項１記載の / 請求項４記載の
    assert [c.doc_id for c in doc.citations] == ["JP6151557B", "JP3076179B"]  # 特許第６１５１５５７号公報
    assert doc.description.paragraphs[0].text == "【技術分野】" and doc.description.paragraphs[0].heading
    assert {c.scheme for c in doc.classifications} == {"ipc", "fi", "fterm"}
    two = _one("jpo-xml", shared_data / OX / "jpo-xml/jp_example2.xml")
    assert [(p.country, p.number) for p in two.priorities] == [("US", "62359703")]
    assert two.applicants[0].kind == "organisation"  # …インターナショナル・リミテッド


def test_wipo_st96(shared_data: Path) -> None:
    doc = _one("wipo-st96", shared_data / OX / "wipo-st96-xml/PatentPublication_Example.xml")
    assert doc.id == "US8936998B" and doc.pubno.kind == "B2" and doc.grant_date == dt.date(2015, 1, 20)
    assert [p.name for p in doc.assignees][0] == "Mitsubishi Heavy Industries, Ltd."
    assert doc.inventors[0].last_name == "Utsumi" and doc.agents[0].name.startswith("Birch, Stewart")
    assert _deps(doc)[3] == [2] and _deps(doc)[8] == [] and len(doc.claims) == 10
    assert doc.family_members == ["US20130213561A"] and doc.ids["pct_application"] == "PCT/JP2008/068544"
    assert [c.code for c in doc.classifications if c.main] == ["H01L21/30", "H01L21/2007"]
    examiner = [c for c in doc.citations if c.cited_by == "examiner"]
    assert examiner[0].doc_id == "US20040235266A" and len(doc.citations) == 30


@pytest.mark.parametrize(
    "payload",
    [
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<cn-patent-document><cn-bibliographic-data><cn-publication-reference><document-id><country>CN</country>"
        b"<doc-number>104223352</doc-number><kind>A</kind></document-id></cn-publication-reference>"
        b"<invention-title>&x;</invention-title></cn-bibliographic-data></cn-patent-document>",
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
        b"<cn-patent-document><cn-bibliographic-data><cn-publication-reference><document-id><country>CN</country>"
        b"<doc-number>104223352</doc-number><kind>A</kind></document-id></cn-publication-reference>"
        b"<invention-title>&d;&d;&d;&d;</invention-title></cn-bibliographic-data></cn-patent-document>",
    ],
)
def test_entities_are_never_expanded(tmp_path: Path, payload: bytes) -> None:
    f = tmp_path / "evil.xml"
    f.write_bytes(payload)
    [item] = read_all("cnipa-xml", f)
    title = item.record.titles["zh"]
    assert "root:" not in title and "aaaaaaaaaa" not in title  # neither the file nor the expansion
    assert title in ("&x;", "&d;&d;&d;&d;")  # the reference is kept as written; the record still loads


def test_cnipa_show_json_has_chinese_claims_and_applicants(shared_data: Path, tmp_path: Path, capsys) -> None:
    import json

    from ipai.cli import main

    home = str(tmp_path / "home")
    assert main(["--home", home, "--no-progress", "ingest", str(shared_data / OX / "cnipa-xml")]) == 0
    capsys.readouterr()
    assert main(["--home", home, "show", "CN115212463A", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out.strip().splitlines()[-1])["document"]
    assert doc["applicants"][0]["name"] == "北京大基康明医疗设备有限公司"
    claims = {c["num"]: c for c in doc["claims"]}
    assert claims[2]["depends_on"] == [1] and claims[2]["lang"] == "zh"
    assert claims[5]["depends_on"] == [1, 2, 3, 4] and claims[5]["text"].startswith("根据权利要求1至4任一项")


def test_bench_builders_renumber_every_copy(shared_data: Path, tmp_path: Path) -> None:
    from ipai.evals.bench.ingest import build_cnipa_bulk, build_cnipa_zip

    bulk, zipped = tmp_path / "cn.xml", tmp_path / "cn.zip"
    assert build_cnipa_bulk(shared_data, bulk, 2) == build_cnipa_zip(shared_data, zipped, 2) == 6
    ids = [i.record.id for i in read_all("cnipa-xml", bulk)]
    assert len(set(ids)) == 6 and all(i.startswith("CN9") for i in ids)
