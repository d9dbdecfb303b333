"""The PostgreSQL store: the same real files ingested into SQLite and PostgreSQL give the same
documents, fields, statistics and search results through :class:`Service`; the store mixins
(transfer, monitor, evidence, Q&A, tasks, ingest bookkeeping) behave the same on both; PostgreSQL
specifics (text columns, collation, NUL characters, concurrent writers, URLs) are handled."""

from __future__ import annotations

import json
import shutil
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from ipai.model import Classification, PatentDocument, Trademark, make_party, parse_pubno
from ipai.settings import load_settings
from ipai.store import FileCheckpoint, Reject, SourceRecord, open_store, postgres_url
from tests.conftest import new_pg_database, subset_csv

QUERIES = (
    "neural network",
    "ti:(neural AND network)",
    "无人机",
    "图像 处理",
    "baseball bat",
    "pa:(IBM)",
    "vehicle",
    "cpc:G06N*",
)


# ---- the same real files on both backends ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def pair(
    tmp_path_factory: pytest.TempPathFactory, shared_data: Path, pg_url: str
) -> Iterator[dict[str, Any]]:
    """Services on SQLite and on PostgreSQL with the same real corpus ingested and indexed."""
    from ipai.service import Service

    d = tmp_path_factory.mktemp("pg-corpus")
    subset_csv(shared_data / "cn-patent-titles-ipc/titles_ipc.csv", d / "titles_ipc.csv", 150)
    subset_csv(shared_data / "us-abstracts-patentsview/neural_network_patent_query.csv", d / "nn.csv", 120)
    subset_csv(shared_data / "us-abstracts-patentsview/baseball_patent_query.csv", d / "baseball.csv", 60)
    shutil.copytree(shared_data / "epo-xml-samples", d / "epo")
    marks = json.loads(
        (shared_data / "trademark-vienna-euipo/Trademark2020_validation.json").read_text("utf-8")
    )
    (d / "marks.json").write_text(json.dumps({k: marks[k] for k in sorted(marks)[:150]}), encoding="utf-8")
    out: dict[str, Any] = {}
    pg_db = new_pg_database(pg_url)
    for name, store in (("sqlite", None), ("postgresql", pg_db)):
        home = tmp_path_factory.mktemp(f"pg-home-{name}")
        svc = Service(load_settings(home=home, store=store, progress=False))
        out[f"{name}_ingest"] = svc.corpus.ingest([d])
        svc.corpus.index()
        out[name], out[f"{name}_home"] = svc, home
    # hybrid rankings differ between two index builds even of the same store (the semantic part is
    # not reproducible), so hybrid search is compared on one index: SQLite's, copied beside PostgreSQL
    shared = tmp_path_factory.mktemp("pg-home-shared-index")
    shutil.copytree(out["sqlite_home"] / "index", shared / "index")
    out["postgresql_shared_index"] = Service(load_settings(home=shared, store=pg_db, progress=False))
    assert out["postgresql"].store.engine.dialect.name == "postgresql"
    assert out["sqlite"].store.engine.dialect.name == "sqlite"
    yield out
    for name in ("sqlite", "postgresql", "postgresql_shared_index"):
        out[name].close()


def _counts(summary: Any) -> Any:
    return {
        k: getattr(summary, k)
        for k in ("loaded", "updated", "unchanged", "rejected", "skipped", "files", "by_format")
    }


def test_same_documents_and_bookkeeping(pair: dict[str, Any]) -> None:
    lite, pg = pair["sqlite"].store, pair["postgresql"].store
    assert _counts(pair["sqlite_ingest"]) == _counts(pair["postgresql_ingest"])
    n = lite.count_documents()
    assert n > 300 and pg.count_documents() == n
    assert lite.count_trademarks() == pg.count_trademarks() > 100
    assert list(lite.iter_documents(batch=97)) == list(
        pg.iter_documents(batch=97)
    )  # paging by id: same order
    assert list(lite.iter_trademarks(batch=50)) == list(pg.iter_trademarks(batch=50))
    assert list(lite.iter_changed_raw(0, batch=111)) == list(pg.iter_changed_raw(0, batch=111))
    assert lite.max_seq() == pg.max_seq() == n
    assert lite.recent_ids(25) == pg.recent_ids(25)
    assert lite.changed_docs(10, 200) == pg.changed_docs(10, 200)
    assert lite.stats() == pg.stats()
    assert lite.list_documents(offset=5, limit=40) == pg.list_documents(offset=5, limit=40)
    assert lite.list_documents(country="cn", limit=10) == pg.list_documents(country="cn", limit=10)
    ids = [d.id for d in lite.iter_documents()]
    assert all(lite.document_sources(i) == pg.document_sources(i) for i in ids[::7])
    assert lite.get_raw(ids) == pg.get_raw(ids)
    assert lite.existing_ids(ids + ["XX1A"]) == pg.existing_ids(ids + ["XX1A"]) == set(ids)
    doc = lite.get_document(ids[-1])
    assert pg.find_documents(doc.pubno.country, doc.pubno.number) == lite.find_documents(
        doc.pubno.country, doc.pubno.number
    )


@pytest.mark.parametrize(
    "fields",
    [
        ("titles",),
        ("applicants", "classifications", "publication_date"),
        ("abstracts",),
        ("claims", "description", "titles", "citations"),
        ("legal_events",),
    ],
)
def test_same_get_fields(pair: dict[str, Any], fields: tuple[str, ...]) -> None:
    lite, pg = pair["sqlite"].store, pair["postgresql"].store
    ids = [d.id for d in lite.iter_documents()]
    got = pg.get_fields(ids, fields)
    assert got == lite.get_fields(ids, fields) and len(got) == len(ids)
    assert any(any(v not in (None, [], {}) for v in f.values()) for f in got.values())


def _hits(res: Any) -> list[tuple[Any, ...]]:
    return [
        (h.id, round(h.score, 6), h.title, h.pubno, h.date, h.langs, h.applicants, h.classes)
        for h in res.hits
    ]


def test_same_keyword_search_results(pair: dict[str, Any]) -> None:
    """Each backend with its own index: the same hits and BM25 scores (ties in any order)."""
    seen = 0
    for q in QUERIES:
        a = pair["sqlite"].search(q, top=1000, mode="keyword")
        b = pair["postgresql"].search(q, top=1000, mode="keyword")
        assert a.total_keyword == b.total_keyword, q
        assert sorted(_hits(a), key=lambda h: (-h[1], h[0])) == sorted(
            _hits(b), key=lambda h: (-h[1], h[0])
        ), q
        seen += len(a.hits)
    assert seen > 100


@pytest.mark.parametrize("mode", ["keyword", "semantic", "hybrid"])
def test_same_search_results_on_one_index(pair: dict[str, Any], mode: str) -> None:
    """The same index over either store: identical rankings, titles, highlights and facets."""
    seen = 0
    for q in QUERIES:
        a = pair["sqlite"].search(q, top=20, mode=mode)
        b = pair["postgresql_shared_index"].search(q, top=20, mode=mode)
        assert _hits(a) == _hits(b), q
        assert [h.highlights for h in a.hits] == [h.highlights for h in b.hits], q
        seen += len(a.hits)
    assert seen > 50


def test_same_service_views(pair: dict[str, Any]) -> None:
    lite, pg = pair["sqlite"], pair["postgresql"]
    assert lite.stats() == pg.stats()
    assert lite.documents(limit=30) == pg.documents(limit=30)
    some = [h.id for h in lite.search("neural network", top=5, mode="keyword").hits]
    assert all(lite.show(i) == pg.show(i) for i in some)
    la, lb = lite.analytics.landscape("neural network"), pg.analytics.landscape("neural network")
    la.pop("timing_ms"), lb.pop("timing_ms")
    assert la == lb


# ---- the mixins, one store per backend -------------------------------------------------------------------------


def _doc(pubno: str, **kw: Any) -> PatentDocument:
    return PatentDocument(pubno=parse_pubno(pubno), **kw)


def _src(doc: Any, name: str, prio: int = 100) -> SourceRecord:
    return SourceRecord(record=doc, source=name, format=name.split(":")[0], priority=prio, file=name)


def test_long_strings_and_nul_characters(store_url: Any) -> None:
    """Values longer than the declared VARCHAR lengths and NUL characters do not fail a batch."""
    store = open_store(store_url())
    long_source = "csv:" + "/very/long/folder" * 30 + "/file.csv"
    doc = _doc(
        "CN112345678A",
        titles={"zh": "标题\x00" + "长" * 1200},
        classifications=[Classification(scheme="cpc", code="G06N3/0464" + "9" * 40)],
        applicants=[make_party("公司" * 200)],
        family_id="F" * 120,
    )
    tm = Trademark(office="EM", number="0" * 40, mark_text="Mark\x00" + "x" * 600)
    c = store.write_batch(
        [_src(doc, long_source), _src(tm, "euipo:" + "m" * 300)],
        job_id=None,
        rejects=[Reject(path="/p\x00" + "q" * 400, record="r" * 400, reason="bad\x00 row")],
    )
    assert c.loaded == 2
    got = store.get_document("CN112345678A")
    assert got == doc and store.get_trademark(tm.id) == tm  # the JSON keeps NUL escaped
    assert store.document_sources("CN112345678A")[0]["source"] == long_source
    assert store.stats()["by_section"] == {"G": 1}
    store.close()


def test_ingest_bookkeeping_and_tasks(store_url: Any) -> None:
    store = open_store(store_url())
    job = store.start_job({"paths": ["/data/专利.csv"]})
    cp = FileCheckpoint(
        file_key="k1",
        path="/data/专利.csv",
        format="csv",
        status="running",
        records_done=3,
        counts={"loaded": 2},
    )
    store.write_batch(
        [_src(_doc("US8926509B2"), "xml:a")],
        job_id=job,
        checkpoint=cp,
        rejects=[Reject(path="/data/专利.csv", record="row 4", reason="no number")],
    )
    store.add_rejects([Reject(path="/x", record=None, reason="unreadable")], job_id=job, file_key="k2")
    store.finish_job(job, "done", {"loaded": 3, "ok": True})
    j = store.get_job(job)
    assert j["status"] == "done" and j["args"] == {"paths": ["/data/专利.csv"]} and j["summary"]["ok"] is True
    got = store.get_checkpoint("k1")
    assert got.counts == {"loaded": 3, "updated": 0, "unchanged": 0, "rejected": 1} and got.records_done == 3
    assert [r.reason for r in store.rejects_for(job_id=job)] == ["no number", "unreadable"]
    assert [r.reason for r in store.rejects_for(file_keys=["k2"])] == ["unreadable"]
    for i, state in enumerate(("queued", "running", "done")):
        store.save_task({"id": f"t{i}", "kind": "ingest", "state": state, "params": {"n": i}})
    store.save_task(
        {"id": "t0", "kind": "ingest", "state": "failed", "error": {"m": "x"}, "params": {"n": 0}}
    )
    assert store.get_task("t0")["state"] == "failed" and store.get_task("t0")["error"] == {"m": "x"}
    assert {t["id"] for t in store.list_tasks(states=("done", "failed"))} == {"t0", "t2"}
    store.close()


def test_transfer_monitor_qa_and_evidence(store_url: Any) -> None:
    import datetime as dt

    store = open_store(store_url())
    # transfer
    ids = store.add_demands(
        [
            {"title": "无人机", "text": "无人机充电", "organisation": "某公司" * 100},
            {"title": "B", "text": "b", "status": "closed"},
        ]
    )
    assert store.list_demands(status="open")[1] == 1 and store.get_demand(ids[0])["organisation"].startswith(
        "某公司"
    )
    rows = [
        {
            "kind": "patent",
            "target": f"CN{i}A",
            "score": 1.0 / (i + 1),
            "rank": i,
            "label": "x" * 900,
            "explanation": {"reasons": ["r"]},
        }
        for i in range(5)
    ]
    assert store.save_matches(ids[0], rows) == 5 and store.save_matches(ids[0], rows) == 0
    m = store.list_matches(demand_id=ids[0])[0]
    assert [x["target"] for x in m] == [f"CN{i}A" for i in range(5)] and m[0]["explanation"] == {
        "reasons": ["r"]
    }
    assert (
        store.update_match(m[0]["id"], {"feedback": "accepted"})
        and store.get_match(m[0]["id"])["feedback"] == "accepted"
    )
    nid = store.add_notification("new_demand_matches", "msg", {"demand_id": ids[0]})
    store.set_notification_delivery(nid, {"webhook": "ok"})
    assert store.list_notifications(unread=True)[1] == 1 and store.mark_notifications_read() == 1
    assert store.delete_demand(ids[0]) and store.list_matches(demand_id=ids[0])[1] == 0
    assert store.replace_directory("agencies", [{"name": "A" * 300, "jurisdictions": ["US"]}]) == 1
    assert store.list_directory("agencies")[0]["jurisdictions"] == ["US"]
    # monitor
    w = store.add_watch(
        {"name": "w", "kind": "competitor", "terms": ["Parrot"], "severity": "high", "enabled": True},
        last_seq=0,
        last_tm_at=None,
    )
    w2 = store.add_watch(
        {"name": "off", "kind": "cpc", "terms": ["B64C"], "severity": "low", "enabled": False},
        last_seq=0,
        last_tm_at=None,
    )
    assert [x["id"] for x in store.list_watches(enabled=True)] == [w]
    assert store.get_watch(w2)["enabled"] is False and store.get_watch(w)["enabled"] is True
    store.write_batch([_src(Trademark(office="EM", number="1", mark_text="Parrot"), "euipo:a")], job_id=None)
    at = store.max_trademark_time()
    assert isinstance(at, dt.datetime) and at.tzinfo is None
    assert [r["id"] for r in store.changed_trademarks(None, at)] == ["TM-EM1"]
    assert store.changed_trademarks(at, at) == []
    store.set_watch_progress(w, last_seq=3, last_tm_at=at, summary={"alerts": 2})
    assert store.get_watch(w)["last_tm_at"] == at.isoformat()
    alerts = [
        {
            "watchlist_id": w,
            "watch_name": "w",
            "kind": "competitor",
            "target": t,
            "reason": "r",
            "severity": "high",
            "seq": 2**40,
        }
        for t in ("A", "B", "A")
    ]
    new = store.add_alerts(alerts)
    assert len(new) == 2 and store.add_alerts(alerts) == []
    items, total, unack = store.list_alerts(watchlist_id=w)
    assert total == unack == 2 and items[0]["seq"] == 2**40
    assert store.ack_alerts(new[:1]) == 1 and store.list_alerts(unacknowledged=True)[1] == 1
    # Q&A
    doc, is_new = store.qa_add_document(
        {"title": "FAQ", "source": "faq.txt", "format": "txt", "lang": "zh", "sha256": "a" * 64},
        [("第一条", "内容一"), ("第二条", "内容二")],
    )
    assert is_new and not store.qa_add_document({"sha256": "a" * 64}, [])[1]
    assert [p["where"] for p in store.qa_passages()] == ["第一条", "第二条"] and store.qa_version()[0] == 2
    store.qa_add_message("u1", "s", "问题?", {"answer": "答", "sources": []})
    assert store.qa_messages("u1")[0]["answer"]["answer"] == "答" and store.qa_clear_messages("u1") == 1
    assert store.qa_delete_document(doc["id"]) and store.qa_passages() == []

    # evidence
    def build(first: int) -> list[dict[str, Any]]:
        return [
            {
                "idx": first + i,
                "leaf_hash": f"{first + i:064x}",
                "content_sha256": "c" * 64,
                "kind": "hash",
                "tenant": None,
                "entry": "{}",
            }
            for i in range(3)
        ]

    assert [r["idx"] for r in store.evidence_append(build)] == [0, 1, 2]
    assert store.evidence_size() == 3 and list(store.evidence_leaves(1)) == [
        (1, f"{1:064x}"),
        (2, f"{2:064x}"),
    ]
    store.evidence_put_head(3, "first")
    store.evidence_put_head(3, "second")  # another writer signed this size first: theirs is kept
    assert store.evidence_head() == (3, "first") and store.evidence_heads() == [(3, "first")]
    store.close()


# ---- PostgreSQL specifics --------------------------------------------------------------------------------------


@pytest.fixture()
def pg_store_url(pg_url: str) -> str:
    return new_pg_database(pg_url)


def test_schema_is_migrated_to_text_in_the_c_collation(pg_store_url: str) -> None:
    store = open_store(pg_store_url)
    with store.engine.connect() as conn:
        cols = conn.execute(
            sa.text(
                "SELECT table_name, column_name, data_type, collation_name FROM information_schema.columns "
                "WHERE table_schema = current_schema() AND table_name <> 'alembic_version' "
                "AND data_type IN ('character varying', 'text', 'character')"
            )
        ).all()
        version = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one()
    import ipai.store

    versions = Path(ipai.store.__file__).parent / "migrations" / "versions"
    head = max(f.name.split("_", 1)[0] for f in versions.glob("0*.py"))
    assert version == head and len(cols) > 50  # every migration, also those after 0011, keeps text in "C"
    assert [c for c in cols if c.data_type != "text" or c.collation_name != "C"] == []
    store.close()
    again = open_store(pg_store_url)  # re-opening a current schema is a no-op
    assert again.count_documents() == 0
    again.close()


def test_concurrent_writers_lose_nothing(pg_store_url: str) -> None:
    """Threads writing documents and evidence at once: every change number is unique and every leaf kept."""
    store = open_store(pg_store_url)
    errors: list[BaseException] = []

    def write(tag: int) -> None:
        try:
            for i in range(15):
                store.write_batch([_src(_doc(f"US{tag}{i:05d}A1"), f"csv:{tag}")], job_id=None)
                store.evidence_append(
                    lambda first, i=i: [
                        {
                            "idx": first,
                            "leaf_hash": f"{tag:032x}{i:032x}",
                            "content_sha256": "c" * 64,
                            "kind": "hash",
                            "tenant": None,
                            "entry": "{}",
                        }
                    ]
                )
        except Exception as e:  # noqa: BLE001  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=write, args=(t,)) for t in range(1, 5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    seqs = [s for s, _ in store.iter_changed_raw(0)]
    assert len(seqs) == len(set(seqs)) == 60 and seqs == list(range(1, 61))
    assert store.evidence_size() == 60 and [i for i, _ in store.evidence_leaves()] == list(range(60))
    store.close()


def test_urls_and_the_missing_driver_message(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from ipai.errors import MissingExtra

    assert postgres_url("postgresql://u:p@h:5/db") == "postgresql+psycopg://u:p@h:5/db"
    assert postgres_url("postgres://h/db") == "postgresql+psycopg://h/db"
    assert postgres_url("postgresql+psycopg2://h/db") == "postgresql+psycopg2://h/db"
    plain = new_pg_database(pg_url).replace("postgresql+psycopg://", "postgresql://")
    store = open_store(load_settings(home="/nonexistent-ipai-home", store=plain))  # IPAI_STORE=postgresql://…
    assert store.engine.dialect.driver == "psycopg" and store.count_documents() == 0
    store.close()
    monkeypatch.setitem(sys.modules, "psycopg", None)
    with pytest.raises(MissingExtra, match=r"ipai\[postgres\]"):
        open_store("postgresql://127.0.0.1:1/none")


def test_unreachable_server_is_a_backend_error_without_the_password() -> None:
    from ipai.errors import BackendError

    with pytest.raises(BackendError) as e:
        open_store("postgresql://ipai:secret@127.0.0.1:1/none?connect_timeout=2")
    assert "secret" not in str(e.value) and "***" in str(e.value)
