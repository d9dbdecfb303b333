"""Distributed jobs on a real local Ray engine (127.0.0.1) over real documents: parallel ingest and
sharded index builds that survive a killed worker, and sharded search that agrees with the single
index."""

from __future__ import annotations

import csv
import json
import os
import re
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from ipai.cluster.engine import Cluster, KillSwitch, ray_available, ray_module
from ipai.errors import MissingExtra
from ipai.service import Service
from ipai.settings import Settings, load_settings
from ipai.store import open_store
from tests.conftest import subset_csv

pytestmark = pytest.mark.skipif(
    not ray_available(), reason="ray is not installed: pip install 'ipai[cluster]'"
)

ROWS = {"nn.csv": 600, "baseball.csv": 400, "titles.csv": 300}  # 1,300 real documents in three files


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Path:
    """US abstracts (neural networks, baseball) and Chinese titles, three files."""
    d = tmp_path_factory.mktemp("cluster-corpus")
    us = shared_data / "us-abstracts-patentsview"
    subset_csv(us / "neural_network_patent_query.csv", d / "nn.csv", ROWS["nn.csv"])
    subset_csv(us / "baseball_patent_query.csv", d / "baseball.csv", ROWS["baseball.csv"])
    subset_csv(shared_data / "cn-patent-titles-ipc/titles_ipc.csv", d / "titles.csv", ROWS["titles.csv"])
    return d


def _settings(home: Path, **kw: object) -> Settings:
    return load_settings(home=home, store=f"sqlite:///{home / 'ipai.sqlite'}", progress=False, **kw)


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """One local engine (2 worker CPUs on 127.0.0.1) for the module; jobs join it."""
    with Cluster(_settings(tmp_path_factory.mktemp("engine-home")), workers=2) as c:
        yield c


@pytest.fixture(scope="module")
def single(tmp_path_factory: pytest.TempPathFactory, corpus: Path) -> Iterator[Service]:
    """The corpus ingested and indexed the ordinary way (one process, one index)."""
    svc = Service(_settings(tmp_path_factory.mktemp("single-home")))
    svc.corpus.ingest([corpus])
    svc.corpus.index()
    yield svc
    svc.close()


@pytest.fixture(scope="module")
def cluster_home(
    tmp_path_factory: pytest.TempPathFactory, corpus: Path, engine: Cluster
) -> dict[str, object]:
    """The corpus ingested on the engine and indexed in 2 shards — with one reading worker and one
    shard worker killed (SIGKILL) in the middle of their work."""
    from ipai.cluster.index import build_shards
    from ipai.cluster.ingest import cluster_ingest

    home = tmp_path_factory.mktemp("cluster-home")
    marks = tmp_path_factory.mktemp("kill-markers")
    settings = _settings(home, ingest_batch_size=50)
    store = open_store(settings)
    try:
        ingested = cluster_ingest(
            settings, store, [corpus], workers=2, kill=KillSwitch("nn.csv", 150, str(marks / "ingest"))
        )
    finally:
        store.close()
    built = build_shards(
        settings,
        shards=2,
        workers=2,
        commit_every=200,
        chunk=50,
        kill=KillSwitch("1", 300, str(marks / "shard-1")),
    )
    return {"home": home, "settings": settings, "ingest": ingested, "index": built, "marks": marks}


def _not_running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return True
    return "\nState:\tZ" in state  # a zombie is dead, waiting for its parent


def test_missing_ray_names_the_extra(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray now fails as if it were not installed
    with pytest.raises(MissingExtra) as err:
        ray_module()
    assert err.value.status == 503 and err.value.extra == "cluster"
    assert "pip install 'ipai[cluster]'" in err.value.message
    from ipai.cli import main

    assert main(["--home", str(tmp_path / "h"), "--no-progress", "cluster", "index"]) == 1


def test_unreachable_cluster_is_reported_at_once(tmp_path: Path) -> None:
    import subprocess

    env = {**os.environ, "IPAI_CLUSTER_ADDRESS": "127.0.0.1:1", "IPAI_HOME": str(tmp_path / "h")}
    ipai = [sys.executable, "-c", "from ipai.cli import run; run()"]  # the console script, in a fresh process
    run = subprocess.run(
        [*ipai, "cluster", "status"], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert run.returncode == 0  # at once = within the subprocess timeout, not a timed figure
    engine = json.loads(run.stdout.strip().splitlines()[-1])["engine"]
    assert engine["reachable"] is False and "nothing answers on 127.0.0.1:1" in engine["error"]
    run = subprocess.run(
        [*ipai, "cluster", "index"], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert run.returncode == 1 and "cannot reach the Ray cluster at 127.0.0.1:1" in run.stderr


def test_ingest_on_workers_loses_nothing_when_a_worker_dies(cluster_home: dict, single: Service) -> None:
    out = cluster_home["ingest"]
    marker = cluster_home["marks"] / "ingest"
    assert marker.exists() and _not_running(int(marker.read_text()))  # the reading worker really died
    assert out["worker_restarts"] == 1
    assert out["loaded"] == sum(ROWS.values()) and out["unchanged"] == 0 and out["rejected"] == 0
    assert out["by_format"] == {"patentsview-csv": 1000, "cnipa-csv": 300}
    store = open_store(cluster_home["settings"])
    try:
        assert store.count_documents() == single.store.count_documents() == sum(ROWS.values())
        assert store.get_document("US5590875A").title == single.store.get_document("US5590875A").title
    finally:
        store.close()


def test_shard_build_resumes_after_a_worker_is_killed(cluster_home: dict) -> None:
    from ipai.search.shards import ShardIndex, read_layout, shard_of, shards_root

    out = cluster_home["index"]
    marker = cluster_home["marks"] / "shard-1"
    assert marker.exists() and _not_running(int(marker.read_text()))
    assert out["worker_restarts"] == 1
    one = out["per_shard"][1]
    assert one["attempts"] == 2
    assert 0 < one["indexed"] < one["documents"]  # the second attempt resumed from a checkpoint
    assert out["documents"] == out["store_documents"] == sum(ROWS.values())
    settings = cluster_home["settings"]
    store = open_store(settings)
    layout = read_layout(shards_root(settings))
    seen: Counter[str] = Counter()
    try:
        for k in range(2):
            shard = ShardIndex(settings, store, layout, k)
            shard._open_index()
            mask = shard.docmap.alive_mask()
            ids = list(shard.docmap.doc_ids(list(range(len(mask)))).values())
            live = [d for i, d in zip(range(len(mask)), ids, strict=False) if mask[i]]
            assert shard.keyword.num_docs() == len(live) == int(shard.vectors.alive.sum())
            assert all(shard_of(d, 2) == k for d in live)
            seen.update(live)
            shard.close()
        stored = {d.id for d in store.iter_documents()}
        assert set(seen) == stored and len(stored) == sum(ROWS.values())
        assert max(seen.values()) == 1  # every document exactly once
    finally:
        store.close()


def _queries(corpus: Path) -> list[str]:
    """Real queries: words of real titles (English) and the start of real Chinese titles."""
    out = []
    for name in ("nn.csv", "baseball.csv"):
        with open(corpus / name, encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))[::40]
            out += [" ".join(re.findall(r"[A-Za-z]{3,}", r["patent_title"])[:3]) for r in rows]
    with open(corpus / "titles.csv", encoding="utf-8") as fh:
        out += [r["patent_title"][:6] for r in list(csv.DictReader(fh))[::40]]
    return [q for q in out if q.strip()]


def test_sharded_search_agrees_with_the_single_index(
    cluster_home: dict, single: Service, corpus: Path
) -> None:
    from ipai.search.query.parser import parse_query
    from ipai.search.sharded import ShardedSearchEngine

    sharded = Service(cluster_home["settings"].model_copy(update={"index_shards": 2}))
    try:
        assert isinstance(sharded.search_engine, ShardedSearchEngine)
        status = sharded.corpus.index_status()
        assert status["documents"] == sum(ROWS.values()) and status["pending"] == 0
        built = cluster_home["index"]["per_shard"]
        assert [s["documents"] for s in status["shards"]] == [p["documents"] for p in built]
        overlap: dict[str, list[float]] = {"keyword": [], "hybrid": [], "semantic": []}
        for q in _queries(corpus):
            for mode, found in overlap.items():
                a, b = single.search(q, top=10, mode=mode), sharded.search(q, top=10, mode=mode)
                assert a.total_keyword == b.total_keyword  # matching does not depend on statistics
                if a.hits:
                    found.append(len({h.id for h in a.hits} & {h.id for h in b.hits}) / len(a.hits))
        mean = {mode: sum(v) / len(v) for mode, v in overlap.items()}
        assert len(overlap["keyword"]) >= 25, overlap
        # measured 0.89 / 0.94 / 1.00: BM25 statistics are each shard's own, the encoder is shared
        assert mean["keyword"] >= 0.8 and mean["hybrid"] >= 0.8 and mean["semantic"] >= 0.9, mean
        node = parse_query("baseball")
        ids_a, n_a = single.search_engine.match_ids(node, limit=5000)
        ids_b, n_b = sharded.search_engine.match_ids(node, limit=5000)
        assert n_a == n_b == len(ids_b) and set(ids_a) == set(ids_b)
        keep, mat = sharded.search_engine.doc_vectors(["US5590875A", "XX000000A", "US5590875A"])
        assert keep == ["US5590875A", "US5590875A"] and mat.shape == (2, 512)
        assert abs(float((mat[0] ** 2).sum()) - 1.0) < 1e-2
        idf_a, idf_b = (
            single.search_engine.idf(["bat", "neural"]),
            sharded.search_engine.idf(["bat", "neural"]),
        )
        assert idf_a == pytest.approx(idf_b, rel=1e-6)
        like = sharded.similar("US5590875A", top=5)
        assert like.hits and "US5590875A" not in {h.id for h in like.hits}
        # legal status (ipai.status) filters give the same documents on the shards, for any day
        import datetime as dt

        for day in (dt.date(2005, 1, 1), dt.date(2025, 12, 1)):
            for value in ("granted", "expired", "pending", "alive"):
                node = single.status.resolve_query(parse_query(f"status:{value}"), day)
                ids_a, n_a = single.search_engine.match_ids(node, limit=5000)
                ids_b, n_b = sharded.search_engine.match_ids(node, limit=5000)
                assert n_a == n_b and set(ids_a) == set(ids_b), (day, value)
            assert n_a > 0
    finally:
        sharded.close()


def test_sharded_index_follows_new_documents_in_process(
    tmp_path: Path, corpus: Path, shared_data: Path
) -> None:
    """Without the engine: a service with shards builds them itself and refreshes them after an ingest."""
    svc = Service(_settings(tmp_path / "home", index_shards=3))
    try:
        svc.corpus.ingest([corpus / "titles.csv"])
        assert svc.corpus.index()["documents"] == ROWS["titles.csv"]
        baseball = shared_data / "us-abstracts-patentsview/baseball_patent_query.csv"
        more = subset_csv(baseball, tmp_path / "b.csv", 120)
        summary = svc.corpus.ingest([more])
        assert summary.index["indexed"] == 120  # the shards caught up with the ingest
        status = svc.corpus.index_status()
        assert status["documents"] == ROWS["titles.csv"] + 120 and status["pending"] == 0
        assert all(s["seq"] == status["seq"] for s in status["shards"])
        hits = svc.search("baseball", top=5, mode="keyword").hits
        assert hits and all(h.id.startswith("US") for h in hits)
    finally:
        svc.close()


def test_cluster_cli_status_and_index(cluster_home: dict, capsys: pytest.CaptureFixture[str]) -> None:
    from ipai.cli import main

    where = ["--home", str(cluster_home["home"]), "--store", cluster_home["settings"].store, "--no-progress"]
    assert main([*where, "cluster", "status"]) == 0
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert (
        out["sharded_index"]["documents"] == sum(ROWS.values()) and len(out["sharded_index"]["shards"]) == 2
    )
    assert out["engine"]["installed"] is True
    # nothing changed: the shards only confirm their checkpoints
    assert main([*where, "cluster", "index", "--shards", "2", "--workers", "2"]) == 0
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert out["indexed"] == 0 and out["documents"] == sum(ROWS.values())
    assert "IPAI_INDEX_SHARDS=2" in out["hint"]
    assert main([*where, "bench", "scale", "--sizes", "10k"]) == 2  # a bad size is refused before any work
    assert "--sizes takes whole numbers" in capsys.readouterr().err
    assert out["engine"]["address"].startswith("127.0.0.1:")  # the local engine listens on loopback only
