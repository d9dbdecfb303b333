"""One :class:`ipai.search.protocol.SearchEngine` contract for the single and the sharded index: both
engines satisfy it (every method with the protocol's signature, none left as the protocol's stub) and,
over the same real documents, give the same ``idf``, ``match_ids`` and more-like-this answers (the
code behind them is :class:`ipai.search.engine_base.EngineBase`, shared)."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import pytest

from ipai.search.engine import SearchEngine as OldName
from ipai.search.engine import SingleSearchEngine
from ipai.search.protocol import SearchEngine
from ipai.search.query.parser import parse_query
from ipai.search.rank import Side
from ipai.search.sharded import ShardedSearchEngine
from ipai.settings import load_settings
from tests.conftest import subset_csv


@pytest.fixture(scope="module")
def engines(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Iterator[dict[str, Any]]:
    """400 real documents (US abstracts on neural networks and baseball, Chinese titles) in one store,
    indexed once as a single index and once in two shards."""
    from ipai.service import Service

    d = tmp_path_factory.mktemp("protocol-corpus")
    us = shared_data / "us-abstracts-patentsview"
    subset_csv(us / "neural_network_patent_query.csv", d / "nn.csv", 200)
    subset_csv(us / "baseball_patent_query.csv", d / "bb.csv", 100)
    subset_csv(shared_data / "cn-patent-titles-ipc/titles_ipc.csv", d / "titles.csv", 100)
    svc = Service(load_settings(home=tmp_path_factory.mktemp("protocol-home"), progress=False))
    svc.corpus.ingest([d])
    single = SingleSearchEngine(svc.settings, svc.store)
    single.refresh()
    home2 = tmp_path_factory.mktemp("protocol-shards")
    sharded = ShardedSearchEngine(
        load_settings(home=home2, store=svc.settings.store_url, index_shards=2, progress=False), svc.store
    )
    sharded.refresh()
    yield {"single": single, "sharded": sharded}
    single.close()
    sharded.close()
    svc.close()


def _members(proto: type) -> list[str]:
    return [n for n, v in vars(proto).items() if not n.startswith("_") and callable(v)]


@pytest.mark.parametrize("name", ["single", "sharded"])
def test_both_engines_satisfy_the_protocol(engines: dict[str, Any], name: str) -> None:
    eng = engines[name]
    assert isinstance(eng, SearchEngine)  # (its members include the ranker's Side)
    for proto in (SearchEngine, Side):
        for member in _members(proto):
            owner = next(c for c in type(eng).__mro__ if member in vars(c))
            assert Protocol not in owner.__bases__, f"{member} is only the protocol's stub"
            impl, declared = getattr(type(eng), member), getattr(proto, member)
            assert inspect.signature(impl, eval_str=True) == inspect.signature(declared, eval_str=True), (
                member
            )
    assert eng.encoder.dim == 512 and eng.status()["documents"] == 400
    assert OldName is SingleSearchEngine  # the single engine's old name still imports


def test_same_idf(engines: dict[str, Any]) -> None:
    tokens = ["neural", "network", "bat", "ball", "无人机", "zzzq"]
    a, b = engines["single"].idf(tokens), engines["sharded"].idf(tokens)
    assert a == pytest.approx(b, rel=1e-12)
    assert a["zzzq"] > a["无人机"] > a["bat"] > a["neural"]  # rarer tokens weigh more


@pytest.mark.parametrize("query", ["neural network", "baseball bat", "无人机", "ti:(neural AND network)"])
def test_same_match_ids(engines: dict[str, Any], query: str) -> None:
    ids_a, n_a = engines["single"].match_ids(parse_query(query))
    ids_b, n_b = engines["sharded"].match_ids(parse_query(query))
    assert n_a == n_b == len(ids_a) and n_a > 0 and set(ids_a) == set(ids_b)


def test_same_plan(engines: dict[str, Any]) -> None:
    """``plan`` is part of the contract (the sharded engine once lacked it)."""
    a = engines["single"].plan(parse_query("neural network"), False)
    b = engines["sharded"].plan(parse_query("neural network"), False)
    assert a.terms == b.terms and a.lang == b.lang == "en"


def test_same_similar_documents(engines: dict[str, Any]) -> None:
    """More like US5535303 ("Barometer" neuron): by meaning alone both engines find the same
    documents in the same order (one shared encoder), never the document itself."""
    doc = "US5535303A"
    a = [h.id for h in engines["single"].similar(doc, top=8, mode="semantic").hits]
    b = [h.id for h in engines["sharded"].similar(doc, top=8, mode="semantic").hits]
    assert a == b and len(a) == 8 and doc not in a
    for eng in engines.values():
        hybrid = eng.similar(doc, top=5).hits
        assert hybrid and doc not in {h.id for h in hybrid}


def test_same_embeddings(engines: dict[str, Any]) -> None:
    texts = ["neural network", "棒球 球棒"]
    a, b = engines["single"].embed(texts), engines["sharded"].embed(texts)
    assert a.shape == b.shape == (2, 512) and np.allclose(a, b, atol=1e-6)
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)
