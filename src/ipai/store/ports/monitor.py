"""Monitoring (:mod:`ipai.monitor`): watchlists, how far each has read the change feed, the alerts
they raise and the documents and trademarks written since."""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol, runtime_checkable


@runtime_checkable
class MonitorStore(Protocol):
    """Watchlists, their progress and their alerts."""

    def add_watch(self, watch: dict[str, Any], *, last_seq: int, last_tm_at: dt.datetime | None) -> int:
        """Insert a watchlist that starts after the given change number and trademark time."""

    def get_watch(self, watch_id: int) -> dict[str, Any] | None:
        """One watchlist of the caller's tenant (JSON fields decoded), or ``None``."""

    def list_watches(
        self, *, enabled: bool | None = None, ids: list[int] | None = None
    ) -> list[dict[str, Any]]:
        """The tenant's watchlists (enabled or not, these ids), in id order."""

    def update_watch(self, watch_id: int, fields: dict[str, Any]) -> bool:
        """Change a watchlist's fields; whether it was the tenant's."""

    def delete_watch(self, watch_id: int) -> bool:
        """Remove a watchlist; the alerts it raised are kept (they carry its name)."""

    def set_watch_progress(
        self, watch_id: int, *, last_seq: int, last_tm_at: dt.datetime | None, summary: dict[str, Any]
    ) -> None:
        """Record how far a watchlist has been evaluated and what its last run found."""

    def changed_docs(self, since: int, upto: int, *, limit: int = 5000) -> list[tuple[int, str]]:
        """``(seq, id)`` of documents written after change ``since`` up to ``upto``, oldest first."""

    def max_trademark_time(self) -> dt.datetime | None:
        """When the newest trademark row was written (``None`` without trademarks)."""

    def changed_trademarks(
        self, after: dt.datetime | None, upto: dt.datetime, *, last_id: str = "", limit: int = 5000
    ) -> list[dict[str, Any]]:
        """Trademarks written after ``after`` up to ``upto`` (id order from ``last_id``, paged)."""

    def add_alerts(self, rows: list[dict[str, Any]]) -> list[int]:
        """Insert alerts that are new for their watchlist (one per watchlist and target: a re-run
        or a re-ingested document raises nothing twice); the new ids in order, also set as ``id``
        on the rows that were inserted."""

    def list_alerts(
        self,
        *,
        unacknowledged: bool = False,
        watchlist_id: int | None = None,
        severity: str | None = None,
        ids: list[int] | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> tuple[list[dict[str, Any]], int, int]:
        """A page of alerts (newest first), how many match, and how many are unacknowledged."""

    def existing_alert_ids(self, ids: list[int]) -> set[int]:
        """Which of these alert ids exist for the tenant."""

    def ack_alerts(self, ids: list[int] | None = None) -> int:
        """Acknowledge these alerts (all unacknowledged ones when ``ids`` is None)."""

    def set_alert_delivery(self, ids: list[int], delivery: dict[str, Any]) -> None:
        """Record the push outcome (e-mail, webhook) on alerts."""
