"""The store's brief facts table (``doc_facts``, :mod:`ipai.service.facts`) on real Lens records:
its rows are what the landscape and the valuation derive from the documents themselves, it follows
the change feed (a write costs the rows of the documents written), and a new derivation version
rebuilds it."""

from __future__ import annotations

import datetime as dt
import gc
from pathlib import Path

import numpy as np
import pytest

from ipai.analytics.landscape import FIELDS, facts_from_fields
from ipai.service import Service
from ipai.service.facts import FACTS_VERSION, facts_from_row, sync_facts
from ipai.store.schema import FACT_VALUES
from ipai.value.indicators import BRIEF, EXTRA, extract_many
from ipai.value.model import Reference, score
from tests.conftest import corpus_service, subset_csv


@pytest.fixture(scope="module")
def covid(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Service:
    yield from corpus_service(
        tmp_path_factory,
        "facts",
        (shared_data / "landscape-lens-patentscope/drones_tac_1606_families.csv", None),
    )


def _old_indicators(svc: Service, as_of: dt.date) -> list:
    """Indicators of every stored document read the way the valuation read them before the table."""
    ids = svc.store.recent_ids(10**6)
    rows = svc.store.get_fields(ids, BRIEF)
    for i, extra in svc.store.get_fields(ids, EXTRA).items():
        rows.setdefault(i, {}).update(extra)
    return extract_many(rows, as_of)


def test_rows_are_the_facts_derived_from_the_documents(covid: Service) -> None:
    covid.ctx.facts_cache.sync()
    ids = covid.store.recent_ids(10**6)
    rows = covid.store.read_facts(ids, ("landscape", "seq"))
    assert set(rows) == set(ids) and len(ids) > 1000
    assert max(seq for _, seq in rows.values()) == covid.store.max_seq()
    fields = covid.store.get_fields(ids, FIELDS)
    for i in ids:
        assert facts_from_row(rows[i][0]) == facts_from_fields(fields[i]), i
    # the landscape from the table equals the one from the documents' briefs
    from ipai.analytics.landscape import landscape

    covid.ctx.facts_cache.clear()
    from_table = landscape(covid.ctx.facts_cache.get(ids), top=10)
    assert from_table == landscape([facts_from_fields(fields[i]) for i in ids], top=10)
    assert from_table["documents"] == len(ids) and from_table["by_applicant"]


def test_reference_from_the_columns_equals_the_reference_built_from_every_document(
    covid: Service, tmp_path: Path
) -> None:
    as_of = dt.date(2024, 6, 30)
    covid.ctx.facts_cache.sync()
    cols = covid.store.newest_facts(("country", "year", "lang", *FACT_VALUES), 10**6)
    inds = _old_indicators(covid, as_of)
    new, old = Reference.from_columns(cols, as_of), Reference.build(inds, as_of)
    assert new.size == old.size == len(inds) and new.as_of == old.as_of
    for part in ("values", "breadth", "cohorts", "years"):
        a, b = getattr(new, part), getattr(old, part)
        assert a.keys() == b.keys(), part
        assert all(np.array_equal(a[k], b[k]) for k in a), part
    arrays = {name: a for name, a in vars(new).items() if isinstance(a, np.ndarray)}
    assert arrays and all(np.array_equal(a, getattr(old, name)) for name, a in arrays.items()), arrays.keys()
    assert len(old.values["family_size"]) > 100
    # kept between processes as a file: loaded back the same
    new.save(tmp_path / "ref.npz")
    back = Reference.load(tmp_path / "ref.npz")
    assert (back.as_of, back.size, back.cohorts.keys()) == (new.as_of, new.size, new.cohorts.keys())
    for part in ("values", "breadth", "cohorts", "years"):
        assert all(np.array_equal(getattr(back, part)[k], v) for k, v in getattr(new, part).items())
    # the service's scores are those of the old reference
    ids = [i.doc_id for i in inds[:200]]
    got = covid.value.value(numbers=ids, as_of=as_of)
    want = score([i for i in inds if i.doc_id in set(ids)], old)
    by_id = {i.doc_id: s for i, s in zip(want.inds, want.scores, strict=True)}
    assert got["reference_documents"] == len(inds)
    for d in got["documents"]:
        assert d["score"] == (None if np.isnan(by_id[d["id"]]) else round(float(by_id[d["id"]]), 2))
    # a fresh service (a new process) loads the kept reference file and scores the same
    fresh = Service(covid.settings)
    try:
        assert fresh.value.value(numbers=ids, as_of=as_of)["documents"] == got["documents"]
        assert list((covid.settings.home / "cache" / "value-reference").glob("*.npz"))
    finally:
        fresh.close()


def test_a_write_costs_the_rows_of_the_documents_written(
    covid: Service, shared_data: Path, tmp_path: Path
) -> None:
    covid.ctx.facts_cache.sync()
    assert sync_facts(covid.store) == 0  # level: nothing to do
    extra = subset_csv(
        shared_data / "landscape-lens-patentscope/pizza_lens_1000_raw.csv", tmp_path / "pizza5.csv", 5
    )
    before = covid.store.count_documents()
    covid.corpus.ingest([extra])
    added = covid.store.count_documents() - before
    assert added > 0 and sync_facts(covid.store) == added
    # a new derivation version drops every row; the next sync derives them all again
    assert covid.store.facts_seq(FACTS_VERSION + 1) == 0
    assert covid.store.read_facts(covid.store.recent_ids(5), ("seq",)) == {}
    assert sync_facts(covid.store) == covid.store.count_documents()
    assert covid.store.facts_seq(FACTS_VERSION) == covid.store.max_seq()


def test_fewer_collections_restores_the_thresholds_when_the_last_block_leaves() -> None:
    from ipai.analytics.gcpause import fewer_collections, paused_collections

    before = gc.get_threshold()
    with fewer_collections():
        inside = gc.get_threshold()
        with fewer_collections():
            assert gc.get_threshold() == inside
        assert gc.get_threshold() == inside and inside[0] >= 50_000
    assert gc.get_threshold() == before
    with paused_collections():
        assert not gc.isenabled()
    assert gc.isenabled()
