"""Round trip on real samples, one per reader: every field a reader extracts (after the text
hygiene every record gets at ingest) survives store → ``show --json`` → ``export`` → re-ingest
unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ipai.cli import main
from ipai.ingest.drawings import DrawingCopier
from ipai.ingest.registry import detect, expand
from ipai.model import PatentDocument, dump_record
from ipai.model.quality import clean_document
from ipai.service import Service
from ipai.settings import load_settings
from tests.conftest import subset_csv

SAMPLES = {
    "uspto-xml": "uspto-xml-samples/xml2014/US08926509.xml",
    "uspto-xml (design)": "us-design-patents/USD0925503-20210720/USD0925503-20210720.XML",
    "uspto-pap": "uspto-xml-samples/pap/US20010000943A1.xml",
    "uspto-sgml": "uspto-xml-samples/sgml/US06337117.xml",
    "uspto-aps": "uspto-xml-samples/greenbook/US03932709.greenbook",
    "uspto-brs": "uspto-xml-samples/css_brs/css_brs_sample.txt",
    "epo-xml": "epo-xml-samples/grant/v1-5-B1.xml",
    "epo-xml (A1, DTD 1.0)": "epo-xml-samples/application/v1-0-A1.xml",
    "patentsview-csv": "us-abstracts-patentsview/baseball_patent_query.csv",
    "claims-cpc-csv": "us-claims-cpc/df_claim_cpc_1400.csv",
    "claims-cpc-csv (one-hot)": "us-claims-cpc/df_claim_cpc_train.csv",
    "cnipa-csv": "cn-patents-abstract-cpc/sample_train.csv",
    "cnipa-csv (titles)": "cn-patent-titles-ipc/titles_ipc.csv",
    "lens-csv": "landscape-lens-patentscope/pizza_lens_1000_raw.csv",
    "lens-csv-cleaned": "landscape-lens-patentscope/drones_tac_1606_cleaned.csv",
    "lens-jsonl": "covid-patents-lens-biblio/Coronavirus-declared-patseq-organism.jsonl",
    "patentscope-xls": "landscape-lens-patentscope/pizza_all_24294_raw.zip",
    "wipo-landscape-csv": "landscape-lens-patentscope/ritonavir.csv",
    "euipo-tm-json": "trademark-vienna-euipo/Trademark2020_validation.json",
    "cnipa-xml": "office-xml-samples/cnipa-xml/cn_new1.xml",
    "cnipa-xml (cn-patent-document)": "office-xml-samples/cnipa-xml/cn_old1.xml",
    "epo-docdb": "office-xml-samples/epo-docdb-xml/DE-backfile.xml",
    "epo-ops": "office-xml-samples/epo-ops-xml/testdata_legal.xml",
    "epo-ops (family)": "patent-client-fixtures/epo/ops/family/fixtures/family_input.xml",
    "jpo-xml": "office-xml-samples/jpo-xml/jp_example1.xml",
    "wipo-st96": "office-xml-samples/wipo-st96-xml/PatentPublication_Example.xml",
    "uspto-api-json": "patent-client-fixtures/uspto/peds/fixtures/app_1_input.json",
}


def _patentscope_subset(zip_path: Path, out: Path, rows: int = 800) -> Path:
    """The first rows of the real PATENTSCOPE export (preamble and header included) as .xlsx:
    the same records as the 24k-row zip, small enough for a round trip in a second."""
    import zipfile

    import openpyxl
    import xlrd

    with zipfile.ZipFile(zip_path) as zf:
        name = next(n for n in zf.namelist() if n.endswith(".xls") and "__MACOSX" not in n)
        book = xlrd.open_workbook(file_contents=zf.read(name))
    sheet = book.sheet_by_index(0)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet.name
    for i in range(min(rows, sheet.nrows)):
        ws.append(sheet.row_values(i))
    wb.save(out)
    return out


LARGE = {"cnipa-csv (titles)": 2000, "euipo-tm-json": 2000}  # records kept of the largest samples


def _sample(label: str, path: Path, tmp: Path) -> Path:
    """The sample file of a reader: the first records only of the largest ones (7,799 titles, 20,000
    marks: rows of one shape, whose fields the first 2,000 hold as well), under the same name."""
    if label == "patentscope-xls":
        return _patentscope_subset(path, tmp / "patentscope_pizza_first_rows.xlsx")
    rows = LARGE.get(label)
    if rows is None:
        return path
    out = tmp / path.name
    if path.suffix == ".csv":
        return subset_csv(path, out, rows)
    marks = json.loads(path.read_text(encoding="utf-8"))
    out.write_text(
        json.dumps(dict(list(marks.items())[:rows]), ensure_ascii=False, indent=4), encoding="utf-8"
    )
    return out


def _service(home: Path) -> Service:
    return Service(load_settings(home=home, progress=False))


def _records(path: Path, fmt: str, home: Path) -> dict[str, list]:
    """Every record of the readers, as ingest stores it (drawings copied into a media store)."""
    drawings = DrawingCopier.of(load_settings(home=home, progress=False))
    out: dict[str, list] = {}
    for src in expand([path]):
        reader = detect(src)
        if reader is None:  # a codebook beside the spreadsheets in a zip
            continue
        assert reader.name == fmt, src.name
        for item in reader.read(src):
            assert item.error is None, f"{src.name} {item.locator}: {item.error}"
            rec = drawings.attach(item.record, src)
            rec = clean_document(rec) if isinstance(rec, PatentDocument) else rec
            out.setdefault(item.record.id, []).append(rec)
    return out


@pytest.mark.parametrize("label", list(SAMPLES))
def test_round_trip(
    label: str, shared_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _sample(label, shared_data / SAMPLES[label], tmp_path)
    records = _records(path, label.split(" ")[0], tmp_path / "probe")
    a = _service(tmp_path / "a")
    s = a.corpus.ingest([path])
    assert s.rejected == 0 and s.loaded == len(records)

    # 1. store: a record that is its document's only source comes back field for field
    singles = [rs[0] for rs in records.values() if len(rs) == 1]
    assert singles
    stored = {d.id: d for d in a.store.iter_documents()} | {t.id: t for t in a.store.iter_trademarks()}
    for rec in singles:
        assert stored[rec.id] == rec, rec.id

    # 2. show --json prints exactly the stored record
    for rec in singles[:3] + singles[-2:]:
        if rec.record_type != "patent":
            continue
        assert main(["--home", str(tmp_path / "a"), "show", rec.id, "--json"]) == 0
        shown = json.loads(capsys.readouterr().out.strip().splitlines()[-1])["document"]
        assert shown == json.loads(dump_record(rec))

    # 3. export → re-ingest into an empty store gives the same documents and trademarks
    out = tmp_path / "export.jsonl"
    assert main(["--home", str(tmp_path / "a"), "export", "--format", "jsonl", "--out", str(out)]) == 0
    b = _service(tmp_path / "b")
    assert b.corpus.ingest([out]).rejected == 0
    assert list(b.store.iter_documents()) == list(a.store.iter_documents())
    assert list(b.store.iter_trademarks()) == list(a.store.iter_trademarks())
    # … and re-ingesting the export into the first store changes nothing
    again = a.corpus.ingest([out])
    assert (again.loaded, again.updated) == (0, 0)
    a.close()
    b.close()
