"""``ipai bench engines``: Ray beside Spark on the same ipai work, to choose the engine.

The work is ipai's document analysis (``ipai.search.docfields.prepare``: tokenising, stemming,
Chinese segmentation, classification levels) over real documents from the shared data — US
abstracts, Chinese titles and EPO full texts, interleaved — split into equal parts. Each engine
runs locally with the same number of worker processes; measured: start-up, the first run (workers
import ipai and load their dictionaries), a warm run, and whether a task whose worker process is
killed (SIGKILL, first attempt only) is retried to a correct result. Spark is not a dependency of
ipai: install ``pyspark`` to include it (it runs on the system Java 17).
"""

from __future__ import annotations

import os
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ipai.search.build import cpu_count

SOURCES = ("us-abstracts-patentsview", "cn-patent-titles-ipc", "epo-xml-samples")


def real_records(data: Path, n: int) -> list[str]:
    """Canonical JSON of ``n`` real documents, the sources interleaved (each repeats when short)."""
    from ipai.model import dump_record

    pools = [_records(data / name) for name in SOURCES]
    lists: list[list[str]] = [[] for _ in pools]
    out: list[str] = []
    while len(out) < n:
        for i, pool in enumerate(pools):
            rec = next(pool, None)
            if rec is not None:
                lists[i].append(dump_record(rec))
                out.append(lists[i][-1])
            elif lists[i]:
                out.append(lists[i][len(out) % len(lists[i])])
    return out[:n]


def _records(folder: Path) -> Iterator[Any]:
    from ipai.ingest.registry import detect, expand
    from ipai.model import PatentDocument

    for src in expand([folder]):
        reader = detect(src)
        if reader is None:
            continue
        for item in reader.read(src):
            if isinstance(item.record, PatentDocument):
                yield item.record


def analyse(texts: list[str]) -> int:
    """Analyse documents for both indexes; returns the tokens produced (the work's checksum)."""
    from ipai.search.build import _prepare_rows

    done = _prepare_rows([(i, t, i) for i, t in enumerate(texts)])
    return sum(len(toks) for _, p in done for toks in p.keyword.text.values())


def worker_pid(_: Any = None) -> int:
    """The process id of the worker running this task."""
    return os.getpid()


def analyse_or_die(texts: list[str], marker: str) -> int:
    """:func:`analyse`, except that the first attempt kills its own worker process (SIGKILL)."""
    if not os.path.exists(marker):
        Path(marker).write_text(str(os.getpid()))
        os.kill(os.getpid(), signal.SIGKILL)
    return analyse(texts)


def _parts(texts: list[str], n: int) -> list[list[str]]:
    step = -(-len(texts) // n)
    return [texts[i : i + step] for i in range(0, len(texts), step)]


def _timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def bench_engines(
    data: Path, docs: int = 5000, workers: int | None = None, spark: bool = True
) -> dict[str, Any]:
    """Single process, Ray and (when installed) Spark on the same analysis; returns the report."""
    workers = workers or cpu_count()
    texts = real_records(data, docs)
    parts = _parts(texts, 4 * workers)
    analyse(texts[:50])  # load the analysers once in this process before timing it
    expected, secs = _timed(lambda: analyse(texts))
    out: dict[str, Any] = {
        "docs": len(texts),
        "workers": workers,
        "parts": len(parts),
        "single_process": {"seconds": round(secs, 2), "docs_per_s": round(len(texts) / secs, 1)},
        "cores": cpu_count(),
    }
    out["ray"] = _ray(parts, expected, workers, len(texts), secs)
    out["spark"] = _spark(parts, expected, workers, len(texts), secs) if spark else {"skipped": True}
    out["note"] = (
        "cold = first job (workers start, import ipai, load dictionaries); warm = the same job again; "
        "speedup = warm docs/s over single_process docs/s; other processes share the cores"
    )
    return out


def _report(cold: float, warm: float, n: int, single_s: float, workers: int) -> dict[str, Any]:
    return {
        "cold_seconds": round(cold, 2),
        "cold_docs_per_s": round(n / cold, 1),
        "warm_seconds": round(warm, 2),
        "warm_docs_per_s": round(n / warm, 1),
        "speedup": round(single_s / warm, 2),
        "per_core_vs_linear": round(single_s / warm / workers, 2),
    }


def _ray(parts: list[list[str]], expected: int, workers: int, n: int, single_s: float) -> dict[str, Any]:
    from ipai.cluster.engine import ray_module

    t0 = time.perf_counter()
    ray = ray_module(local=True)
    if ray.is_initialized():
        return {"skipped": "a Ray engine is already running in this process"}
    import logging

    ray.init(
        num_cpus=workers,
        include_dashboard=False,
        _node_ip_address="127.0.0.1",
        logging_level=logging.WARNING,
        log_to_driver=False,
    )
    start = time.perf_counter() - t0
    try:
        task = ray.remote(analyse)
        (_, first) = _timed(lambda: ray.get(ray.remote(worker_pid).remote()))
        got, cold = _timed(lambda: sum(ray.get([task.remote(p) for p in parts])))
        got2, warm = _timed(lambda: sum(ray.get([task.remote(p) for p in parts])))
        res = {
            "version": ray.__version__,
            "start_seconds": round(start, 2),
            "first_task_seconds": round(first, 2),
            **_report(cold, warm, n, single_s, workers),
            "correct": got == expected == got2,
        }
        dying = ray.remote(max_retries=2)(analyse_or_die)
        res["worker_killed"] = _kill_probe(
            lambda marker: ray.get(dying.remote(parts[0], marker), timeout=300), parts[0]
        )
        return res
    finally:
        ray.shutdown()


def _kill_probe(run: Callable[[str], int], part: list[str]) -> dict[str, Any]:
    """Run one task whose worker kills itself on the first attempt (``run(marker)``): whether the
    engine retried it, and whether the retry's result is right."""
    with tempfile.TemporaryDirectory() as td:
        try:
            val, secs = _timed(lambda: run(os.path.join(td, "killed")))
        except Exception as exc:  # noqa: BLE001 - the finding is that it was not retried
            return {"retried": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
    return {"retried": True, "correct": val == analyse(part), "seconds": round(secs, 2)}


def _spark(parts: list[list[str]], expected: int, workers: int, n: int, single_s: float) -> dict[str, Any]:
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        return {
            "available": False,
            "reason": "pyspark is not installed (pip install pyspark; needs Java 17+)",
        }
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    # the worker processes must find this interpreter's ipai and the pyspark it was started with
    import pyspark

    extra = [str(Path(pyspark.__file__).parent.parent)]
    os.environ["PYTHONPATH"] = os.pathsep.join(
        extra + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    )
    t0 = time.perf_counter()
    # local[N,F]: N worker slots, a task may fail F times (plain local[N] never retries)
    spark = (
        SparkSession.builder.master(f"local[{workers},3]")
        .appName("ipai-bench")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.python.worker.reuse", "true")
        .config("spark.log.level", "ERROR")
        .getOrCreate()
    )
    start = time.perf_counter() - t0
    sc = spark.sparkContext
    try:

        def job() -> int:
            return sum(sc.parallelize(parts, len(parts)).map(analyse).collect())

        (_, first) = _timed(lambda: sc.parallelize([0], 1).map(worker_pid).collect())
        got, cold = _timed(job)
        got2, warm = _timed(job)
        res = {
            "version": spark.version,
            "start_seconds": round(start, 2),
            "first_task_seconds": round(first, 2),
            **_report(cold, warm, n, single_s, workers),
            "correct": got == expected == got2,
        }
        res["worker_killed"] = _kill_probe(
            lambda marker: (
                sc.parallelize([parts[0]], 1).map(lambda p: analyse_or_die(p, marker)).collect()[0]
            ),
            parts[0],
        )
        return res
    finally:
        spark.stop()
