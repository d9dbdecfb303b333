"""The store's contract (:mod:`ipai.store.ports`): every public method of :class:`SqlStore` is
declared in exactly one per-feature protocol, and the store opened on SQLite and on PostgreSQL
satisfies each of them — ``isinstance``, every method with the protocol's signature — and answers one
representative write-then-read per feature on real records."""

from __future__ import annotations

import inspect
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

import pytest

from ipai.model import PatentDocument, Trademark
from ipai.store import FileCheckpoint, Reject, SourceRecord, Store, open_store
from ipai.store.base import STORE_PORTS
from ipai.store.media import MediaStore, sniff_image
from ipai.store.ports import MediaFiles
from ipai.store.sql import SqlStore
from tests.conftest import read_all, subset_csv


def _members(proto: type) -> list[str]:
    """The public methods a protocol declares itself (not those of the protocols it extends)."""
    return [n for n, v in vars(proto).items() if not n.startswith("_") and callable(v)]


def _signature(fn: Any) -> inspect.Signature:
    return inspect.signature(fn, eval_str=True)


def test_every_public_store_method_is_declared_in_exactly_one_port() -> None:
    declared: dict[str, list[str]] = {}
    for proto in STORE_PORTS:
        for name in _members(proto):
            declared.setdefault(name, []).append(proto.__name__)
    twice = {n: ps for n, ps in declared.items() if len(ps) > 1}
    assert not twice, f"declared in more than one port: {twice}"
    public = {n for n in dir(SqlStore) if not n.startswith("_") and callable(getattr(SqlStore, n))}
    assert public - set(declared) == set(), "SqlStore methods no port declares"
    assert set(declared) - public == set(), "port methods SqlStore lacks"
    assert len(public) >= 114  # the contract covers the whole store, not a sample of it
    assert set(Store.__mro__) >= set(STORE_PORTS)  # Store is all of them


def _check_implements(obj: Any, proto: type) -> None:
    assert isinstance(obj, proto), f"{type(obj).__name__} is not a {proto.__name__}"
    for name in _members(proto):
        impl = getattr(type(obj), name)
        owner = next(c for c in type(obj).__mro__ if name in vars(c))
        assert Protocol not in owner.__bases__, f"{proto.__name__}.{name} is only the protocol's stub"
        assert _signature(impl) == _signature(getattr(proto, name)), f"{proto.__name__}.{name}"


# ---- real records: the first PatentsView row and the first EUIPO mark -------------------------------------------


@pytest.fixture(scope="module")
def records(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[SourceRecord, SourceRecord]:
    d = tmp_path_factory.mktemp("protocol-records")
    csv_path = subset_csv(
        shared_data / "us-abstracts-patentsview/neural_network_patent_query.csv", d / "nn.csv", 1
    )
    marks = json.loads(
        (shared_data / "trademark-vienna-euipo/Trademark2020_validation.json").read_text("utf-8")
    )
    first = sorted(marks)[0]
    (d / "marks.json").write_text(json.dumps({first: marks[first]}), encoding="utf-8")
    patent = next(i.record for i in read_all("patentsview-csv", csv_path) if i.record)
    mark = next(i.record for i in read_all("euipo-tm-json", d / "marks.json") if i.record)
    assert isinstance(patent, PatentDocument) and isinstance(mark, Trademark)
    return (
        SourceRecord(record=patent, source="patentsview-csv:nn.csv", format="patentsview-csv", priority=50),
        SourceRecord(record=mark, source="euipo-tm-json:marks.json", format="euipo-tm-json", priority=50),
    )


@pytest.fixture()
def store(store_url: Any) -> Iterator[Store]:
    """A new empty store, once on SQLite and once on PostgreSQL."""
    s = open_store(store_url())
    yield s
    s.close()


def test_the_opened_store_satisfies_every_port(store: Store) -> None:
    _check_implements(store, Store)
    for proto in STORE_PORTS:
        _check_implements(store, proto)
    assert store.url.split(":")[0].split("+")[0] in ("sqlite", "postgresql")  # StoreHandle


def test_one_write_then_read_per_port(store: Store, records: tuple[SourceRecord, SourceRecord]) -> None:
    patent, mark = records
    # IngestStore: a batch with its checkpoint and a reject, inside a job
    job = store.start_job({"paths": ["nn.csv"]})
    cp = FileCheckpoint(file_key="nn", path="nn.csv", format="patentsview-csv", status="running")
    counts = store.write_batch(
        [patent, mark], job_id=job, rejects=[Reject(path="nn.csv", reason="no number")], checkpoint=cp
    )
    store.finish_job(job, "done", {"loaded": counts.loaded})
    assert counts.loaded == 2 and store.get_job(job)["summary"] == {"loaded": 2}
    assert store.get_checkpoint("nn").counts["rejected"] == 1
    # DocumentStore: the real record back as it went in (US5535303, the "Barometer" neuron)
    doc = store.get_document("US5535303A")
    assert doc == patent.record and doc.titles == {"en": '"Barometer" neuron for a neural network'}
    assert store.get_trademark(mark.record.id) == mark.record and store.count_documents() == 1
    # ChangeFeed: the document is change number 1
    assert store.max_seq() == 1 and [s for s, _ in store.iter_changed(0)] == [1]
    # ProvenanceStore: merged from the one source it came from
    assert [s["source"] for s in store.document_sources("US5535303A")] == ["patentsview-csv:nn.csv"]
    # TaskStore
    store.save_task({"id": "t1", "kind": "ingest", "state": "done", "params": {"paths": ["nn.csv"]}})
    assert store.get_task("t1")["params"] == {"paths": ["nn.csv"]}
    # TransferStore
    (demand,) = store.add_demands([{"title": "神经网络芯片", "text": "寻找神经网络稳定性技术"}])
    assert store.get_demand(demand)["status"] == "open"
    # MonitorStore
    watch = store.add_watch(
        {"name": "nn", "kind": "query", "terms": ["neuron"], "severity": "low"}, last_seq=0, last_tm_at=None
    )
    assert store.get_watch(watch)["terms"] == ["neuron"]
    # ManageStore
    (disclosure,) = store.add_disclosures(
        [{"title": "稳定神经元", "text": "一种神经元", "inventors": ["张三"], "status": "submitted"}]
    )
    assert store.get_disclosure(disclosure)["inventors"] == ["张三"]
    # DealStore
    deal = store.add_deal("license", "US5535303 licence", {"patents": ["US5535303A"]})
    assert store.get_deal(deal)["agreement"] == {"patents": ["US5535303A"]}
    # EvidenceStore
    store.evidence_append(
        lambda first: [
            {"idx": first, "leaf_hash": "a" * 64, "content_sha256": "b" * 64, "kind": "hash", "entry": "{}"}
        ]
    )
    assert store.evidence_entry(0)["content_sha256"] == "b" * 64
    # QaStore
    qa_doc, _ = store.qa_add_document(
        {"title": "FAQ", "source": "faq.txt", "format": "txt", "sha256": "c" * 64}, [("第一条", "神经元")]
    )
    assert store.qa_document(qa_doc["id"])["items"][0]["text"] == "神经元"
    # SavedSearchStore
    sid = store.add_search("local", "saved", "neural network", {"mode": "hybrid"}, name="nn")
    assert store.get_search("local", sid)["params"] == {"mode": "hybrid"}
    # SecurityStore
    store.add_user({"name": "alice", "role": "analyst"})
    assert store.get_user("alice")["role"] == "analyst"
    # FactsStore: a derived row of the document, read back by id and as columns of the newest
    assert store.changed_ids(0) == [(1, "US5535303A")] and store.facts_seq(1) == 0
    row = {"id": "US5535303A", "seq": 1, "version": 1, "landscape": "[]", "country": "US", "year": 1994}
    store.write_facts([{**row, "lang": "en", "family_size": 2.0}])
    assert store.facts_seq(1) == 1 and store.newest_facts(("year", "lang"), 5) == {
        "year": [1994],
        "lang": ["en"],
    }
    assert store.read_facts(["US5535303A", "X"], ("country", "family_size")) == {"US5535303A": ("US", 2.0)}


def test_media_files_port(tmp_path: Path, shared_data: Path) -> None:
    """The media folder beside the store keeps a real drawing by its hash."""
    media = MediaStore(tmp_path / "media")
    _check_implements(media, MediaFiles)
    drawing = (
        shared_data / "us-design-patents/USD0925503-20210720/USD0925503-20210720-D00001.TIF"
    ).read_bytes()
    sha = media.put(drawing)
    assert media.has(sha) and media.read(sha) == drawing and sniff_image(drawing) == "tiff"
