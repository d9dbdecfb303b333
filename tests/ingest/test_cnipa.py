"""cnipa-csv on the real CN datasets (titles + IPC, abstracts + CPC) and a Chinese-header export."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from ipai.ingest.base import Source
from ipai.ingest.readers.cnipa_csv import CnipaCsvReader, split_compound
from ipai.model import dump_record, load_record
from tests.conftest import detected, read_all
from tests.ingest.foreign_files import foreign_files

TITLES = "cn-patent-titles-ipc"
ABSTRACTS = "cn-patents-abstract-cpc"


@pytest.fixture(scope="module")
def titles(shared_data: Path) -> list:
    return read_all("cnipa-csv", shared_data / TITLES / "titles_ipc.csv")


def _docs(items: list) -> dict:
    return {i.record.id: i.record for i in items if i.record}


def test_cnipa_titles_counts(titles: list) -> None:
    assert len(titles) == 7798 and all(i.record for i in titles)
    docs = _docs(titles)
    assert len(docs) == 7798
    assert sum(1 for d in docs.values() if d.doc_type == "utility_model") == 3623
    assert all(list(d.titles) == ["zh"] and d.codes("ipc") for d in docs.values())


def test_cnipa_titles_known_record(titles: list) -> None:
    assert titles[0].locator == "row 1 (CN114081026A)"
    doc = _docs(titles)["CN114081026A"]
    assert doc.titles == {"zh": "一种水电站高压输电线路驱鸟保护装置"}
    assert doc.codes("ipc") == ["A01M", "G06F", "H02G"]
    assert (doc.pubno.country, doc.pubno.number, doc.pubno.kind) == ("CN", "114081026", "A")
    assert doc.doc_type == "application" and doc.lang == "zh"
    um = _docs(titles)["CN215667380U"]
    assert um.doc_type == "utility_model" and um.codes("ipc") == ["B60S", "C02F"]


@pytest.mark.parametrize("name", ["sample_train.csv", "sample_val.csv", "sample_test.csv"])
def test_cnipa_abstract_files_have_19_rows_and_silent_padding(shared_data: Path, name: str) -> None:
    items = read_all("cnipa-csv", shared_data / ABSTRACTS / name)
    assert len(items) == 19 and all(i.record for i in items)  # hundreds of ",,," rows: no items
    assert [i.locator.split()[1] for i in items] == [str(n) for n in range(1, 20)]
    for i in items:
        d = i.record
        assert list(d.titles) == ["zh"] and list(d.abstracts) == ["zh"] and d.codes("cpc")
        assert "Keywords" not in d.abstracts["zh"] and "[SEP]" not in d.abstracts["zh"]


def test_cnipa_abstract_records(shared_data: Path) -> None:
    docs = _docs(read_all("cnipa-csv", shared_data / ABSTRACTS / "sample_test.csv"))
    titled = docs["CN116842782A"]  # "Title: …\nKeywords: …\nAbstract: …"
    assert titled.titles["zh"] == "基于卷积神经网络的双输出水电机组下机架结构仿真方法"
    assert titled.abstracts["zh"].startswith("本发明公开了基于卷积神经网络的双输出水电机组下机架结构仿真方法")
    assert titled.codes("cpc") == ["G06F30/23", "G06F30/27", "G06F2119/14"]
    sep = docs["CN118866379A"]  # "title [SEP] keywords [SEP] abstract"
    assert sep.titles["zh"] == "一种用于心理障碍测评的数据处理及管理方法及系统"
    assert sep.abstracts["zh"].startswith("本发明提出了一种用于心理障碍测评的数据处理及管理方法及系统。")
    assert sep.codes("cpc") == ["G06F18/2433", "G06F40/216"]


def test_cnipa_split_compound() -> None:
    assert split_compound("Title: 标题\nKeywords: a; b\nAbstract: 摘要。") == ("标题", "摘要。")
    assert split_compound("标题 [SEP] a b [SEP] 摘要。") == ("标题", "摘要。")
    assert split_compound("只有摘要") == ("", "只有摘要")


def _covid_cn_record(shared_data: Path) -> dict:
    with open(
        shared_data / "covid-patents-lens-biblio" / "Coronavirus-patents-SARS-MERS-TAC.jsonl",
        encoding="utf-8",
    ) as fh:
        for line in fh:
            rec = json.loads(line)
            if rec["publicationKey"] == "CN_101575361_A":
                return rec
    raise AssertionError("CN 101575361 A not in the Lens file")


def _chinese_export(shared_data: Path, path: Path, encoding: str) -> Path:
    """A CNIPA/incoPat-style export (Chinese headers) holding two real records and one broken row."""
    lens = _covid_cn_record(shared_data)
    header = [
        "序号",
        "公开（公告）号",
        "申请号",
        "申请日",
        "公开（公告）日",
        "标题",
        "摘要",
        "申请（专利权）人",
        "发明（设计）人",
        "IPC主分类号",
        "IPC分类号",
        "代理机构",
    ]
    rows = [
        [
            "1",
            "CN101575361A",
            lens["filingNumber"].replace(" ", ""),
            lens["filingDate"].replace("-", "."),
            lens["publicationDate"],
            lens["title"],
            "",
            ";".join(lens["applicants"]),
            "；".join(lens["inventors"]),
            lens["ipcrClassifications"][0],
            ";".join(lens["ipcrClassifications"]),
            "",
        ],
        [
            "2",
            "CN114081026A",
            "",
            "",
            "",
            "一种水电站高压输电线路驱鸟保护装置",
            "",
            "",
            "",
            "",
            "A01M;G06F;H02G",
            "",
        ],
        ["3", "", "", "", "", "无公开号的行", "", "", "", "", "", ""],
    ]
    with open(path, "w", encoding=encoding, newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_cnipa_chinese_header_export(shared_data: Path, tmp_path: Path, encoding: str) -> None:
    f = _chinese_export(shared_data, tmp_path / "export.csv", encoding)
    assert detected(f) == "cnipa-csv"
    items = read_all("cnipa-csv", f)
    assert [i.locator for i in items] == ["row 1 (CN101575361A)", "row 2 (CN114081026A)", "row 3"]
    assert "no publication number" in items[2].error
    doc = items[0].record
    assert doc.titles == {
        "en": "Novel Specific Polypeptide And Application Thereof In Preparing Medicament "
        "For Diagnosing, Preventing And Treating Severe Acute Respiratory Syndrome "
        "Caused By Coronaviruses"
    }
    assert doc.filing_date.isoformat() == "2009-03-20" and doc.publication_date.isoformat() == "2009-11-11"
    assert doc.application.number == "CN200910047892A"
    assert [p.name for p in doc.applicants] == ["BEIJING GENOVAX BIOTECHNOLOGY"]
    assert [p.name for p in doc.inventors] == ["WEIGUO JIA", "DONG HUANG"]
    assert doc.codes("ipc")[:3] == ["C07K7/06", "A61K38/08", "A61K38/10"] and len(doc.codes("ipc")) == 9
    assert [c.code for c in doc.classifications if c.main] == ["C07K7/06"]
    assert items[1].record.titles == {"zh": "一种水电站高压输电线路驱鸟保护装置"}


def test_cnipa_gb18030_export_reads_like_utf8(titles: list, shared_data: Path, tmp_path: Path) -> None:
    """The real titles file as Chinese Excel would save it (GB18030): same records."""
    gbk = tmp_path / "titles_gbk.csv"
    gbk.write_bytes((shared_data / TITLES / "titles_ipc.csv").read_text(encoding="utf-8").encode("gb18030"))
    assert detected(gbk) == "cnipa-csv"
    again = read_all("cnipa-csv", gbk)
    assert [i.record for i in again] == [i.record for i in titles]


def test_cnipa_detected(shared_data: Path) -> None:
    assert detected(shared_data / TITLES / "titles_ipc.csv") == "cnipa-csv"
    for f in sorted((shared_data / ABSTRACTS).glob("*.csv")):
        assert detected(f) == "cnipa-csv"


def test_cnipa_leaves_foreign_files_alone(shared_data: Path) -> None:
    reader = CnipaCsvReader()
    claimed = [f.name for f in foreign_files(shared_data) if reader.sniff(Source(f))]
    assert claimed == []
    us = [
        *(shared_data / "us-claims-cpc").glob("*.csv"),
        *(shared_data / "us-abstracts-patentsview").glob("*.csv"),
    ]
    for f in us:
        assert reader.sniff(Source(f)) == 0


def test_cnipa_broken_rows(shared_data: Path, tmp_path: Path) -> None:
    with open(shared_data / TITLES / "titles_ipc.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    rows[4] = rows[4] + ["extra", "fields"]  # data row 4: 6 fields
    rows[10][0] = ""  # data row 10: no number
    out = tmp_path / "titles_ipc.csv"
    with open(out, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    items = read_all("cnipa-csv", out)
    assert [(i.locator, i.error) for i in items if i.error] == [
        ("row 4", "6 fields where the header has 4"),
        ("row 10", "no publication number"),
    ]
    assert sum(1 for i in items if i.record) == 7796


def test_cnipa_round_trip(titles: list, shared_data: Path) -> None:
    items = titles[:100] + read_all("cnipa-csv", shared_data / ABSTRACTS / "sample_val.csv")
    for item in items:
        assert load_record(dump_record(item.record)) == item.record


@pytest.mark.parametrize("folder,count", [(TITLES, 7798), (ABSTRACTS, 57)])
def test_cnipa_pipeline(service, shared_data: Path, folder: str, count: int) -> None:
    s = service.corpus.ingest([shared_data / folder])
    assert (s.loaded, s.rejected) == (count, 0)
    assert s.by_format == {"cnipa-csv": count}
