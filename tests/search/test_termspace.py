"""The term space and the dictionary: query words in one language find documents written in the
other, on real Lens records (ritonavir) and US abstracts (baseball)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from ipai.service import Service
from ipai.settings import load_settings
from ipai.text.lexicon import lexicon
from tests.conftest import subset_csv


@pytest.fixture(scope="module")
def svc(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Service:
    """Lens records whose title names ritonavir, and 60 US baseball abstracts, indexed with the term space."""
    d = tmp_path_factory.mktemp("termspace-corpus")
    src = shared_data / "landscape-lens-patentscope/ritonavir.csv"
    with (
        src.open(encoding="utf-8", newline="") as f,
        (d / "ritonavir.csv").open("w", encoding="utf-8", newline="") as out,
    ):
        r, w = csv.reader(f), csv.writer(out, lineterminator="\n")
        header = next(r)
        w.writerow(header)
        title = header.index("title")
        w.writerows(row for row in r if "ritonavir" in row[title].lower())
    subset_csv(shared_data / "us-abstracts-patentsview/baseball_patent_query.csv", d / "baseball.csv", 60)
    s = Service(
        load_settings(home=tmp_path_factory.mktemp("termspace-home"), progress=False, search_termspace=True)
    )
    s.corpus.ingest([d])
    out = s.corpus.index()
    assert out["termspace_words"]["en"] > 0
    yield s
    s.close()


def test_a_transliterated_name_is_learned_from_the_corpus(svc: Service) -> None:
    assert not lexicon().glosses("利托那韦")  # CC-CEDICT has no entry: the term space must find it
    res = svc.search("利托那韦", filters={"lang": "en"})
    forms = {f["text"]: f["source"] for c in res.concepts for f in c["forms"]}
    assert forms.get("ritonavir") == "wordspace"
    assert res.hits and all("ritonavir" in h.title.lower() for h in res.hits)
    assert res.total == len(res.hits) or res.total > len(res.hits)


def test_gibberish_is_never_translated(svc: Service) -> None:
    for q in ("嫑嘦烎囧", "xyzzyqq", "qwzxvbnm"):
        res = svc.search(q)
        assert res.hits == [] and res.total == 0
        assert all(f["source"] == "query" for c in res.concepts for f in c["forms"])


def test_dictionary_translation_both_ways(svc: Service) -> None:
    zh = svc.search("棒球", filters={"lang": "en"})
    assert zh.hits and all(
        "baseball" in (h.title + " ".join(p.text for p in h.highlights)).lower() for h in zh.hits
    )


def test_lexicon_senses() -> None:
    lex = lexicon()
    assert {w for w, _ in lex.chinese(["drones"])} >= {"无人机"}
    assert "神经网络" in {w for w, _ in lex.chinese(["neural", "networks"])}
    assert "中药" in {
        w for w, _ in lex.chinese(["traditional", "Chinese", "medicine"])
    }  # note words optional
    assert "散热" in {w for w, _ in lex.chinese(["heat", "dissipation"])}  # any word order
    assert [g.text for g in lex.glosses("无人机")][:2] == ["drone", "unmanned aerial vehicle"]
    assert all("," not in g.text for g in lex.glosses("比萨"))  # "Pisa, town in …" is a place, not a sense
