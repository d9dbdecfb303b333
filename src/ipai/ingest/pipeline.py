"""The ingest job: expand inputs, detect formats, stream records into the store in batches.

Each batch is one transaction that also advances the file's checkpoint, so a killed ingest
resumes exactly where the last commit left it: no duplicates, no losses. A file already loaded
completely (same content hash) is skipped (``force`` reads it again, e.g. to apply a newer text
hygiene). Every patent record passes :func:`ipai.model.quality.clean_document` (mojibake
repaired, garbled texts marked) before it is stored. Broken records and unreadable files go to the
rejects table and a JSONL rejects file; everything else still loads.
"""

from __future__ import annotations

import gc
import json
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ipai.ingest.base import Item, Reader, Source
from ipai.ingest.drawings import DrawingCopier, unattached
from ipai.ingest.limits import MB, ZipLimits
from ipai.ingest.messages import say
from ipai.ingest.registry import detect, expand, is_auxiliary, reader_by_name
from ipai.model import PatentDocument
from ipai.model.quality import clean_document
from ipai.settings import Settings
from ipai.store import FileCheckpoint, Reject, SourceRecord, Store

ProgressFn = Callable[[str, int, int], None]  # (file name, records so far in file, file index)


@dataclass
class IngestSummary:
    """What an ingest did. ``to_json`` is the CLI's last output line."""

    job_id: int | None = None
    loaded: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    skipped: int = 0
    files: int = 0
    files_already_done: int = 0
    files_resumed: int = 0
    by_format: dict[str, int] = field(default_factory=dict)
    skipped_by_reason: dict[str, int] = field(default_factory=dict)
    rejects_file: str | None = None
    seconds: float = 0.0
    index: dict[str, Any] | None = None  # the search-index refresh that followed, if any

    def to_json(self) -> dict[str, Any]:
        """The summary as a JSON-able dict (the keys the CLI contract names come first)."""
        d = asdict(self)
        head = {k: d.pop(k) for k in ("loaded", "updated", "rejected", "rejects_file")}
        return head | d


class Ingester:
    """Runs one ingest job against a store."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        *,
        force: bool = False,
        fmt: str | None = None,
        progress: ProgressFn | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.force = force
        self.forced_reader: Reader | None = None
        if fmt:
            from ipai.errors import InputError

            self.forced_reader = reader_by_name(fmt)
            if self.forced_reader is None:
                raise InputError(f"unknown format {fmt!r}; see 'ipai formats'")
        self.progress = progress
        self.summary = IngestSummary()
        self._resumed_keys: list[str] = []
        # skip lines go to this job's rejects file only (not the rejects table): a run resumed or
        # repeated over the same folder does not pile them up
        self._skip_lines: list[Reject] = []
        self.max_record = int(settings.ingest_max_record_mb * MB)
        self.zip_limits = ZipLimits.from_settings(settings)
        self.drawings = DrawingCopier.of(settings)

    def run(self, paths: list[Path]) -> IngestSummary:
        """Ingest every source under ``paths``; returns the summary."""
        t0 = time.perf_counter()
        s = self.summary
        s.job_id = self.store.start_job({"paths": [str(p) for p in paths], "force": self.force})
        status = "failed"
        # records are many small objects that live for one batch: collecting the young generation
        # every 700 allocations costs a fifth of the run on full-text XML, so collect less often
        thresholds = gc.get_threshold()
        gc.set_threshold(50_000, 20, 20)
        try:
            for idx, src in enumerate(self._sources(paths)):
                self._ingest_source(src, idx)
            self._finish()
            status = "done"
        finally:
            gc.set_threshold(*thresholds)
            s.seconds = round(time.perf_counter() - t0, 3)
            self._write_rejects_file()
            self.store.finish_job(s.job_id, status if status == "done" else "interrupted", s.to_json())
        return s

    def _sources(self, paths: list[Path]) -> Any:
        for p in paths:
            if not p.exists():
                self._reject_file(Source(p, explicit=True), f"file not found: {p}")
                continue
            for src in expand([p], self.zip_limits):
                src.max_record = self.max_record
                yield src

    def _finish(self) -> None:
        """Wait for sources still being read (each source is read inline here: nothing to wait for;
        ``ipai.cluster.ingest`` reads them on workers)."""

    # ---- one file ------------------------------------------------------------------------
    def _ingest_source(self, src: Source, idx: int) -> None:
        s = self.summary
        if src.refused:
            self._reject_file(src, src.refused)
            return
        try:
            reader = self.forced_reader or detect(src)
        except OSError as exc:
            self._reject_file(src, f"cannot read file: {exc}")
            return
        if reader is None:
            if src.explicit:
                self._reject_file(src, _unknown_message(src))
            else:  # found in a folder or zip: skipped, with a line saying so (never silently)
                aux = is_auxiliary(src)
                reason = "not a record file (image, document or schema)" if aux else "unrecognised format"
                s.skipped += 1
                s.skipped_by_reason[reason] = s.skipped_by_reason.get(reason, 0) + 1
                line = say("skip.aux", file=src.name) if aux else _unknown_message(src, skipped=True)
                self._skip_lines.append(Reject(src.name, line, None))
            return
        key = f"{src.key()}:{reader.name}"
        cp = self.store.get_checkpoint(key)
        start = 0
        if cp and not self.force:
            if cp.status == "done":
                s.files_already_done += 1
                s.unchanged += sum(cp.counts.get(k, 0) for k in ("loaded", "updated", "unchanged"))
                if cp.path != src.name:  # a copy of a file loaded under another name: say so
                    self._skip_lines.append(
                        Reject(src.name, say("skip.duplicate", file=src.name, other=cp.path), None)
                    )
                return
            start = cp.records_done
            if start:
                s.files_resumed += 1
                self._resumed_keys.append(key)
        s.files += 1
        cp = FileCheckpoint(
            file_key=key,
            path=src.name,
            format=reader.name,
            status="running",
            records_done=start,
            counts=(cp.counts if cp and start else {}),
        )
        self._stream(src, reader, cp, start, idx)

    def _stream(self, src: Source, reader: Reader, cp: FileCheckpoint, start: int, idx: int) -> None:
        s = self.summary
        batch: list[SourceRecord] = []
        rejects: list[Reject] = []
        size = self.settings.ingest_batch_size
        source_name = self._source_name(src, reader)
        max_bytes = self.settings.ingest_batch_mb * 1_000_000
        n = start
        nbytes = 0
        try:
            for i, item in enumerate(reader.read(src)):
                if i < start:
                    continue
                n = i + 1
                nbytes += self._collect(item, src, reader, source_name, batch, rejects, self.drawings)
                if len(batch) + len(rejects) >= size or nbytes >= max_bytes:
                    self._flush(batch, rejects, cp, n, "running")
                    batch, rejects, nbytes = [], [], 0
                    if self.progress:
                        self.progress(src.name, n, idx)
        except Exception as exc:  # a reader bug or a structure it cannot follow: keep what we have
            rejects.append(
                Reject(src.name, f"reading stopped: {type(exc).__name__}: {exc}", f"after item {n}")
            )
            self._flush(batch, rejects, cp, n, "failed")
            return
        if n == 0:  # the reader found nothing at all: say so, a file never vanishes
            rejects.append(Reject(src.name, empty_message(src, reader), None))
        self._flush(batch, rejects, cp, n, "done")
        s.by_format[reader.name] = s.by_format.get(reader.name, 0) + (n - start)
        if self.progress:
            self.progress(src.name, n, idx)

    @staticmethod
    def _source_name(src: Source, reader: Reader) -> str:
        """The provenance name of a file's records: ``<format>:<file>[!member]``."""
        where = f"{src.path.name}!{src.member}" if src.member else src.basename
        return f"{reader.name}:{where}"

    @staticmethod
    def _collect(
        item: Item,
        src: Source,
        reader: Reader,
        source_name: str,
        batch: list[SourceRecord],
        rejects: list[Reject],
        drawings: DrawingCopier | None = None,
    ) -> int:
        """Add an item to the batch; returns the bytes it adds (its canonical JSON). Images the
        record names are copied into the media store (or marked missing) by ``drawings``; without
        it, they are only marked missing: no path a record gives is ever kept."""
        if item.error or item.record is None:
            rejects.append(Reject(src.name, item.error or "no record", item.locator))
            return 0
        rec = drawings.attach(item.record, src) if drawings else unattached(item.record)
        if isinstance(rec, PatentDocument):  # every reader's records pass here: one place for text hygiene
            rec = clean_document(rec)
        # one source per publication kind: a file listing both WO…A1 and WO…A3 keeps both
        kind = getattr(getattr(rec, "pubno", None), "kind", "")
        sr = SourceRecord(
            record=rec,
            source=f"{source_name}#{kind}" if kind else source_name,
            format=reader.name,
            priority=reader.priority,
            file=src.name,
            locator=item.locator,
        )
        batch.append(sr)
        return len(sr.json())

    def _flush(
        self, batch: list[SourceRecord], rejects: list[Reject], cp: FileCheckpoint, done: int, status: str
    ) -> None:
        cp.records_done = done
        cp.status = status
        counts = self.store.write_batch(batch, job_id=self.summary.job_id, rejects=rejects, checkpoint=cp)
        s = self.summary
        s.loaded += counts.loaded
        s.updated += counts.updated
        s.unchanged += counts.unchanged
        s.rejected += len(rejects)

    # ---- rejects -------------------------------------------------------------------------
    def _reject_file(self, src: Source, reason: str, *, count: bool = True) -> None:
        self.store.add_rejects([Reject(src.name, reason, None)], job_id=self.summary.job_id, file_key=None)
        if count:
            self.summary.rejected += 1

    def _write_rejects_file(self) -> None:
        s = self.summary
        if s.job_id is None:
            return
        rows = (
            self.store.rejects_for(job_id=s.job_id, file_keys=self._resumed_keys or None) + self._skip_lines
        )
        if not rows:
            return
        out_dir = self.settings.rejects_path
        out_dir.mkdir(parents=True, exist_ok=True)
        path = out_dir / f"ingest-{s.job_id:05d}.jsonl"
        with open(path, "w", encoding="utf-8") as fh:
            for r in rows:
                fh.write(json.dumps(r.to_json(), ensure_ascii=False) + "\n")
        s.rejects_file = str(path)


def _unknown_message(src: Source, *, skipped: bool = False) -> str:
    """Why a file is not read: its first characters when it is text, or that it is binary data."""
    head = src.head(200)[:60]
    text = head.decode("utf-8", "replace")
    if (
        b"\x00" in head
        or sum(1 for ch in text if ch == "\ufffd" or (ord(ch) < 32 and ch not in "\r\n\t")) > 3
    ):
        return say("skip.binary" if skipped else "file.binary", file=src.name)
    preview = repr(text.replace("\n", "\\n"))
    return say("skip.unknown" if skipped else "file.unknown", file=src.name, preview=preview)


def empty_message(src: Source, reader: Reader) -> str:
    """The reject of a file its reader read to the end without finding one record."""
    what = reader.description or reader.name
    return say("file.empty", file=src.name, format=reader.name, what=f"{what} record", what_zh=f"{what} 记录")


def ingest(store: Store, settings: Settings, paths: list[Path], **kw: Any) -> IngestSummary:
    """Convenience wrapper: run one ingest job."""
    return Ingester(store, settings, **kw).run(paths)


def format_counts(summary: IngestSummary) -> Counter[str]:
    """Records read per format (for reports and benchmarks)."""
    return Counter(summary.by_format)
