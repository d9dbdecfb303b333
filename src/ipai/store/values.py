"""The values the store exchanges with its callers: records as read, rejects, upsert counts and file
checkpoints."""

from __future__ import annotations

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
