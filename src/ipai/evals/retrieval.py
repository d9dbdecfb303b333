"""Retrieval evaluations: ``ipai eval cpc-retrieval`` and ``ipai eval cross-lingual``.

Both build a throw-away store and index from the given corpus file (classification codes are
removed from the indexed documents: they are used only to decide relevance), run every query,
and score the rankings: a corpus document is relevant to a query when they share a CPC/IPC
subclass. MAP is computed over the top ``DEPTH`` results (TREC style), with the full number
of relevant documents in the denominator.
"""

from __future__ import annotations

import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from ipai.errors import InputError
from ipai.ingest.base import Source
from ipai.ingest.registry import detect
from ipai.model import PatentDocument
from ipai.settings import Settings, load_settings

DEPTH = 1000


def read_docs(path: Path, expect: tuple[str, ...]) -> list[PatentDocument]:
    """Documents of an evaluation file, read with ipai's own readers."""
    if not path.is_file():
        raise InputError(f"file not found: {path}")
    src = Source(path, explicit=True)
    reader = detect(src)
    if reader is None or reader.name not in expect:
        raise InputError(
            f"{path}: expected a {' or '.join(expect)} file, found "
            f"{reader.name if reader else 'an unknown format'}"
        )
    docs = [it.record for it in reader.read(src) if it.record is not None]
    if not docs:
        raise InputError(f"{path}: no records")
    return docs  # type: ignore[return-value]


def subclasses(doc: PatentDocument) -> set[str]:
    """IPC/CPC subclasses of a document (the relevance labels)."""
    return {c.code[:4] for c in doc.classifications if c.scheme in ("cpc", "ipc") and len(c.code) >= 4}


def unlabelled(doc: PatentDocument) -> PatentDocument:
    """The document without classifications (nothing to leak into retrieval)."""
    return doc.model_copy(update={"classifications": []})


def average_precision(ranked: list[str], relevant: set[str]) -> float:
    """AP of a ranking against a set of relevant ids."""
    hits, total = 0, 0.0
    for i, d in enumerate(ranked, 1):
        if d in relevant:
            hits += 1
            total += hits / i
    return total / len(relevant) if relevant else 0.0


def score_runs(runs: dict[str, list[str]], rel: dict[str, set[str]]) -> dict[str, float]:
    """MAP, P@10 and recall@100 over the queries that have relevant documents."""
    aps, p10, r100 = [], [], []
    for q, ranked in runs.items():
        relevant = rel.get(q, set())
        if not relevant:
            continue
        aps.append(average_precision(ranked[:DEPTH], relevant))
        p10.append(sum(d in relevant for d in ranked[:10]) / 10)
        r100.append(sum(d in relevant for d in ranked[:100]) / len(relevant))
    n = len(aps)
    return {
        "MAP": round(float(np.mean(aps)), 4) if n else 0.0,
        "P@10": round(float(np.mean(p10)), 4) if n else 0.0,
        "recall@100": round(float(np.mean(r100)), 4) if n else 0.0,
        "queries": n,
    }


def _engine_runs(
    corpus: list[PatentDocument],
    queries: list[tuple[str, str]],
    modes: tuple[str, ...],
    settings: Settings,
    work: Path,
) -> tuple[dict[str, dict[str, list[str]]], dict[str, Any]]:
    from ipai.search.query.ast import FreeText
    from ipai.service import Service
    from ipai.store import SourceRecord

    svc = Service(
        load_settings(
            home=work / "home",
            progress=False,
            search_encoder=settings.search_encoder,
            search_keyword_weight=settings.search_keyword_weight,
            search_semantic_weight=settings.search_semantic_weight,
        )
    )
    svc.store.write_batch(
        [
            SourceRecord(record=unlabelled(d), source="eval:corpus", format="eval", priority=50)
            for d in corpus
        ],
        job_id=None,
    )
    built = svc.corpus.index(rebuild=True)
    eng = svc.search_engine
    runs: dict[str, dict[str, list[str]]] = {m: {} for m in modes}
    lat: dict[str, list[float]] = {m: [] for m in modes}
    for qid, text in queries:
        for m in modes:
            t0 = time.perf_counter()
            res = eng.search_node(
                FreeText(pos=0, text=text),
                top=DEPTH,
                mode=m,
                depth=DEPTH,
                explain=False,
                fetch=False,
                count=False,
            )
            lat[m].append((time.perf_counter() - t0) * 1000)
            runs[m][qid] = [h.id for h in res.hits if h.id != qid]
    svc.close()
    timing = {
        "index_docs_per_s": built.get("docs_per_s"),
        **{f"{m}_ms_p50": round(float(np.percentile(v, 50)), 2) for m, v in lat.items() if v},
    }
    return runs, timing


def _lucene_runs(
    corpus: list[PatentDocument], queries: list[tuple[str, str]], work: Path
) -> tuple[dict[str, list[str]] | None, dict[str, Any]]:
    from ipai.search.lucene import LuceneBM25, lucene_available

    ok, why = lucene_available()
    if not ok:
        return None, {"lucene": f"not available: {why}"}
    lu = LuceneBM25(work / "lucene")
    try:
        lu.index((d.id, _doc_text(d)) for d in corpus)
        t0 = time.perf_counter()
        res = lu.batch_search([t for _, t in queries], DEPTH)
        ms = (time.perf_counter() - t0) * 1000 / max(len(queries), 1)
    finally:
        lu.close()
    return {q: [d for d, _ in r if d != q] for (q, _), r in zip(queries, res, strict=False)}, {
        "lucene_ms_per_query": round(ms, 2)
    }


def _doc_text(d: PatentDocument) -> str:
    parts = list(d.titles.values()) + list(d.abstracts.values()) + [c.text for c in d.claims]
    if d.description:
        parts.append(d.description.text)
    return "\n".join(parts)


def _query_text(d: PatentDocument) -> str:
    return _doc_text(d)


def eval_cpc_retrieval(
    corpus_csv: Path, queries_csv: Path, settings: Settings, progress: Callable[[str], None] | None = None
) -> dict[str, Any]:
    """Claims against claims; relevant = sharing a CPC subclass; ipai vs Lucene BM25."""
    corpus = read_docs(corpus_csv, ("claims-cpc-csv",))
    qdocs = read_docs(queries_csv, ("claims-cpc-csv",))
    rel = _relevance(qdocs, corpus)
    queries = [(q.id, _query_text(q)) for q in qdocs]
    with tempfile.TemporaryDirectory() as td:
        runs, timing = _engine_runs(corpus, queries, ("hybrid", "keyword", "semantic"), settings, Path(td))
        lucene, ltiming = _lucene_runs(corpus, queries, Path(td))
    out: dict[str, Any] = {"corpus": len(corpus), "queries": len(qdocs), "depth": DEPTH}
    for m, r in runs.items():
        out[f"ipai_{m}"] = score_runs(r, rel)
    out["lucene_bm25"] = score_runs(lucene, rel) if lucene is not None else None
    if lucene is not None and out["lucene_bm25"]["MAP"]:
        out["hybrid_vs_lucene_map"] = round(out["ipai_hybrid"]["MAP"] / out["lucene_bm25"]["MAP"], 3)
    out["timing"] = timing | ltiming
    return out


def eval_cross_lingual(
    queries_csv: Path, corpus_csv: Path, settings: Settings, *, seed: int = 0
) -> dict[str, Any]:
    """Chinese titles against English claims; relevant = sharing a subclass; vs a random ranking."""
    qdocs = read_docs(queries_csv, ("cnipa-csv",))
    corpus = read_docs(corpus_csv, ("claims-cpc-csv",))
    rel = _relevance(qdocs, corpus)
    queries = [(q.id, " ".join(q.titles.values())) for q in qdocs]
    with tempfile.TemporaryDirectory() as td:
        runs, timing = _engine_runs(corpus, queries, ("hybrid", "semantic"), settings, Path(td))
    ids = [d.id for d in corpus]
    rng = random.Random(seed)
    rand_maps = []
    for _ in range(5):
        rr = {q: rng.sample(ids, len(ids)) for q, _ in queries}
        rand_maps.append(score_runs(rr, rel)["MAP"])
    out: dict[str, Any] = {"corpus": len(corpus), "queries": len(qdocs)}
    for m, r in runs.items():
        out[f"ipai_{m}"] = score_runs(r, rel)
    out["random_MAP"] = round(float(np.mean(rand_maps)), 4)
    out["hybrid_vs_random_map"] = round(out["ipai_hybrid"]["MAP"] / max(out["random_MAP"], 1e-9), 3)
    out["timing"] = timing
    return out


def _relevance(qdocs: list[PatentDocument], corpus: list[PatentDocument]) -> dict[str, set[str]]:
    by_sub: dict[str, set[str]] = {}
    for d in corpus:
        for s in subclasses(d):
            by_sub.setdefault(s, set()).add(d.id)
    rel: dict[str, set[str]] = {}
    for q in qdocs:
        r: set[str] = set()
        for s in subclasses(q):
            r |= by_sub.get(s, set())
        r.discard(q.id)
        rel[q.id] = r
    return rel
