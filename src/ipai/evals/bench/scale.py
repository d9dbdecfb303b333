"""``ipai bench scale``: ingest, index and query at growing corpus sizes, one process vs the engine.

The corpus is real text scaled up (:func:`ipai.evals.bench.search.synth_corpus`): the PatentsView US
abstracts and the Chinese titles of the shared data, then copies of them with their sentences
shuffled, 3 % of the words dropped and 5 % replaced by words of other abstracts, under new
publication numbers — no two documents alike, the vocabulary and lengths of real patents. It is
written as canonical JSONL files (the project's own format) and loaded from them.

For each size the same files go through two set-ups, each on a fresh home:

- single process: :class:`~ipai.ingest.pipeline.Ingester`, then the single index built with
  ``index_workers=1`` (no worker processes), queried one query at a time;
- local engine (Ray on this machine, ``workers`` CPUs): :func:`~ipai.cluster.ingest.cluster_ingest`,
  then :func:`~ipai.cluster.index.build_shards` with one shard per worker, queried through the
  sharded engine.

Figures: seconds and documents/s of ingest, index and both; per core (the engine divided by its
workers); ``per_core_vs_linear`` = engine per core ÷ single process (1.0 = linear in cores);
``cpu_efficiency`` = CPU seconds of the single process ÷ CPU seconds of the engine's driver and
workers (1.0 = distributing adds no work; unlike wall-clock it does not depend on other load);
``vs_smallest`` = documents/s per core ÷ the same at the smallest size (1.0 = cost linear in size);
query p50/p99 and queries/s (hybrid, end to end), and their curve over the sizes
(``query_curve``: :func:`ipai.evals.bench.scale_chart.growth`; ``--chart`` draws it). The engine
starts once; its start-up is reported apart. The 1-minute load average beside each phase shows what
else ran on the cores.
"""

from __future__ import annotations

import math
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import numpy as np

from ipai.settings import Settings, load_settings

FILE_DOCS = 25_000  # documents per corpus file (the engine reads files in parallel)
WARM_DOCS = 20_000  # documents indexed untimed first to fill the run's e5 cache (see _warm_cache)
Log = Callable[[str], None]


def write_corpus(data: Path, n: int, folder: Path, files: int) -> float:
    """Write ``n`` scaled real documents as ``files`` canonical JSONL files; returns seconds."""
    from ipai.evals.bench.search import synth_corpus
    from ipai.model import dump_record

    t0 = time.perf_counter()
    folder.mkdir(parents=True, exist_ok=True)
    per = -(-n // files)
    with ExitStack() as stack:
        handles = [
            stack.enter_context(open(folder / f"part-{i:04d}.jsonl", "w", encoding="utf-8"))
            for i in range(files)
        ]
        for i, doc in enumerate(synth_corpus(data, n)):
            handles[i // per].write(dump_record(doc) + "\n")
    return time.perf_counter() - t0


def _settings(base: Settings, home: Path, **kw: Any) -> Settings:
    """A fresh embedded store under ``home`` (never the configured store: the benchmark writes)."""
    return load_settings(
        home=home,
        store=f"sqlite:///{home / 'ipai.sqlite'}",
        vector_backend="file",
        progress=False,
        search_encoder=base.search_encoder,
        cluster_address=base.cluster_address,
        encoder_cache=base.encoder_cache,
        **kw,
    )


def _rate(n: int, seconds: float, cpu: float) -> dict[str, float]:
    """Wall-clock seconds and documents/s, and CPU seconds (all processes of the set-up)."""
    return {
        "seconds": round(seconds, 2),
        "docs_per_s": round(n / seconds, 1) if seconds else 0.0,
        "cpu_seconds": round(cpu, 2),
    }


def _load() -> float:
    return round(os.getloadavg()[0], 2)


def _queries(svc: Any, queries: list[str]) -> dict[str, float]:
    """Hybrid search, end to end, one query at a time (after a short warm-up)."""
    for q in queries[:5]:
        svc.search(q, top=10)
    times = []
    t0 = time.perf_counter()
    for q in queries:
        t = time.perf_counter()
        svc.search(q, top=10)
        times.append((time.perf_counter() - t) * 1000)
    wall = time.perf_counter() - t0
    return {
        "queries": len(queries),
        "p50_ms": round(float(np.percentile(times, 50)), 2),
        "p99_ms": round(float(np.percentile(times, 99)), 2),
        "qps": round(len(queries) / wall, 1),
    }


def _warm_cache(base: Settings, data: Path, n: int, root: Path, log: Log) -> dict[str, Any]:
    """Index the first ``n`` scaled documents once, untimed, into the run's e5 cache: the term space
    (e5 vectors of the corpus vocabulary, cached by content as in production) is then encoded
    before any set-up is timed, instead of by whichever set-up runs first. The synthetic corpus
    draws its words from the real documents, so its vocabulary hardly grows past their number."""
    from ipai.ingest.pipeline import Ingester
    from ipai.search.vector.e5 import PassageCache
    from ipai.service import Service

    t0 = time.perf_counter()
    write_corpus(data, n, root / "corpus", max(1, math.ceil(n / FILE_DOCS)))
    svc = Service(_settings(base, root / "home"))
    try:
        Ingester(svc.store, svc.settings).run([root / "corpus"])
        svc.corpus.index(rebuild=True)
    finally:
        svc.close()
    assert base.encoder_cache is not None
    out = {
        "warm_docs": n,
        "seconds": round(time.perf_counter() - t0, 1),
        "vectors": PassageCache(base.encoder_cache).count(),
    }
    log(f"e5 cache warmed on {n:,} documents in {out['seconds']} s ({out['vectors']:,} vectors)")
    return out


def _single(base: Settings, corpus: Path, home: Path, n: int, queries: list[str], log: Log) -> dict[str, Any]:
    from ipai.ingest.pipeline import Ingester
    from ipai.service import Service

    svc = Service(_settings(base, home, index_workers=1, index_shards=1))
    try:
        load0, t0, c0 = _load(), time.perf_counter(), time.process_time()
        summary = Ingester(svc.store, svc.settings).run([corpus])
        t_ing, c_ing = time.perf_counter() - t0, time.process_time() - c0
        log(f"[{n:,}] single process: ingest {t_ing:.1f} s ({summary.loaded:,} documents)")
        t0, c0 = time.perf_counter(), time.process_time()
        built = svc.corpus.index(rebuild=True)
        t_idx, c_idx = time.perf_counter() - t0, time.process_time() - c0
        log(f"[{n:,}] single process: index {t_idx:.1f} s ({built['documents']:,} documents)")
        out = {
            "cores": 1,
            "ingest": _rate(n, t_ing, c_ing),
            "index": _rate(n, t_idx, c_idx),
            "total": _rate(n, t_ing + t_idx, c_ing + c_idx),
            "documents": built["documents"],
            "load_avg": [load0, _load()],
        }
        out["query"] = _queries(svc, queries)
        return out
    finally:
        svc.close()


def _engine(
    base: Settings, corpus: Path, home: Path, n: int, workers: int, queries: list[str], log: Log
) -> dict[str, Any]:
    from ipai.cluster.index import build_shards
    from ipai.cluster.ingest import cluster_ingest
    from ipai.service import Service

    settings = _settings(base, home, index_shards=workers)
    svc = Service(settings)
    try:
        load0, t0 = _load(), time.perf_counter()
        ing = cluster_ingest(settings, svc.store, [corpus], workers=workers)
        t_ing = time.perf_counter() - t0
        log(f"[{n:,}] engine ({workers} workers): ingest {t_ing:.1f} s ({ing['loaded']:,} documents)")
        t0 = time.perf_counter()
        built = build_shards(settings, shards=workers, workers=workers, rebuild=True)
        t_idx = time.perf_counter() - t0
        log(
            f"[{n:,}] engine ({workers} workers): index {t_idx:.1f} s ({built['documents']:,} documents, "
            f"encoder fitted in {built['encoder_seconds']} s)"
        )
        c_ing, c_idx = sum(ing["cpu_seconds"].values()), sum(built["cpu_seconds"].values())
        out = {
            "cores": workers,
            "ingest": _rate(n, t_ing, c_ing),
            "index": _rate(n, t_idx, c_idx),
            "total": _rate(n, t_ing + t_idx, c_ing + c_idx),
            "documents": built["documents"],
            "encoder": built["encoder"],
            "encoder_seconds": built["encoder_seconds"],
            "load_avg": [load0, _load()],
        }
        for key in ("ingest", "index", "total"):
            out[key]["docs_per_s_per_core"] = round(out[key]["docs_per_s"] / workers, 1)
        out["query"] = _queries(svc, queries)
        return out
    finally:
        svc.close()


def bench_scale(
    data: Path,
    sizes: list[int],
    *,
    workers: int = 2,
    queries: int = 200,
    workdir: Path | None = None,
    settings: Settings | None = None,
    log: Log = lambda msg: None,
) -> dict[str, Any]:
    """Measure every size in both set-ups; returns the report (rows in size order)."""
    from ipai.cluster.engine import Cluster
    from ipai.evals.bench.scale_chart import growth
    from ipai.evals.bench.search import bench_queries

    base = settings or load_settings(progress=False)
    run_dir = Path(tempfile.mkdtemp(prefix="ipai-scale-run-", dir=workdir))
    base = base.model_copy(update={"encoder_cache": run_dir / "e5.sqlite"})  # the run's own cache
    qs = bench_queries(data, k=max(2, queries // 2))
    qlist = (qs["short"][: queries // 2] + qs["long"][: queries // 4] + qs["chinese"][: queries // 4])[
        :queries
    ]
    rows: list[dict[str, Any]] = []
    try:
        t0 = time.perf_counter()
        with Cluster(base, workers) as cluster:
            started = round(time.perf_counter() - t0, 2)
            engine = cluster.describe()
            log(f"engine started in {started} s: {engine}")
            try:
                warm = _warm_cache(base, data, min(max(sizes), WARM_DOCS), run_dir / "warm", log)
            finally:
                shutil.rmtree(run_dir / "warm", ignore_errors=True)
            for n in sorted(sizes):
                with tempfile.TemporaryDirectory(prefix="ipai-scale-", dir=workdir) as td:
                    root = Path(td)
                    files = max(4 * workers, math.ceil(n / FILE_DOCS))
                    secs = write_corpus(data, n, root / "corpus", files)
                    log(f"[{n:,}] corpus: {files} JSONL files in {secs:.1f} s")
                    single = _single(base, root / "corpus", root / "single", n, qlist, log)
                    shutil.rmtree(root / "single", ignore_errors=True)
                    eng = _engine(base, root / "corpus", root / "engine", n, workers, qlist, log)
                    rows.append(_row(n, files, single, eng, workers))
                    log(f"[{n:,}] " + format_row(rows[-1]))
    finally:
        shutil.rmtree(run_dir, ignore_errors=True)
    first = rows[0]
    for r in rows:
        r["vs_smallest"] = {
            "single_total": round(
                r["single"]["total"]["docs_per_s"] / first["single"]["total"]["docs_per_s"], 2
            ),
            "engine_total_per_core": round(
                r["engine"]["total"]["docs_per_s_per_core"] / first["engine"]["total"]["docs_per_s_per_core"],
                2,
            ),
            "engine_index_per_core": round(
                r["engine"]["index"]["docs_per_s_per_core"] / first["engine"]["index"]["docs_per_s_per_core"],
                2,
            ),
        }
    return {
        "sizes": sorted(sizes),
        "workers": workers,
        "cores": os.cpu_count(),
        "engine": engine,
        "engine_start_seconds": started,
        "e5_cache": warm,
        "rows": rows,
        "query_curve": growth(rows),
        "note": (
            "wall-clock on a shared machine: other processes use the same cores (see load_avg); "
            "per_core_vs_linear = engine docs/s per core / single-process docs/s; "
            "vs_smallest = docs/s (per core) / the same at the smallest size; "
            "query_curve: hybrid latency by size, *_exponent = slope of log(ms) on log(documents) "
            "(1 = linear in size), *_ratio = largest size's ms / smallest's, beside size_ratio; "
            "e5_cache: the run's e5 cache was filled (untimed) by indexing warm_docs documents first, "
            "so every set-up finds the term space's vocabulary vectors cached, as a production rebuild does"
        ),
    }


def _row(n: int, files: int, single: dict[str, Any], eng: dict[str, Any], workers: int) -> dict[str, Any]:
    phases = ("ingest", "index", "total")
    lin = {k: round(eng[k]["docs_per_s"] / workers / single[k]["docs_per_s"], 2) for k in phases}
    work = {
        k: round(single[k]["cpu_seconds"] / eng[k]["cpu_seconds"], 2) if eng[k]["cpu_seconds"] else None
        for k in phases
    }
    return {
        "docs": n,
        "files": files,
        "single": single,
        "engine": eng,
        "per_core_vs_linear": lin,
        "cpu_efficiency": work,
        "same_documents": single["documents"] == eng["documents"] == n,
    }


def format_row(r: dict[str, Any]) -> str:
    """One table line: documents/s of both set-ups and the engine's per-core ratio to linear."""
    s, e, lin = r["single"], r["engine"], r["per_core_vs_linear"]
    return (
        f"{r['docs']:>9,} | ingest {s['ingest']['docs_per_s']:>8,.0f} {e['ingest']['docs_per_s']:>8,.0f} "
        f"({lin['ingest']:.2f}) | index {s['index']['docs_per_s']:>7,.0f} {e['index']['docs_per_s']:>7,.0f} "
        f"({lin['index']:.2f}) | total {s['total']['docs_per_s']:>7,.0f} {e['total']['docs_per_s']:>7,.0f} "
        f"({lin['total']:.2f}) | cpu eff. {r['cpu_efficiency']['total']:.2f} "
        f"| query p50 {s['query']['p50_ms']:.1f} / {e['query']['p50_ms']:.1f} ms"
    )


TABLE_HEAD = (
    "     docs | ingest docs/s: single engine (engine per core ÷ single) | index … | total … | "
    "cpu eff. = single CPU-s ÷ engine CPU-s | query p50 single / engine"
)
