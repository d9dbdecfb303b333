"""Portfolio management (:mod:`ipai.manage`): invention disclosures, their deadlines and the alerts
deadlines raise, and links between patents and products."""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable


@runtime_checkable
class ManageStore(Protocol):
    """Disclosures, deadlines, deadline alerts and product links."""

    def add_disclosures(self, rows: list[dict[str, Any]]) -> list[int]:
        """Insert disclosures in one transaction; their ids in order."""

    def update_disclosure(
        self, disclosure_id: int, fields: dict[str, Any], *, expect_status: str | None = None
    ) -> bool:
        """Change fields; with ``expect_status`` only if the row is still in that state."""

    def get_disclosure(self, disclosure_id: int) -> dict[str, Any] | None:
        """One disclosure of the caller's tenant, or ``None``."""

    def list_disclosures(
        self, *, status: str | None = None, product_line: str | None = None, limit: int = 50, offset: int = 0
    ) -> tuple[list[dict[str, Any]], int]:
        """A page of the tenant's disclosures (by status and product line) and the total."""

    def add_deadlines(self, disclosure_id: int, rows: list[dict[str, Any]]) -> list[int]:
        """Store computed deadlines (open) for a disclosure, owned by the disclosure's tenant."""

    def bulk_deadlines(self, rows: list[dict[str, Any]]) -> None:
        """Insert many deadline rows at once (``disclosure_id`` and ``tenant`` given; the bench)."""

    def list_deadlines(
        self,
        *,
        disclosure_id: int | None = None,
        status: str | None = None,
        before: str | None = None,
        limit: int = 200,
    ) -> list[dict[str, Any]]:
        """The tenant's deadlines (of a disclosure, a status, due before a date), soonest first."""

    def close_deadline(self, deadline_id: int) -> bool:
        """Mark a deadline done; whether it was the tenant's."""

    def close_deadlines_of(self, disclosure_id: int, kinds: tuple[str, ...]) -> int:
        """Close the open deadlines of these kinds (an abandoned filing pays no annuity)."""

    def scan_deadlines(self, today: str, horizon: str) -> dict[str, int]:
        """Raise an alert for each open deadline due by ``horizon`` (``overdue`` when before
        ``today``, else ``due_soon``) that has no alert of that level yet; one query for the due
        rows, one for the alerts already raised, one bulk insert."""

    def list_deadline_alerts(self, *, unacked: bool = False, limit: int = 100) -> list[dict[str, Any]]:
        """The tenant's deadline alerts (unacknowledged ones only, when asked) with their deadlines."""

    def ack_deadline_alerts(self, ids: list[int]) -> int:
        """Acknowledge these deadline alerts; how many were open."""

    def add_product_link(self, patent: str, product: str, product_line: str | None) -> bool:
        """Link a patent to a product (False when the link exists already)."""

    def list_product_links(
        self, *, patent: str | None = None, product: str | None = None, product_line: str | None = None
    ) -> list[dict[str, Any]]:
        """The tenant's patent–product links, filtered by patent, product or product line."""
