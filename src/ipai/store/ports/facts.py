"""The brief facts of documents (``doc_facts``): one derived row per document, written by the
service as it follows the change feed (:mod:`ipai.service.facts`) and read as columns by analytics
(landscapes, the valuation reference)."""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable


@runtime_checkable
class FactsStore(Protocol):
    """Derived per-document facts, kept level with the documents by change number."""

    def facts_seq(self, version: int) -> int:
        """The highest change number whose facts are stored (0: none); rows derived by another
        ``version`` are dropped first, so that a new derivation rebuilds every row."""

    def changed_ids(self, since: int, limit: int = 2000) -> list[tuple[int, str]]:
        """``(change number, id)`` of up to ``limit`` documents written after ``since``, in change
        order (no document is read)."""

    def write_facts(self, rows: list[dict[str, Any]]) -> None:
        """Insert or replace facts rows (keys: the ``doc_facts`` columns) in one transaction."""

    def read_facts(self, ids: list[str], columns: tuple[str, ...]) -> dict[str, tuple[Any, ...]]:
        """The ``columns`` of the facts of ``ids`` (ids without facts are absent)."""

    def newest_facts(self, columns: tuple[str, ...], limit: int) -> dict[str, list[Any]]:
        """Columns of the facts of the ``limit`` most recently written documents (newest first),
        column name → values."""
