"""The ingest's side of the store: record batches written with their rejects and checkpoint in one
transaction, the jobs and file checkpoints an interrupted ingest resumes from, and the provenance of
every document (the source records it was merged from)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, Protocol, runtime_checkable

from ipai.store.values import FileCheckpoint, Reject, SourceRecord, UpsertCounts


@runtime_checkable
class IngestStore(Protocol):
    """Record batches, ingest jobs, file checkpoints and rejects."""

    def write_batch(
        self,
        records: list[SourceRecord],
        *,
        job_id: int | None,
        rejects: Iterable[Reject] = (),
        checkpoint: FileCheckpoint | None = None,
    ) -> UpsertCounts:
        """Upsert records, add rejects and advance a checkpoint in one transaction."""

    def start_job(self, args: dict[str, Any]) -> int:
        """Open an ingest job; returns its id."""

    def finish_job(self, job_id: int, status: str, summary: dict[str, Any]) -> None:
        """Close an ingest job with its summary."""

    def get_job(self, job_id: int) -> dict[str, Any] | None:
        """One ingest job."""

    def get_checkpoint(self, file_key: str) -> FileCheckpoint | None:
        """The resume point of a file, if it was seen before."""

    def set_checkpoint(self, cp: FileCheckpoint, job_id: int | None) -> None:
        """Record a file's state outside a batch (start, done, failed)."""

    def add_rejects(self, rejects: list[Reject], *, job_id: int | None, file_key: str | None) -> None:
        """Record rejects outside a batch (e.g. a whole file that could not be read)."""

    def rejects_for(self, *, job_id: int | None = None, file_keys: list[str] | None = None) -> list[Reject]:
        """Rejects recorded under a job, or for the given files."""


@runtime_checkable
class ProvenanceStore(Protocol):
    """The source records each document was merged from."""

    def document_sources(self, doc_id: str) -> list[dict[str, Any]]:
        """Provenance: the sources a document was merged from (source, format, file, job)."""

    def iter_source_rows(self, batch: int = 500) -> Iterator[tuple[str, list[dict[str, Any]]]]:
        """Every document's sources with their canonical JSON (``data``), in id order (to re-apply
        ingest-time processing such as the text hygiene without the original files)."""
