"""euipo-tm-json on the real TradeMarks2020 validation file (20,000 EUIPO figurative marks)."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import pytest

from ipai.ingest.base import Source
from ipai.ingest.readers.euipo_trademarks import EuipoTrademarkJson
from ipai.model import dump_record, load_record
from tests.conftest import detected, read_all
from tests.ingest.foreign_files import foreign_files

FOLDER = "trademark-vienna-euipo"
FILE = "Trademark2020_validation.json"


@pytest.fixture(scope="module")
def marks(shared_data: Path) -> list:
    return read_all("euipo-tm-json", shared_data / FOLDER / FILE)


def test_euipo_counts(marks: list) -> None:
    assert len(marks) == 20000 and all(i.record for i in marks)
    recs = [i.record for i in marks]
    assert len({r.id for r in recs}) == 20000
    assert sum(1 for r in recs if r.kind == "combined") == 17981  # with a word element
    assert sum(1 for r in recs if r.kind == "figurative" and r.mark_text is None) == 2019
    assert sum(1 for r in recs if r.number.startswith("W")) == 2705  # international registrations
    assert all(r.office == "EM" and r.vienna_codes and r.filing_date for r in recs)


def test_euipo_known_mark(marks: list) -> None:
    item = marks[2]
    assert item.locator == "record 3 (000001751)"
    tm = item.record
    assert tm.id == "TM-EM000001751" and tm.number == "000001751"
    assert tm.mark_text == "Uncle Ben's" and tm.kind == "combined"
    assert tm.vienna_codes == ["02.01.01", "08.05.01", "08.07.05", "08.07.25"]
    assert tm.filing_date.isoformat() == "1996-04-01"
    graphic = marks[1].record  # 000001248 has no word element
    assert (graphic.number, graphic.mark_text, graphic.kind) == ("000001248", None, "figurative")
    assert graphic.vienna_codes == ["26.11.01", "26.11.06", "26.11.12"]


def test_euipo_short_vienna_codes(marks: list) -> None:
    codes = [c for i in marks for c in i.record.vienna_codes]
    assert len(codes) == 61920 + 762
    assert sum(1 for c in codes if len(c) == 5) == 762  # 4-digit category.division codes: "26.04"


def test_euipo_streams_with_flat_memory(shared_data: Path) -> None:
    src = Source(shared_data / FOLDER / FILE)
    size = src.path.stat().st_size
    tracemalloc.start()
    try:
        n = sum(1 for _ in EuipoTrademarkJson().read(src))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert n == 20000 and peak < size / 4  # json.load would hold every record at once


def test_euipo_detected(shared_data: Path) -> None:
    assert detected(shared_data / FOLDER / FILE) == "euipo-tm-json"
    assert detected(shared_data / FOLDER / "ViennaCodes.csv") is None


def test_euipo_leaves_foreign_files_alone(shared_data: Path) -> None:
    reader = EuipoTrademarkJson()
    assert [f.name for f in foreign_files(shared_data) if reader.sniff(Source(f))] == []


def test_euipo_broken_records(shared_data: Path, tmp_path: Path) -> None:
    with open(shared_data / FOLDER / FILE, encoding="utf-8") as fh:
        data = json.load(fh)
    keys = list(data)[:6]
    subset = {k: data[k] for k in keys}
    subset[keys[1]] = ["not", "an", "object"]
    subset["no number!"] = data[keys[2]]
    text = json.dumps(subset, indent=1)
    good = tmp_path / "marks.json"
    good.write_text(text, encoding="utf-8")
    items = read_all("euipo-tm-json", good)
    assert [(i.locator, bool(i.error)) for i in items] == [
        (f"record {n + 1} ({k})", n == 1 or k == "no number!") for n, k in enumerate(subset)
    ]
    assert "not an object" in items[1].error and "not a trade mark number" in items[-1].error
    cut = tmp_path / "cut.json"
    cut.write_text(text[: text.index(f'"{keys[4]}"') + 30], encoding="utf-8")
    items = read_all("euipo-tm-json", cut)
    assert sum(1 for i in items if i.record) == 3  # records 1, 3, 4 (2 is the bad one)
    assert items[-1].error.startswith(f"broken JSON after record 4 ({keys[3]})")


def test_euipo_round_trip(marks: list) -> None:
    for item in marks[:500]:
        assert load_record(dump_record(item.record)) == item.record


def test_euipo_pipeline(service, shared_data: Path) -> None:
    s = service.corpus.ingest([shared_data / FOLDER])
    assert (s.loaded, s.rejected) == (20000, 0)
    assert s.by_format == {"euipo-tm-json": 20000}
    assert service.trademark("TM-EM000001751").mark_text == "Uncle Ben's"
