"""Service use cases of technology transfer: demands, matching, the three lists, notifications."""

from __future__ import annotations

from typing import Any


class MatchMixin:
    """Demands and matches (mixed into :class:`ipai.service.Service`)."""

    store: Any
    search_engine: Any
    settings: Any
