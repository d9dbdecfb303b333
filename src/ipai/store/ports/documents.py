"""The corpus: documents and trademarks as scenarios read them, and the change feed the search
index and the monitor follow (documents are written by :class:`ipai.store.ports.IngestStore`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Protocol, runtime_checkable

from ipai.model import PatentDocument, Trademark


@runtime_checkable
class DocumentStore(Protocol):
    """Documents and trademarks by id, in id order, counted and summarised."""

    def get_document(self, doc_id: str) -> PatentDocument | None:
        """A document by store key (``US8926509B``)."""

    def find_documents(self, country: str, number: str) -> list[PatentDocument]:
        """All publications with this country and number (any kind)."""

    def get_documents(self, ids: list[str]) -> dict[str, PatentDocument]:
        """Several documents by key."""

    def get_trademark(self, tm_id: str) -> Trademark | None:
        """A trademark by key (``TM-EM000001123``)."""

    def iter_documents(self, batch: int = 500) -> Iterator[PatentDocument]:
        """Every document in id order."""

    def iter_trademarks(self, batch: int = 500) -> Iterator[Trademark]:
        """Every trademark in id order."""

    def count_documents(self) -> int:
        """Number of distinct patent documents."""

    def count_trademarks(self) -> int:
        """Number of trademarks."""

    def stats(self) -> dict[str, Any]:
        """Counts by jurisdiction, language, kind, year, classification section, source."""

    def get_raw(self, ids: list[str]) -> dict[str, str]:
        """Canonical JSON of several documents, unparsed (analytics read a few fields of many)."""

    def get_fields(self, ids: list[str], fields: tuple[str, ...]) -> dict[str, dict[str, Any]]:
        """Top-level fields of several documents' canonical JSON (values as JSON-decoded data),
        without reading whole documents into models: what analytics over many documents need."""

    def existing_ids(self, ids: list[str]) -> set[str]:
        """Which of these document ids are stored (no document is read)."""

    def list_documents(
        self, *, offset: int = 0, limit: int = 20, country: str | None = None
    ) -> tuple[list[dict[str, Any]], int]:
        """A page of document summaries (id, country, number, kind, type, lang, date, title),
        newest publication first, and the total count."""


@runtime_checkable
class ChangeFeed(Protocol):
    """Documents in the order they were written: every write takes the next change number, so a
    reader that remembers the last number it saw (the search index, a watchlist) misses nothing."""

    def iter_changed(self, since: int, batch: int = 500) -> Iterator[tuple[int, PatentDocument]]:
        """Documents written after change number ``since``, in change order, with their number."""

    def iter_changed_raw(self, since: int, batch: int = 500) -> Iterator[tuple[int, str]]:
        """Documents written after change number ``since`` as canonical JSON text, in change order
        (indexes refresh from this; worker processes parse the text)."""

    def max_seq(self) -> int:
        """The highest change number."""

    def count_changed(self, since: int) -> int:
        """How many documents were written after change number ``since``."""

    def recent_ids(self, limit: int) -> list[str]:
        """Ids of the ``limit`` most recently written documents, newest first."""
