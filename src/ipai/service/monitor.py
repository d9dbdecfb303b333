"""Service use cases of watchlists, alerts and their push."""

from __future__ import annotations

from typing import Any


class MonitorMixin:
    """Watchlists, alerts and their push (mixed into :class:`ipai.service.Service`)."""

    store: Any
    search_engine: Any
    settings: Any
