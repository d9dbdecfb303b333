"""Store: idempotent upsert, order-independent merge of sources, provenance, stats (on SQLite and PostgreSQL:
the ``store_url`` fixture of conftest runs each test on both)."""

from __future__ import annotations

import itertools
import json

from ipai.model import Classification, PatentDocument, Trademark, make_party, parse_pubno
from ipai.store import SourceRecord, open_store
from ipai.store.merge import merge_sources


def _doc(**kw) -> PatentDocument:
    return PatentDocument(pubno=parse_pubno(kw.pop("pubno", "US8926509B2")), **kw)


def _src(doc: PatentDocument, name: str, prio: int) -> SourceRecord:
    return SourceRecord(record=doc, source=name, format=name.split(":")[0], priority=prio, file=name)


FULL = _doc(
    titles={"en": "Full text title"},
    classifications=[Classification(scheme="ipc", code="A61B5/00")],
    applicants=[make_party("Acme Corp")],
)
BIBLIO = _doc(
    pubno="US 8926509",
    titles={"en": "Lens title", "de": "Titel"},
    classifications=[
        Classification(scheme="cpc", code="A61B5/0002"),
        Classification(scheme="ipc", code="A61B5/00"),
    ],
    cited_by_count=7,
)


def test_merge_prefers_priority_and_unions_classes() -> None:
    merged = merge_sources(
        [
            (40, "lens:x", json.loads(BIBLIO.model_dump_json(exclude_defaults=True))),
            (100, "xml:y", json.loads(FULL.model_dump_json(exclude_defaults=True))),
        ]
    )
    assert merged.titles == {"en": "Full text title", "de": "Titel"}
    assert [c.code for c in merged.classifications] == ["A61B5/00", "A61B5/0002"]
    assert merged.cited_by_count == 7 and merged.pubno.kind == "B2"


def test_merge_is_independent_of_ingest_order(store_url) -> None:
    results = []
    for order in itertools.permutations([("xml:y", FULL, 100), ("lens:x", BIBLIO, 40)]):
        store = open_store(store_url())
        for name, doc, prio in order:
            store.write_batch([_src(doc, name, prio)], job_id=None)
        results.append(store.get_document("US8926509B"))
        store.close()
    assert results[0] == results[1]


def test_upsert_counts_and_idempotence(store_url) -> None:
    store = open_store(store_url())
    c1 = store.write_batch([_src(FULL, "xml:y", 100)], job_id=None)
    c2 = store.write_batch([_src(FULL, "xml:y", 100)], job_id=None)
    c3 = store.write_batch([_src(BIBLIO, "lens:x", 40)], job_id=None)
    changed = FULL.model_copy(update={"titles": {"en": "Corrected title"}})
    c4 = store.write_batch([_src(changed, "xml:y", 100)], job_id=None)
    assert (c1.loaded, c2.unchanged, c3.updated, c4.updated) == (1, 1, 1, 1)
    assert store.count_documents() == 1
    assert [s["source"] for s in store.document_sources("US8926509B")] == ["xml:y", "lens:x"]
    assert store.get_document("US8926509B").titles["en"] == "Corrected title"


def test_stats_and_trademarks(store_url) -> None:
    store = open_store(store_url())
    tm = Trademark(office="EM", number="000001751", mark_text="Uncle Ben's")
    store.write_batch([_src(FULL, "xml:y", 100), _src(tm, "euipo:t", 50)], job_id=None)
    st = store.stats()
    assert st["documents"] == 1 and st["trademarks"] == 1
    assert st["by_jurisdiction"] == {"US": 1} and st["by_section"] == {"A": 1}
    assert store.get_trademark("TM-EM000001751") == tm
    assert [t.id for t in store.iter_trademarks()] == ["TM-EM000001751"]


def test_reopen_keeps_schema_and_data(store_url) -> None:
    url = store_url()
    s1 = open_store(url)
    s1.write_batch([_src(FULL, "xml:y", 100)], job_id=None)
    s1.close()
    s2 = open_store(url)  # migrations are a no-op on a current schema
    assert s2.count_documents() == 1
