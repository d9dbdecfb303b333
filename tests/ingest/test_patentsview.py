"""PatentsView reader on the real query exports (neural networks, baseball) and bulk TSV layouts."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from ipai.ingest.base import Source
from ipai.ingest.readers.patentsview import PatentsViewReader, unquote_artefact
from ipai.model import dump_record, load_record
from tests.conftest import detected, read_all
from tests.ingest.foreign_files import foreign_files

FOLDER = "us-abstracts-patentsview"


@pytest.fixture(scope="module")
def neural(shared_data: Path) -> list:
    return read_all("patentsview-csv", shared_data / FOLDER / "neural_network_patent_query.csv")


@pytest.fixture(scope="module")
def baseball(shared_data: Path) -> list:
    return read_all("patentsview-csv", shared_data / FOLDER / "baseball_patent_query.csv")


def _by_number(items: list) -> dict:
    return {i.record.pubno.number: i.record for i in items if i.record}


def test_patentsview_counts(neural: list, baseball: list) -> None:
    assert len(neural) == 3522 and all(i.record for i in neural)
    assert len(baseball) == 2664 and all(i.record for i in baseball)
    assert len(_by_number(neural)) == 3522 and len(_by_number(baseball)) == 2664


def test_patentsview_known_record(neural: list) -> None:
    doc = _by_number(neural)["5535303"]
    # the export double-quotes this title: """Barometer"" neuron for a neural network"
    assert doc.titles == {"en": '"Barometer" neuron for a neural network'}
    assert doc.publication_date.isoformat() == "1996-07-09" == doc.grant_date.isoformat()
    assert doc.abstracts["en"].startswith('A "Barometer" Neuron enhances stability in a Neural Network')
    assert doc.pubno.kind == "" and doc.id == "US5535303A"  # no invented kind; pre-2001 letter A
    assert doc.doc_type == "patent" and doc.lang == "en"
    assert neural[0].locator == "row 1 (US5535303)"


def test_patentsview_kinds_and_types(neural: list, baseball: list) -> None:
    docs = _by_number(neural) | _by_number(baseball)
    assert docs["7499894"].id == "US7499894B"  # granted 2009
    assert docs["D349814"].doc_type == "design" and docs["D349814"].id == "USD349814S"
    assert sum(1 for n in docs if n.startswith("D")) == 608
    assert sum(1 for d in docs.values() if d.doc_type == "reissue") == 5
    assert not any(d.pubno.kind for d in docs.values())


def test_patentsview_quoting_artefacts_undone(baseball: list) -> None:
    doc = _by_number(baseball)["5269177"]
    assert doc.titles["en"] == (
        "Apparatus and method for determining the center of percussion "
        '("sweet spot") for baseball bats and other objects'
    )
    texts = [t for d in _by_number(baseball).values() for t in (*d.titles.values(), *d.abstracts.values())]
    assert not any(t.startswith('"') and t.endswith('"') for t in texts)
    assert not any('""' in t or t != t.strip() for t in texts)
    assert unquote_artefact('"A "quoted" word"') == '"A "quoted" word"'  # real quotes stay


def test_patentsview_detected(shared_data: Path) -> None:
    for f in sorted((shared_data / FOLDER).glob("*.csv")):
        assert detected(f) == "patentsview-csv"


def test_patentsview_leaves_foreign_files_alone(shared_data: Path) -> None:
    reader = PatentsViewReader()
    claimed = [f.name for f in foreign_files(shared_data) if reader.sniff(Source(f))]
    assert claimed == []
    for name in ("df_claim_cpc_1400.csv", "df_claim_cpc_train.csv"):
        assert reader.sniff(Source(shared_data / "us-claims-cpc" / name)) == 0


def test_patentsview_broken_rows(shared_data: Path, tmp_path: Path) -> None:
    src = shared_data / FOLDER / "baseball_patent_query.csv"
    with open(src, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    rows[3] = rows[3][:2]  # data row 3: two fields only
    rows[5][2] = ""  # data row 5: no patent number
    out = tmp_path / "baseball.csv"
    with open(out, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    items = read_all("patentsview-csv", out)
    errors = [i for i in items if i.error]
    assert [e.locator for e in errors] == ["row 3", "row 5"]
    assert "2 fields" in errors[0].error and "number" in errors[1].error
    assert sum(1 for i in items if i.record) == 2662


def test_patentsview_round_trip(neural: list) -> None:
    for item in neural[:200]:
        assert load_record(dump_record(item.record)) == item.record


def _bulk_rows(shared_data: Path, n: int = 40) -> list[dict]:
    with open(shared_data / FOLDER / "neural_network_patent_query.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))[-n:]


def test_patentsview_bulk_g_patent_tsv(shared_data: Path, tmp_path: Path) -> None:
    """The bulk g_patent.tsv layout, written from real rows (quoted as PatentsView does)."""
    real = _bulk_rows(shared_data)
    out = tmp_path / "g_patent.tsv"
    with open(out, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter="\t", quoting=csv.QUOTE_ALL)
        w.writerow(
            [
                "patent_id",
                "patent_type",
                "patent_date",
                "patent_title",
                "wipo_kind",
                "num_claims",
                "withdrawn",
                "filename",
            ]
        )
        for i, r in enumerate(real):
            n = r["patent_number"]
            w.writerow(
                [
                    n,
                    "utility",
                    r["patent_date"],
                    unquote_artefact(r["patent_title"]),
                    "A" if int(n) < 6_167_569 else "B2",
                    "10",
                    "1" if i == 0 else "0",
                    "ipg.xml",
                ]
            )
    assert detected(out) == "patentsview-csv"
    items = read_all("patentsview-csv", out)
    assert len(items) == len(real) and all(i.record for i in items)
    docs = {i.record.pubno.number: i.record for i in items}
    last = real[-1]
    doc = docs[last["patent_number"]]
    assert doc.publication_date.isoformat() == last["patent_date"]
    assert doc.titles["en"] == unquote_artefact(last["patent_title"])
    assert all(d.pubno.kind in ("A", "B2") for d in docs.values())
    assert docs[real[0]["patent_number"]].legal_events[0].code == "withdrawn"


def test_patentsview_bulk_abstract_and_application_tsv(shared_data: Path, tmp_path: Path) -> None:
    real = _bulk_rows(shared_data, 5)
    abstracts = tmp_path / "g_patent_abstract.tsv"
    with open(abstracts, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter="\t", quoting=csv.QUOTE_ALL)
        w.writerow(["patent_id", "patent_abstract"])
        w.writerows([r["patent_number"], r["patent_abstract"]] for r in real)
    apps = tmp_path / "g_application.tsv"
    with open(apps, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter="\t")
        w.writerow(
            [
                "application_id",
                "patent_id",
                "patent_application_type",
                "filing_date",
                "series_code",
                "rule_47_flag",
            ]
        )
        w.writerow(["14/123456", real[0]["patent_number"], "14", "2014-01-02", "14", "0"])
    assert detected(abstracts) == detected(apps) == "patentsview-csv"
    docs = [i.record for i in read_all("patentsview-csv", abstracts)]
    assert [d.pubno.number for d in docs] == [r["patent_number"] for r in real]
    assert docs[0].abstracts["en"] and not docs[0].titles
    app = read_all("patentsview-csv", apps)[0].record
    assert app.application.number == "14123456" and app.filing_date.isoformat() == "2014-01-02"


def test_patentsview_pipeline(service, shared_data: Path) -> None:
    s = service.corpus.ingest([shared_data / FOLDER])
    assert (s.loaded, s.rejected) == (6186, 0)
    doc = service.resolve("US 5,535,303")
    assert doc.title == '"Barometer" neuron for a neural network'
