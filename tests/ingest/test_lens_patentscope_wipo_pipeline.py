"""Bibliographic export readers (Lens, PATENTSCOPE, WIPO landscape) together: detection against
every other CSV/JSON in the data folder, and a whole ingest of both folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from ipai.ingest.base import Source
from ipai.ingest.registry import expand, reader_by_name
from tests.conftest import detected

MINE = ("lens-csv", "lens-csv-cleaned", "lens-jsonl", "patentscope-xls", "wipo-landscape-csv")
OTHERS = (
    "us-abstracts-patentsview",
    "us-claims-cpc",
    "cn-patent-titles-ipc",
    "cn-patents-abstract-cpc",
    "uspto-pppm",
    "patentsview-disambiguation",
    "trademark-vienna-euipo",
    "ipc-scheme",
    "car-logos-thumb",
    "logos-svg",
    "patent-client-fixtures",
    "epo-xml-samples",
    "uspto-xml-samples",
)


def _record_like(src: Source) -> bool:
    return src.basename.lower().endswith((".csv", ".tsv", ".json", ".jsonl", ".txt", ".xls", ".xlsx", ".xml"))


def test_other_data_is_not_claimed(shared_data: Path) -> None:
    readers = [reader_by_name(n) for n in MINE]
    checked = 0
    for folder in OTHERS:
        for src in expand([shared_data / folder]):
            if not _record_like(src):
                continue
            checked += 1
            scores = {r.name: r.sniff(src) for r in readers}
            assert not any(scores.values()), (src.name, scores)
            if src.basename.lower().endswith((".csv", ".tsv", ".jsonl")):
                assert detected(src.path, src.member) not in MINE, src.name
    assert checked > 20


def test_each_export_detected_as_its_format(shared_data: Path) -> None:
    land = shared_data / "landscape-lens-patentscope"
    assert detected(land / "pizza_lens_1000_raw.csv") == "lens-csv"
    assert detected(land / "drones_tac_1606_cleaned.csv") == "lens-csv-cleaned"
    assert detected(land / "ritonavir.csv") == "wipo-landscape-csv"
    assert (
        detected(land / "pizza_all_24294_raw.zip", "pizza_all_24294/patentscope_pizza_1940_2005_9659.xls")
        == "patentscope-xls"
    )
    covid = shared_data / "covid-patents-lens-biblio"
    assert detected(covid / "Coronavirus-CPC-based-patents.jsonl") == "lens-jsonl"
    for name in ("readme.txt", "pizza_all_codebook_09022016.txt"):
        assert detected(land / name) not in MINE


@pytest.mark.slow
def test_ingest_both_folders(service, shared_data: Path) -> None:
    folders = [shared_data / "landscape-lens-patentscope", shared_data / "covid-patents-lens-biblio"]
    s = service.corpus.ingest(folders)
    assert s.rejected == 0
    assert s.by_format == {
        "lens-csv": 1000 + 1606 + 5884,
        "lens-csv-cleaned": 1606,
        "patentscope-xls": 9659 + 8458 + 6177,
        "wipo-landscape-csv": 804,
        "lens-jsonl": 1588 + 1470 + 762,
    }
    doc = service.resolve("AT 556755 T")
    assert doc.titles["de"].startswith("Verfahren Und Gerät Zur Fernbedienung")
    pizza = service.resolve("US 2013/0101709 A1")
    assert [a.name for a in pizza.applicants] == ["PIZZA HUT INC"]
    # the raw Lens export (40) and its hand-cleaned copy (38) merge into one document
    ar = service.resolve("AR021856A1")
    assert ar.application is not None and ar.application.number == "P990105416"
    # a PATENTSCOPE number without kind code and a Lens one with it are the same document
    wo = service.resolve("WO2000007448")
    assert wo.pubno.kind == "A1" and wo.urls == ["https://www.lens.org/lens/patent/WO_2000_007448_A1"]
