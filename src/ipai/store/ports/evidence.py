"""The evidence log (:mod:`ipai.evidence`): an append-only list of entries (a Merkle tree's leaves)
and the signed heads of its sizes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Protocol, runtime_checkable


@runtime_checkable
class EvidenceStore(Protocol):
    """Entries and signed heads of the evidence log."""

    def evidence_append(
        self, build: Callable[[int], list[dict[str, Any]]], attempts: int = 50
    ) -> list[dict[str, Any]]:
        """Append the rows ``build(first_index)`` returns (each with ``idx`` = first_index + i) in
        one transaction; on a concurrent writer, retry with the new first index."""

    def evidence_size(self) -> int:
        """How many entries the log has (its next index)."""

    def evidence_leaves(self, start: int = 0, batch: int = 50_000) -> Iterator[tuple[int, str]]:
        """(index, leaf hash hex) from ``start`` on, in order."""

    def evidence_entries(self, start: int = 0, batch: int = 20_000) -> Iterator[dict[str, Any]]:
        """Whole entry rows from ``start`` on, in order (audit)."""

    def evidence_entry(self, index: int) -> dict[str, Any] | None:
        """The entry at an index (the caller's tenant's), or ``None``."""

    def evidence_find(self, content_sha256: str) -> list[dict[str, Any]]:
        """The tenant's entries whose content has this SHA-256, in log order."""

    def evidence_list(
        self, *, limit: int = 50, offset: int = 0, kind: str | None = None
    ) -> list[dict[str, Any]]:
        """A page of the tenant's entries (of one kind, when given), newest first."""

    def evidence_put_head(self, tree_size: int, head: str) -> None:
        """Store the signed head of a tree size (the first one stored for a size is kept)."""

    def evidence_heads(self) -> list[tuple[int, str]]:
        """Every signed head as ``(tree_size, head)``, smallest tree first."""

    def evidence_head(self, tree_size: int | None = None) -> tuple[int, str] | None:
        """The signed head of a tree size (the latest without one), or ``None``."""
