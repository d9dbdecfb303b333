"""Service use cases of the corpus: ingest (in the foreground or as a background task, with
uploads), the search index, text repair, export and the background tasks (``Service.corpus``).

An ingest keeps an existing search index current, then tells the transfer demands about new
matching documents and runs every watchlist on what changed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from ipai.errors import InputError
from ipai.ingest.pipeline import Ingester, IngestSummary, ProgressFn
from ipai.ingest.registry import readers
from ipai.ingest.repair import RepairProgress, RepairSummary, repair_stored
from ipai.model import PatentDocument, Trademark, dump_record
from ipai.service.context import Feature, ServiceContext
from ipai.service.monitor import MonitorService
from ipai.service.tasks import Report, Work
from ipai.service.transfer import TransferService
from ipai.service.uploads import ServedImage


class CorpusService(Feature):
    """Loading, indexing, repairing and exporting the stored records."""

    def __init__(self, ctx: ServiceContext, monitor: MonitorService, transfer: TransferService) -> None:
        super().__init__(ctx)
        self.monitor = monitor
        self.transfer = transfer
        # what the writer process of ``ipai serve --workers N`` builds from a recorded task
        ctx.task_kinds["ingest"] = lambda run: self._ingest_work(
            [Path(p) for p in run["paths"]], fmt=run.get("format"), force=bool(run.get("force"))
        )
        ctx.task_kinds["index"] = lambda run: self._index_work(rebuild=bool(run.get("rebuild")))

    def index(self, *, rebuild: bool = False, progress: Any = None) -> dict[str, Any]:
        """Build or refresh the search index (incremental unless ``rebuild``)."""
        return self.search_engine.refresh(rebuild=rebuild, progress=progress)

    def index_status(self) -> dict[str, Any]:
        """Index size, pending changes and encoder."""
        return self.search_engine.status()

    def start_ingest(
        self, paths: list[Path], *, fmt: str | None = None, force: bool = False, label: str | None = None
    ) -> dict[str, Any]:
        """Ingest in the background; returns the task (poll :meth:`task` for progress). Uploaded
        files (under ``<home>/uploads``) are deleted when the task ends, loaded or rejected."""
        from ipai.service.uploads import discard_uploads

        if not paths:
            raise InputError("nothing to ingest: give at least one file or folder")
        missing = [Path(p).name for p in paths if not Path(p).exists()]
        if missing:
            discard_uploads(self.settings, paths)
            raise InputError(
                f"not found: {missing[0]}", errors=[{"field": "paths", "message": m} for m in missing]
            )
        try:
            return self.ctx.tasks.submit(
                "ingest",
                {"files": [Path(p).name for p in paths], "format": fmt, "force": force, "label": label},
                self._ingest_work(paths, fmt=fmt, force=force),
                run={"paths": [str(Path(p).resolve()) for p in paths], "format": fmt, "force": force},
            )
        except BaseException:
            discard_uploads(self.settings, paths)
            raise

    def _ingest_work(self, paths: list[Path], *, fmt: str | None, force: bool) -> Work:
        """The work of an ingest task (uploaded files are deleted when it ends, loaded or rejected)."""
        from ipai.service.uploads import discard_uploads

        def work(report: Report) -> dict[str, Any]:
            try:
                return ingest(report)
            finally:
                discard_uploads(self.settings, paths)

        def ingest(report: Report) -> dict[str, Any]:
            state: dict[str, Any] = {"file": "", "base": 0, "last": 0}

            def progress(name: str, n: int, idx: int) -> None:
                if name != state["file"]:
                    state["base"] += state["last"]
                    state["file"], state["last"] = name, 0
                state["last"] = n
                report(phase="ingest", file=name, files=idx + 1, records=state["base"] + n)

            summary = Ingester(self.store, self.settings, force=force, fmt=fmt, progress=progress).run(
                [Path(p) for p in paths]
            )
            out = summary.to_json()
            out["rejects"] = [r.to_json() for r in self.store.rejects_for(job_id=summary.job_id)[:100]]
            if summary.loaded or summary.updated:
                report(phase="index", done=0, total=summary.loaded + summary.updated)
                out["index"] = self.index(progress=lambda d, t: report(phase="index", done=d, total=t))
            report(phase="finished")
            return out

        return work

    def start_index(self, *, rebuild: bool = False) -> dict[str, Any]:
        """Build or refresh the search index in the background; returns the task."""
        return self.ctx.tasks.submit(
            "index", {"rebuild": rebuild}, self._index_work(rebuild=rebuild), run={"rebuild": rebuild}
        )

    def _index_work(self, *, rebuild: bool) -> Work:
        def work(report: Report) -> dict[str, Any]:
            return self.index(rebuild=rebuild, progress=lambda d, t: report(phase="index", done=d, total=t))

        return work

    def task(self, task_id: str) -> dict[str, Any]:
        """One background task with its progress; :class:`NotFound` if unknown."""
        return self.ctx.tasks.get(task_id)

    def list_tasks(self, *, limit: int = 20, offset: int = 0) -> list[dict[str, Any]]:
        """Background tasks, newest first."""
        return self.ctx.tasks.list(limit=limit, offset=offset)

    def save_upload(self, name: str, stream: IO[bytes]) -> Path:
        """Store an uploaded file under ``<home>/uploads`` (size-limited by ``upload_max_mb``);
        returns its path. Raises :class:`TooLarge` and keeps nothing when it is over the limit."""
        from ipai.service.uploads import save_upload

        return save_upload(self.settings, name, stream)

    def save_uploads(self, files: list[tuple[str, IO[bytes]]]) -> list[Path]:
        """Store several uploaded files (see :meth:`save_upload`): all of them, or none when one
        is refused."""
        from ipai.service.uploads import discard_uploads

        paths: list[Path] = []
        try:
            for name, stream in files:
                paths.append(self.save_upload(name, stream))
        except BaseException:
            discard_uploads(self.settings, paths)
            raise
        return paths

    def image(self, number: str, n: int) -> ServedImage:
        """Drawing ``n`` (0-based) of a document from the media store, browser-ready
        (:class:`ipai.service.uploads.ServedImage`)."""
        from ipai.service.uploads import document_image

        return document_image(self.settings, self.ctx.resolve(number), n)

    # ---- ingest --------------------------------------------------------------------------
    def ingest(
        self,
        paths: list[Path],
        *,
        force: bool = False,
        fmt: str | None = None,
        progress: ProgressFn | None = None,
    ) -> IngestSummary:
        """Load files, folders and zips; returns the job summary."""
        if not paths:
            raise InputError("nothing to ingest: give at least one file or folder")
        seq = self.store.max_seq()
        summary = Ingester(self.store, self.settings, force=force, fmt=fmt, progress=progress).run(paths)
        if (self.settings.home / "index").exists() and (summary.loaded or summary.updated):
            summary.index = self.index()  # keep an existing search index current
            try:  # new documents matching open demands are pushed (in-app and webhook)
                self.transfer.notify_new_documents(seq)
            except Exception:  # noqa: BLE001 - never lose an ingest over a notification
                import logging

                logging.getLogger("ipai.match").exception("match notifications after ingest failed")
        if summary.loaded or summary.updated:
            try:  # every watchlist is evaluated on what this ingest changed (alerts, then their push)
                self.monitor.run_watchlists(since=seq, after_ingest=True)
            except Exception:  # noqa: BLE001 - never lose an ingest over a watchlist
                import logging

                logging.getLogger("ipai.monitor").exception("watchlist evaluation after ingest failed")
        return summary

    def repair_text(self, *, dry_run: bool = False, progress: RepairProgress | None = None) -> RepairSummary:
        """Re-apply the ingest text hygiene (mojibake repair, garbled texts marked) to the stored
        documents, no files needed; the search index, if any, is refreshed. Returns the summary."""
        summary = repair_stored(self.store, dry_run=dry_run, progress=progress)
        if not dry_run and summary.updated and (self.settings.home / "index").exists():
            summary.index = self.index()
        return summary

    @staticmethod
    def formats() -> list[dict[str, Any]]:
        """Supported source formats."""
        return [{"name": r.name, "description": r.description, "priority": r.priority} for r in readers()]

    def export(self, out: IO[str], *, what: str = "all", media: Path | None = None) -> int:
        """Write canonical JSONL; returns the number of records written. With ``media`` (a folder
        beside the output file) the drawings are copied there and named relative to the output."""
        from ipai.service.uploads import export_drawings

        n = 0
        for rec in self._records(what):
            if media is not None and isinstance(rec, PatentDocument):
                rec = export_drawings(self.settings, rec, media)
            out.write(dump_record(rec) + "\n")
            n += 1
        return n

    def _records(self, what: str) -> Iterator[PatentDocument | Trademark]:
        if what not in ("all", "patents", "trademarks"):
            raise InputError(f"unknown export selection {what!r}: use all, patents or trademarks")
        if what in ("all", "patents"):
            yield from self.store.iter_documents()
        if what in ("all", "trademarks"):
            yield from self.store.iter_trademarks()
