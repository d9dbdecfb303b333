"""The search page's saved searches and history (:mod:`ipai.service.searches`), one owner's rows
never shown to another."""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable


@runtime_checkable
class SavedSearchStore(Protocol):
    """Saved searches and search history per owner."""

    def add_search(
        self,
        owner: str,
        kind: str,
        query: str,
        params: dict[str, Any],
        *,
        name: str | None = None,
        total: int | None = None,
        keep: int = 50,
    ) -> int:
        """Insert a saved search or a history entry; a history entry replaces the owner's entry of the
        same query and parameters (so it is on top once); history beyond the newest ``keep`` entries is
        dropped. Returns the row id."""

    def list_searches(self, owner: str, kind: str, *, limit: int = 50) -> list[dict[str, Any]]:
        """An owner's saved searches or history, newest first."""

    def get_search(self, owner: str, search_id: int) -> dict[str, Any] | None:
        """One of the owner's rows (None when it is unknown or another owner's)."""

    def delete_searches(self, owner: str, *, kind: str | None = None, search_id: int | None = None) -> int:
        """Delete one row of the owner's (``search_id``) or all rows of a kind; how many went."""
