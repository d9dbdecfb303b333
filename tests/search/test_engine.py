"""The search engine on a small mixed real corpus: Chinese, English, German/French EP documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from ipai.errors import QueryError
from ipai.search.fusion import rrf
from ipai.service import Service
from ipai.settings import load_settings
from tests.conftest import subset_csv


@pytest.fixture(scope="module")
def corpus(platform_corpus: Path) -> Path:
    """The shared mixed real corpus (tests/conftest.py): Chinese titles and abstracts, US abstracts,
    EPO XML in English, German and French, US designs."""
    return platform_corpus


@pytest.fixture(scope="module")
def svc(platform_service: Service) -> Service:
    """The shared service with that corpus ingested and indexed (read-only here)."""
    return platform_service


def test_chinese_query_finds_chinese_documents(svc: Service) -> None:
    res = svc.search("无人机", top=5)
    assert res.hits and all("zh" in h.langs for h in res.hits)
    assert "无人机" in res.hits[0].title
    assert any("<mark>无人机</mark>" in p.text for p in res.hits[0].highlights)


def test_english_query_finds_english_documents(svc: Service) -> None:
    res = svc.search("baseball bat", top=5, mode="keyword")
    assert res.hits and all("en" in h.langs for h in res.hits)
    assert all("bat" in h.title.lower() or "baseball" in h.title.lower() or h.highlights for h in res.hits)
    assert any("<mark>" in p.text for p in res.hits[0].highlights)


def test_cross_lingual_switch(svc: Service) -> None:
    res = svc.search("神经网络 训练", top=10, mode="semantic")
    assert any("en" in h.langs and "neural" in h.title.lower() for h in res.hits)
    same = svc.search("神经网络 训练", top=10, mode="semantic", cross_lingual=False)
    assert same.hits and all("zh" in h.langs for h in same.hits)
    back = svc.search("unmanned aerial vehicle drone", top=10, mode="semantic")
    assert any("zh" in h.langs for h in back.hits)


def test_field_syntax_and_filters(svc: Service) -> None:
    res = svc.search("ti:baseball AND pd:[1990 TO 1999]", top=20, mode="keyword")
    assert res.hits
    for h in res.hits:
        assert "baseball" in h.title.lower() and "1990" <= (h.date or "") <= "1999-12-31"
    ep = svc.search("assembly cc:EP", top=10)
    assert ep.hits and all(h.pubno.startswith("EP") for h in ep.hits)
    de = svc.search("lang:de", top=50)
    assert de.hits and all("de" in h.langs for h in de.hits)
    # the English words find the Chinese G06N titles through their translation (人工智能)
    cls = svc.search("artificial intelligence ipc:G06N*", top=10)
    assert cls.hits and all(
        any(c.startswith("G06N") for c in svc.resolve(h.id).codes("ipc") + svc.resolve(h.id).codes("cpc"))
        for h in cls.hits
    )
    matched = [h for h in cls.hits if h.concepts]
    assert cls.total == len(matched) == 3 and cls.hits[:3] == matched  # word matches first, then meaning
    assert all("人工智能" in h.title for h in matched)
    # no G06N document here has "network" (their titles are all Chinese, none says 网络): the
    # filter alone is no match, so nothing comes back and nothing is counted
    none = svc.search("network ipc:G06N*", top=10)
    assert none.hits == [] and none.total == 0 and none.total_keyword == 0
    neg = svc.search("baseball NOT bat", top=30, mode="keyword")
    assert neg.hits and not any("bat" in h.title.lower().split() for h in neg.hits)


def test_filters_apply_inside_semantic_search(svc: Service) -> None:
    res = svc.search("battery cc:CN", top=10, mode="semantic")  # 电池: Chinese documents have the concept
    assert res.hits and all(h.pubno.startswith("CN") for h in res.hits)


def test_malformed_query_points_at_position(svc: Service) -> None:
    with pytest.raises(QueryError) as exc:
        svc.search("ti:(robot AND", top=5)
    assert exc.value.position is not None
    with pytest.raises(QueryError, match="unknown field 'foo'"):
        svc.search("foo:bar", top=5)


def test_hybrid_fuses_both_lists(svc: Service) -> None:
    res = svc.search("training a neural network with backpropagation", top=10)
    sources = {k for h in res.hits for k, v in h.matched.items() if v}
    assert sources == {"keyword", "semantic"}
    assert rrf({"a": [1, 2, 3], "b": [3, 1, 4]})[:2] == [(1, 1 / 61 + 1 / 62), (3, 1 / 63 + 1 / 61)]


def test_similar_documents(svc: Service) -> None:
    doc = next(h for h in svc.search("ti:baseball", top=1).hits)
    res = svc.similar(doc.id, top=5)
    assert res.hits and doc.id not in {h.id for h in res.hits}
    assert sum("baseball" in h.title.lower() or "bat" in h.title.lower() for h in res.hits) >= 3


def test_associated_terms(svc: Service) -> None:
    out = svc.expand("baseball", top=15)
    words = [s.term for s in out]
    assert out and "baseball" not in words
    assert {s.kind for s in out} <= {"translation", "synonym", "narrower", "related"} and "related" in {
        s.kind for s in out
    }
    assert all(s.sources[0] == s.kind for s in out)
    assert set(words) & {
        "bat",
        "bats",
        "pitch",
        "pitcher",
        "ball",
        "softball",
        "batting",
        "hitter",
        "pitching",
    }


def test_incremental_refresh_restart_and_repair(tmp_path: Path, corpus: Path, shared_data: Path) -> None:
    home = tmp_path / "home"
    s = Service(load_settings(home=home, progress=False))
    s.corpus.ingest(
        [
            subset_csv(
                shared_data / "us-abstracts-patentsview/baseball_patent_query.csv",
                tmp_path / "baseball.csv",
                300,
            )
        ]
    )
    first = s.corpus.index()
    assert first["indexed"] == 300
    # a new ingest refreshes an existing index incrementally (only the new documents)
    summary = s.corpus.ingest([corpus / "sample_train.csv"])
    assert summary.index["indexed"] == 19 and summary.index["documents"] == 319
    assert s.search("处理方法", top=3).hits
    s.close()
    # a restart reuses the index as it is
    s2 = Service(load_settings(home=home, progress=False))
    st = s2.corpus.index_status()
    assert st["documents"] == 319 and st["pending"] == 0
    s2.close()
    # a damaged index is detected, reported and rebuilt
    (home / "index" / "vectors" / "vectors.f16").write_bytes(b"garbage")
    notices: list[str] = []
    s3 = Service(load_settings(home=home, progress=False))
    s3.notice = notices.append
    assert s3.search("baseball", top=3).hits
    assert notices and "rebuilding" in notices[0] and "cannot be used" in notices[0]
    assert s3.corpus.index_status()["documents"] == 319
    s3.close()
