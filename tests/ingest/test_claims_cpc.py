"""claims-cpc-csv on the real PatentSBERTa files: one-hot CPC subclasses and list-literal CPC rows."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from ipai.ingest.base import Source
from ipai.ingest.readers.claims_cpc import ClaimsCpcReader, parse_list
from ipai.model import dump_record, load_record
from tests.conftest import detected, read_all
from tests.ingest.foreign_files import foreign_files

FOLDER = "us-claims-cpc"


@pytest.fixture(scope="module")
def onehot(shared_data: Path) -> list:
    return read_all("claims-cpc-csv", shared_data / FOLDER / "df_claim_cpc_train.csv")


@pytest.fixture(scope="module")
def lists(shared_data: Path) -> list:
    return read_all("claims-cpc-csv", shared_data / FOLDER / "df_claim_cpc_1400.csv")


def _docs(items: list) -> dict:
    return {i.record.pubno.number: i.record for i in items if i.record}


def test_claims_cpc_counts(onehot: list, lists: list) -> None:
    assert len(onehot) == 1000 and all(i.record for i in onehot)
    assert len(lists) == 1411 and all(i.record for i in lists)
    assert all(len(i.record.claims) == 1 and i.record.claims[0].num == 1 for i in onehot + lists)


def test_claims_cpc_onehot_row(onehot: list) -> None:
    doc = _docs(onehot)["8788730"]
    assert onehot[0].locator == "row 1 (US8788730)"
    assert doc.codes("cpc") == ["G06F", "H03M"]
    assert doc.grant_date.isoformat() == "2014-07-22" == doc.publication_date.isoformat()
    claim = doc.claims[0]
    assert claim.text.startswith("A method for sending a keycode of a non-keyboard apparatus")  # "1. " cut
    assert claim.independent and claim.lang == "en" and doc.id == "US8788730B"
    assert _docs(onehot)["9004133"].codes("cpc") == [
        "A47B",
        "A47C",
        "B29C",
        "B29D",
        "B29K",
        "B29L",
        "B31F",
        "B32B",
        "E04C",
        "Y10T",
    ]
    assert sum(len(i.record.classifications) for i in onehot) == 2049  # the 1-cells of the file


def test_claims_cpc_claim_one_not_missplit(onehot: list) -> None:
    """Row 91 reads '…Kryptofix-2. 2 complex salt…': still one claim, not an invented claim 2."""
    doc = _docs(onehot)["8487077"]
    assert len(doc.claims) == 1 and "Kryptofix" in doc.claims[0].text


def test_claims_cpc_list_row(lists: list) -> None:
    docs = _docs(lists)
    doc = docs["6837198"]
    assert lists[0].locator == "row 1 (US6837198)"
    assert [(c.scheme, c.code, c.main) for c in doc.classifications] == [("cpc", "Y10T74/18288", False)]
    assert doc.claims[0].text.startswith("A variable valve train ( 1 ) for load control")
    # sequence [0] is the grant's first CPC: the main one
    assert [(c.code, c.main) for c in docs["6837201"].classifications] == [("F01M9/106", True)]
    assert sum(1 for d in docs.values() if any(c.main for c in d.classifications)) == 523


def test_claims_cpc_not_utf8_clean_file_loads(lists: list) -> None:
    texts = [i.record.claims[0].text for i in lists]
    assert sum("\ufffd" in t for t in texts) == 83


def test_claims_cpc_list_literals() -> None:
    assert parse_list("['Y10T74/18288']") == ["Y10T74/18288"]
    assert parse_list("[4]") == ["4"]
    assert parse_list("['A01B1/00', 'A01B3/00'") == ["A01B1/00", "A01B3/00"]  # broken literal
    code = parse_list("__import__('os').system('true')")  # text, never evaluated
    assert len(code) == 1 and code[0].startswith("__import__(")
    assert parse_list("") == []


def test_claims_cpc_detected(shared_data: Path) -> None:
    for name in ("df_claim_cpc_train.csv", "df_claim_cpc_1400.csv"):
        assert detected(shared_data / FOLDER / name) == "claims-cpc-csv"


def test_claims_cpc_leaves_foreign_files_alone(shared_data: Path) -> None:
    reader = ClaimsCpcReader()
    claimed = [f.name for f in foreign_files(shared_data) if reader.sniff(Source(f))]
    assert claimed == []
    for f in (shared_data / "us-abstracts-patentsview").glob("*.csv"):
        assert reader.sniff(Source(f)) == 0


def test_claims_cpc_broken_rows(shared_data: Path, tmp_path: Path) -> None:
    raw = (shared_data / FOLDER / "df_claim_cpc_1400.csv").read_bytes().decode("utf-8", "replace")
    rows = list(csv.reader(raw.splitlines(keepends=True)))
    rows[2] = rows[2][:4]  # data row 2: 4 fields
    rows[7][0] = " "  # data row 7: no patent id
    rows[9][4] = "['Y10T74/18288'"  # data row 9: broken list literal still loads
    out = tmp_path / "df_claim_cpc_1400.csv"
    with open(out, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    items = read_all("claims-cpc-csv", out)
    assert [(i.locator, "4 fields" in i.error or "number" in i.error) for i in items if i.error] == [
        ("row 2", True),
        ("row 7", True),
    ]
    assert sum(1 for i in items if i.record) == 1409
    assert items[8].record.codes("cpc") == ["Y10T74/18288"]


def test_claims_cpc_round_trip(onehot: list, lists: list) -> None:
    for item in onehot[:100] + lists[:100]:
        assert load_record(dump_record(item.record)) == item.record


def test_claims_cpc_pipeline(service, shared_data: Path) -> None:
    s = service.corpus.ingest([shared_data / FOLDER])
    assert (s.loaded, s.rejected) == (2411, 0)
    assert s.by_format == {"claims-cpc-csv": 2411}
    assert service.resolve("US6837198").codes("cpc") == ["Y10T74/18288"]
