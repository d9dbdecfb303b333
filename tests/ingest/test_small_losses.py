"""The small losses of issue 21, on real records rewritten in the layouts that lost them: a cancelled
claim range, a SGML IPC field whose blanks were lost, a SGML Locarno class off a design kind, a Lens
export as Lens writes it today (no Kind column, owners with their since-date) and PatentsView
legacy tables whose rows of a patent are scattered (joined by patent_id)."""

from __future__ import annotations

import csv
import random
import re
from pathlib import Path

from tests.conftest import detected, read_all

US = "uspto-xml-samples"


def test_cancelled_claim_range_becomes_each_claim(shared_data: Path, tmp_path: Path) -> None:
    src = (shared_data / US / "xml2014/US08926509.xml").read_bytes()
    claims = list(re.finditer(rb'<claim id="CLM-(\d+)" num="\d+">.*?</claim>', src, re.S))
    m = min(18, len(claims) - 1)  # an amended publication: claims 1-m cancelled together, the rest kept
    cancelled = (
        f'<claim id="CLM-00001" num="00001-{m:05d}"><claim-text>1.-{m}. (canceled)</claim-text></claim>'
    )
    f = tmp_path / "amended.xml"
    f.write_bytes(src[: claims[0].start()] + cancelled.encode() + src[claims[m - 1].end() :])
    [item] = read_all("uspto-xml", f)
    out = item.record.claims
    assert [c.num for c in out] == list(range(1, len(claims) + 1))
    assert all(c.cancelled and c.text == "(canceled)" for c in out[:m])
    assert not any(c.cancelled for c in out[m:]) and not any(c.text.startswith("-") for c in out)


def test_sgml_ipc_keeps_its_group_and_locarno_is_kept(shared_data: Path, tmp_path: Path) -> None:
    raw = (shared_data / US / "sgml/US06337117.xml").read_text(encoding="utf-8")
    f = tmp_path / "US06337117.xml"
    f.write_text(raw.replace("<B511><PDAT>B32B  302</PDAT>", "<B511><PDAT>E03C 104</PDAT>"), encoding="utf-8")
    [item] = read_all("uspto-sgml", f)
    assert item.record.codes("ipc") == ["E03C1/04"]
    design = (shared_data / US / "sgml/USD435854S1.xml").read_text(encoding="utf-8")
    g = tmp_path / "USD435854.xml"  # the kind code missing: the class is still read as Locarno
    g.write_text(design.replace("<B130><PDAT>S</PDAT></B130>\n", ""), encoding="utf-8")
    [item] = read_all("uspto-sgml", g)
    assert item.record.codes("locarno") == ["14-02"] and item.record.codes("ipc") == []


def test_lens_export_as_written_today(shared_data: Path, tmp_path: Path) -> None:
    with open(
        shared_data / "landscape-lens-patentscope/pizza_lens_1000_raw.csv", encoding="mac_roman", newline=""
    ) as fh:
        rows = list(csv.DictReader(fh))[:30]
    out = tmp_path / "lens-export.csv"
    cols = [
        "#",
        "Jurisdiction",
        "Display Key",
        "Lens ID",
        "Publication Date",
        "Publication Year",
        "Application Number",
        "Application Date",
        "Priority Numbers",
        "Title",
        "Applicants",
        "Inventors",
        "Owners",
        "URL",
        "Document Type",
        "Cited by Patent Count",
        "Simple Family Size",
        "CPC Classifications",
    ]
    with open(out, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(cols)
        for r in rows:
            owners = ";;".join(f"{a} (2022-11-01)" for a in r["Applicants"].split(";;") if a)
            w.writerow(
                [
                    r["#"],
                    r["Jurisdiction"],
                    r["Publication Number"],
                    "",
                    r["Publication Date"],
                    r["Publication Year"],
                    r["Application Number"],
                    r["Application Date"],
                    r["Priority Numbers"],
                    r["Title"],
                    r["Applicants"],
                    r["Inventors"],
                    owners,
                    r["URL"],
                    r["Type"],
                    r["Cited Count"],
                    r["Simple Family Size"],
                    r["CPC Classifications"],
                ]
            )
    assert detected(out) == "lens-csv"
    docs = [i.record for i in read_all("lens-csv", out)]
    assert len(docs) == 30 and docs[0].id == "US20130101709A" and docs[0].pubno.kind == "A1"
    assert [p.name for p in docs[0].assignees] == ["PIZZA HUT INC"]  # no "(2022-11-01)"


def test_patentsview_legacy_tables_joined_by_patent_id(service, shared_data: Path, tmp_path: Path) -> None:
    with open(
        shared_data / "us-abstracts-patentsview/neural_network_patent_query.csv", encoding="utf-8"
    ) as fh:
        grants = {r["patent_number"]: r for r in csv.DictReader(fh)}
    mentions = []
    with open(shared_data / "patentsview-disambiguation/inventor/als-inventors.csv", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            pid, seq = r["mention_id"][2:].split("-")
            if pid in grants:
                mentions.append((pid, int(seq), r["raw_inventor_name_first"], r["raw_inventor_name_last"]))
    random.Random(21).shuffle(mentions)  # a patent's rows scattered, as the raw tables' uuid order has them
    folder = tmp_path / "legacy"
    folder.mkdir()
    with open(folder / "rawinventor.tsv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter="\t", quoting=csv.QUOTE_NONNUMERIC)
        w.writerow(
            [
                "uuid",
                "patent_id",
                "inventor_id",
                "rawlocation_id",
                "name_first",
                "name_last",
                "sequence",
                "rule_47",
                "deceased",
            ]
        )
        for i, (pid, seq, first, last) in enumerate(mentions):
            w.writerow([f"u{i}", pid, f"i{i}", "", first, last, seq, "", "False"])
    patents = sorted({m[0] for m in mentions})
    with open(folder / "patent.tsv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter="\t", quoting=csv.QUOTE_NONNUMERIC)
        w.writerow(
            [
                "id",
                "type",
                "number",
                "country",
                "date",
                "abstract",
                "title",
                "kind",
                "num_claims",
                "filename",
                "withdrawn",
            ]
        )
        for pid in patents:
            g = grants[pid]
            w.writerow(
                [
                    pid,
                    "utility",
                    pid,
                    "US",
                    g["patent_date"],
                    g["patent_abstract"],
                    g["patent_title"],
                    "A" if int(pid) < 6_167_569 else "B2",
                    10,
                    "x.xml",
                    "0",
                ]
            )
    assert detected(folder / "rawinventor.tsv") == detected(folder / "patent.tsv") == "patentsview-csv"
    s = service.corpus.ingest([folder])
    assert s.rejected == 0 and s.loaded == len(patents)
    doc = service.store.find_documents("US", "5008833")[0]
    assert [p.name for p in doc.inventors] == ["Agranat, Aharon J.", "Neugebauer, Charles F.", "Yariv, Amnon"]
    assert doc.titles["en"] == grants["5008833"]["patent_title"].strip('" ')
