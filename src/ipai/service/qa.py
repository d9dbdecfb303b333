"""Service use cases of questions and answers with cited sources."""

from __future__ import annotations

from typing import Any


class QaMixin:
    """Questions and answers with cited sources (mixed into :class:`ipai.service.Service`)."""

    store: Any
    search_engine: Any
    settings: Any
