"""``ipai bench keyword-engines``: the measurement behind the choice of keyword engine.

The same pre-analysed documents (ipai's own zh/en analysis) and the same queries go into
tantivy, SQLite FTS5 (stdlib) and bm25s; build speed, query p50/p99 and index size are
reported. bm25s is optional (``pip install bm25s``); it is skipped when absent.
"""

from __future__ import annotations

import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from ipai.evals.bench.search import bench_queries, synth_corpus
from ipai.search.analysis import index_tokens


def _dir_mb(path: Path) -> float:
    return round(sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6, 1)


def _pct(v: list[float]) -> dict[str, float]:
    return {"p50_ms": round(float(np.percentile(v, 50)), 3), "p99_ms": round(float(np.percentile(v, 99)), 3)}


def bench_keyword_engines(data: Path, n_docs: int) -> dict[str, Any]:
    """Compare tantivy, SQLite FTS5 and bm25s on the same analysed documents and queries."""
    docs = [
        (d.id, " ".join(index_tokens(d.title + " " + next(iter(d.abstracts.values())), d.lang)))
        for d in synth_corpus(data, n_docs)
    ]
    qs = [
        " ".join(index_tokens(q, "zh" if any("\u4e00" <= c <= "\u9fff" for c in q) else "en"))
        for kind in bench_queries(data).values()
        for q in kind
    ]
    qs = [q for q in qs if q]
    out: dict[str, Any] = {"docs": n_docs, "queries": len(qs)}
    with tempfile.TemporaryDirectory() as td:
        out["tantivy"] = _tantivy(docs, qs, Path(td) / "tv")
        out["sqlite_fts5"] = _fts5(docs, qs, Path(td) / "fts.sqlite")
        out["bm25s"] = _bm25s(docs, qs)
    return out


def _tantivy(docs: list[tuple[str, str]], qs: list[str], path: Path) -> dict[str, Any]:
    import tantivy

    path.mkdir()
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("id", stored=True, tokenizer_name="raw")
    sb.add_text_field("body", tokenizer_name="whitespace")
    schema = sb.build()
    ix = tantivy.Index(schema, path=str(path))
    t0 = time.perf_counter()
    w = ix.writer(heap_size=256_000_000, num_threads=2)
    for i, body in docs:
        d = tantivy.Document()
        d.add_text("id", i)
        d.add_text("body", body)
        w.add_document(d)
    w.commit()
    w.wait_merging_threads()
    build = time.perf_counter() - t0
    ix.reload()
    s = ix.searcher()
    lat = []
    for q in qs:
        t = time.perf_counter()
        query = tantivy.Query.boolean_query(
            [(tantivy.Occur.Should, tantivy.Query.term_query(schema, "body", x)) for x in set(q.split())]
        )
        s.search(query, 10)
        lat.append((time.perf_counter() - t) * 1000)
    return {"build_docs_per_s": round(len(docs) / build), **_pct(lat), "index_mb": _dir_mb(path)}


def _fts5(docs: list[tuple[str, str]], qs: list[str], path: Path) -> dict[str, Any]:
    con = sqlite3.connect(path)
    con.execute("CREATE VIRTUAL TABLE d USING fts5(id UNINDEXED, body, tokenize='unicode61')")
    t0 = time.perf_counter()
    con.executemany("INSERT INTO d (id, body) VALUES (?, ?)", docs)
    con.commit()
    build = time.perf_counter() - t0
    lat = []
    for q in qs:
        terms = " OR ".join('"' + x.replace('"', '""') + '"' for x in set(q.split()))
        t = time.perf_counter()
        con.execute("SELECT id FROM d WHERE d MATCH ? ORDER BY bm25(d) LIMIT 10", (terms,)).fetchall()
        lat.append((time.perf_counter() - t) * 1000)
    con.close()
    return {
        "build_docs_per_s": round(len(docs) / build),
        **_pct(lat),
        "index_mb": round(path.stat().st_size / 1e6, 1),
    }


def _bm25s(docs: list[tuple[str, str]], qs: list[str]) -> dict[str, Any]:
    try:
        import bm25s
    except ImportError:
        return {"available": False, "reason": "pip install bm25s"}
    t0 = time.perf_counter()
    r = bm25s.BM25(k1=0.9, b=0.4)
    r.index([b.split() for _, b in docs], show_progress=False)
    build = time.perf_counter() - t0
    lat = []
    for q in qs:
        t = time.perf_counter()
        r.retrieve([q.split()], k=10, show_progress=False)
        lat.append((time.perf_counter() - t) * 1000)
    return {"build_docs_per_s": round(len(docs) / build), **_pct(lat), "incremental_updates": False}
