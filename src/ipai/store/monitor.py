"""SQL for watchlists and alerts (mixed into :class:`ipai.store.sql.SqlStore`)."""

from __future__ import annotations

from typing import Any


class MonitorSql:
    """Watchlists and alerts on the store's engine."""

    engine: Any
