"""An index refreshed with new documents answers exactly as one built in full from the same store
(real US abstracts, then more abstracts and Chinese titles), and a changed document replaces its
old keyword document and vector."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from ipai.service import Service
from ipai.settings import load_settings
from tests.conftest import subset_csv

US = "us-abstracts-patentsview"
QUERIES = (
    "neural network training",
    "baseball bat",
    "pitching machine",
    "图像识别",
    "棒球",
    "ti:(neural OR network) AND weight",
    "卷积神经网络",
    "golf",
)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> dict[str, Path]:
    """A: 250 neural-network abstracts; B: 60 baseball abstracts and 40 Chinese titles."""
    d = tmp_path_factory.mktemp("refresh-corpus")
    (d / "a").mkdir()
    (d / "b").mkdir()
    subset_csv(shared_data / US / "neural_network_patent_query.csv", d / "a" / "neural.csv", 250)
    subset_csv(shared_data / US / "baseball_patent_query.csv", d / "b" / "baseball.csv", 60)
    subset_csv(shared_data / "cn-patent-titles-ipc/titles_ipc.csv", d / "b" / "titles.csv", 40)
    return {"a": d / "a", "b": d / "b"}


def _service(tmp_path_factory: pytest.TempPathFactory, name: str) -> Service:
    return Service(load_settings(home=tmp_path_factory.mktemp(name), progress=False))


@pytest.fixture(scope="module")
def pair(
    tmp_path_factory: pytest.TempPathFactory, corpus: dict[str, Path]
) -> Iterator[tuple[Service, Service]]:
    """(built in full on A+B, built on A then refreshed with B). Both read A as one batch, as a
    refresh does (the static encoder's word weights are the counts seen so far)."""
    full = _service(tmp_path_factory, "refresh-full")
    full.corpus.ingest([corpus["a"]])
    n_a = full.store.count_changed(0)
    full.corpus.ingest([corpus["b"]])
    full.search_engine.chunk = n_a  # type: ignore[attr-defined]
    built = full.corpus.index()
    inc = _service(tmp_path_factory, "refresh-inc")
    inc.corpus.ingest([corpus["a"]])
    inc.search_engine.chunk = n_a  # type: ignore[attr-defined]
    first = inc.corpus.index()
    summary = inc.corpus.ingest([corpus["b"]])  # refreshes the existing index
    assert first["indexed"] == n_a and summary.index and summary.index["new"] == built["indexed"] - n_a
    yield full, inc
    full.close()
    inc.close()


def _scores(svc: Service, q: str, mode: str) -> dict[str, float]:
    from ipai.search.query.parser import parse_query

    res = svc.search_engine.search_node(parse_query(q), top=20, mode=mode, fetch=False)
    return {h.id: h.score for h in res.hits}


@pytest.mark.parametrize("mode", ["keyword", "semantic", "hybrid"])
def test_refreshed_index_ranks_like_a_full_build(pair: tuple[Service, Service], mode: str) -> None:
    full, inc = pair
    assert full.search_engine.status()["documents"] == inc.search_engine.status()["documents"] > 300
    for q in QUERIES:
        a, b = _scores(full, q, mode), _scores(inc, q, mode)
        assert a, q
        assert set(a) == set(b), q
        assert np.allclose([a[i] for i in a], [b[i] for i in a], rtol=1e-4, atol=1e-5), q
        order_a = sorted(a, key=lambda i: (-round(a[i], 4), i))
        order_b = sorted(b, key=lambda i: (-round(b[i], 4), i))
        assert order_a == order_b, q


def test_a_changed_document_replaces_its_old_version(pair: tuple[Service, Service], tmp_path: Path) -> None:
    from ipai.model import dump_record

    _, inc = pair
    eng = inc.search_engine
    doc_id = _scores(inc, "baseball bat", "keyword").popitem()[0]
    doc = inc.store.get_document(doc_id)
    assert doc is not None
    lang = next(iter(doc.abstracts))
    changed = doc.model_copy(
        update={"abstracts": {lang: "A zeppelin mooring mast with a quokka-shaped winch."}}
    )
    (tmp_path / "changed.jsonl").write_text(dump_record(changed) + "\n", encoding="utf-8")
    before = eng.status()["documents"]
    out = inc.corpus.ingest([tmp_path / "changed.jsonl"])
    assert out.updated == 1 and out.index and out.index["replaced"] == 1
    assert eng.status()["documents"] == before  # replaced, not added
    assert list(_scores(inc, "zeppelin quokka", "keyword")) == [doc_id]
    assert doc_id not in _scores(inc, '"' + " ".join(doc.abstracts[lang].split()[:6]) + '"', "keyword")
    keep, vecs = eng.doc_vectors([doc_id])
    assert keep == [doc_id] and len(vecs) == 1
    sem = _scores(inc, "zeppelin mooring mast winch", "semantic")
    assert next(iter(sem)) == doc_id
