"""The store interface every backend implements, and the values it exchanges."""

from __future__ import annotations

import abc
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ipai.model import PatentDocument, Trademark


@dataclass
class SourceRecord:
    """One record as a reader produced it, with where it came from."""

    record: PatentDocument | Trademark
    source: str  # "<format>:<file name>[!member]" — one source per file
    format: str
    priority: int
    file: str = ""
    locator: str = ""  # record position in the file ("row 12", "doc 3", a doc number)
    text: str | None = None  # canonical JSON of ``record`` when the caller already has it

    def json(self) -> str:
        """Canonical JSON of the record (computed once)."""
        if self.text is None:
            from ipai.model import dump_record

            self.text = dump_record(self.record)
        return self.text


@dataclass
class Reject:
    """A record or file that could not be loaded, and why."""

    path: str
    reason: str
    record: str | None = None

    def to_json(self) -> dict[str, Any]:
        """Rejects-file line."""
        return {"file": self.path, "record": self.record, "reason": self.reason}


@dataclass
class UpsertCounts:
    """What an upsert did: new documents, changed documents, no-op records."""

    loaded: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, other: UpsertCounts) -> None:
        """Accumulate another batch's counts."""
        self.loaded += other.loaded
        self.updated += other.updated
        self.unchanged += other.unchanged


@dataclass
class FileCheckpoint:
    """How far a file's ingest has come (its records are deterministic, so a count suffices)."""

    file_key: str
    path: str
    format: str | None
    status: str  # running | done | failed
    records_done: int = 0
    counts: dict[str, int] = field(default_factory=dict)


class Store(abc.ABC):
    """Everything scenario code may ask of storage. No SQL leaves the backend."""

    url: str

    # ---- documents -----------------------------------------------------------------------
    @abc.abstractmethod
    def write_batch(
        self,
        records: list[SourceRecord],
        *,
        job_id: int | None,
        rejects: list[Reject] = (),  # type: ignore[assignment]
        checkpoint: FileCheckpoint | None = None,
    ) -> UpsertCounts:
        """Upsert records, add rejects and advance a checkpoint in one transaction."""

    @abc.abstractmethod
    def get_document(self, doc_id: str) -> PatentDocument | None:
        """A document by store key (``US8926509B``)."""

    @abc.abstractmethod
    def find_documents(self, country: str, number: str) -> list[PatentDocument]:
        """All publications with this country and number (any kind)."""

    @abc.abstractmethod
    def get_trademark(self, tm_id: str) -> Trademark | None:
        """A trademark by key (``TM-EM000001123``)."""

    @abc.abstractmethod
    def iter_documents(self, batch: int = 500) -> Iterator[PatentDocument]:
        """Every document in id order."""

    def iter_changed(self, since: int, batch: int = 500) -> Iterator[tuple[int, PatentDocument]]:
        """Documents written after change number ``since``, in change order, with their number."""
        from ipai.model import load_record

        for seq, text in self.iter_changed_raw(since, batch):
            yield seq, load_record(text)  # type: ignore[misc]

    @abc.abstractmethod
    def iter_changed_raw(self, since: int, batch: int = 500) -> Iterator[tuple[int, str]]:
        """Documents written after change number ``since`` as canonical JSON text, in change order
        (indexes refresh from this; worker processes parse the text)."""

    @abc.abstractmethod
    def max_seq(self) -> int:
        """The highest change number."""

    @abc.abstractmethod
    def recent_ids(self, limit: int) -> list[str]:
        """Ids of the ``limit`` most recently written documents, newest first."""

    @abc.abstractmethod
    def count_changed(self, since: int) -> int:
        """How many documents were written after change number ``since``."""

    @abc.abstractmethod
    def get_documents(self, ids: list[str]) -> dict[str, PatentDocument]:
        """Several documents by key."""

    @abc.abstractmethod
    def iter_trademarks(self, batch: int = 500) -> Iterator[Trademark]:
        """Every trademark in id order."""

    @abc.abstractmethod
    def document_sources(self, doc_id: str) -> list[dict[str, Any]]:
        """Provenance: the sources a document was merged from (source, format, file, job)."""

    @abc.abstractmethod
    def iter_source_rows(self, batch: int = 500) -> Iterator[tuple[str, list[dict[str, Any]]]]:
        """Every document's sources with their canonical JSON (``data``), in id order (to re-apply
        ingest-time processing such as the text hygiene without the original files)."""

    @abc.abstractmethod
    def count_documents(self) -> int:
        """Number of distinct patent documents."""

    @abc.abstractmethod
    def count_trademarks(self) -> int:
        """Number of trademarks."""

    @abc.abstractmethod
    def stats(self) -> dict[str, Any]:
        """Counts by jurisdiction, language, kind, year, classification section, source."""

    # ---- ingest bookkeeping --------------------------------------------------------------
    @abc.abstractmethod
    def start_job(self, args: dict[str, Any]) -> int:
        """Open an ingest job; returns its id."""

    @abc.abstractmethod
    def finish_job(self, job_id: int, status: str, summary: dict[str, Any]) -> None:
        """Close an ingest job with its summary."""

    @abc.abstractmethod
    def get_job(self, job_id: int) -> dict[str, Any] | None:
        """One ingest job."""

    @abc.abstractmethod
    def get_checkpoint(self, file_key: str) -> FileCheckpoint | None:
        """The resume point of a file, if it was seen before."""

    @abc.abstractmethod
    def set_checkpoint(self, cp: FileCheckpoint, job_id: int | None) -> None:
        """Record a file's state outside a batch (start, done, failed)."""

    @abc.abstractmethod
    def add_rejects(self, rejects: list[Reject], *, job_id: int | None, file_key: str | None) -> None:
        """Record rejects outside a batch (e.g. a whole file that could not be read)."""

    @abc.abstractmethod
    def rejects_for(self, *, job_id: int | None = None, file_keys: list[str] | None = None) -> list[Reject]:
        """Rejects recorded under a job, or for the given files."""

    @abc.abstractmethod
    def get_raw(self, ids: list[str]) -> dict[str, str]:
        """Canonical JSON of several documents, unparsed (analytics read a few fields of many)."""

    @abc.abstractmethod
    def get_fields(self, ids: list[str], fields: tuple[str, ...]) -> dict[str, dict[str, Any]]:
        """Top-level fields of several documents' canonical JSON (values as JSON-decoded data),
        without reading whole documents into models: what analytics over many documents need."""

    @abc.abstractmethod
    def existing_ids(self, ids: list[str]) -> set[str]:
        """Which of these document ids are stored (no document is read)."""

    @abc.abstractmethod
    def list_documents(
        self, *, offset: int = 0, limit: int = 20, country: str | None = None
    ) -> tuple[list[dict[str, Any]], int]:
        """A page of document summaries (id, country, number, kind, type, lang, date, title),
        newest publication first, and the total count."""

    # ---- background tasks ------------------------------------------------------------------
    @abc.abstractmethod
    def save_task(self, task: dict[str, Any]) -> None:
        """Insert or update a background task (keys of the ``tasks`` table; JSON values as dicts)."""

    @abc.abstractmethod
    def get_task(self, task_id: str) -> dict[str, Any] | None:
        """One background task of the caller's tenant (platform roles: any)."""

    @abc.abstractmethod
    def list_tasks(
        self, *, limit: int = 50, offset: int = 0, states: tuple[str, ...] | None = None
    ) -> list[dict[str, Any]]:
        """Background tasks of the caller's tenant (platform roles: all), newest first."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release connections."""
