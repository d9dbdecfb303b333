"""Sharded index builds on the engine: the encoder fitted once, then one retryable task per shard.

1. The shared encoder is fitted on a sample of the store (:func:`ipai.search.shards.prepare_layout`):
   the sample's documents are analysed by the workers and the vocabulary's word vectors are
   computed by them, split into parts; the driver fits and saves it.
2. Each shard is a task that opens its index directory, reads the store's change feed from its
   own checkpoint, keeps the documents that hash to it and indexes them with the single-index
   code (``index_workers=1``: one task, one core). When a worker dies, Ray runs the task again
   (``max_retries``) and it resumes from the shard's last commit: nothing lost, nothing doubled.

Tasks report progress to a small actor the driver reads once a second. The index directories
must be on storage the workers and the API share (one machine, or a shared volume on a cluster).
"""

from __future__ import annotations

import os
import time
from typing import Any

import numpy as np

from ipai.cluster.engine import Cluster, KillSwitch, for_workers
from ipai.errors import BackendError
from ipai.search.build import cpu_count
from ipai.search.engine import Notice, Progress
from ipai.search.shards import Sample, SeqRange, prepare_layout, refresh_shard, sample_part
from ipai.settings import Settings
from ipai.store import open_store

RETRIES = 3  # runs of a shard task after its first, when its worker dies


class ProgressBoard:
    """An actor the shard tasks report to; the driver reads it for progress and attempts."""

    def __init__(self) -> None:
        self.done: dict[int, int] = {}
        self.total: dict[int, int] = {}
        self.pids: dict[int, list[int]] = {}

    def started(self, k: int, pid: int) -> None:
        """A task for shard ``k`` started in process ``pid``."""
        self.pids.setdefault(k, []).append(pid)

    def report(self, k: int, done: int, total: int) -> None:
        """Shard ``k`` has indexed ``done`` of about ``total`` documents in this attempt."""
        self.done[k], self.total[k] = done, max(done, total)

    def read(self) -> dict[str, Any]:
        """Everything reported so far."""
        return {"done": dict(self.done), "total": dict(self.total), "pids": dict(self.pids)}


def build_shard(
    settings: Settings,
    k: int,
    board: Any,
    commit_every: int | None = None,
    chunk: int | None = None,
    kill: KillSwitch | None = None,
) -> dict[str, Any]:
    """Task: index shard ``k`` from its checkpoint on; returns its refresh report."""
    import ray

    ray.get(board.started.remote(k, os.getpid()))  # delivered before any work: attempts are counted exactly
    store = open_store(settings)

    def progress(done: int, total: int) -> None:
        board.report.remote(k, done, total)
        if kill is not None:
            kill.check(str(k), done)

    cpu0 = time.process_time()
    try:
        out = refresh_shard(settings, store, k, progress=progress, commit_every=commit_every, chunk=chunk)
        return out | {"cpu_seconds": round(time.process_time() - cpu0, 2)}
    finally:
        store.close()


def analyse_range(settings: Settings, part: SeqRange) -> tuple[Sample, float]:
    """Task: the encoder sample of one range of the store, and the CPU seconds it took."""
    cpu0 = time.process_time()
    store = open_store(settings)
    try:
        return sample_part(store, part), time.process_time() - cpu0
    finally:
        store.close()


def _split(items: list[Any], parts: int) -> list[list[Any]]:
    step = max(1, -(-len(items) // max(parts, 1)))
    return [items[i : i + step] for i in range(0, len(items), step)]


def encode_words(words: list[str]) -> tuple[np.ndarray, float]:
    """Task: USE vectors of words, and the CPU seconds."""
    from ipai.search.vector.use import use_encode

    cpu0 = time.process_time()
    return use_encode(words), time.process_time() - cpu0


def default_shards(settings: Settings, workers: int | None) -> int:
    """Shards to build when none are named: the setting, else one per worker."""
    return settings.index_shards if settings.index_shards > 1 else (workers or cpu_count())


def build_shards(
    settings: Settings,
    *,
    shards: int | None = None,
    workers: int | None = None,
    rebuild: bool = False,
    progress: Progress | None = None,
    notice: Notice | None = None,
    commit_every: int | None = None,
    chunk: int | None = None,
    kill: KillSwitch | None = None,
) -> dict[str, Any]:
    """Build or refresh a sharded index with the engine's workers; returns the job report."""
    n = shards or default_shards(settings, workers)
    t0, cpu0 = time.perf_counter(), time.process_time()
    task_cpu = [0.0]
    with Cluster(settings, workers) as cluster:
        t_fit = time.perf_counter()
        ray = cluster.ray
        cpus = cluster.cpus
        task_settings = for_workers(settings, index_workers=1, index_shards=n)
        analyse_task = ray.remote(analyse_range).options(num_cpus=1)
        encode_task = ray.remote(encode_words).options(num_cpus=1)

        def analyse(ranges: list[SeqRange]) -> list[Sample]:
            parts = ray.get([analyse_task.remote(task_settings, r) for r in ranges])
            task_cpu[0] += sum(c for _, c in parts)
            return [part for part, _ in parts]

        def encode(words: list[str]) -> np.ndarray:
            parts = ray.get([encode_task.remote(p) for p in _split(words, cpus)])
            task_cpu[0] += sum(c for _, c in parts)
            return np.vstack([v for v, _ in parts])

        store = open_store(settings)
        try:
            layout = prepare_layout(
                settings,
                store,
                n,
                rebuild=rebuild,
                analyse=analyse,
                encode=encode,
                parts=2 * cpus,
                notice=notice,
            )
            expected = store.count_documents()
        finally:
            store.close()
        fitted = time.perf_counter() - t_fit
        board = ray.remote(ProgressBoard).options(num_cpus=0).remote()
        task = ray.remote(build_shard).options(num_cpus=1, max_retries=RETRIES, retry_exceptions=False)
        pending = {task.remote(task_settings, k, board, commit_every, chunk, kill): k for k in range(n)}
        results, failures = _wait(ray, pending, board, progress)
        seen = ray.get(board.read.remote())
        engine = cluster.describe()
    cpu = {
        "driver": round(time.process_time() - cpu0, 2),
        "workers": round(task_cpu[0] + sum(r.get("cpu_seconds", 0.0) for r in results.values()), 2),
    }
    if failures:
        detail = "; ".join(f"shard {k}: {msg}" for k, msg in sorted(failures.items()))
        raise BackendError(
            f"{len(failures)} of {n} shard builds failed after {RETRIES + 1} attempts ({detail}); "
            "committed work is kept: run the command again to resume"
        )
    dt = time.perf_counter() - t0
    indexed = sum(r["indexed"] for r in results.values())
    per = [
        {
            "shard": k,
            "indexed": r["indexed"],
            "documents": r["documents"],
            "seconds": r["seconds"],
            "cpu_seconds": r["cpu_seconds"],
            "attempts": len(seen["pids"].get(k, [])) or 1,
        }
        for k, r in sorted(results.items())
    ]
    return {
        "shards": n,
        "indexed": indexed,
        "documents": sum(p["documents"] for p in per),
        "store_documents": expected,
        "seconds": round(dt, 2),
        "encoder_seconds": round(fitted, 2),
        "docs_per_s": round(indexed / dt, 1) if indexed else None,
        "encoder": layout["encoder"],
        "worker_restarts": sum(p["attempts"] - 1 for p in per),
        "per_shard": per,
        "cpu_seconds": cpu,
        "engine": engine,
        **_learn_terms(settings),
    }


def _learn_terms(settings: Settings) -> dict[str, Any]:
    """The shared term space of the sharded index, from the shared encoder (in the driver: its
    words' vectors are cached by content, so a resumed build encodes only new words)."""
    from ipai.search.shards import FrozenStaticUse, shards_root
    from ipai.search.termspace import TermSpace, learn

    root = shards_root(settings)
    if not (root / "encoder" / "encoder.json").exists():
        return {}
    return learn(settings, TermSpace(root / "termspace"), FrozenStaticUse.load(root / "encoder"))


def _wait(
    ray: Any, pending: dict[Any, int], board: Any, progress: Progress | None
) -> tuple[dict[int, dict[str, Any]], dict[int, str]]:
    """Collect the shard tasks' results (and final failures), reporting progress once a second."""
    results: dict[int, dict[str, Any]] = {}
    failures: dict[int, str] = {}
    while pending:
        ready, _ = ray.wait(list(pending), num_returns=1, timeout=1.0)
        for ref in ready:
            k = pending.pop(ref)
            try:
                results[k] = ray.get(ref)
            except ray.exceptions.RayError as exc:
                failures[k] = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"[:300]
        if progress:
            st = ray.get(board.read.remote())
            progress(sum(st["done"].values()), sum(st["total"].values()))
    return results, failures
