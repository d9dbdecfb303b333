"""``ipai bench search --docs N``: index build speed, query latency and memory at scale, beside
Lucene BM25 on the same documents and queries in the same run.

Documents are real abstracts (PatentsView, English) and real Chinese titles/abstracts,
multiplied to ``N`` with shuffled variation: each copy reorders the sentences, drops a few
words and swaps in words from other abstracts, so no two documents are identical and the
vocabulary and length statistics stay those of real patents. Queries are real too: short
keyword queries cut from titles, abstract-length queries (a whole abstract), and Chinese ones.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import re
import resource
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from ipai.model import PatentDocument, PubNo
from ipai.model.patent import doc_type_for

_SENT = re.compile(r"(?<=[.;。；])\s*")


def _base_docs(data: Path) -> list[tuple[str, str, str]]:
    """(title, abstract, lang) of the real documents the corpus is made from."""
    csv.field_size_limit(1 << 30)
    out = []
    for name in ("neural_network_patent_query.csv", "baseball_patent_query.csv"):
        with open(data / "us-abstracts-patentsview" / name, encoding="utf-8", newline="") as fh:
            for r in csv.DictReader(fh):
                if r["patent_abstract"].strip() and r["patent_abstract"] != "None":
                    out.append((r["patent_title"].strip('" '), r["patent_abstract"].strip('" '), "en"))
    with open(data / "cn-patent-titles-ipc" / "titles_ipc.csv", encoding="utf-8", newline="") as fh:
        titles = [r["patent_title"] for r in csv.DictReader(fh)]
    for i in range(0, len(titles) - 3, 4):  # Chinese "abstracts": four related-field titles together
        out.append((titles[i], "；".join(titles[i : i + 4]) + "。", "zh"))
    return out


def synth_corpus(data: Path, n: int, seed: int = 7) -> Iterator[PatentDocument]:
    """``n`` abstract-sized documents varied from the real ones."""
    rng = random.Random(seed)
    base = _base_docs(data)
    words = [w for _, ab, lang in base[:3000] if lang == "en" for w in ab.split()]
    for i in range(n):
        title, ab, lang = base[i % len(base)]
        if i >= len(base):
            sents = [x for x in _SENT.split(ab) if x]
            rng.shuffle(sents)
            if lang == "en":
                toks = [
                    rng.choice(words) if rng.random() < 0.05 else t
                    for t in " ".join(sents).split()
                    if rng.random() > 0.03
                ]
                ab = " ".join(toks)
            else:
                ab = "".join(sents)
        year = 1976 + (i * 7919) % 47
        pubno = PubNo(country="CN" if lang == "zh" else "US", number=str(30_000_000 + i), kind="A")
        yield PatentDocument(
            pubno=pubno,
            doc_type=doc_type_for(
                pubno
            ),  # as readers set it (else every status derivation parses the number)
            titles={lang: title},
            abstracts={lang: ab},
            lang=lang,
            publication_date=dt.date(year, 1 + i % 12, 1 + i % 28),
        )


def bench_queries(data: Path, k: int = 200, seed: int = 11) -> dict[str, list[str]]:
    """Real queries: short (2–3 title words), long (an abstract), Chinese (title words)."""
    rng = random.Random(seed)
    base = _base_docs(data)
    en = [b for b in base if b[2] == "en"]
    zh = [b for b in base if b[2] == "zh"]
    short = []
    for t, _, _ in rng.sample(en, k):
        ws = [w for w in re.findall(r"[A-Za-z]+", t) if len(w) > 3]
        if ws:
            short.append(" ".join(rng.sample(ws, min(len(ws), rng.choice((2, 3))))))
    long = [ab for _, ab, _ in rng.sample(en, k // 2)]
    chinese = [t[:8] for t, _, _ in rng.sample(zh, k // 2)]
    return {"short": short, "long": long, "chinese": chinese}


def _pct(v: list[float]) -> dict[str, float]:
    return {"p50_ms": round(float(np.percentile(v, 50)), 2), "p99_ms": round(float(np.percentile(v, 99)), 2)}


def bench_search(
    data: Path,
    n_docs: int,
    *,
    workdir: Path | None = None,
    lucene: bool = True,
    repeat_queries: int = 1,
    n_queries: int = 200,
    e5_sample: int = 128,
) -> dict[str, Any]:
    """Build, query and measure (``n_queries`` of each kind); returns the JSON report."""
    from ipai.service import Service
    from ipai.settings import load_settings
    from ipai.store import SourceRecord

    out: dict[str, Any] = {"docs": n_docs}
    with tempfile.TemporaryDirectory(dir=workdir) as td:
        tmp = Path(td)
        svc = Service(load_settings(home=tmp / "home", progress=False))
        t0 = time.perf_counter()
        batch: list[SourceRecord] = []
        for d in synth_corpus(data, n_docs):
            batch.append(SourceRecord(record=d, source="bench", format="bench", priority=50))
            if len(batch) >= 5000:
                svc.store.write_batch(batch, job_id=None)
                batch = []
        if batch:
            svc.store.write_batch(batch, job_id=None)
        out["store_load_s"] = round(time.perf_counter() - t0, 1)
        built = svc.corpus.index(rebuild=True)
        out["build"] = {
            "seconds": built["seconds"],
            "docs_per_s": built["docs_per_s"],
            "ann": svc.corpus.index_status()["ann"],
            "termspace_seconds": built.get("termspace_seconds"),
            "termspace_words": built.get("termspace_words"),
        }
        out["e5_encode"] = _e5_rate(svc, e5_sample) if e5_sample else {"skipped": True}
        eng = svc.search_engine
        queries = bench_queries(data, k=n_queries)
        out["queries_per_kind"] = {kind: len(qs) for kind, qs in queries.items()}
        lat: dict[str, dict[str, list[float]]] = {}
        rank: dict[str, list[float]] = {}
        from ipai.search.query.parser import parse_query

        for mode in ("keyword", "semantic", "hybrid"):  # ranking only: ids and scores, like Lucene's figure
            times = []
            for qs in queries.values():
                for q in qs:
                    t = time.perf_counter()
                    eng.search_node(parse_query(q), top=10, mode=mode, fetch=False, count=False)
                    times.append((time.perf_counter() - t) * 1000)
            rank[mode] = times
        for mode in ("keyword", "semantic", "hybrid"):
            for kind, qs in queries.items():
                for q in qs[:3]:  # warm caches
                    eng.search(q, top=10, mode=mode)
                times = []
                for _ in range(repeat_queries):
                    for q in qs:
                        t = time.perf_counter()
                        eng.search(q, top=10, mode=mode)
                        times.append((time.perf_counter() - t) * 1000)
                lat.setdefault(mode, {})[kind] = times
        out["ipai"] = {
            m: {k: _pct(v) for k, v in d.items()} | {"all": _pct([x for v in d.values() for x in v])}
            for m, d in lat.items()
        }
        out["ipai_ranking_only"] = {m: _pct(v) for m, v in rank.items()}
        out["note"] = (
            "ipai.*: end to end (parse, rank, read the 10 documents, highlight passages); "
            "ipai_ranking_only and lucene_bm25: top-10 ids and scores"
        )
        svc.close()
        out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # ipai only
        if lucene:
            texts = (
                (d.id, d.title + "\n" + next(iter(d.abstracts.values()))) for d in synth_corpus(data, n_docs)
            )
            out["lucene_bm25"] = _lucene(texts, queries, tmp, repeat_queries)
    return out


def _e5_rate(svc: Any, n: int = 128) -> dict[str, Any]:
    """Invention passages encoded by multilingual-e5 per second (what an e5 semantic index of the
    same documents would cost), beside the static encoder's rate in ``build``."""
    from ipai.search.vector import e5

    if not e5.available():
        return {"available": False}
    ids = svc.store.recent_ids(n)
    texts = [e5.passage_text(d) for d in svc.store.get_documents(ids).values()]
    t = time.perf_counter()
    e5.encode_passages(texts)
    dt = time.perf_counter() - t
    return {
        "passages": len(texts),
        "docs_per_s": round(len(texts) / dt, 1) if dt else None,
        "avg_chars": round(sum(map(len, texts)) / max(len(texts), 1)),
    }


def _lucene(texts: Any, queries: dict[str, list[str]], tmp: Path, repeat: int) -> dict[str, Any]:
    from ipai.search.lucene import LuceneBM25, lucene_available

    ok, why = lucene_available()
    if not ok:
        return {"available": False, "reason": why}
    lu = LuceneBM25(tmp / "lucene")
    try:
        info = lu.index(texts)
        res: dict[str, Any] = {
            "build": {"seconds": round(info["seconds"], 2), "docs_per_s": round(info["docs_per_s"], 1)}
        }
        alltimes: list[float] = []
        for kind, qs in queries.items():
            for q in qs[:3]:
                lu.search(q, 10)
            times = []
            for _ in range(repeat):
                for q in qs:
                    t = time.perf_counter()
                    lu.search(q, 10)
                    times.append((time.perf_counter() - t) * 1000)
            res[kind] = _pct(times)
            alltimes += times
        res["all"] = _pct(alltimes)
        return res
    finally:
        lu.close()
