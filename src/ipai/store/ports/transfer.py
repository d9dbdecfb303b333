"""Technology transfer (:mod:`ipai.transfer`): demands, the matches proposed for them, notifications and
the overseas directory of agencies and dispute cases."""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable


@runtime_checkable
class TransferStore(Protocol):
    """Demands, matches, notifications and the directory."""

    def add_demands(self, demands: list[dict[str, Any]]) -> list[int]:
        """Insert demands in one transaction; their new ids in order."""

    def update_demand(self, demand_id: int, fields: dict[str, Any]) -> bool:
        """Change a demand's fields; whether it was the tenant's."""

    def get_demand(self, demand_id: int) -> dict[str, Any] | None:
        """One demand of the caller's tenant, or ``None``."""

    def list_demands(
        self, *, status: str | None = None, limit: int = 50, offset: int = 0
    ) -> tuple[list[dict[str, Any]], int]:
        """A page of the tenant's demands (of one status), newest first, and the total."""

    def delete_demand(self, demand_id: int) -> bool:
        """Delete a demand of the tenant with its matches; whether it existed."""

    def save_matches(self, demand_id: int, rows: list[dict[str, Any]]) -> int:
        """Upsert proposals by (demand, kind, target): score, rank and explanation are refreshed;
        status and feedback already given are kept. Returns how many are new."""

    def list_matches(
        self,
        *,
        demand_id: int | None = None,
        kind: str | None = None,
        status: str | None = None,
        feedback: str | None = None,
        target: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> tuple[list[dict[str, Any]], int]:
        """A page of the tenant's matches (filtered) with their demand's title, and the total."""

    def get_match(self, match_id: int) -> dict[str, Any] | None:
        """One match of the tenant's demands with its demand's title, or ``None``."""

    def update_match(self, match_id: int, fields: dict[str, Any]) -> bool:
        """Set a match's status or feedback; whether it was the tenant's."""

    def add_notification(self, kind: str, message: str, payload: dict[str, Any]) -> int:
        """A notification belongs to the tenant of the demand it is about (even when a platform job
        raised it), else to the current principal's tenant."""

    def set_notification_delivery(self, note_id: int, delivery: dict[str, Any]) -> None:
        """Record the push outcome (e-mail, webhook) of a notification."""

    def list_notifications(
        self, *, unread: bool = False, limit: int = 50
    ) -> tuple[list[dict[str, Any]], int]:
        """The tenant's notifications (unread only, when asked), newest first, and the unread count."""

    def mark_notifications_read(self, ids: list[int] | None = None) -> int:
        """Mark these (or all) unread notifications of the tenant read; how many."""

    def replace_directory(self, kind: str, rows: list[dict[str, Any]]) -> int:
        """Replace the agencies (``kind="agencies"``) or dispute cases (``"cases"``) in one transaction."""

    def list_directory(self, kind: str) -> list[dict[str, Any]]:
        """The agencies or dispute cases of the directory, in import order."""
