"""Bulk ingest on the engine: files are read and parsed by workers, records written by this process.

Every source (a file or a zip member) becomes one streaming task that yields its records in
batches; the driver writes each batch with the file's checkpoint in one transaction, exactly as
the single-process :class:`~ipai.ingest.pipeline.Ingester` does (it is the same class, with
reading moved to workers). The store takes one writer (SQLite), so parallelism comes from
parsing — the costly part of XML and other full-text formats — and from many files at once.

A worker that dies mid-file loses nothing: its task is started again from the file's committed
checkpoint (the records of a file come in a stable order), up to ``RETRIES`` times; a driver that
dies resumes the same way when the command is run again.
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ipai.cluster.engine import Cluster, KillSwitch
from ipai.ingest.base import Archive, Reader, Source
from ipai.ingest.drawings import DrawingCopier
from ipai.ingest.limits import MB
from ipai.ingest.pipeline import Ingester, IngestSummary, ProgressFn, empty_message
from ipai.ingest.registry import reader_by_name
from ipai.settings import Settings
from ipai.store import FileCheckpoint, Reject, SourceRecord, Store

RETRIES = 3  # restarts of one file's reading after its worker died
READ_AHEAD = 4  # batches a worker may be ahead of the writer


@dataclass
class Batch:
    """What a reading task yields: records as (canonical JSON, source, locator), rejects, and the
    number of items of the file read so far; ``error`` ends the file (the reader gave up);
    ``cpu``: CPU seconds the worker spent on this batch."""

    records: list[tuple[str, str, str]]
    rejects: list[Reject]
    done: int
    last: bool = False
    error: str | None = None
    cpu: float = 0.0


def read_source(
    path: str,
    member: str | None,
    explicit: bool,
    reader_name: str,
    start: int,
    size: int,
    max_bytes: float,
    kill: KillSwitch | None = None,
    settings: Settings | None = None,
) -> Iterator[Batch]:
    """Worker side: the records of one source from item ``start`` on, in batches (with
    ``settings``: its record limit and the media store its drawings are copied into)."""
    archive = Archive.for_member(Path(path), member) if member else None
    try:
        yield from _read_source(
            Source(Path(path), member, explicit=explicit, archive=archive),
            reader_name,
            start,
            size,
            max_bytes,
            kill,
            settings,
        )
    finally:
        if archive is not None:
            archive.close_all()


def _read_source(
    src: Source,
    reader_name: str,
    start: int,
    size: int,
    max_bytes: float,
    kill: KillSwitch | None,
    settings: Settings | None,
) -> Iterator[Batch]:
    drawings = None
    if settings is not None:
        src.max_record = int(settings.ingest_max_record_mb * MB)
        drawings = DrawingCopier.of(settings)
    reader = reader_by_name(reader_name)
    assert reader is not None, reader_name
    name = Ingester._source_name(src, reader)
    recs: list[SourceRecord] = []
    rejects: list[Reject] = []
    n, nbytes = start, 0
    clock = [time.process_time()]

    def pack(**kw: Any) -> Batch:
        out = Batch([(r.json(), r.source, r.locator) for r in recs], list(rejects), n, **kw)
        now = time.process_time()
        out.cpu, clock[0] = now - clock[0], now
        return out

    try:
        for i, item in enumerate(reader.read(src)):
            if i < start:
                continue
            n = i + 1
            nbytes += Ingester._collect(item, src, reader, name, recs, rejects, drawings)
            if len(recs) + len(rejects) >= size or nbytes >= max_bytes:
                yield pack()
                recs, rejects, nbytes = [], [], 0
                if kill is not None:
                    kill.check(src.basename, n)
    except Exception as exc:  # noqa: BLE001 - a reader bug or a structure it cannot follow: keep what was read
        yield pack(error=f"reading stopped: {type(exc).__name__}: {exc}")
        return
    yield pack(last=True)


@dataclass
class _File:
    """A source being read on a worker."""

    src: Source
    reader: Reader
    cp: FileCheckpoint
    start: int
    idx: int
    attempts: int = 0
    task: Any = None
    errors: list[str] = field(default_factory=list)


class ClusterIngester(Ingester):
    """The ingest job with sources read on the engine's workers (see the module docstring)."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        cluster: Cluster,
        *,
        force: bool = False,
        fmt: str | None = None,
        progress: ProgressFn | None = None,
        kill: KillSwitch | None = None,
    ) -> None:
        super().__init__(store, settings, force=force, fmt=fmt, progress=progress)
        self.cluster = cluster
        self.kill = kill
        self.limit = 2 * cluster.cpus  # sources in flight: one running and one queued per CPU
        self.active: dict[str, _File] = {}
        self.restarts = 0
        self.worker_cpu = 0.0
        self.queue: queue.Queue[tuple[_File, int, Batch | BaseException]] = queue.Queue(
            maxsize=4 * self.limit
        )
        ray = cluster.ray
        self._task = ray.remote(read_source).options(
            num_returns="streaming", max_retries=0, num_cpus=1, _generator_backpressure_num_objects=READ_AHEAD
        )

    def run(self, paths: list[Path]) -> IngestSummary:
        """Ingest every source under ``paths`` (tasks still running are cancelled on an error)."""
        try:
            return super().run(paths)
        finally:
            for f in self.active.values():
                if f.task is not None:
                    # already finished, or its worker is gone
                    with contextlib.suppress(Exception):
                        self.cluster.ray.cancel(f.task, force=True)
            self.active.clear()

    # ---- the base class's hooks --------------------------------------------------------------
    def _stream(self, src: Source, reader: Reader, cp: FileCheckpoint, start: int, idx: int) -> None:
        while len(self.active) >= self.limit:
            self._write_next()
        f = _File(src, reader, cp, start, idx)
        self.active[cp.file_key] = f
        self._launch(f)

    def _finish(self) -> None:
        while self.active:
            self._write_next()

    # ---- reading on workers --------------------------------------------------------------------
    def _launch(self, f: _File) -> None:
        """Start (or restart, from the committed checkpoint) the task reading a source."""
        f.attempts += 1
        size = self.settings.ingest_batch_size
        max_bytes = self.settings.ingest_batch_mb * 1_000_000
        f.task = self._task.remote(
            str(f.src.path),
            f.src.member,
            f.src.explicit,
            f.reader.name,
            f.cp.records_done,
            size,
            max_bytes,
            self.kill,
            self.settings,
        )
        threading.Thread(
            target=self._pump, args=(f, f.attempts, f.task), daemon=True, name=f"ipai-ingest-{f.src.basename}"
        ).start()

    def _pump(self, f: _File, attempt: int, task: Any) -> None:
        """Move one task's batches, in order, to the writer; then its failure, if it failed."""
        try:
            for ref in task:
                self.queue.put((f, attempt, self.cluster.ray.get(ref)))
        except BaseException as exc:  # noqa: BLE001 - a dead worker surfaces here; the writer decides
            self.queue.put((f, attempt, exc))

    def _write_next(self) -> None:
        """Write the next batch any task produced (or restart a task whose worker died)."""
        f, attempt, item = self.queue.get()
        if attempt != f.attempts or f.cp.file_key not in self.active:
            return  # output of an attempt already replaced
        if isinstance(item, BaseException):
            self._failed(f, item)
            return
        self.worker_cpu += item.cpu
        recs = [self._record(f, text, source, locator) for text, source, locator in item.records]
        rejects = list(item.rejects)
        if item.error:
            rejects.append(Reject(f.src.name, item.error, f"after item {item.done}"))
        elif item.last and item.done == 0:  # the reader found nothing at all: never a silent loss
            rejects.append(Reject(f.src.name, empty_message(f.src, f.reader), None))
        status = "failed" if item.error else "done" if item.last else "running"
        self._flush(recs, rejects, f.cp, item.done, status)
        if self.progress:
            self.progress(f.src.name, item.done, f.idx)
        if item.last or item.error:
            if item.last:
                by = self.summary.by_format
                by[f.reader.name] = by.get(f.reader.name, 0) + (item.done - f.start)
            del self.active[f.cp.file_key]

    @staticmethod
    def _record(f: _File, text: str, source: str, locator: str) -> SourceRecord:
        from ipai.model import load_record

        return SourceRecord(
            record=load_record(text),
            source=source,
            format=f.reader.name,
            priority=f.reader.priority,
            file=f.src.name,
            locator=locator,
            text=text,
        )

    def _failed(self, f: _File, exc: BaseException) -> None:
        """A task died (its worker was lost): read the file again from its last commit."""
        f.errors.append(f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"[:300])
        if f.attempts <= RETRIES:
            self.restarts += 1
            self._launch(f)
            return
        reason = f"reading stopped: the worker failed {f.attempts} times ({f.errors[-1]})"
        self._flush(
            [],
            [Reject(f.src.name, reason, f"after item {f.cp.records_done}")],
            f.cp,
            f.cp.records_done,
            "failed",
        )
        del self.active[f.cp.file_key]


def cluster_ingest(
    settings: Settings,
    store: Store,
    paths: list[Path],
    *,
    workers: int | None = None,
    force: bool = False,
    fmt: str | None = None,
    progress: ProgressFn | None = None,
    kill: KillSwitch | None = None,
) -> dict[str, Any]:
    """Run one ingest job on the engine; returns the summary with the engine and worker restarts."""
    with Cluster(settings, workers) as cluster:
        cpu0 = time.process_time()
        job = ClusterIngester(store, settings, cluster, force=force, fmt=fmt, progress=progress, kill=kill)
        out = job.run(paths).to_json()
        out["worker_restarts"] = job.restarts
        out["cpu_seconds"] = {
            "driver": round(time.process_time() - cpu0, 2),
            "workers": round(job.worker_cpu, 2),
        }
        out["engine"] = cluster.describe()
    return out
