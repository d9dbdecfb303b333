"""Results of monitoring: watchlists, alerts and their push (``ipai.service.monitor``)."""

from __future__ import annotations

from typing import Any

from ipai.service.results.common import Num, Result, Row

Watchlist = Row
"""A stored watchlist (``store.get_watch``): kind, terms, options, severity, channels, position …"""


class Watchlists(Result):
    """``Service.watches``: every watchlist with its position and last run."""

    items: list[Watchlist]
    total: int


class AlertPage(Result):
    """``Service.alerts``: alerts, newest first, with the unacknowledged count."""

    items: list[Row]
    total: int
    unacknowledged: int
    offset: int
    limit: int


class WatchRun(Result):
    """``Service.run_watchlists``: per-watchlist outcome, the new alerts and their push."""

    watchlists: list[dict[str, Any]]
    alerts: int
    alert_ids: list[int]
    seq: int
    ingested: int | None
    pushed: dict[str, int]
    seconds: Num
